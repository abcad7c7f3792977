"""Time the regression of one large benchmark: OLS fit, paper-level bootstrap, leave-one-paper-out, form comparison.

Synthetic points (fixed seed): a power law log10(error) = 1 - 0.1·log10(C) with a per-paper offset
and per-point noise, spread over about 2,000 papers. Prints seconds per step, the total and whether
the total is under the 5 s budget. No assertion: the numbers depend on the machine.

    python benchmarks/bench_regress.py [--points N] [--papers P] [--draws D]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd

from analysis.scaling import fit_scaling, usable_points
from analysis.uncertainty import bootstrap_fit, compare_forms, leave_one_paper_out

BUDGET_SECONDS = 5.0
SEED = 20200712


def synthetic_points(n_points: int, n_papers: int, seed: int = SEED) -> pd.DataFrame:
    """A points frame (the columns ``fit_scaling`` reads) plus ``paper_key``; error from a noisy power law."""
    rng = np.random.default_rng(seed)
    paper = rng.integers(0, n_papers, n_points)
    paper_x = rng.uniform(17.0, 23.0, n_papers)
    log_c = paper_x[paper] + rng.normal(0.0, 0.3, n_points)
    log_e = 1.0 - 0.1 * log_c + rng.normal(0.0, 0.04, n_papers)[paper] + rng.normal(0.0, 0.02, n_points)
    return pd.DataFrame(
        {
            "point_id": [f"p{i:06d}" for i in range(n_points)],
            "paper_key": [f"paper-{p:05d}" for p in paper],
            "benchmark": "imagenet",
            "metric": "Top 1 Accuracy",
            "score": 100.0 * (1.0 - 10.0**log_e),
            "error": 10.0**log_e,
            "compute": 10.0**log_c,
        }
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", type=int, default=10_000, help="synthetic points (default 10,000)")
    ap.add_argument("--papers", type=int, default=2_000, help="papers they come from (default 2,000)")
    ap.add_argument("--draws", type=int, default=1_000, help="bootstrap draws (default 1,000)")
    args = ap.parse_args(argv)
    points = synthetic_points(args.points, args.papers)
    timings: dict[str, float] = {}

    t0 = time.perf_counter()
    fit = fit_scaling(points, benchmark="imagenet", form="polynomial")
    used = usable_points(points, benchmark="imagenet")
    used["paper_key"] = used["point_id"].map(points.set_index("point_id")["paper_key"])
    timings["OLS fit (statsmodels) + usable points"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    boot = bootstrap_fit(used, "polynomial", draws=args.draws)
    timings[f"paper bootstrap, {args.draws} draws"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    influence = leave_one_paper_out(used, "polynomial")
    timings["leave one paper out"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    comparison = compare_forms(used)
    timings["compare forms (LOPO, both forms)"] = time.perf_counter() - t0

    total = sum(timings.values())
    print(f"{len(used)} points from {boot.n_papers} papers; {os.cpu_count()} CPUs")
    print(f"OLS slope {fit.slope:.4f} [{fit.ci_low:.4f}, {fit.ci_high:.4f}] (true -0.1)")
    print(f"bootstrap slope [{boot.slope_low:.4f}, {boot.slope_high:.4f}], {boot.degenerate} degenerate draws")
    print(f"most influential paper: {influence[0].paper_key} (delta {influence[0].delta:+.2e})")
    print(comparison.statement)
    for step, seconds in timings.items():
        print(f"  {step:40} {seconds:7.3f} s")
    verdict = "under" if total < BUDGET_SECONDS else "OVER"
    print(f"  {'total':40} {total:7.3f} s  ({verdict} the {BUDGET_SECONDS:.0f} s budget)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
