"""Wall time of a whole offline `ingest` run, per stage, cold (empty warehouse) and warm (rerun).

Run: python benchmarks/bench_ingest.py   (prints figures; asserts nothing)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def main() -> None:
    from flows.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        params = {"db": str(base / "w.duckdb"), "data_dir": str(base / "data"), "reports_dir": str(base / "r")}
        for label in ("cold", "warm"):
            started = time.monotonic()
            summary = ingest(**params)
            wall = time.monotonic() - started
            stages = ", ".join(f"{k} {v:.2f}s" for k, v in summary["stage_seconds"].items())
            print(f"{label}: {wall:.1f}s wall ({summary['seconds']}s in flow); papers {summary['papers_crawled']}, "
                  f"parsed {summary['pdfs_parsed']}, facts {summary['facts_extracted']}; {stages}")


if __name__ == "__main__":
    main()
