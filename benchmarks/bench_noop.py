"""What a nightly run costs when nothing changed, and when k papers are new.

Runs the real command line (`compute-limits ingest --offline`, its own temporary Prefect server, as a
user runs it) in a temporary directory: a first run limited to N papers, then full runs, so that each
run meets k = 55 - N new papers, then a run with nothing new. Prints wall time, PDFs downloaded and
parsed, fits re-fitted or read from the cache, and the stage times the run recorded.

Run: python benchmarks/bench_noop.py   (prints figures; asserts nothing)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

CLI = str(Path(sys.executable).parent / "compute-limits")


def _run(root: Path, *args: str) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_URL", "COMPUTE_LIMITS_"))}
    env |= {"COMPUTE_LIMITS_DB": str(root / "data" / "warehouse.duckdb"),
            "COMPUTE_LIMITS_DATA_DIR": str(root / "data"), "COMPUTE_LIMITS_REPORTS_DIR": str(root / "reports"),
            "PREFECT_HOME": str(root / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    started = time.monotonic()
    subprocess.run([CLI, "ingest", "--offline", *args], env=env, check=True, capture_output=True)
    return time.monotonic() - started


def _last_run(root: Path) -> dict:
    with duckdb.connect(str(root / "data" / "warehouse.duckdb"), read_only=True) as con:
        row = con.execute("SELECT counts, stage_seconds, seconds FROM v_ingest_runs LIMIT 1").fetchone()
    return json.loads(row[0]) | {"stage_seconds": json.loads(row[1]), "flow_seconds": row[2]}


def _print(label: str, wall: float, run: dict) -> None:
    stages = ", ".join(f"{k} {v:.1f}" for k, v in run["stage_seconds"].items())
    print(f"{label:<24} wall {wall:5.1f} s (flow {run['flow_seconds']:.1f} s) | new papers "
          f"{run.get('papers_new', 0):>2}"
          f" | PDFs downloaded {run.get('pdfs_downloaded', 0):>2}, parsed {run.get('pdfs_parsed', 0):>2}, from cache "
          f"{run.get('pdfs_from_cache', 0)} | fits re-fitted {run.get('fits_refit', 0)}, cached "
          f"{run.get('fits_cached', 0)} | report {'reused' if run.get('report_reused') else 'written'} | {stages}")


def main() -> None:
    for first in (20, 45):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            wall = _run(root, "--limit", str(first))
            _print(f"first run ({first} papers)", wall, _last_run(root))
            wall = _run(root)
            _print(f"k = {55 - first} new papers", wall, _last_run(root))
            if first == 20:
                wall = _run(root)
                _print("nothing new (no-op)", wall, _last_run(root))


if __name__ == "__main__":
    main()
