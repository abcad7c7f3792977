"""CLI commands that bring real papers in: `add` (local PDFs) and `backfill` (ids from the references)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flows.cli.options import DbOption
from flows.settings import Settings

out = Console()
err = Console(stderr=True)


def run_writing(flow_call: Any, settings: Settings) -> dict[str, Any]:
    """Run a writing flow (ingest, add, backfill) with progress bars and quiet logs; a bad --db fails in
    one line before Prefect starts."""
    from flows import progress
    from flows.logs import quiet_tracebacks
    from flows.rich_progress import RichReporter
    from warehouse.publish import preflight

    quiet_tracebacks()
    preflight(settings.db)
    with RichReporter(err) as reporter:
        progress.install(reporter)
        try:
            return flow_call()
        finally:
            progress.install(None)


def add(
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders of PDFs")],
    paper_id: Annotated[str | None, typer.Option("--id", help="the paper's id (one PDF only)")] = None,
    title: Annotated[str | None, typer.Option(help="the paper's title (else read from the PDF)")] = None,
    year: Annotated[int | None, typer.Option(help="the paper's year (else read from the PDF)")] = None,
    db: DbOption = None,
) -> None:
    """Add local PDFs to the warehouse: extraction, estimates, fits and report as in the nightly run.

    The paper id is --id, else the arXiv id stamped on page 1 or in the file name, else
    local:<first 12 hex of the sha256>. Adding the same file again changes nothing; a new version of
    a paper replaces the old version's facts. Exits non-zero only when no file could be added.
    Example: compute-limits add ../shared/corpus/pdfs
    """
    from flows.add import add as add_flow
    from flows.add import pdf_files

    settings = Settings(db=db) if db is not None else Settings()
    if year is not None and not 1950 <= year <= 2100:
        raise ValueError("--year must be a year such as 2017")
    files = pdf_files(paths)  # before any work: a missing path or an --id for several PDFs is one line
    if not files:
        raise ValueError("no PDF files found in " + ", ".join(str(p) for p in paths))
    if paper_id is not None and len(files) != 1:
        raise ValueError(f"--id names one paper: give exactly one PDF (got {len(files)})")
    summary = run_writing(lambda: add_flow(paths=[str(p) for p in files], db=str(settings.db), paper_id=paper_id,
                                    title=title, year=year), settings)
    table = Table(title=f"add run {summary['run_id']}: {summary['add_files']} files in {summary['seconds']} s")
    table.add_column("outcome")
    table.add_column("files", justify="right")
    for label, key in (("new papers", "new"), ("new versions", "new_version"), ("already added", "unchanged"),
                       ("older than the current version", "older_version"),
                       ("that version already added", "same_version"), ("errors", "add_errors"),
                       ("PDFs parsed", "pdfs_parsed"), ("PDFs with parse errors", "parse_errors"),
                       ("facts extracted", "facts_extracted"), ("fits made", "fits_made")):
        table.add_row(label, str(summary.get(key, 0)))
    out.print(table)
    out.print(f"warehouse: {settings.db}   report: {summary.get('report')}")
    if summary["add_errors"]:
        out.print("errors: compute-limits sql \"select source, message from v_open_errors where stage = 'add'\"")
    if summary["add_loaded"] == 0:
        raise ValueError(f"nothing added: all {summary['add_files']} files failed (see v_open_errors)")


def backfill(
    sources: Annotated[str, typer.Option("--from", help="reference tables to take arXiv ids from: "
                                         "thompson,epoch,pwc (imported with `compute-limits import`)")] = "",
    ids: Annotated[Path | None, typer.Option("--ids", help="a file of arXiv ids, one per line (queued first)")
                   ] = None,
    benchmark: Annotated[list[str] | None, typer.Option(
        help="queue the ids with rows in this benchmark first (repeatable), e.g. imagenet")] = None,
    budget: Annotated[int | None, typer.Option(help="look up and fetch at most N queued ids in this run")] = None,
    live: Annotated[bool, typer.Option("--live/--offline", help="talk to arXiv, or the fixture server")] = False,
    db: DbOption = None,
) -> None:
    """Queue the papers the reference tables name and fetch them: lookup by id, PDF, extraction, fits.

    The queue lives in the warehouse (`backfill_queue`), so a run cut by --budget or killed goes on
    where it stopped; `compute-limits status` shows it, and every nightly ingest fetches
    COMPUTE_LIMITS_BACKFILL_PER_RUN more (default 200).
    Example: compute-limits backfill --from thompson --benchmark imagenet --budget 100 --live
    """
    from flows.backfill import backfill as backfill_flow

    chosen = [s.strip() for s in sources.split(",") if s.strip()]
    if not chosen and ids is None:
        raise ValueError("give --from thompson,epoch,pwc and/or --ids FILE")
    if ids is not None and not ids.is_file():
        raise ValueError(f"--ids: no such file: {ids}")
    if budget is not None and budget < 0:
        raise ValueError("--budget must be 0 or more")
    from warehouse.backfill import SOURCES

    unknown = [s for s in chosen if s not in SOURCES]
    if unknown:
        raise ValueError(f"--from: unknown source {unknown[0]!r} (use {', '.join(SOURCES)})")
    base = Settings(db=db) if db is not None else Settings()
    live = live or base.live
    summary = run_writing(lambda: backfill_flow(live=live, db=str(base.db), sources=chosen,
                                         id_file=str(ids) if ids else None, benchmarks=list(benchmark or []),
                                         budget=budget), base)
    out.print(f"backfill run {summary['run_id']} ({summary['mode']}) in {summary['seconds']} s: "
              f"{summary.get('backfill_named', 0)} ids named, {summary.get('backfill_looked_up', 0)} looked up, "
              f"{summary.get('backfill_found', 0)} found, {summary.get('pdfs_downloaded', 0)} PDFs downloaded, "
              f"{summary.get('pdfs_parsed', 0)} parsed")
    queue = summary.get("queue") or {}
    out.print("queue: " + (", ".join(f"{state} {n}" for state, n in sorted(queue.items())) or "empty"))


def register(app: typer.Typer) -> None:
    app.command()(add)
    app.command()(backfill)
