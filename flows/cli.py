"""The `compute-limits` command line (typer). Errors reach the user as one line and exit 1."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from flows.cli_corpus import register as register_corpus
from flows.cli_curation import register as register_curation
from flows.cli_export import register as register_export
from flows.cli_extract import register as register_extract
from flows.cli_import import import_app
from flows.cli_ops import register as register_ops
from flows.cli_options import one_of, since_date, task_runner_option
from flows.cli_sql import register as register_sql
from flows.cli_trend import register as register_trend
from flows.session import staged
from flows.settings import Settings

app = typer.Typer(no_args_is_help=True, help="Measure what deep learning's progress costs in compute.")


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        out.print(f"compute-limits {version('compute-limits')}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="print the version and exit")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="only warnings and errors from the flows "
                                                 "(the default when stderr is not a terminal)")] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="the flows' INFO lines even in a pipe "
                                          "or where PREFECT_LOGGING_LEVEL says less")] = False,
) -> None:
    """Measure what deep learning's progress costs in compute."""
    piped = not sys.stderr.isatty() and "PREFECT_LOGGING_LEVEL" not in os.environ
    if quiet or verbose or piped:  # in a pipe (cron, a script) quiet unless -v; at a terminal, the stage lines
        level = "INFO" if verbose else "WARNING"
        os.environ["PREFECT_LOGGING_LEVEL"] = level
        logging.getLogger("prefect").setLevel(level)
out = Console()
err = Console(stderr=True)
register_corpus(app)
register_curation(app)
register_export(app)
register_ops(app)
register_sql(app)
register_extract(app)
register_trend(app)

DbOption = Annotated[Path | None, typer.Option("--db", help="warehouse file (env COMPUTE_LIMITS_DB)")]


def _settings(db: Path | None) -> Settings:
    return Settings(db=db) if db is not None else Settings()


@app.command()
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
    from flows.cli_corpus import run_writing
    from flows.ingest import ingest as ingest_flow

    settings = _settings(db)
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
app.add_typer(crawl_app, name="crawl")
app.add_typer(import_app, name="import")


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

    overrides: dict[str, Any] = {"live": live or _settings(db).live}
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


_THOMPSON_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "thompson"


@app.command()
def regress(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the fits as JSON Lines")] = False,
    source: Annotated[str, typer.Option(
        "--source", help="warehouse (fit and store) or thompson (refit Thompson et al.'s published CSVs)")
    ] = "warehouse",
    directory: Annotated[Path | None, typer.Option(
        "--dir", help="with --source thompson: the folder holding their CSVs")] = None,
    benchmark: Annotated[list[str] | None, typer.Option(
        help="only this benchmark (repeatable): a registry id (warehouse/data/benchmarks.csv), e.g. imagenet, "
             "humaneval")] = None,
    x: Annotated[str, typer.Option("--x", help="hardware_burden | estimated_compute | network_operations")
                 ] = "hardware_burden",
    frontier: Annotated[bool, typer.Option(help="only points that were state of the art at their date")] = False,
    year_from: Annotated[int | None, typer.Option(help="only points from this year on")] = None,
    year_to: Annotated[int | None, typer.Option(help="only points up to this year")] = None,
    points_from: Annotated[str, typer.Option(help="compute sources to use, in precedence order")
                           ] = "thompson,extracted,epoch",
    draws: Annotated[int, typer.Option(help="bootstrap draws (paper-level resampling, fixed seed)")] = 1000,
    include_synthetic: Annotated[bool, typer.Option(
        "--include-synthetic", help="also fit the synthetic fixture papers, on their own")] = False,
) -> None:
    """Fit the scaling regression per benchmark on the warehouse and store the fits.

    Points come from every source (Thompson et al.'s rows; the warehouse's scores with compute extracted
    from the paper or from Epoch AI), one per paper by source precedence. With --source thompson, refit
    Thompson et al.'s published regressions from their CSVs instead (nothing is stored).
    Example: compute-limits regress --benchmark imagenet --x hardware_burden --frontier;
    compute-limits regress --source thompson --json
    """
    if source == "thompson":
        _regress_thompson(directory, as_json)
        return
    if source != "warehouse":
        raise ValueError(f"unknown --source {source!r}: use warehouse or thompson")
    if directory is not None:
        raise ValueError("--dir applies to --source thompson only")
    from dataclasses import replace

    from analysis.selection import Selection, check_benchmarks
    from flows import fitting
    from flows.cli_regress import print_regressions

    sources = tuple(s.strip() for s in points_from.split(",") if s.strip())
    selection = Selection(x=x, benchmarks=check_benchmarks(benchmark or ()), sources=sources, year_from=year_from,
                          year_to=year_to, frontier=frontier, precedence=sources)
    selections = [selection, replace(selection, synthetic=True)] if include_synthetic else [selection]
    with staged(_settings(db), holder="compute-limits regress") as settings:
        fitted = fitting.regress(settings, run_id=None, selections=selections, draws=draws, cached=False).fitted
        left_out = 0 if include_synthetic else _synthetic_papers(settings.db)
    print_regressions(fitted, as_json, synthetic_left_out=left_out)


