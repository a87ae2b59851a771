#!/usr/bin/env python3
"""fit_decay_polynomials.py — the polynomials and the log1p table of kernels/decay_impl.hpp.

Chebyshev interpolation (the n+1 Chebyshev nodes, values in double), converted to the monomial
basis in exact rational arithmetic (fractions) and rounded to double; then the approximation
error of the rounded coefficients, evaluated exactly, on a grid. The evaluation error in double
(Horner or Estrin, fma) is not in these figures: kernels/decay_test.cpp measures the kernel's own
code on 2^24 points and kernels/decay_long_test.cpp on every float of each range.
Method: Trefethen, Approximation Theory and Approximation Practice, ch. 4 and 8.
Usage: scripts/fit_decay_polynomials.py [points]   (default 100001 grid points per range)
"""
import math
import sys
from decimal import Decimal, getcontext
from fractions import Fraction as Fr


def cheb_fit(F, lo, hi, n):
    mid, half = (lo + hi) / 2, (hi - lo) / 2
    ys = [F(mid + half * math.cos(math.pi * (k + 0.5) / (n + 1))) for k in range(n + 1)]
    c = [2 / (n + 1) * sum(y * math.cos(j * math.pi * (k + 0.5) / (n + 1)) for k, y in enumerate(ys))
         for j in range(n + 1)]
    c[0] /= 2
    T = [[Fr(1)], [Fr(0), Fr(1)]]  # Chebyshev polynomials T_j(s) in monomials of s, exactly
    for j in range(2, n + 1):
        a = [Fr(0)] + [2 * v for v in T[j - 1]]
        b = T[j - 2] + [Fr(0)] * (len(a) - len(T[j - 2]))
        T.append([x - y for x, y in zip(a, b)])
    in_s = [Fr(0)] * (n + 1)
    for j in range(n + 1):
        for i, v in enumerate(T[j]):
            in_s[i] += Fr(c[j]) * v
    M, H = Fr(mid), Fr(half)  # s = (x - mid) / half
    in_x = [Fr(0)] * (n + 1)
    for i, v in enumerate(in_s):
        for k in range(i + 1):
            in_x[k] += v * math.comb(i, k) * (-M) ** (i - k) / H ** i
    return [float(v) for v in in_x]


def max_rel_error(coef, approx, exact, lo, hi, points):
    worst = 0.0
    for k in range(points):
        x = lo + (hi - lo) * k / (points - 1)
        e = exact(x)
        if e == 0:
            continue
        p = Fr(0)
        for c in reversed(coef):
            p = p * Fr(x) + Fr(c)
        worst = max(worst, abs(float(approx(p, Fr(x)) / Fr(e)) - 1))
    return worst


def main():
    points = int(sys.argv[1]) if len(sys.argv) > 1 else 100001
    # log1p(f) = f q(f) on [-1/16, 1/16], degree 6.
    q = lambda f: math.log1p(f) / f if f != 0 else 1.0
    coef = cheb_fit(q, -1 / 16, 1 / 16, 6)
    err = max_rel_error(coef, lambda p, f: p * f, math.log1p, -1 / 16, 1 / 16, points)
    print("log1p(f)/f on [-1/16, 1/16], degree 6, c0 first:", [c.hex() for c in coef])
    print(f"  max relative error of f q(f): 2^{math.log2(err):.2f}")
    # The table: c_i = 1 + i/8, r_i = 1/c_i rounded to double, -log(r_i) with 50 digits, rounded.
    getcontext().prec = 50
    r = [float(1 / Fr(8 + i, 8)) for i in range(8)]
    print("log1p_table_r:  ", [v.hex() for v in r])
    print("log1p_table_log:", [float(-Decimal(v).ln()).hex() for v in r])


if __name__ == "__main__":
    main()
