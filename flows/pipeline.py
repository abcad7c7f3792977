"""The writing run every flow shares, and the stages it is made of as Prefect tasks.

`write_run` takes the lock, works on a staging copy (or resumes a killed run's), records the run in
`ingest_runs`, runs the steps (offline against the fixture server) and publishes atomically. The flows
`ingest` (nightly), `add` (local PDFs) and `backfill` (ids from the reference tables) are each a list of
these steps; `processing_steps` is what all of them do once papers are in.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task

import warehouse
from crawlers.fixture_server import FixtureServer
from flows import crawl, extraction, fitting, queue_stage, reporting, stages
from flows.crawl import Endpoint
from flows.housekeeping import prune_crawl_outputs
from flows.settings import Settings
from warehouse import records
from warehouse.publish import WriteSession


@task(name="crawl-arxiv", retries=1, retry_delay_seconds=5)
def crawl_task(settings: Settings, endpoint: Endpoint, run_id: str, since: str | None,
               limit: int | None) -> dict[str, Any]:
    return crawl.crawl(settings, endpoint, source=settings.crawl_source, run_id=run_id, since=since,
                       limit=limit)


@task(name="download-pdfs", retries=1, retry_delay_seconds=5)
def download_task(settings: Settings, endpoint: Endpoint, run_id: str,
                  limit: int | None) -> dict[str, Any]:
    from crawlers.pdfcache import remove_partial_downloads

    partial = remove_partial_downloads(settings.pdf_cache)  # left by a killed run; we hold the lock
    return stages.download_pdfs(settings, endpoint, run_id=run_id, limit=limit) | {"partial_pdfs_removed": partial}


@task(name="extract-documents")
def extract_task(settings: Settings, run_id: str) -> dict[str, Any]:
    return extraction.extract_documents(settings, run_id=run_id)


@task(name="backfill-lookup", retries=1, retry_delay_seconds=5)
def backfill_task(settings: Settings, endpoint: Endpoint, run_id: str, budget: int) -> dict[str, Any]:
    from flows.crawl import mark_fixture_papers

    return queue_stage.drain_queue(settings, endpoint, run_id=run_id, budget=budget) | mark_fixture_papers(settings)


@task(name="backfill-settle")
def settle_task(settings: Settings) -> dict[str, Any]:
    return queue_stage.settle_queue(settings)


@task(name="link-papers")
def links_task(settings: Settings) -> dict[str, Any]:
    """One identity per paper across sources: reference rows matched to arXiv ids (`paper_links`)."""
    from warehouse.identity import refresh_paper_links

    with warehouse.connect(settings.db) as con:
        counts = refresh_paper_links(con)
    return {"paper_links": counts.rows,
            "paper_links_by_title": sum(counts.by_title(s) for s in counts.by_method)}


@task(name="load-reference-results")
def reference_task(settings: Settings, path: Path | None, run_id: str) -> dict[str, Any]:
    return stages.load_reference_results(settings, path, run_id=run_id)


@task(name="estimate-compute")
def estimate_task(settings: Settings) -> dict[str, Any]:
    return stages.estimate_compute(settings)


@task(name="regress")
def regress_task(settings: Settings, run_id: str) -> dict[str, Any]:
    return fitting.regress(settings, run_id=run_id).counts


@task(name="report")
def report_task(settings: Settings) -> dict[str, Any]:
    """Render the report and publish its summary as a Prefect markdown artifact."""
    from prefect.artifacts import create_markdown_artifact

    summary = reporting.report(settings)
    markdown = (settings.reports_dir / "report.md").read_text(encoding="utf-8")
    summary["artifact_id"] = str(create_markdown_artifact(
        markdown=markdown, key="scaling-report", description="compute-limits: scaling fits per benchmark"))
    return summary

Step = tuple[str, Callable[[], dict[str, Any]]]
StepsFor = Callable[[Settings, Endpoint, str], list[Step]]


def _run_stages(summary: dict[str, Any], steps: list[Step]) -> None:
    """Run the stages in order, adding each one's counts and wall time to `summary` as it ends."""
    summary.setdefault("stage_seconds", {})
    logger = get_run_logger()
    for name, step in steps:
        started = time.monotonic()
        logger.info("stage %s started", name)
        summary |= step()
        summary["stage_seconds"][name] = round(time.monotonic() - started, 2)
        logger.info("stage %s finished in %.1f s", name, summary["stage_seconds"][name])

def processing_steps(settings: Settings, endpoint: Endpoint | None, run_id: str, *, limit: int | None = None,
                     pwc_dump: Path | None = None) -> list[Step]:
    """What every writing run does once papers are in: download (with an endpoint), extract, settle the
    backfill queue, load reference results (a dump, when given), link papers across sources, estimate,
    regress, report."""
    steps: list[Step] = []
    if endpoint is not None:
        steps.append(("download", lambda: download_task(settings, endpoint, run_id, limit)))
    steps += [("extract", lambda: extract_task(settings, run_id)),
              ("settle", lambda: settle_task(settings))]
    steps += [("reference", lambda: reference_task(settings, pwc_dump, run_id)),
              ("links", lambda: links_task(settings)),
              ("estimate", lambda: estimate_task(settings)),
              ("regress", lambda: regress_task(settings, run_id)),
              ("report", lambda: report_task(settings))]
    return steps