def _synthetic_papers(db_path: Path) -> int:
    """How many synthetic fixture papers the warehouse holds (left out of fits unless asked for)."""
    import warehouse
    from warehouse.reads import synthetic_papers

    with warehouse.connect(db_path) as con:
        return synthetic_papers(con)


def _regress_thompson(directory: Path | None, as_json: bool) -> None:
    """Refit Thompson et al.'s regressions (analysis.reproduce) and print them."""
    from analysis.reproduce import reproduce_thompson, reproduction_json

    if directory is None:
        if not _THOMPSON_DIR.is_dir():
            raise ValueError("give --dir: the folder holding Thompson et al.'s CSVs")
        directory = _THOMPSON_DIR
    fits = reproduce_thompson(directory)
    if as_json:
        sys.stdout.write(reproduction_json(fits))
        return
    table = Table(title="Thompson et al.'s regressions, refitted")
    for column in ("benchmark", "fit", "n", "a", "b ± se", "95% CI of b", "R²", "k [CI]", "2^k [CI]"):
        table.add_column(column, overflow="fold")
    for f in fits:
        terms = "".join(f" + {t.name}" for t in f.terms)
        k = "" if f.k is None else f"{f.k:.3g} [{f.k_low:.3g}, {f.k_high:.3g}]"
        mult = "" if f.k is None else (f"{f.halving_multiplier:.3g} [{f.halving_multiplier_low:.3g}, "
                                       f"{f.halving_multiplier_high:.3g}]")
        table.add_row(f.benchmark, f"{f.form}: {f.response} ~ log10({f.x}){terms}", str(f.n), f"{f.intercept:.4f}",
                      f"{f.slope:.4f} ± {f.se:.3f}", f"[{f.ci_low:.3f}, {f.ci_high:.3f}]", f"{f.r2:.3f}", k, mult)
    out.print(table)
    for f in fits:
        if f.exponent.startswith("identified by the slope CI"):
            out.print(f"{f.key}: {f.exponent.split('; ', 1)[1]}, so k is not identified by this project's rule "
                      "(METHODOLOGY §6); the published numbers are shown.", soft_wrap=True, highlight=False)
    out.print(f"{len(fits)} regressions refitted from {directory}")


def _fmt(value: Any) -> Any:
    return f"{value:.4g}" if isinstance(value, float) else value


@app.command()
def report(db: DbOption = None) -> None:
    """Write the report (markdown, plots, fits JSON) from the stored fits.

    Example: compute-limits report
    """
    from flows import stages

    summary = stages.report(_settings(db))
    out.print(f"report: {summary['report']}")


def main(argv: list[str] | None = None) -> int:
    """Entry point; callable from tests. Known errors become one line on stderr and exit 1."""
    import duckdb

    from analysis import AnalysisError
    from crawlers import CrawlError
    from extract import ExtractionError
    from warehouse import WarehouseError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app(args=argv, standalone_mode=False)
    except (WarehouseError, CrawlError, ExtractionError, AnalysisError, duckdb.Error, OSError,
            ValueError) as exc:
        _fail(_settings_problem(exc) or str(exc))
        return 1
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        _fail("aborted")
        return 1
    except Exception as exc:  # click's usage errors and anything unexpected: still one line
        # typer carries its own copy of click: its usage errors are known by their message method
        format_message = getattr(exc, "format_message", None)
        if callable(format_message):
            _fail(str(format_message()))  # "Invalid value for --format: must be table, csv or jsonl"
            return int(getattr(exc, "exit_code", 2))
        _fail(f"{type(exc).__name__}: {exc}")
        return 1
    return 0


def _settings_problem(exc: Exception) -> str | None:
    """A bad COMPUTE_LIMITS_ environment variable said by its name, not as pydantic words it."""
    from pydantic import ValidationError

    from flows.settings import settings_problem

    return settings_problem(exc) if isinstance(exc, ValidationError) else None


def _fail(message: str) -> None:
    """One line on stderr, never wrapped, never a traceback."""
    sys.stderr.write("error: " + " ".join(message.split()) + "\n")


def entry() -> None:
    sys.exit(main())
