//! Engram's recall path through the safe API: cosine similarity of a query against every
//! memory's embedding → the best k become cues → frontier spreading over the association graph →
//! decay by each memory's age → the final ranking. Prints the ranking and the ISA that ran it.
//! Usage: cargo run --offline --example recall [ISA]   (e.g. `reference`: the rollback switch)
use engram_kern::{
    active_isa, apply_decay, cosine_similarity, set_isa, DecayFamily, DecayParams, Graph,
    SpreadParams,
};

const MEMORIES: usize = 2000;
const DIM: usize = 128;
const CUES: usize = 8;
const SHOWN: usize = 10;

/// A small seeded generator, so every run recalls the same memories.
struct Lcg(u64);
impl Lcg {
    fn unit(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Some(isa) = std::env::args().nth(1) {
        set_isa(Some(&isa))?;
    }
    let mut rng = Lcg(2026);
    let embeddings: Vec<f32> = (0..MEMORIES * DIM).map(|_| rng.unit() - 0.5).collect();
    // The query is a noisy copy of memory 42: it should be recalled first, its associations next.
    let query: Vec<f32> = embeddings[42 * DIM..43 * DIM]
        .iter()
        .map(|x| x + 0.3 * (rng.unit() - 0.5))
        .collect();
    // Each memory is associated with 4 others (weights in [0.2, 1)); memory i links to i+1 too.
    let mut row_offsets = vec![0u64];
    let mut targets = Vec::new();
    let mut weights = Vec::new();
    for i in 0..MEMORIES {
        targets.push(((i + 1) % MEMORIES) as u32);
        weights.push(0.9);
        for _ in 0..3 {
            targets.push((rng.unit() * MEMORIES as f32) as u32 % MEMORIES as u32);
            weights.push(0.2 + 0.8 * rng.unit());
        }
        row_offsets.push(targets.len() as u64);
    }
    let graph = Graph::from_csr(MEMORIES, &row_offsets, &targets, &weights)?;
    // Ages from a minute to about a month.
    let ages: Vec<u64> = (0..MEMORIES)
        .map(|_| 60 + (rng.unit() * 2.6e6) as u64)
        .collect();

    // 1. Similarity, 2. the best k as cues (activation = similarity, kept in [0, 1]).
    let scores = cosine_similarity(&query, &embeddings)?;
    let mut order: Vec<usize> = (0..MEMORIES).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut activations = vec![0.0f32; MEMORIES];
    for &cue in &order[..CUES] {
        activations[cue] = scores[cue].max(0.0);
    }
    // 3. Spreading from the cues, 4. decay by age (a week's power law).
    graph.spread(
        &mut activations,
        &SpreadParams {
            steps: 2,
            threshold: 0.05,
            ..Default::default()
        },
    )?;
    let decay = DecayParams {
        family: DecayFamily::PowerLaw,
        tau_seconds: 604800.0,
        beta: 0.5,
        ..Default::default()
    };
    apply_decay(&mut activations, &ages, &decay)?;

    // 5. The ranking.
    order.sort_by(|&a, &b| activations[b].total_cmp(&activations[a]));
    println!(
        "recall over {} memories (dim {}), {} cues, ISA {}",
        MEMORIES,
        DIM,
        CUES,
        active_isa()
    );
    println!(
        "{:>4}  {:>6}  {:>10}  {:>10}  {:>9}",
        "rank", "memory", "activation", "similarity", "age (h)"
    );
    for (rank, &memory) in order[..SHOWN].iter().enumerate() {
        println!(
            "{:>4}  {:>6}  {:>10.6}  {:>10.6}  {:>9.1}",
            rank + 1,
            memory,
            activations[memory],
            scores[memory],
            ages[memory] as f64 / 3600.0
        );
    }
    Ok(())
}
