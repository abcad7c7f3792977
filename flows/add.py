"""`compute-limits add`: local PDFs into the warehouse, through the nightly run's own stages.

Each file is checked (a PDF, not too large, openable), read for its identity (`extract.paper_meta`:
the arXiv stamp or file name, title, year), stored in the content-addressed PDF cache and recorded
as a document of its paper (`warehouse.local_papers`); then the flow runs the same extraction,
estimates, fits and report as `ingest`, in one write session published atomically. A bad file is
an `errors` row (stage `add`, the file's name) and the others go on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from prefect import flow

import warehouse
from crawlers.errors import CrawlError
from crawlers.pdfcache import check_pdf_bytes, store_pdf
from extract.paper_meta import read_meta
from flows import progress
from flows.crawl import Endpoint
from flows.pipeline import Step, flow_settings, processing_steps, write_run
from flows.settings import Settings
from warehouse import records
from warehouse.local_papers import LocalPdf, Registered, register_local

logger = logging.getLogger(__name__)

OUTCOMES = ("new", "new_version", "unchanged", "older_version", "same_version")


def pdf_files(paths: Iterable[Path]) -> list[Path]:
    """The PDFs named, and those under the folders named (recursively), sorted, each once."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() == ".pdf":
                    found[child.resolve()] = None
        elif path.is_file():
            found[path.resolve()] = None
        else:
            raise ValueError(f"no such file or folder: {path}")
    return list(found)


def local_id(sha256: str) -> str:
    return f"local:{sha256[:12]}"


def describe(path: Path, body: bytes, sha256: str, cached: Path, settings: Settings, *,
             paper_id: str | None, title: str | None, year: int | None) -> LocalPdf:
    """The LocalPdf for one stored file: what the user said wins, then what the PDF says of itself."""
    meta = read_meta(path)
    if meta.error:
        raise CrawlError(meta.error)
    data_dir, cached = settings.data_dir.resolve(), cached.resolve()
    rel = cached.relative_to(data_dir) if cached.is_relative_to(data_dir) else cached
    given_year = year is not None
    return LocalPdf(
        sha256=sha256, path=str(rel), bytes=len(body), origin=path.name,
        paper_id=paper_id or meta.arxiv_id or local_id(sha256),
        version=None if paper_id else meta.version,
        title=title or meta.title, year=year if given_year else meta.year,
        month=None if given_year else meta.month)


def register_files(settings: Settings, files: list[Path], *, run_id: str, paper_id: str | None = None,
                   title: str | None = None, year: int | None = None) -> dict[str, Any]:
    """Store and record each file; returns counts per outcome and errors (stage `add`)."""
    counts: dict[str, Any] = dict.fromkeys(OUTCOMES, 0) | {"add_files": len(files), "add_errors": 0}
    added: list[dict[str, Any]] = []
    progress.current().stage("add PDFs", len(files))
    with warehouse.connect(settings.db) as con:
        for path in files:
            try:
                body = path.read_bytes()
                check_pdf_bytes(body, max_bytes=settings.pdf_max_bytes)
                stored = store_pdf(settings.pdf_cache.resolve(), body)
                pdf = describe(path, body, stored.sha256, stored.path, settings, paper_id=paper_id, title=title,
                               year=year)
                done: Registered = register_local(con, pdf)
            except (CrawlError, OSError) as exc:
                counts["add_errors"] += 1
                message = exc.message if isinstance(exc, CrawlError) else f"cannot read file: {exc.strerror}"
                records.record_error(con, stage="add", source=path.name, message=message, retryable=False,
                                     run_id=run_id)
            else:
                counts[done.outcome] += 1
                added.append({"file": path.name, "paper_id": done.paper_id, "version": done.version,
                              "outcome": done.outcome})
                records.resolve_errors(con, stage="add", source=path.name, run_id=run_id)
            progress.current().advance(1)
    counts["added"] = added
    counts["add_loaded"] = sum(counts[o] for o in OUTCOMES)
    return counts


@flow(name="add", log_prints=False)
def add(paths: list[str], db: str | None = None, data_dir: str | None = None, reports_dir: str | None = None,
        paper_id: str | None = None, title: str | None = None, year: int | None = None) -> dict[str, Any]:
    """Add local PDFs (files or folders) and take them through extraction, estimates, fits and the report."""
    files = pdf_files(Path(p) for p in paths)
    if paper_id is not None and len(files) != 1:
        raise ValueError(f"--id names one paper: give exactly one PDF (got {len(files)})")
    if not files:
        raise ValueError("no PDF files found in " + ", ".join(paths))
    settings = flow_settings(live=False, db=db, data_dir=data_dir, reports_dir=reports_dir, source=None,
                             task_runner=None, dask_address=None)

    def before(staged: Settings, run_id: str) -> dict[str, Any]:
        return register_files(staged, files, run_id=run_id, paper_id=paper_id, title=title, year=year)

    def steps(staged: Settings, endpoint: Endpoint | None, run_id: str) -> list[Step]:
        return processing_steps(staged, None, run_id)

    return write_run(settings, mode="local", kind="add", steps=steps, serve=False, before=before)
