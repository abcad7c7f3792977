"""The Prefect flow `ingest`: crawl -> download -> extract -> load -> regress -> report."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task

import warehouse
from crawlers.fixture_server import FixtureServer
from flows import crawl, stages
from flows.crawl import Endpoint
from flows.settings import Settings
from warehouse import records


@task(name="crawl-arxiv", retries=1, retry_delay_seconds=5)
def crawl_task(settings: Settings, endpoint: Endpoint, run_id: str, since: str | None,
               limit: int | None) -> dict[str, Any]:
    return crawl.crawl(settings, endpoint, source=settings.crawl_source, run_id=run_id, since=since,
                       limit=limit)


@task(name="download-pdfs", retries=1, retry_delay_seconds=5)
def download_task(settings: Settings, endpoint: Endpoint, run_id: str,
                  limit: int | None) -> dict[str, Any]:
    return stages.download_pdfs(settings, endpoint, run_id=run_id, limit=limit)


@task(name="extract-documents")
def extract_task(settings: Settings, run_id: str) -> dict[str, Any]:
    return stages.extract_documents(settings, run_id=run_id)


@task(name="load-reference-results")
def reference_task(settings: Settings, path: Path | None) -> dict[str, Any]:
    return stages.load_reference_results(settings, path)


@task(name="estimate-compute")
def estimate_task(settings: Settings) -> dict[str, Any]:
    return stages.estimate_compute(settings)


@task(name="regress")
def regress_task(settings: Settings, run_id: str) -> dict[str, Any]:
    return stages.regress(settings, run_id=run_id)


@task(name="report")
def report_task(settings: Settings) -> dict[str, Any]:
    """Render the report and publish its summary as a Prefect markdown artifact."""
    from prefect.artifacts import create_markdown_artifact

    summary = stages.report(settings)
    markdown = (settings.reports_dir / "report.md").read_text(encoding="utf-8")
    summary["artifact_id"] = str(create_markdown_artifact(
        markdown=markdown, key="scaling-report", description="compute-limits: scaling fits per benchmark"))
    return summary


def _run_stages(summary: dict[str, Any], settings: Settings, endpoint: Endpoint, run_id: str,
                since: str | None, limit: int | None, pwc_dump: Path | None) -> None:
    """Run the stages in order, adding each one's counts and wall time to `summary` as it ends."""
    summary.setdefault("stage_seconds", {})
    steps: list[tuple[str, Any]] = [
        ("crawl", lambda: crawl_task(settings, endpoint, run_id, since, limit)),
        ("download", lambda: download_task(settings, endpoint, run_id, limit)),
        ("extract", lambda: extract_task(settings, run_id)),
        ("reference", lambda: reference_task(settings, pwc_dump)),
        ("estimate", lambda: estimate_task(settings)),
        ("regress", lambda: regress_task(settings, run_id)),
        ("report", lambda: report_task(settings)),
    ]
    for name, step in steps:
        started = time.monotonic()
        summary |= step()
        summary["stage_seconds"][name] = round(time.monotonic() - started, 2)


@flow(name="ingest", log_prints=False)
def ingest(live: bool = False, db: str | None = None, limit: int | None = None, since: str | None = None,
           pwc_dump: str | None = None, data_dir: str | None = None, reports_dir: str | None = None,
           source: str | None = None) -> dict[str, Any]:
    """Run the whole pipeline once; offline (default) it serves `fixtures/` on 127.0.0.1."""
    logger = get_run_logger()
    overrides: dict[str, Any] = {"live": live}
    for key, value in (("db", db), ("data_dir", data_dir), ("reports_dir", reports_dir)):
        if value:
            overrides[key] = Path(value)
    if source:
        overrides["crawl_source"] = source
    settings = Settings(**overrides)
    run_id = uuid.uuid4().hex[:12]
    started = time.monotonic()
    with warehouse.connect(settings.db) as con:
        records.start_run(con, run_id=run_id, mode="live" if live else "offline")
    dump = Path(pwc_dump) if pwc_dump else (None if live else settings.fixtures_dir / "pwc" /
                                             "evaluation-tables.json")
    logger.info("ingest run %s (%s, %s) into %s", run_id, "live" if live else "offline",
                settings.crawl_source, settings.db)
    summary: dict[str, Any] = {"run_id": run_id, "mode": "live" if live else "offline"}
    try:
        if live:
            _run_stages(summary, settings, stages.endpoint_for(settings, None), run_id, since, limit, dump)
        else:
            with FixtureServer(settings.fixtures_dir) as server:
                endpoint = stages.endpoint_for(settings, server.base_url)
                _run_stages(summary, settings, endpoint, run_id, since, limit, dump)
    except BaseException as exc:
        with warehouse.connect(settings.db) as con:
            records.finish_run(con, run_id=run_id, status="failed", counts=summary,
                               watermark=summary.get("watermark"), message=str(exc)[:500])
        raise
    with warehouse.connect(settings.db) as con:
        summary["errors"] = summary.get("crawl_errors", 0) + summary.get("download_errors", 0) + \
            summary.get("parse_errors", 0)
        records.finish_run(con, run_id=run_id, status="completed", counts=summary,
                           watermark=summary.get("watermark"))
        summary["tables"] = records.table_counts(con)
    summary["warehouse"] = str(settings.db)
    summary["seconds"] = round(time.monotonic() - started, 1)
    logger.info("ingest run %s done in %.1f s", run_id, summary["seconds"])
    return summary
