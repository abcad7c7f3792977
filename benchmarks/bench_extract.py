"""Benchmark ``extract.extract_pdf`` over the real-paper corpus of ``../shared/corpus/pdfs``.

Prints PDFs/s, pages/s and the seconds spent per stage (read = PDFium text, annotate = sentences +
spaCy, hardware = mentions + linking, tables = training-time tables via pdfplumber, results, facts).
No assertion on speed: the numbers depend on the machine.

    python benchmarks/bench_extract.py [PDF_DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from extract import extract_pdf
from extract.nlp import load_tools

DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "pdfs"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdf_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--repeat", type=int, default=1, help="passes over the corpus (default 1)")
    args = ap.parse_args(argv)
    pdfs = sorted(args.pdf_dir.glob("*.pdf"))
    if not pdfs:
        print(f"no PDFs in {args.pdf_dir}", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    load_tools()
    startup = time.perf_counter() - t0
    timings: dict[str, float] = {}
    pages = runs = results = errors = 0
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for pdf in pdfs:
            x = extract_pdf(pdf, timings=timings)
            pages += x.pages
            runs += len(x.training_runs)
            results += len(x.results)
            errors += x.error is not None
    wall = time.perf_counter() - t0
    n = len(pdfs) * args.repeat
    print(
        f"{n} PDFs, {pages} pages in {wall:.2f} s (+{startup:.2f} s spaCy start-up): "
        f"{n / wall:.2f} PDFs/s, {pages / wall:.1f} pages/s"
    )
    print(f"{runs} training runs, {results} results, {errors} errors")
    for stage, seconds in sorted(timings.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:9} {seconds:7.2f} s  {100 * seconds / wall:5.1f} %  {pages / seconds:8.1f} pages/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
