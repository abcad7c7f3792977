"""The pipeline's stages as plain functions: each joins one library to the warehouse.

Prefect tasks in `flows.ingest` are thin wrappers around these, so each stage can also be
called (and tested) without an orchestrator.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import warehouse
from crawlers.politeness import effective_delay
from crawlers.pwc_archive import iter_evaluation_rows
from crawlers.run import run_spider
from flows import progress
from flows.crawl import Endpoint, spider_settings
from flows.settings import Settings
from warehouse import load, records

logger = logging.getLogger(__name__)

def download_pdfs(settings: Settings, endpoint: Endpoint, *, run_id: str,
                  limit: int | None) -> dict[str, Any]:
    """Fetch the PDF of every paper version that has none yet, into the content-addressed cache."""
    from crawlers.errors import short_url

    with warehouse.connect(settings.db) as con:
        queue = load.papers_needing_pdf(con, limit=limit)
    progress.current().stage("download PDFs", len(queue))
    if not queue:
        return {"pdfs_downloaded": 0, "download_errors": 0}
    queue_path = settings.crawl_dir / f"{run_id}-pdf-queue.jsonl"
    queue_path.parent.mkdir(parents=True, exist_ok=True)
    queue_path.write_text("".join(json.dumps(q) + "\n" for q in queue), "utf-8")
    run = run_spider("arxiv_pdf", out=settings.crawl_dir / f"{run_id}-arxiv_pdf.jsonl", args={
        "queue": queue_path, "cache_dir": settings.pdf_cache.resolve(), "base_url": endpoint.pdf_url,
        "max_bytes": settings.pdf_max_bytes,
    }, settings=spider_settings(settings, endpoint))
    pdfs = run.of_kind("pdf")
    with warehouse.connect(settings.db) as con:
        for item in pdfs:
            path = Path(item["path"])
            rel = path.relative_to(settings.data_dir.resolve()) if path.is_relative_to(
                settings.data_dir.resolve()) else path
            load.record_document(con, {**item, "path": str(rel)})
            records.resolve_errors(con, stage="download", source=f"{item['paper_id']}v{item['version']}",
                                   run_id=run_id)
        for err in run.of_kind("error"):  # our own URLs by path (stable across ports offline), others in full
            url = str(err["url"])
            shown = short_url(url) if url.startswith(endpoint.pdf_url.rstrip("/") + "/") else url
            records.record_error(con, stage="download", source=f"{err['paper_id']}v{err['version']}",
                                 message=f"{err['message']} ({shown})",
                                 retryable=bool(err.get("retryable")), run_id=run_id)
    progress.current().advance(len(pdfs) + len(run.of_kind("error")))
    return {"pdfs_downloaded": len(pdfs), "download_errors": len(run.of_kind("error"))}


def load_reference_results(settings: Settings, path: Path | None, *, run_id: str | None = None) -> dict[str, Any]:
    """Import a Papers-with-Code evaluation-tables dump, streaming (replaces that file's rows atomically).

    A dump that cannot be read (truncated, malformed) is an error of stage `reference` with the file
    name as source; the rows of the last good import stay, and the run goes on."""
    from crawlers.errors import CrawlError
    from warehouse.reference import replace_results

    if path is None or not path.exists():
        return {"results_loaded": 0}
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    key = f"reference.pwc.{path.name}.sha256"
    with warehouse.connect(settings.db) as con:
        if records.get_state(con, key) == digest:  # the same dump as last time: nothing to replace
            return {"results_loaded": 0, "reference_unchanged": True}
        try:
            counts = replace_results(con, iter_evaluation_rows(path), source="pwc", source_file=path.name)
        except CrawlError as exc:
            records.record_error(con, stage="reference", source=path.name, message=exc.message, retryable=False,
                                 run_id=run_id)
            return {"results_loaded": 0, "reference_errors": 1}
        records.resolve_errors(con, stage="reference", source=path.name, run_id=run_id)
        records.set_state(con, key, digest)
    return {"results_loaded": counts.rows, "reference_unchanged": False}


def estimate_compute(settings: Settings, *, full: bool = False) -> dict[str, Any]:
    """Overrides applied, the estimates of the papers whose inputs changed recomputed (all of them
    with `full`, or when the assumptions, catalog or code changed), the reference checks refreshed
    when their rows changed. When nothing changed this is found read-only and nothing is written."""
    from warehouse.curation import apply_result_overrides_if_changed
    from warehouse.db import WarehouseError
    from warehouse.estimates import (
        estimate_count,
        refresh_reference_checks_if_changed,
        unchanged_summary,
        update_compute_estimates,
    )

    params = settings.accounting()
    counts: dict[str, Any] = {"estimates_full": False, "estimates_papers": 0, "estimates_written": 0,
                              "reference_checks_refreshed": False, "result_overrides_applied": False}
    checks = None
    if not full:  # without the writer's connect (migrations, seeds): a no-op costs two fingerprints
        try:
            with warehouse.connect_read_only(settings.db) as con:
                checks = unchanged_summary(con, params)
                n = estimate_count(con)
        except WarehouseError:
            checks = None
    if checks is None:
        with warehouse.connect(settings.db) as con:
            counts["result_overrides_applied"] = apply_result_overrides_if_changed(con)
            checks, counts["reference_checks_refreshed"] = refresh_reference_checks_if_changed(con, params,
                                                                                                force=full)
            refresh = update_compute_estimates(con, params, full=full, names=counts["reference_checks_refreshed"])
            counts |= {"estimates_full": refresh.full, "estimates_papers": refresh.papers,
                       "estimates_written": refresh.rows_written}
            n = estimate_count(con)
    return counts | {"compute_estimates": n, "thompson_rows_within_10pct": checks["thompson_within_10pct"],
                     "epoch_median_ratio": checks["epoch_median_ratio"]}


def endpoint_for(settings: Settings, offline_base_url: str | None) -> Endpoint:
    """The fixture server for every host offline; arXiv's hosts (and its 3 s rule) live."""
    if offline_base_url is not None:
        return Endpoint(offline_base_url, offline_base_url, offline_base_url, 0.0)
    delay = effective_delay(settings.arxiv_base_url, settings.request_delay)
    return Endpoint(settings.arxiv_base_url, settings.oai_base_url, settings.arxiv_base_url, delay)
