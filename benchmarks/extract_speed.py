"""Extraction speed against plain pdfplumber text, in one process, on the same PDFs.

(a) pdfplumber ``extract_text`` on every page (the baseline of ``../shared/docs/SOURCES.md``);
(b) the full compute-limits extraction (``extract_pdf``: PDFium text everywhere, pdfplumber only on the
    pages with a training-time table) on one core;
(c) the same through ``extract.worker.extract_many`` with 2 worker processes (both cores), with the
    peak resident memory of every worker.

Prints pages/s of each, the ratio (b)/(a) and peak RSS; no assertion (the figures depend on the machine).

    python benchmarks/extract_speed.py [PDF_DIR] [--limit N] [--workers 2]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pdfplumber

from extract import extract_pdf
from extract.nlp import load_tools
from extract.worker import WorkerStats, extract_many

DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "pdfs"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def plumber_text(pdfs: list[Path]) -> tuple[int, float]:
    """Pages and seconds for pdfplumber ``extract_text`` on every page of ``pdfs``."""
    pages = 0
    t0 = time.perf_counter()
    for pdf in pdfs:
        with pdfplumber.open(pdf) as doc:
            for page in doc.pages:
                page.extract_text()
                page.close()
                pages += 1
    return pages, time.perf_counter() - t0


def full_extraction(pdfs: list[Path]) -> tuple[int, float, int]:
    """Pages, seconds and errors for ``extract_pdf`` on ``pdfs`` in this process."""
    load_tools()
    pages = errors = 0
    t0 = time.perf_counter()
    for pdf in pdfs:
        x = extract_pdf(pdf)
        pages += x.pages
        errors += x.error is not None
    return pages, time.perf_counter() - t0, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdf_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--limit", type=int, default=None, help="only the first N PDFs")
    ap.add_argument("--workers", type=int, default=2, help="worker processes for (c) (default 2)")
    args = ap.parse_args(argv)
    pdfs = sorted(args.pdf_dir.glob("*.pdf"))[: args.limit]
    if not pdfs:
        print(f"no PDFs in {args.pdf_dir}", file=sys.stderr)
        return 1

    pages, full_s, errors = full_extraction(pdfs)
    full_rss = _peak_rss_mb()
    full_rate = pages / full_s
    print(f"{len(pdfs)} PDFs, {pages} pages")
    print(f"(b) compute-limits extraction, 1 core: {full_s:7.2f} s  {full_rate:7.1f} pages/s  ({errors} errors)")

    stats = WorkerStats()
    t0 = time.perf_counter()
    out = extract_many([str(p) for p in pdfs], workers=args.workers, stats=stats)
    many_s = time.perf_counter() - t0
    many_pages = sum(d["pages"] or 0 for d in out)
    print(
        f"(c) extract_many, {args.workers} workers:     {many_s:7.2f} s  {many_pages / many_s:7.1f} pages/s"
        f"  ({stats.children} worker processes incl. start-up, {stats.timeouts} timeouts,"
        f" {stats.memory_errors} memory-limit hits, {stats.deaths} deaths)"
    )

    plumber_pages, plumber_s = plumber_text(pdfs)
    plumber_rate = plumber_pages / plumber_s
    print(f"(a) pdfplumber extract_text, 1 core:    {plumber_s:7.2f} s  {plumber_rate:7.1f} pages/s")
    print(f"ratio (b)/(a): {full_rate / plumber_rate:.1f}x   ratio (c)/(a): {many_pages / many_s / plumber_rate:.1f}x")
    print(
        f"peak RSS: this process after (b) {full_rss:.0f} MB, after (a) {_peak_rss_mb():.0f} MB; "
        f"per worker max {stats.max_peak_rss_mb:.0f} MB "
        f"(all: {', '.join(f'{m:.0f}' for m in stats.peak_rss_mb)} MB; warm worker address space "
        f"{stats.start_vm_mb:.0f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
