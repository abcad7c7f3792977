"""Backfill: the papers the reference tables name, fetched from arXiv by id in polite budgets.

`compute-limits backfill` queues arXiv ids from Thompson et al.'s, Epoch AI's and Papers with Code's
imported rows (or a file), then runs the flow `backfill`: look up a budget of queued ids (the
`arxiv` package, batches of 100), download their PDFs with the nightly run's spider and politeness,
extract, settle the queue, estimate, regress, report. The nightly `ingest` drains
`backfill_per_run` queued ids after its harvest the same way (`drain_queue`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prefect import flow

import warehouse
from crawlers.lookup import lookup
from flows import progress
from flows.crawl import Endpoint, refuse_foreign_links, user_agent
from flows.settings import Settings
from warehouse import backfill as queue
from warehouse import load, records

logger = logging.getLogger(__name__)


def read_id_file(path: Path) -> list[str]:
    """One arXiv id per line (blank lines and `#` comments skipped; `arXiv:` prefixes and versions allowed)."""
    from crawlers.atom import split_arxiv_id

    ids = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            ids.append(split_arxiv_id(text.removeprefix("arXiv:").removeprefix("arxiv:"))[0])
    return ids


def enqueue_ids(settings: Settings, *, sources: Sequence[str], id_file: Path | None,
                benchmarks: Sequence[str]) -> dict[str, Any]:
    """Queue the ids of the chosen reference sources (and of a file: those first)."""
    counts: dict[str, Any] = {}
    with warehouse.connect(settings.db) as con:
        if sources:
            named = queue.reference_ids(con, sources)
            got = queue.enqueue(con, named, benchmarks=benchmarks)
            counts |= {"backfill_named": got.named, "backfill_already": got.already}
        if id_file is not None:
            ids = read_id_file(id_file)
            got = queue.enqueue(con, {i: ({"file"}, set()) for i in ids}, first=True)
            counts["backfill_named"] = counts.get("backfill_named", 0) + got.named
            counts["backfill_already"] = counts.get("backfill_already", 0) + got.already
        counts["queue"] = queue.queue_counts(con)
    return counts


def drain_queue(settings: Settings, endpoint: Endpoint, *, run_id: str, budget: int) -> dict[str, Any]:
    """Look up to `budget` queued ids; found ones become papers (their PDFs then wait for the download
    stage), unknown ones `not_found`; a failed lookup batch counts an attempt and stays queued."""
    with warehouse.connect(settings.db) as con:
        ids = queue.next_batch(con, budget)
    if not ids:
        return {"backfill_looked_up": 0, "backfill_found": 0, "backfill_errors": 0}
    progress.current().stage("look up backfill ids", len(ids))
    looked = lookup(ids, base_url=endpoint.api_url, delay=endpoint.delay, user_agent=user_agent(settings),
                    batch_size=settings.lookup_batch_size, retries=settings.download_retries,
                    timeout=settings.download_timeout_s)
    progress.current().advance(len(ids))
    foreign = refuse_foreign_links(looked.found, settings)
    with warehouse.connect(settings.db) as con:
        upsert = load.upsert_papers(con, looked.found, source="backfill")
        with load.transaction(con):
            for rec in looked.found:
                queue.mark(con, [rec["paper_id"]], "found", version=int(rec["version"]))
                records.resolve_errors(con, stage="backfill", source=rec["paper_id"], run_id=run_id)
            queue.mark(con, looked.missing, "not_found", error="arXiv does not know this id")
            for paper_id, message in looked.refused.items():
                queue.mark(con, [paper_id], "refused", error=message)
            for paper_id, message in looked.failed.items():
                queue.count_attempt(con, [paper_id], message)
                records.record_error(con, stage="backfill", source=paper_id, message=message, retryable=True,
                                     run_id=run_id)
            for paper_id, message in foreign.items():
                records.record_error(con, stage="backfill", source=paper_id, message=message, retryable=False,
                                     run_id=run_id)
    logger.info("backfill: %d ids looked up, %d found, %d not found, %d failed", len(ids), len(looked.found),
                len(looked.missing), len(looked.failed))
    return {"backfill_looked_up": len(ids), "backfill_found": len(looked.found),
            "backfill_not_found": len(looked.missing), "backfill_new_papers": upsert.new,
            "backfill_errors": len(looked.failed) + len(foreign) + len(looked.refused)}


def settle_queue(settings: Settings) -> dict[str, Any]:
    """Found ids whose PDF is in and parsed are done; see `warehouse.backfill.settle`."""
    with warehouse.connect(settings.db) as con:
        return {"queue": queue.settle(con)}


@flow(name="backfill", log_prints=False)
def backfill(live: bool = False, db: str | None = None, data_dir: str | None = None,
             reports_dir: str | None = None, sources: list[str] | None = None, id_file: str | None = None,
             benchmarks: list[str] | None = None, budget: int | None = None) -> dict[str, Any]:
    """Queue ids from the reference tables (and/or a file), then fetch up to `budget` of the queue (all of
    it without one) and take them through extraction, estimates, fits and the report."""
    from flows.ingest import flow_settings, processing_steps, write_run

    settings = flow_settings(live=live, db=db, data_dir=data_dir, reports_dir=reports_dir, source=None,
                             task_runner=None, dask_address=None)
    id_path = Path(id_file) if id_file else None

    def before(staged: Settings, run_id: str) -> dict[str, Any]:
        return enqueue_ids(staged, sources=sources or [], id_file=id_path, benchmarks=benchmarks or [])

    def steps(staged: Settings, endpoint: Endpoint, run_id: str) -> list[Any]:
        from flows.ingest import backfill_task

        limit = budget if budget is not None else 2**31 - 1
        return [("backfill", lambda: backfill_task(staged, endpoint, run_id, limit)),
                *processing_steps(staged, endpoint, run_id)]

    return write_run(settings, mode="live" if live else "offline", kind="backfill", steps=steps, before=before)
