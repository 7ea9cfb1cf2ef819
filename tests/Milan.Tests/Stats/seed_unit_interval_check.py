"""Independent computation of SeedUnitIntervalTests' expected values (numpy only; no scipy here).

Re-implements the seeded SplitMix64 resampling of Milan.Stats.Bootstrap, the unit bootstrap variance,
the seed variance, Welch-Satterthwaite and Student's t quantile (by integrating the t density), and prints
the values the C# test asserts. Run: /usr/bin/python3 seed_unit_interval_check.py
"""
import math
import numpy as np

M = (1 << 64) - 1

def resamples(count, n_resamples, seed):
    state = (seed * 0x9E3779B97F4A7C15 + 0x5851F42D4C957F2D) & M
    rows = []
    for _ in range(n_resamples):
        row = []
        for _ in range(count):
            state = (state + 0x9E3779B97F4A7C15) & M
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
            z = z ^ (z >> 31)
            row.append(z % count)
        rows.append(row)
    return np.array(rows)

def t_quantile(df, p):
    """Student's t quantile by bisection on the CDF, the CDF by Simpson integration of the density."""
    logc = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    def cdf(x):
        grid = np.linspace(0.0, x, 200001)
        dens = np.exp(logc - (df + 1) / 2 * np.log1p(grid ** 2 / df))
        h = grid[1] - grid[0]
        integral = h / 3 * (dens[0] + dens[-1] + 4 * dens[1:-1:2].sum() + 2 * dens[2:-1:2].sum())
        return 0.5 + integral
    lo, hi = 0.0, 100.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if cdf(mid) < p: lo = mid
        else: hi = mid
    return (lo + hi) / 2

# 3 seeds x 6 units (rows = seeds), a made-up score matrix with a clear seed effect.
scores = np.array([
    [0.70, 0.55, 0.90, 0.62, 0.48, 0.81],
    [0.64, 0.50, 0.85, 0.60, 0.41, 0.77],
    [0.75, 0.58, 0.93, 0.70, 0.52, 0.86],
])
n = scores.shape[1]
S = scores.shape[0]
pooled_units = scores.mean(axis=0)
value = pooled_units.mean()
idx = resamples(n, 200, 0)
replicates = pooled_units[idx].mean(axis=1)
v_u = replicates.var(ddof=1)
seed_values = scores.mean(axis=1)
v_s = seed_values.var(ddof=1) / S
df = (v_u + v_s) ** 2 / (v_u ** 2 / (n - 1) + v_s ** 2 / (S - 1))
t = t_quantile(df, 0.975)
half = t * math.sqrt(v_u + v_s)
print(f"value {value!r}")
print(f"unit_se {math.sqrt(v_u)!r}")
print(f"seed_se {math.sqrt(v_s)!r}")
print(f"df {df!r}")
print(f"t {t!r}")
print(f"lower {value - half!r}")
print(f"upper {value + half!r}")
print(f"t(2, 0.975) {t_quantile(2, 0.975)!r}")
