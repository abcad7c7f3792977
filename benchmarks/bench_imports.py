"""Load times of the reference imports into a fresh DuckDB file (printed figures, no asserts).

Run: python benchmarks/bench_imports.py   (needs ../shared/reference beside the repository)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import warehouse
from crawlers.epoch import read_epoch_csv
from crawlers.pwc_archive import iter_evaluation_rows
from warehouse.reference import replace_epoch, replace_results

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        con = warehouse.connect(Path(tmp) / "w.duckdb")
        for csv_path in sorted((REFERENCE / "epoch").glob("*ai*models*.csv")) + sorted(
                (REFERENCE / "epoch").glob("all_ml_systems_*.csv")):
            table = read_epoch_csv(csv_path)
            started = time.perf_counter()
            counts = replace_epoch(con, table.records, naming=table.naming, source_file=csv_path.name)
            print(f"epoch {csv_path.name}: {counts.rows} rows in {time.perf_counter() - started:.3f} s")
        for dump in sorted((REFERENCE / "pwc" / "evaluation-tables").glob("*.json")):
            if dump.name.startswith("_"):
                continue
            started = time.perf_counter()
            counts = replace_results(con, iter_evaluation_rows(dump), source="pwc", source_file=dump.name)
            print(f"pwc {dump.name}: {counts.rows} rows in {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
