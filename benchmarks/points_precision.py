"""Of the benchmark points `compute-limits add` makes from real papers, how many are the paper's own
headline score for that benchmark and metric? (Printed figures, not a test.)

    python benchmarks/points_precision.py [FOLDER ...]    # default: ../shared/corpus and corpus/recent

Each folder's PDFs are added to a fresh warehouse in a temporary directory (the real CLI); each row of
`v_benchmark_points` is then checked against the folder's gold file for that PDF: right when a gold
result has the same value (±0.05), the benchmark's headline metric family and a compatible dataset, by
the scorer's own rules (`../shared/tools/score_extraction.py`).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import duckdb

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
HEADLINE = {"imagenet": ("top1", "ImageNet"), "coco": ("ap", "COCO"), "squad1.1": ("em", "SQuAD 1.1"),
            "conll2003": ("f1", "CoNLL 2003"), "wmt2014-en-de": ("bleu", "WMT 2014 English-German"),
            "wmt2014-en-fr": ("bleu", "WMT 2014 English-French")}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_extraction", SHARED / "tools" / "score_extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _points(folder: Path, work: Path) -> list[tuple[str, str, float, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "COMPUTE_LIMITS_"))}
    env |= {"COMPUTE_LIMITS_DB": str(work / "w.duckdb"), "COMPUTE_LIMITS_DATA_DIR": str(work / "data"),
            "COMPUTE_LIMITS_REPORTS_DIR": str(work / "reports"), "PREFECT_HOME": str(work / "prefect")}
    subprocess.run([sys.executable, "-c", "from flows.cli import entry; entry()", "add", str(folder / "pdfs")],
                   env=env, check=True, capture_output=True, text=True)
    with duckdb.connect(str(work / "w.duckdb"), read_only=True) as con:
        return con.execute(
            "SELECT d.origin, b.benchmark, b.score, b.metric FROM v_benchmark_points b "
            "JOIN papers p ON p.paper_id = b.paper_id "
            "JOIN documents d ON d.paper_id = p.paper_id AND d.version = p.version").fetchall()


def measure(folder: Path) -> tuple[int, int, list[str]]:
    scorer = _scorer()
    golds = {Path(g["pdf"]).name: g for g in (json.loads(p.read_text("utf-8"))
                                              for p in (folder / "gold").glob("*.gold.json"))}
    with tempfile.TemporaryDirectory() as tmp:
        points = _points(folder, Path(tmp))
    right, lines = 0, []
    for origin, benchmark, score, metric in sorted(points):
        family, dataset = HEADLINE.get(benchmark, (None, benchmark))
        probe = {"metric": metric or family, "dataset": dataset}
        gold = golds.get(origin, {})
        ok = any(abs(float(score) - (scorer.norm_value(r.get("value")) or -1e9)) <= 0.051
                 and scorer.metric_family(r.get("metric")) == family and scorer.labels_match(probe, r)
                 for r in gold.get("results") or [])
        right += ok
        lines.append(f"  {'ok ' if ok else 'BAD'} {origin[:40]:40} {benchmark:14} {score:8.2f} ({metric})")
    return right, len(points), lines


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [SHARED / "corpus", SHARED / "corpus" / "recent"]
    for folder in folders:
        right, total, lines = measure(folder)
        print(f"{folder}: {right} of {total} benchmark points are the paper's own headline score"
              + (f" ({right / total:.0%})" if total else ""))
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
