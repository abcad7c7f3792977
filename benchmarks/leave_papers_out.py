"""Scores by held-out fold of papers beside the in-sample score, for both gold folders (printed figures).

    python benchmarks/leave_papers_out.py [FOLDER ...]   # default: ../shared/corpus and corpus/recent

The extractor is rules without fitted parameters, so "leaving papers out" cannot retrain anything: each
fold (5 by paper, fixed by sha256) is scored alone, and the spread across folds shows how much the
in-sample figure rests on a few papers. The figure on papers the rules were never developed on is the
first score of a new folder (corpus/recent before 0.3.0: hardware F1 0.66, duration F1 0.32).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from extract import extract_pdf

SHARED = Path(__file__).resolve().parents[2] / "shared"
FOLDS = 5
KEYS = ("hardware_f1", "duration_f1", "negatives", "results_recall", "results_label_accuracy")


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_extraction", SHARED / "tools" / "score_extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(scorer: ModuleType, golds: list[Path], out: Path, tmp: Path) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(dir=tmp))
    for gold in golds:
        shutil.copyfile(gold, folder / gold.name)
    with contextlib.redirect_stdout(io.StringIO()):
        return scorer.score(folder, out, False)


def measure(folder: Path, scorer: ModuleType) -> None:
    golds = sorted((folder / "gold").glob("*.gold.json"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        out.write_text("".join(json.dumps(extract_pdf(folder / json.loads(g.read_text("utf-8"))["pdf"]).to_dict())
                               + "\n" for g in golds), "utf-8")
        by_sha = sorted(golds, key=lambda g: json.loads(g.read_text("utf-8")).get("sha256") or g.name)
        folds = [by_sha[k::FOLDS] for k in range(FOLDS)]
        whole = _score(scorer, golds, out, Path(tmp))
        parts = [_score(scorer, fold, out, Path(tmp)) for fold in folds]
    print(f"{folder} ({len(golds)} papers)")
    print("  " + " ".join(f"{k:>22}" for k in ("", *KEYS)))
    print("  " + f"{'in-sample':>22}" + " ".join(f"{whole[k]:22.2f}" for k in KEYS))
    for n, part in enumerate(parts, start=1):
        print("  " + f"{f'fold {n} ({len(folds[n - 1])} papers)':>22}" + " ".join(f"{part[k]:22.2f}" for k in KEYS))
    print("  " + f"{'fold min':>22}" + " ".join(f"{min(p[k] for p in parts):22.2f}" for k in KEYS))


def main(argv: list[str]) -> int:
    scorer = _scorer()
    for folder in [Path(a) for a in argv] or [SHARED / "corpus", SHARED / "corpus" / "recent"]:
        measure(folder, scorer)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
