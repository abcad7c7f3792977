"""The Prefect flow `ingest`: crawl -> backfill -> download -> extract -> load -> regress -> report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow

from flows.crawl import Endpoint
from flows.pipeline import (
    Step,
    StepsFor,
    backfill_task,
    crawl_task,
    flow_settings,
    processing_steps,
    write_run,
)
from flows.settings import Settings


def nightly_steps(since: str | None, limit: int | None, pwc_dump: Path | None) -> StepsFor:
    """crawl -> backfill a budget of queued ids -> download -> extract -> settle the queue -> reference
    results -> estimate -> regress -> report."""
    def steps(settings: Settings, endpoint: Endpoint, run_id: str) -> list[Step]:
        return [
            ("crawl", lambda: crawl_task(settings, endpoint, run_id, since, limit)),
            ("backfill", lambda: backfill_task(settings, endpoint, run_id, settings.backfill_per_run)),
            *processing_steps(settings, endpoint, run_id, limit=limit, pwc_dump=pwc_dump),
        ]
    return steps


@flow(name="ingest", log_prints=False)
def ingest(live: bool = False, db: str | None = None, limit: int | None = None, since: str | None = None,
           pwc_dump: str | None = None, data_dir: str | None = None, reports_dir: str | None = None,
           source: str | None = None, task_runner: str | None = None,
           dask_address: str | None = None, include_synthetic: bool | None = None) -> dict[str, Any]:
    """Run the whole pipeline once into a staging copy of the warehouse, then publish it atomically.

    Offline (default) it serves `fixtures/` on 127.0.0.1. A run that fails or is killed leaves the
    published warehouse as it was; the next run resumes its staging file (`warehouse.publish`).
    ``include_synthetic`` also fits the synthetic fixture papers, on their own (None: the setting).
    """
    settings = flow_settings(live=live, db=db, data_dir=data_dir, reports_dir=reports_dir, source=source,
                             task_runner=task_runner, dask_address=dask_address,
                             include_synthetic=include_synthetic)
    dump = Path(pwc_dump) if pwc_dump else (None if live else settings.fixtures_dir / "pwc" /
                                             "evaluation-tables.json")
    return write_run(settings, mode="live" if live else "offline", steps=nightly_steps(since, limit, dump))
