"""The pipeline's commands: `ingest` (the whole flow), `crawl arxiv` (one crawl alone) and `report`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flows.cli.options import DbOption, one_of, settings_for, since_date, task_runner_option
from flows.session import staged
from flows.settings import Settings

out = Console()
crawl_app = typer.Typer(help="Run one crawl alone (no download or extraction).", no_args_is_help=True)


def ingest(
    live: Annotated[bool, typer.Option("--live/--offline", help="talk to arXiv, or replay fixtures/")] = False,
    db: DbOption = None,
    limit: Annotated[int | None, typer.Option(min=1, help="at most N papers")] = None,
    since: Annotated[str | None, typer.Option(callback=since_date,
                                              help="papers submitted on or after YYYY-MM-DD")] = None,
    pwc_dump: Annotated[Path | None, typer.Option(exists=True, dir_okay=False,
                                                  help="a Papers-with-Code evaluation-tables JSON")] = None,
    source: Annotated[str | None, typer.Option(callback=one_of("oai", "api"),
                                               help="oai (incremental, default) or api (search)")] = None,
    task_runner: Annotated[str | None, typer.Option(
        callback=task_runner_option, help="where extraction runs: threads (local worker processes) or dask")
    ] = None,
    dask_address: Annotated[str | None, typer.Option(
        help="with --task-runner dask: tcp://scheduler:8786 (default: a temporary local cluster)")] = None,
    include_synthetic: Annotated[bool, typer.Option(
        "--include-synthetic", help="also fit the synthetic fixture papers, on their own (never pooled with "
        "real points); the offline demo's fits")] = False,
) -> None:
    """Run the flow `ingest`: crawl, download, extract, load, regress, report.

    Example: compute-limits ingest --offline --db data/warehouse.duckdb
    """
    from flows.cli.corpus import run_writing
    from flows.ingest import ingest as ingest_flow

    settings = settings_for(db)
    live = live or settings.live
    summary = run_writing(lambda: ingest_flow(live=live, db=str(settings.db), limit=limit, since=since,
                                              pwc_dump=str(pwc_dump) if pwc_dump else None, source=source,
                                              task_runner=task_runner, dask_address=dask_address,
                                              include_synthetic=include_synthetic or None), settings)
    _print_summary(summary, settings)


def _print_summary(summary: dict[str, Any], settings: Settings) -> None:
    out.print(f"ingest run {summary['run_id']} ({summary['mode']}) finished in {summary['seconds']} s")
    table = Table()
    table.add_column("stage")
    table.add_column("count", justify="right")
    for label, key in [("papers crawled", "papers_crawled"), ("  new papers", "papers_new"),
                       ("PDFs downloaded", "pdfs_downloaded"), ("PDFs parsed", "pdfs_parsed"),
                       ("PDFs from the cache", "pdfs_from_cache"),
                       ("PDFs with errors", "parse_errors"), ("facts extracted", "facts_extracted"),
                       ("reference results loaded", "results_loaded"), ("benchmark points", "points"),
                       ("fits made", "fits_made"), ("  re-fitted", "fits_refit"),
                       ("  from the cache", "fits_cached"), ("errors recorded", "errors")]:
        table.add_row(label, str(summary.get(key, 0)))
    out.print(table)
    out.print(f"warehouse: {settings.db}")
    out.print("  rows: " + ", ".join(f"{k} {v}" for k, v in summary["tables"].items()))
    out.print(f"report:    {summary.get('report')}")
    stage_times = summary.get("stage_seconds") or {}
    out.print("stage seconds: " + ", ".join(f"{k} {v}" for k, v in stage_times.items()))


crawl_app = typer.Typer(help="Run one crawl alone (no download or extraction).", no_args_is_help=True)


@crawl_app.command("arxiv")
def crawl_arxiv(
    live: Annotated[bool, typer.Option("--live/--offline", help="talk to arXiv, or replay fixtures/")] = False,
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(callback=since_date,
                                              help="changed/submitted on or after YYYY-MM-DD")] = None,
    categories: Annotated[str | None, typer.Option(help="comma-separated, e.g. cs.LG,cs.CV")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="at most N papers")] = None,
    source: Annotated[str | None, typer.Option(callback=one_of("oai", "api"),
                                               help="oai (incremental, default) or api (search)")] = None,
) -> None:
    """Harvest arXiv metadata into `papers` (upserts; the watermark advances after commit).

    Example: compute-limits crawl arxiv --source api --since 2024-01-01 --categories cs.LG
    """
    import uuid

    from crawlers.fixture_server import FixtureServer
    from flows import crawl, stages

    overrides: dict[str, Any] = {"live": live or settings_for(db).live}
    if db is not None:
        overrides["db"] = db
    if categories:
        overrides["categories"] = categories
    if source:
        overrides["crawl_source"] = source
    run_id = "crawl-" + uuid.uuid4().hex[:8]
    with staged(Settings(**overrides), holder=f"compute-limits crawl arxiv ({run_id})", work="crawl") as settings:
        if settings.live:
            summary = crawl.crawl(settings, stages.endpoint_for(settings, None), source=settings.crawl_source,
                                  run_id=run_id, since=since, limit=limit)
        else:
            with FixtureServer(settings.fixtures_dir) as server:
                summary = crawl.crawl(settings, stages.endpoint_for(settings, server.base_url),
                                      source=settings.crawl_source, run_id=run_id, since=since, limit=limit)
    out.print(f"{summary['papers_crawled']} papers ({summary['papers_new']} new, {summary['papers_updated']} "
              f"updated), {summary['crawl_errors']} errors, watermark {summary.get('watermark')}")


def report(db: DbOption = None) -> None:
    """Write the report (markdown, plots, fits JSON) from the stored fits.

    Example: compute-limits report
    """
    from flows import reporting

    summary = reporting.report(settings_for(db))
    out.print(f"report: {summary['report']}")




def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.add_typer(crawl_app, name="crawl")
    app.command()(report)
