#!/usr/bin/env python3
"""seeds.py — writes the hand-made seed inputs of fuzz/corpus/<target>/ (named seed-*; entries
merged from campaigns are named by their SHA-1). The byte layouts are the harnesses' decoders:
see the top of each fuzz_<target>.cpp and docs/fuzzing.md. Re-run after changing a decoder:
    python3 fuzz/seeds.py
"""
import json
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
# The baseline layout fuzz_baseline_file seeds are written in: src/bench/baseline.hpp schema_version.
BASELINE_SCHEMA = 3
NAN, INF = float("nan"), float("inf")
SPECIALS = [0.0, -0.0, NAN, INF, -INF, 1e-45, -1e-45, 1.1754942e-38, 3.4028235e38, -3.4028235e38,
            1e-30, 1e30, 1.0, -1.0]


def f32(values):
    return b"".join(struct.pack("<f", v) for v in values)


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def cosine(rng):
    # [u16 dim][u8 count][u8 mode: bit0 folds exponents][f32 query, candidates... cycled]
    # Payloads are cut at 256 values: the harness cycles a short payload to fill long vectors.
    def seed(name, dim, count, values, fold=0):
        payload = values if isinstance(values, bytes) else f32(list(values)[:256])
        write("fuzz_cosine", name, struct.pack("<HBB", dim, count, fold) + payload)

    for dim in [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 129]:
        n = 5 if dim < 64 else 3
        seed(f"dim{dim}-gauss", dim, n, [rng.gauss(0, 1) for _ in range(dim * (n + 1))])
    for dim in [768, 1536]:
        seed(f"dim{dim}-gauss", dim, 4, [rng.gauss(0, 1) for _ in range(dim * 5)])
    seed("dim24-integers", 24, 9, [float(rng.randint(-32, 32)) for _ in range(240)])
    # Integer candidates along ±query: sums stay exact and scores lie within a few ULP of ±1,
    # where the roundings of the final quotient show (own generator, like decay's new seeds).
    # Only some scores land where the roundings add up beyond the bound: four seeds.
    r = random.Random(12)
    for dim in [16, 24, 33, 48]:
        q = [float(r.randint(-31, 31)) for _ in range(dim)]
        count = 256 // dim - 1
        seed(f"dim{dim}-integers-near-parallel", dim, count, q + [
            sign * x + (r.choice([-1, 1]) if r.random() < 0.25 else 0)
            for sign in [r.choice([1, -1]) for _ in range(count)] for x in q])
    seed("dim20-specials", 20, 8, [rng.choice(SPECIALS) for _ in range(180)])
    seed("dim16-zero-candidates", 16, 3, [rng.gauss(0, 1) for _ in range(16)] + [0.0] * 16 +
         [-0.0] * 16 + [rng.gauss(0, 1) for _ in range(16)])
    seed("dim13-extreme", 13, 6, [rng.choice([1, -1]) * 10 ** rng.uniform(-40, 38)
                                  for _ in range(13 * 7)])
    seed("dim40-folded-raw", 40, 7, rng.randbytes(4 * 320), 1)
    q = [rng.gauss(0, 1) for _ in range(50)]
    seed("dim50-near-parallel", 50, 4, q + sum([[x + 1e-6 * rng.gauss(0, 1) for x in q]
                                                for _ in range(4)], []))


