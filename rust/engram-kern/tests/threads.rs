//! One graph shared by `Arc` across threads: every thread spreads on it at once and gets the
//! single-threaded result (the kernels are pure; each thread has its own arena).
mod common;

use common::Rng;
use engram_kern::*;
use std::sync::Arc;

#[test]
fn a_graph_shared_across_threads_gives_every_thread_the_same_result() {
    let mut rng = Rng::new(42);
    let csr = common::random_graph(&mut rng, 500, 8);
    let graph =
        Arc::new(Graph::from_csr(csr.num_nodes, &csr.offsets, &csr.targets, &csr.weights).unwrap());
    let seeds: Vec<f32> = (0..csr.num_nodes)
        .map(|i| if i % 37 == 0 { 1.0 } else { 0.0 })
        .collect();
    let params = SpreadParams {
        steps: 4,
        ..Default::default()
    };
    let mut expected = seeds.clone();
    graph.spread(&mut expected, &params).unwrap();

    let workers: Vec<_> = (0..4)
        .map(|_| {
            let graph = Arc::clone(&graph);
            let seeds = seeds.clone();
            std::thread::spawn(move || {
                (0..50)
                    .map(|_| {
                        let mut activations = seeds.clone();
                        graph.spread(&mut activations, &params).unwrap();
                        activations
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for worker in workers {
        for activations in worker.join().unwrap() {
            assert_eq!(activations, expected);
        }
    }
}
