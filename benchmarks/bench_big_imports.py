"""Time and peak memory of `compute-limits import epoch|thompson` on synthetic files of N rows
(tests/reference/big_csv.py; every 10,000th row carries two absurd cells). Printed as markdown.

Each import is the real command in its own process; its peak RSS is the kernel's (getrusage of the
wrapper's only child). The test suite asserts the 1 GB bar at a million rows
(tests/reference/test_import_memory.py); this prints the curve.

Run: python benchmarks/bench_big_imports.py [N ...]   (default 100000 1000000)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reference.big_csv import write_epoch_csv, write_thompson_csv  # noqa: E402

CLI = str(Path(sys.executable).parent / "compute-limits")
WRAPPER = ("import json, resource, subprocess, sys; rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)"
           ".returncode; print(json.dumps([rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")


def run(args: list[str], db: Path) -> tuple[int, float, int]:
    env = {**os.environ, "COMPUTE_LIMITS_IMPORT_MAX_BYTES": str(10**11), "COMPUTE_LIMITS_DB": str(db)}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", WRAPPER, CLI, "-q", *args], capture_output=True, text=True,
                         env=env, check=True).stdout
    rc, kb = json.loads(out.splitlines()[-1])
    return rc, time.perf_counter() - started, kb * 1024


def main(sizes: list[int]) -> None:
    print("| rows | file | file MB | seconds | peak RSS MB | rc |\n|---|---|---|---|---|---|")
    for rows in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            epoch = write_epoch_csv(root / "epoch.csv", rows, bad_every=10_000)
            rc, seconds, peak = run(["import", "epoch", str(epoch)], root / "e.duckdb")
            print(f"| {rows:,} | epoch | {epoch.stat().st_size / 1e6:.0f} | {seconds:.1f} | {peak / 1e6:.0f} | {rc} |")
            (root / "t").mkdir()
            thompson = write_thompson_csv(root / "t" / "image-classification-on-imagenet.csv", rows, bad_every=10_000)
            rc, seconds, peak = run(["import", "thompson", str(root / "t")], root / "t.duckdb")
            print(f"| {rows:,} | thompson | {thompson.stat().st_size / 1e6:.0f} | {seconds:.1f} | {peak / 1e6:.0f} "
                  f"| {rc} |", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])
