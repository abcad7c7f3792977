"""Backfill: the papers the reference tables name, fetched from arXiv by id in polite budgets.

`compute-limits backfill` queues arXiv ids from Thompson et al.'s, Epoch AI's and Papers with Code's
imported rows (or a file), then runs the flow `backfill`: look up a budget of queued ids (the
`arxiv` package, batches of 100), download their PDFs with the nightly run's spider and politeness,
extract, settle the queue, estimate, regress, report. The nightly `ingest` drains
`backfill_per_run` queued ids after its harvest the same way (`flows.queue_stage.drain_queue`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow

from flows.crawl import Endpoint
from flows.pipeline import Step, backfill_task, flow_settings, processing_steps, write_run
from flows.queue_stage import enqueue_ids
from flows.settings import Settings


@flow(name="backfill", log_prints=False)
def backfill(live: bool = False, db: str | None = None, data_dir: str | None = None,
             reports_dir: str | None = None, sources: list[str] | None = None, id_file: str | None = None,
             benchmarks: list[str] | None = None, budget: int | None = None) -> dict[str, Any]:
    """Queue ids from the reference tables (and/or a file), then fetch up to `budget` of the queue (all of
    it without one) and take them through extraction, estimates, fits and the report."""
    settings = flow_settings(live=live, db=db, data_dir=data_dir, reports_dir=reports_dir, source=None,
                             task_runner=None, dask_address=None)
    id_path = Path(id_file) if id_file else None

    def before(staged: Settings, run_id: str) -> dict[str, Any]:
        return enqueue_ids(staged, sources=sources or [], id_file=id_path, benchmarks=benchmarks or [])

    def steps(staged: Settings, endpoint: Endpoint, run_id: str) -> list[Step]:
        limit = budget if budget is not None else 2**31 - 1
        return [("backfill", lambda: backfill_task(staged, endpoint, run_id, limit)),
                *processing_steps(staged, endpoint, run_id)]

    return write_run(settings, mode="live" if live else "offline", kind="backfill", steps=steps, before=before)