def decay(rng):
    # [u16 count][u8 mode: 1 fold, 2 per-memory tau, 4 raw params][u8 age shift]
    # valid params: [u8 family][u16 tau mantissa][i8 2*tau exponent][u16 4096*beta]
    #               [u16 switch mantissa][u8 switch exponent][u8 floor (>=128: (x-128)/127)]
    # raw params:   [u32 family][f64 tau][f64 beta][f64 switch][f64 floor]
    # payload per memory: [f32 strength][u64 age][f32 tau]; an int strength is its raw f32 bits
    # (Python floats cannot carry a signaling NaN through struct.pack)
    def seed(name, count, mode, shift, params, memories):
        body = b"".join(struct.pack("<IQf" if isinstance(s, int) else "<fQf", s, a, t)
                        for s, a, t in memories)
        write("fuzz_decay", name, struct.pack("<HBB", count, mode, shift) + params + body)

    def valid(family, tau_exp2=34, beta=1.0, switch=(1, 16), floor=0):
        return struct.pack("<BHbHHBB", family, 20000, tau_exp2, int(beta * 4096), switch[0],
                           switch[1], floor)

    def memories(n, specials=False):
        out = []
        for _ in range(n):
            s = rng.random()
            if specials and rng.random() < 0.3:
                s = rng.choice(SPECIALS)
            age = 0 if rng.random() < 0.1 else int(10 ** rng.uniform(0, 12))
            out.append((s, age, 10 ** rng.uniform(-3, 8)))
        return out

    for family, name in enumerate(["exponential", "power_law", "hybrid"]):
        for n in [1, 7, 8, 9, 15, 16, 17, 33, 100]:
            seed(f"{name}-n{n}", n, 0, 0, valid(family), memories(n, specials=n > 8))
        seed(f"{name}-per-memory-tau-floor", 40, 2, 0, valid(family, floor=200), memories(40))
    seed("huge-ages", 20, 0, 0, valid(0), [(1.0, 2 ** 64 - 1 - i, 1.0) for i in range(20)])
    seed("tiny-tau-subnormal-results", 24, 0, 0, valid(0, tau_exp2=-60), memories(24, True))
    seed("power-law-big-beta", 17, 0, 0, valid(1, beta=15.9), memories(17, True))
    # Quiet and signaling NaNs of both signs with payloads, half of them fresh (age 0): an age-0
    # strength must come back bit for bit, and any widening quiets a signaling NaN.
    # These use their own generator, so adding them left the other seeds' bytes as they were.
    r = random.Random(12)
    nans = [sign | base | r.randrange(1, 0x3fffff) for sign in [0, 0x80000000]
            for base in [0x7f800000, 0x7fc00000] for _ in range(4)]
    seed("signaling-and-quiet-nans", len(nans), 0, 0, valid(0),
         [(bits, 0 if i % 2 else 1000, 1.0) for i, bits in enumerate(nans)])
    # Strengths 2^k, k from 50 to 127 (both signs), at t/tau = 139 + (k - 50) / 2: R = 2^-z for z
    # from 200 to 255 (beta 32 for the power law; hybrid switches after the last age), where
    # s * R is still a nonzero float; one seed per family.
    for family, name in enumerate(["exponential", "power_law", "hybrid"]):
        seed(f"{name}-large-strengths-subnormal-results", 78, 4, 0,
             struct.pack("<Idddd", family, 1.0, 32.0 if name == "power_law" else 1.0, 1e9, 0.0),
             [(r.choice([1, -1]) * 2.0 ** k * (1 + r.random()), 139 + (k - 50) // 2, 1.0)
              for k in range(50, 128)])
    seed("raw-params-invalid", 8, 4, 0, struct.pack("<Idddd", 1, -1.0, NAN, 0.0, 2.0),
         memories(8))
    seed("raw-params-valid", 8, 4, 0, struct.pack("<Idddd", 2, 3600.0, 0.5, 7200.0, 0.1),
         memories(8))
    seed("raw-per-memory-tau-bad", 5, 6, 0, struct.pack("<Idddd", 0, 60.0, 1.0, 0.0, 0.0),
         [(0.5, 100, t) for t in [1.0, 0.0, -1.0, NAN, INF]])


def spread(rng):
    # [u8 mode: 1 raw csr, 2 dense, 4 fold weights, 8 raw activations, 16 raw params][u8 steps]
    # valid params: [u16 hop_decay*65536-1][u16 threshold mantissa][u8 threshold exponent]
    # raw params:   [u32 mode][f32 hop_decay][f32 threshold]
    # structured graph: [u16 nodes][u8 degree per node: 0-7, or 0x80|d for a hub]
    #                   [u32 targets (mod nodes)][f32 weights][f32 activations]
    # raw graph: [u16 nodes][u16 edges][u8 shift][u64 offsets, nodes+1][u32 targets][f32 weights]
    #            [f32 activations]
    def seed(name, mode, steps, params, graph):
        write("fuzz_spread", name, struct.pack("<BB", mode, steps) + params + graph)

    def valid(hop=0.5, threshold=(655, 0)):
        return struct.pack("<HHB", int(hop * 65536) - 1, threshold[0], threshold[1])

    def graph(n, degree, weight=lambda: rng.uniform(0, 1), hubs=0,
              activation=lambda: rng.random() if rng.random() < 0.2 else 0.0, targets_rng=rng):
        degrees = [degree() for _ in range(n)]
        for h in range(hubs):
            degrees[h] = 0x80 | 100
        e = sum(d & 0x7f if d & 0x80 else d & 7 for d in degrees)
        targets = [targets_rng.randrange(2 ** 32) for _ in range(e)]
        acts = [activation() for _ in range(n)]
        return (struct.pack("<H", n) + bytes(degrees) + struct.pack(f"<{e}I", *targets) +
                f32(weight() for _ in range(e)) + f32(acts))

    for n in [0, 1, 2, 15, 16, 17, 33, 64, 65, 200]:
        seed(f"frontier-n{n}", 0, 3, valid(), graph(n, lambda: rng.randrange(8)))
        seed(f"dense-n{n}", 2, 4, valid(), graph(n, lambda: rng.randrange(8)))
    seed("frontier-hubs", 0, 8, valid(hop=1.0, threshold=(0, 0)),
         graph(120, lambda: rng.randrange(3), hubs=2))
    seed("dense-inhibitory", 2, 8, valid(hop=1.0),
         graph(50, lambda: rng.randrange(8), weight=lambda: rng.uniform(-2, 2)))
    seed("dense-overflow", 2, 6, valid(hop=1.0),
         graph(30, lambda: rng.randrange(8), weight=lambda: rng.choice([3e38, -3e38, 1.0])))
    seed("frontier-overflow", 0, 6, valid(hop=1.0, threshold=(0, 0)),
         graph(30, lambda: rng.randrange(8), weight=lambda: rng.choice([3e38, -3e38, 1e-40])))
    # Dyadic weights, activations and hop decay keep every contribution exact, so the threshold
    # can equal a start activation (0.5) or a first hop's contribution (0.5 * 0.5 * 0.5 = 0.125)
    # exactly: the ties where `>` and `>=` differ. -0 activations at threshold 0: every zero
    # contribution ties, and a touched -0 comes out of the clamp as +0.
    # (Their own generator, as for decay's.)
    r = random.Random(12)

    def ties_graph():
        return graph(40, lambda: r.randrange(4), weight=lambda: r.choice([1.0, 0.75, 0.5, 0.25]),
                     activation=lambda: 0.5 if r.random() < 0.3 else -0.0, targets_rng=r)

    for name, threshold in [("activation", (32768, 0)), ("contribution", (8192, 0))]:
        seed(f"frontier-dyadic-threshold-ties-{name}", 0, 4, valid(hop=0.5, threshold=threshold),
             ties_graph())
    seed("frontier-negative-zero-threshold-0", 0, 3, valid(hop=1.0, threshold=(0, 0)),
         ties_graph())
    seed("raw-params-invalid", 16, 3, struct.pack("<Iff", 7, 2.0, NAN),
         graph(10, lambda: rng.randrange(4)))
    seed("raw-activations", 8, 3, valid(), graph(10, lambda: 2) + f32([NAN, 2.0, -1.0]))
    offsets = [0, 2, 2, 5]
    seed("raw-csr-valid", 1, 3, valid(),
         struct.pack("<HHB", 3, 5, 0) + struct.pack("<4Q", *offsets) +
         struct.pack("<5I", 1, 2, 0, 0, 1) + f32([0.5, -0.25, 1.0, 2.0, 0.1]) + f32([1.0, 0, 0.5]))
    seed("raw-csr-bad-offsets", 1, 3, valid(),
         struct.pack("<HHB", 3, 5, 0) + struct.pack("<4Q", 0, 9, 2, 5) +
         struct.pack("<5I", 1, 2, 0, 0, 1) + f32([0.5] * 5) + f32([1.0, 0, 0.5]))
    seed("raw-csr-bad-target", 1, 3, valid(),
         struct.pack("<HHB", 3, 2, 0) + struct.pack("<4Q", 0, 1, 1, 2) +
         struct.pack("<2I", 3, 0) + f32([0.5] * 2) + f32([1.0, 0, 0.5]))


def multi_query_seeds(target, r):
    """The seed writer and gaussian payload of fuzz/multi_query.hpp's layout (fuzz_topk,
    fuzz_lowp): payloads are cut at 256 values, which the harness cycles."""
    def seed(name, dim, nq, n, k, values, mode=0, period=1):
        payload = values if isinstance(values, bytes) else f32(list(values)[:256])
        write(target, name, struct.pack("<HBHHBB", dim, nq, n, k, mode, period - 1) + payload)

    def gauss(count):
        return [r.gauss(0, 1) for _ in range(min(count, 256))]

    return seed, gauss


def topk():
    # [u16 dim][u8 num_queries][u16 num_candidates][u16 k]
    # [u8 mode: 1 fold, 2 repeat candidate rows, 4 small integers][u8 period - 1 (mod 8)]
    # [f32 queries, candidates... cycled]; each count is taken mod its limit + 1 (fuzz_topk.cpp:
    # num_queries * num_candidates * dim <= 2^14).
    # Its own generator: adding these left every other seed's bytes as they were.
    r = random.Random(16)
    seed, gauss = multi_query_seeds("fuzz_topk", r)

    for dim, nq, n, k in [(1, 1, 9, 3), (3, 2, 17, 17), (4, 6, 8, 1), (5, 7, 13, 20), (8, 13, 33, 5),
                          (9, 3, 40, 39), (17, 5, 21, 4), (33, 4, 12, 12), (64, 2, 30, 7),
                          (65, 6, 19, 25)]:
        seed(f"dim{dim}-q{nq}-n{n}-k{k}-gauss", dim, nq, n, k, gauss(dim * (nq + n)))
    seed("dim768-q2-n9-k5-gauss", 768, 2, 9, 5, gauss(256))
    seed("dim1536-q2-n5-k3-gauss", 1536, 2, 5, 3, gauss(256))
    # Past one tile (batch_max_tile 256 candidates) with a tail, for many queries and for k = n.
    seed("dim8-q2-n600-k20-tiles", 8, 2, 600, 20, gauss(256))
    seed("dim7-q7-n300-k9-tiles", 7, 7, 300, 9, gauss(256))
    seed("dim27-q1-n600-k600-tiles", 27, 1, 600, 600, gauss(256))
    # Every score +0 (no direction): the order is the index order; k past n pads.
    seed("dim0-q3-n10-k12-all-tie", 0, 3, 10, 12, b"")
    seed("dim16-q4-n40-k45-specials", 16, 4, 40, 45, [r.choice(SPECIALS) for _ in range(256)])
    seed("dim16-q2-n12-k8-zero-candidates", 16, 2, 12, 8,
         gauss(32) + sum([[0.0] * 16 if j % 3 == 0 else gauss(16) for j in range(12)], []))
    seed("dim12-q3-n50-k30-repeated-rows", 12, 3, 50, 30, gauss(12 * 6), mode=2, period=3)
    seed("dim6-q5-n100-k40-integers", 6, 5, 100, 40, r.randbytes(4 * 210), mode=4)
    seed("dim13-q2-n11-k4-extreme", 13, 2, 11, 4,
         [r.choice([1, -1]) * 10 ** r.uniform(-40, 38) for _ in range(13 * 13)])
    seed("dim40-q3-n9-k6-folded-raw", 40, 3, 9, 6, r.randbytes(4 * 256), mode=1)
    seed("dim8-q2-n5-k0", 8, 2, 5, 0, gauss(56))
    seed("dim8-q0-n5-k3", 8, 0, 5, 3, gauss(40))
    seed("dim8-q2-n0-k4", 8, 2, 0, 4, gauss(16))


def lowp():
    # fuzz_topk's layout, with two more mode bits: 8 prefetch, 16 raw compact candidates (the
    # candidates' payload bytes as bfloat16 bits and int8, every pattern and -128 included), 32
    # quantize_i8 without row scales (fuzz_lowp.cpp).
    # Its own generator: adding these left every other seed's bytes as they were.
    r = random.Random(17)
    seed, gauss = multi_query_seeds("fuzz_lowp", r)

    # Every tail of the bf16 (8, 16 per vector) and int8 (16, 32, 64) loads, and embedding sizes.
    for dim, nq, n, k in [(1, 1, 9, 3), (3, 2, 17, 17), (7, 3, 8, 2), (15, 2, 9, 20),
                          (16, 1, 5, 5), (17, 4, 12, 4), (31, 2, 7, 3), (33, 3, 10, 10),
                          (63, 1, 6, 2), (65, 2, 9, 1)]:
        seed(f"dim{dim}-q{nq}-n{n}-k{k}-gauss", dim, nq, n, k, gauss(dim * (nq + n)))
    seed("dim768-q2-n9-k5-gauss", 768, 2, 9, 5, gauss(256))
    seed("dim8-q2-n600-k20-tiles", 8, 2, 600, 20, gauss(256))
    # Rows whose quantization refuses (a NaN or ±Inf): the outputs must stay untouched; the bf16
    # rows keep their specials, the int8 rows have 0 there.
    seed("dim16-q2-n10-k6-specials", 16, 2, 10, 6, [r.choice(SPECIALS) for _ in range(256)])
    seed("dim12-q2-n8-k4-zero-rows", 12, 2, 8, 4,
         gauss(24) + sum([[0.0] * 12 if j % 3 == 0 else gauss(12) for j in range(8)], []))
    seed("dim12-q3-n40-k30-repeated-rows", 12, 3, 40, 30, gauss(12 * 5), mode=2, period=3)
    seed("dim6-q5-n60-k40-integers", 6, 5, 60, 40, r.randbytes(4 * 200), mode=4)
    seed("dim13-q2-n11-k4-extreme", 13, 2, 11, 4,
         [r.choice([1, -1]) * 10 ** r.uniform(-40, 38) for _ in range(13 * 13)])
    # Raw compact candidates: every bfloat16 pattern (NaN payloads, subnormals) and int8 -128.
    seed("dim24-q2-n20-k7-raw", 24, 2, 20, 7, r.randbytes(4 * 256), mode=16)
    seed("dim5-q3-n30-k9-raw-folded-no-scales", 5, 3, 30, 9, r.randbytes(4 * 120), mode=1 | 16 | 32)
    seed("dim40-q1-n9-k3-prefetch", 40, 1, 9, 3, gauss(256), mode=8)
    seed("dim0-q3-n10-k12-all-tie", 0, 3, 10, 12, b"")
    seed("dim8-q0-n5-k3", 8, 0, 5, 3, gauss(40))
    seed("dim8-q2-n0-k4", 8, 2, 0, 4, gauss(16))


def safetensors(metadata, tensors, pad=True, offsets=None):
    """tensors: name -> (dtype, shape, bytes), laid out in name order as the real writer does;
    offsets: name -> [begin, end] written instead of the true range (broken files)."""
    header, data = {"__metadata__": metadata}, b""
    for name in sorted(tensors):
        dtype, shape, raw = tensors[name]
        true_range = [len(data), len(data) + len(raw)]
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": (offsets or {}).get(name, true_range)}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    if pad:
        text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def workload_file(rng):
    meta = {"schema_version": "1", "generator": "fuzz/seeds.py", "seed": "7"}
    q = [rng.gauss(0, 1) for _ in range(8)]
    c = [rng.gauss(0, 1) for _ in range(24)]
    cos = dict(meta, kernel="cosine", family="gaussian", dim="8", count="3")
    cos_t = {"query": ("F32", [8], f32(q)), "candidates": ("F32", [3, 8], f32(c))}
    write("fuzz_workload_file", "cosine", safetensors(cos, cos_t))
    write("fuzz_workload_file", "cosine-unpadded", safetensors(cos, cos_t, pad=False))
    dec = dict(meta, kernel="decay", family="hybrid", decay_family="hybrid", tau_seconds="86400",
               beta="1", switch_seconds="3600", floor="0.05", per_memory_tau="true")
    dec_t = {"strengths": ("F32", [4], f32([1.0, 0.5, NAN, -0.0])),
             "ages_seconds": ("U64", [4], struct.pack("<4Q", 0, 60, 86400, 2 ** 64 - 1)),
             "tau_per_memory": ("F32", [4], f32([1.0, 60.0, 1e9, 3.0]))}
    write("fuzz_workload_file", "decay", safetensors(dec, dec_t))
    spr = dict(meta, kernel="spread", family="chain", nodes="3", edges="2", mode="dense",
               steps="4", hop_decay="0.5", threshold="0.01")
    spr_t = {"row_offsets": ("U64", [4], struct.pack("<4Q", 0, 1, 2, 2)),
             "targets": ("U32", [2], struct.pack("<2I", 1, 2)),
             "weights": ("F32", [2], f32([0.5, -1.0])),
             "activations": ("F32", [3], f32([1.0, 0.0, 0.25]))}
    write("fuzz_workload_file", "spread", safetensors(spr, spr_t))
    write("fuzz_workload_file", "empty-header", safetensors({}, {}))
    write("fuzz_workload_file", "scalar-and-empty-tensors",
          safetensors({"kernel": "cosine"}, {"a": ("F64", [], struct.pack("<d", 1.5)),
                                             "b": ("BF16", [0, 5], b""),
                                             "c": ("I8", [3], b"\x01\x02\x03")}))
    # Broken files a real loader must refuse (and a trusting one may crash on).
    good = safetensors(cos, cos_t)
    write("fuzz_workload_file", "range-past-end",
          safetensors(cos, cos_t, offsets={"query": [4096, 4128]}))
    write("fuzz_workload_file", "truncated-data", good[:-5])
    write("fuzz_workload_file", "header-length-huge", struct.pack("<Q", 2 ** 63) + good[8:])
    write("fuzz_workload_file", "overlapping-ranges",
          safetensors(cos, cos_t, offsets={"query": [92, 124]}))
    write("fuzz_workload_file", "bad-dtype", good.replace(b'"F32"', b'"F31"', 1))
    write("fuzz_workload_file", "shape-overflow",
          good.replace(b'"shape":[3,8]', b'"shape":[4294967296,4294967296]'))
    # Invalid UTF-8 in a tensor name and in a metadata value, same length as the valid text: the
    # parser refuses them and its message quotes the bytes (issue 19).
    write("fuzz_workload_file", "name-invalid-utf8", good.replace(b'"query"', b'"qu\xffry"', 1))
    write("fuzz_workload_file", "metadata-invalid-utf8",
          good.replace(b'"gaussian"', b'"gau\xc0\xafian"', 1))
    # Compact candidates: BF16 (bits) and I8 rows, F32 queries; data by element size, as written.
    bf = dict(meta, kernel="cosine_bf16", family="gaussian", dim="4", count="2")
    write("fuzz_workload_file", "cosine-bf16", safetensors(bf, {
        "query": ("F32", [4], f32([1.0, -2.0, 0.5, 0.0])),
        "candidates": ("BF16", [2, 4], struct.pack("<8H", 0x3f80, 0xc000, 0x7fc1, 0, 0x0001,
                                                   0x8000, 0x7f80, 0x4040))}))
    i8 = dict(meta, kernel="topk_i8", family="integer", dim="3", num_queries="2", count="3", k="2")
    write("fuzz_workload_file", "topk-i8", safetensors(i8, {
        "queries": ("F32", [2, 3], f32([1.0, 2.0, 3.0, -1.0, 0.0, 4.0])),
        "candidates": ("I8", [3, 3], struct.pack("<9b", 127, -128, 0, 1, -1, 5, 0, 0, 0))}))


def baseline_file():
    def result(variant, role, median, speedup=None):
        r = {"workload": "cosine/d768/n1000", "kernel": "cosine", "variant": variant, "role": role,
             "median_ns": median, "mad_ns": median / 50, "times_ns": [median * 0.99, median,
                                                                     median * 1.02],
             "speedups": [] if speedup is None else [speedup * 0.98, speedup, speedup * 1.01],
             "process_speedups": [] if speedup is None else [speedup, speedup * 0.99]}
        if speedup is not None:
            r["speedup_vs_reference"] = {"median": speedup, "low": speedup * 0.98,
                                         "high": speedup * 1.01}
        return r

    doc = {"schema_version": BASELINE_SCHEMA, "kind": "engram-kern baseline",
           "machine": {"key": "GenuineIntel-6-207-avx512", "vendor": "GenuineIntel", "family": 6,
                       "model": 207, "cpu": "Intel(R) Xeon(R)", "isa": "avx512",
                       "compiler": "GCC 12.2.0", "flags": "Release: -ffp-contract=off",
                       "libraries": {"xsimd": "8.1.0", "benchmark": "1.7.1"}},
           "repetitions": 3, "min_time_s": 0.05, "processes": 2,
           "results": [result("reference", "reference", 250000.0),
                       result("avx512", "isa", 21000.0, 11.9),
                       result("avx512/aa", "aa", 21100.0, 11.8)]}

    def seed(name, d):
        write("fuzz_baseline_file", name, json.dumps(d, indent=1).encode())

    seed("valid", doc)
    seed("future-schema", dict(doc, schema_version=99))
    seed("no-results", {k: v for k, v in doc.items() if k != "results"})
    seed("wrong-types", dict(doc, repetitions="3", machine=dict(doc["machine"], family=-6)))
    bad = json.loads(json.dumps(doc))
    bad["results"][1]["speedups"] = [0.0, -1.0]
    bad["results"][2]["role"] = "sideways"
    seed("bad-speedups-and-role", bad)
    write("fuzz_baseline_file", "not-json", b'{"schema_version": %d, "machine": ' % BASELINE_SCHEMA)
    write("fuzz_baseline_file", "huge-numbers",
          json.dumps(doc).replace("250000.0", "1e400").replace('"family": 6', '"family": 1e20')
          .encode())


def main():
    rng = random.Random(20240601)
    cosine(rng)
    decay(rng)
    spread(rng)
    topk()
    lowp()
    workload_file(rng)
    baseline_file()


if __name__ == "__main__":
    main()