def write_run(settings: Settings, *, mode: str, steps: StepsFor, serve: bool = True, kind: str = "ingest",
              before: Callable[[Settings, str], dict[str, Any]] | None = None) -> dict[str, Any]:
    """One writing run: lock, staging copy (or the killed run's, resumed), a row in `ingest_runs`, the
    steps (offline against the fixture server when `serve`), then publish atomically. `before` runs
    first in the staging copy (e.g. registering local PDFs), its counts joining the summary."""
    logger = get_run_logger()
    run_id = uuid.uuid4().hex[:12]
    started = time.monotonic()
    summary: dict[str, Any] = {"run_id": run_id, "kind": kind, "mode": mode,
                               "task_runner": extraction.runner_label(settings), "flow_run_id": _flow_run_id()}
    with WriteSession(settings.db, holder=f"{kind} run {run_id}", wait_s=settings.lock_wait_s, work=kind) as session:
        staged = settings.model_copy(update={"db": session.staging})
        summary["resumed"] = session.resumed
        published = None
        if session.resumed and settings.db.exists():  # which runs the published file really has
            with warehouse.connect_read_only(settings.db) as ro:
                published = records.published_run_ids(ro)
        with warehouse.connect(staged.db) as con:
            summary["interrupted_runs"] = records.start_run(con, run_id=run_id, mode=mode, published=published)
        summary |= prune_crawl_outputs(settings.crawl_dir, current_run_id=run_id, keep_runs=7).counts()
        logger.info("%s run %s (%s, %s, extraction on %s) into %s%s", kind, run_id, mode, settings.crawl_source,
                    summary["task_runner"], settings.db, " (resuming an unfinished run)" if session.resumed else "")
        try:
            if before is not None:
                summary |= before(staged, run_id)
            if settings.live or not serve:
                endpoint = stages.endpoint_for(staged, None) if serve else None
                _run_stages(summary, steps(staged, endpoint, run_id))  # type: ignore[arg-type]
            else:
                with FixtureServer(settings.fixtures_dir) as server:
                    _run_stages(summary, steps(staged, stages.endpoint_for(staged, server.base_url), run_id))
        except BaseException as exc:
            with warehouse.connect(staged.db) as con:
                records.finish_run(con, run_id=run_id, status="failed", counts=summary,
                                   watermark=summary.get("watermark"), message=str(exc)[:500])
            raise
        summary["errors"] = sum(summary.get(k, 0) for k in ERROR_COUNTS)
        summary["seconds"] = round(time.monotonic() - started, 1)
        with warehouse.connect(staged.db) as con:
            records.finish_run(con, run_id=run_id, status="completed", counts=summary,
                               watermark=summary.get("watermark"))
            records.mark_published(con, run_id=run_id)
            summary["tables"] = records.table_counts(con)
        get_run_logger().info("publishing %s", settings.db)
        session.publish()
    summary["warehouse"] = str(settings.db)
    summary["seconds"] = round(time.monotonic() - started, 1)
    _summary_artifact(summary)
    logger.info("%s run %s done in %.1f s", kind, run_id, summary["seconds"])
    return summary


ERROR_COUNTS = ("crawl_errors", "backfill_errors", "add_errors", "download_errors", "parse_errors",
                "reference_errors")


def flow_settings(*, live: bool, db: str | None, data_dir: str | None, reports_dir: str | None, source: str | None,
              task_runner: str | None, dask_address: str | None, include_synthetic: bool | None = None) -> Settings:
    overrides: dict[str, Any] = {"live": live}
    if include_synthetic is not None:
        overrides["include_synthetic"] = include_synthetic
    for key, value in (("db", db), ("data_dir", data_dir), ("reports_dir", reports_dir)):
        if value:
            overrides[key] = Path(value)
    for key, value in (("crawl_source", source), ("task_runner", task_runner), ("dask_address", dask_address)):
        if value:
            overrides[key] = value
    return Settings(**overrides)


def _flow_run_id() -> str | None:
    from prefect.runtime import flow_run

    return str(flow_run.id) if flow_run.id else None


SUMMARY_ROWS = (("papers crawled", "papers_crawled"), ("new papers", "papers_new"),
                ("PDFs downloaded", "pdfs_downloaded"), ("PDFs parsed", "pdfs_parsed"),
                ("PDFs from the cache", "pdfs_from_cache"), ("PDFs with errors", "parse_errors"),
                ("facts extracted", "facts_extracted"), ("reference results loaded", "results_loaded"),
                ("fits re-fitted", "fits_refit"), ("fits from the cache", "fits_cached"),
                ("errors recorded", "errors"))


def _summary_artifact(summary: dict[str, Any]) -> None:
    """The run's counts and stage times as a Prefect markdown artifact (key `ingest-summary`)."""
    from prefect.artifacts import create_markdown_artifact

    name = Path(summary["warehouse"]).name
    lines = [f"# {summary.get('kind', 'ingest')} run {summary['run_id']} ({summary['mode']})", "",
             f"{summary['seconds']} s; extraction on {summary['task_runner']}; warehouse `{name}`"
             + ("; resumed an unfinished run" if summary.get("resumed") else ""), "",
             "| stage | count |", "|---|---:|"]
    lines += [f"| {label} | {summary.get(key, 0)} |" for label, key in SUMMARY_ROWS]
    lines += ["", "| stage | seconds |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in (summary.get("stage_seconds") or {}).items()]
    create_markdown_artifact(markdown="\n".join(lines), key="ingest-summary",
                             description=f"compute-limits ingest run {summary['run_id']}")
