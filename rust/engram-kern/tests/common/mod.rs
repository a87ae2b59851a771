//! Shared by the integration tests: a seeded generator (no external crates) and pure-Rust
//! transcriptions of the reference kernels (reference/*.cpp), the definitions the library is
//! held to.
#![allow(dead_code)]

use engram_kern::{DecayFamily, DecayParams, SpreadMode, SpreadParams};

/// splitmix64: tiny, seeded, and every seed gives a different well-mixed stream.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, bound).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    pub fn range(&mut self, low: f64, high: f64) -> f32 {
        (low + (high - low) * self.unit()) as f32
    }

    /// A value of a vector: mostly uniform, sometimes a special value or an extreme magnitude,
    /// so the kernels' special-value paths are exercised.
    pub fn element(&mut self) -> f32 {
        match self.below(64) {
            0 => f32::NAN,
            1 => f32::INFINITY,
            2 => -0.0,
            3 => 0.0,
            4 => self.range(-1.0, 1.0) * 1e30,
            5 => self.range(-1.0, 1.0) * 1e-30,
            _ => self.range(-1.0, 1.0),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cosine (reference/cosine.cpp): double sums in index order; a zero, empty or non-finite vector
// scores 0.

fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .fold(0.0, |sum, (&x, &y)| sum + x as f64 * y as f64)
}

pub fn cosine(query: &[f32], candidates: &[f32]) -> Vec<f32> {
    let qq = dot(query, query);
    candidates
        .chunks(query.len())
        .map(|c| {
            let cc = dot(c, c);
            if !qq.is_finite() || qq == 0.0 || !cc.is_finite() || cc == 0.0 {
                return 0.0;
            }
            let cos = dot(query, c) / (qq.sqrt() * cc.sqrt());
            cos.max(-1.0).min(1.0) as f32
        })
        .collect()
}

/// kernels/cosine.hpp's cosine_error_bound(dim): the largest over the ISAs' widths.
pub fn cosine_bound(dim: usize) -> f64 {
    fn gamma(n: f64, u: f64) -> f64 {
        n * u / (1.0 - n * u)
    }
    fn quotient_error(eps: f64) -> f64 {
        let theta = gamma(4.0, 2f64.powi(-53));
        (2.0 * eps + theta + eps * theta) / (1.0 - eps)
    }
    [4usize, 8, 16]
        .iter()
        .map(|&lanes| {
            let n = ((dim + lanes - 1) / lanes) as f64 + 1.0 + (lanes as f64).log2();
            let eps_fast = gamma(n, 2f64.powi(-24)) + dim as f64 * 2f64.powi(-148) / 2f64.powi(-64);
            let eps_ref = gamma(dim as f64, 2f64.powi(-53));
            quotient_error(eps_fast) + quotient_error(eps_ref) + 2f64.powi(-24)
        })
        .fold(0.0, f64::max)
}

// ---------------------------------------------------------------------------------------------
// Decay (reference/decay.cpp): retention in double with libm, one rounding to float.

fn power_factor(beta: f64, log_term: f64) -> f64 {
    if beta == 0.0 {
        1.0
    } else {
        (-beta * log_term).exp()
    }
}

fn retention(t: f64, tau: f64, p: &DecayParams) -> f64 {
    let r = match p.family {
        DecayFamily::Exponential => (-t / tau).exp(),
        DecayFamily::PowerLaw => power_factor(p.beta, (t / tau).ln_1p()),
        DecayFamily::Hybrid => {
            let s = p.switch_seconds;
            if t <= s {
                (-t / tau).exp()
            } else {
                let at_switch = (-s / tau).exp();
                if at_switch == 0.0 {
                    0.0
                } else {
                    at_switch * power_factor(p.beta, (t / tau).ln_1p() - (s / tau).ln_1p())
                }
            }
        }
    };
    if r < p.floor {
        p.floor
    } else {
        r
    }
}

pub fn decay(strengths: &mut [f32], ages: &[u64], p: &DecayParams) {
    for i in 0..strengths.len() {
        if ages[i] == 0 {
            continue;
        }
        let tau = p
            .tau_per_memory
            .map_or(p.tau_seconds, |taus| taus[i] as f64);
        strengths[i] = (strengths[i] as f64 * retention(ages[i] as f64, tau, p)) as f32;
    }
}

/// Distance in representable floats (2^-149 steps among subnormals); 0 for two NaNs.
pub fn ulp_distance(a: f32, b: f32) -> u64 {
    if a.is_nan() && b.is_nan() {
        return 0;
    }
    if a.is_nan() || b.is_nan() {
        return u64::MAX;
    }
    // Maps floats onto integers in order, with -0 and +0 one apart.
    fn ordered(x: f32) -> i64 {
        let bits = x.to_bits() as i32 as i64;
        if bits < 0 {
            -(bits & 0x7fff_ffff) - 1
        } else {
            bits
        }
    }
    (ordered(a) - ordered(b)).unsigned_abs()
}

// ---------------------------------------------------------------------------------------------
// Spreading (reference/spread.cpp): f32 in the canonical order, so results are bit-identical.

/// A CSR graph as the Rust side keeps it.
pub struct Csr {
    pub num_nodes: usize,
    pub offsets: Vec<u64>,
    pub targets: Vec<u32>,
    pub weights: Vec<f32>,
}

/// A random graph: self-loops, multi-edges, isolated nodes and inhibitory weights included.
pub fn random_graph(rng: &mut Rng, num_nodes: usize, max_degree: u64) -> Csr {
    let mut offsets = vec![0u64];
    let mut targets = Vec::new();
    let mut weights = Vec::new();
    for _ in 0..num_nodes {
        for _ in 0..rng.below(max_degree + 1) {
            targets.push(rng.below(num_nodes as u64) as u32);
            weights.push(rng.range(-0.5, 1.5));
        }
        offsets.push(targets.len() as u64);
    }
    Csr {
        num_nodes,
        offsets,
        targets,
        weights,
    }
}

fn clamp01(x: f32) -> f32 {
    // NaN → +0, written with comparisons that fail on NaN, as the reference does.
    if x > 0.0 {
        if x < 1.0 {
            x
        } else {
            1.0
        }
    } else {
        0.0
    }
}

pub fn spread(g: &Csr, a: &mut [f32], p: &SpreadParams) {
    match p.mode {
        SpreadMode::Frontier => spread_frontier(g, a, p),
        SpreadMode::Dense => spread_dense(g, a, p),
    }
}

fn spread_frontier(g: &Csr, a: &mut [f32], p: &SpreadParams) {
    let n = g.num_nodes;
    let mut delta = vec![0.0f32; n];
    let mut frontier: Vec<usize> = (0..n).filter(|&u| a[u] > p.threshold).collect();
    for &u in &frontier {
        delta[u] = a[u];
    }
    let mut hop = 0;
    while hop < p.steps && !frontier.is_empty() {
        let mut next = vec![0.0f32; n];
        let mut contributed = vec![false; n];
        for &u in &frontier {
            for e in g.offsets[u] as usize..g.offsets[u + 1] as usize {
                let v = g.targets[e] as usize;
                next[v] = next[v] + (delta[u] * g.weights[e]) * p.hop_decay;
                contributed[v] = true;
            }
        }
        frontier.clear();
        for v in (0..n).filter(|&v| contributed[v]) {
            a[v] = clamp01(a[v] + next[v]);
            if next[v] > p.threshold {
                frontier.push(v);
                delta[v] = next[v];
            }
        }
        hop += 1;
    }
}

fn spread_dense(g: &Csr, a: &mut [f32], p: &SpreadParams) {
    let n = g.num_nodes;
    for _ in 0..p.steps {
        let mut sum = vec![0.0f32; n];
        for u in 0..n {
            for e in g.offsets[u] as usize..g.offsets[u + 1] as usize {
                let v = g.targets[e] as usize;
                sum[v] = sum[v] + g.weights[e] * a[u];
            }
        }
        let mut max = f32::NEG_INFINITY;
        let updated: Vec<f32> = (0..n).map(|v| a[v] + p.hop_decay * sum[v]).collect();
        for &x in &updated {
            if x > max {
                max = x;
            }
        }
        for v in 0..n {
            a[v] = if max > 1.0 {
                updated[v] / max
            } else {
                updated[v]
            };
        }
    }
}
