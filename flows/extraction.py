"""The extraction stage on a Prefect task runner: local threads (default) or a Dask cluster.

Documents are cut into batches (sorted by sha256, `extract_batch` documents each); each batch is one
cached task (`flows.cached.extract_batch`) submitted to the runner, and the flow loads each batch's
extractions into the warehouse as it completes. The tasks never open the warehouse, so they can run
on any machine that sees the PDF cache; the single writer stays the flow.

- `threads`: `extract_workers` batches at a time, each parsed by one local child process.
- `dask`: every batch at once on the cluster (`dask_address`, or a temporary local cluster of
  `extract_workers` single-threaded workers), each parsed by one child process on its worker.
"""

from __future__ import annotations

import hashlib
import logging
import math
from contextlib import AbstractContextManager
from typing import Any

import warehouse
from flows import progress
from flows.cached import extract_batch
from flows.settings import DASK_MISSING, Settings
from warehouse import load, records

logger = logging.getLogger(__name__)

RUNNERS = ("threads", "dask")


def result_storage(settings: Settings) -> Any:
    """Where cached task results persist: a saved storage block (its slug), or a local folder under
    data_dir, saved as a block named after its path (Prefect needs result storage saved server-side)."""
    if settings.result_storage:
        return settings.result_storage
    from prefect.filesystems import LocalFileSystem

    path = (settings.data_dir / "prefect-results").resolve()
    path.mkdir(parents=True, exist_ok=True)
    name = "compute-limits-results-" + hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:12]
    LocalFileSystem(basepath=str(path)).save(name, overwrite=True)
    return f"local-file-system/{name}"


def task_runner(settings: Settings) -> tuple[AbstractContextManager[Any], int]:
    """The runner for the extraction tasks and the child processes each task may use."""
    if settings.task_runner == "threads":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=max(1, settings.extract_workers)), 1
    if settings.task_runner == "dask":
        try:
            import dask
            from prefect_dask import DaskTaskRunner
        except ImportError as exc:  # the optional extra: one line saying how to get it
            raise ValueError(DASK_MISSING) from exc

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address), 1
        # Our own cluster: its workers must be allowed to start extraction children.
        dask.config.set({"distributed.worker.daemon": False})
        return DaskTaskRunner(cluster_kwargs={"n_workers": max(1, settings.extract_workers),
                                              "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None}), 1
    raise ValueError(f"unknown task runner {settings.task_runner!r} ({' or '.join(RUNNERS)})")


def runner_label(settings: Settings) -> str:
    if settings.task_runner == "dask":
        return f"dask ({settings.dask_address or 'temporary local cluster'})"
    return settings.task_runner


def _batches(docs: list[dict[str, Any]], size: int, slots: int) -> list[list[dict[str, Any]]]:
    """At most `size` documents per batch, and at least one batch per slot when there are enough."""
    ordered = sorted(docs, key=lambda d: d["sha256"])
    size = max(1, min(size, math.ceil(len(ordered) / max(1, slots))))
    return [ordered[i:i + size] for i in range(0, len(ordered), size)]


def extract_documents(settings: Settings, *, run_id: str) -> dict[str, Any]:
    """Parse every pending document through the task runner; load each batch as it completes."""
    from prefect.futures import as_completed

    from extract import EXTRACTOR_VERSION

    with warehouse.connect(settings.db) as con:
        docs = load.documents_to_parse(con, extractor_version=EXTRACTOR_VERSION)
    progress.current().stage("extract facts", len(docs))
    counts = {"pdfs_parsed": 0, "parse_errors": 0, "facts_extracted": 0, "extract_batches": 0,
              "extract_batches_cached": 0, "pdfs_from_cache": 0, "extract_task_failures": 0}
    if not docs:
        return counts
    runner, workers = task_runner(settings)
    job = extract_batch.with_options(result_storage=result_storage(settings))
    with runner as active:
        futures = {}
        for batch in _batches(docs, settings.extract_batch, settings.extract_workers):
            params = {"shas": [d["sha256"] for d in batch],
                      "paths": [str((settings.data_dir / d["path"]).resolve()) for d in batch],
                      "extractor_version": EXTRACTOR_VERSION, "timeout_s": settings.extract_timeout_s,
                      "memory_mb": settings.extract_memory_mb, "workers": min(workers, len(batch))}
            futures[active.submit(job, parameters=params)] = batch
        counts["extract_batches"] = len(futures)
        for done, future in enumerate(as_completed(list(futures)), start=1):
            _load_batch(settings, run_id, futures[future], future, counts)
            _log().info("extraction batch %d of %d loaded (%d documents%s)", done, len(futures),
                        len(futures[future]), ", from the cache" if future.state.name == "Cached" else "")
    return counts


def _log() -> Any:
    """The Prefect run logger inside a run (shown by the CLI and the UI), else this module's."""
    from prefect.exceptions import MissingContextError
    from prefect.logging import get_run_logger

    try:
        return get_run_logger()
    except MissingContextError:
        return logger


def _load_batch(settings: Settings, run_id: str, batch: list[dict[str, Any]], future: Any,
                counts: dict[str, int]) -> None:
    try:
        extractions = future.result()
    except Exception as exc:  # the task failed (not a bad PDF: those come back as error dicts)
        counts["extract_task_failures"] += 1
        counts["parse_errors"] += len(batch)
        with warehouse.connect(settings.db) as con:
            for doc in batch:
                records.record_error(con, stage="extract", source=f"{doc['paper_id']}v{doc['version']}",
                                     message=f"extraction task failed: {exc}", retryable=True, run_id=run_id)
        progress.current().advance(len(batch))
        return
    cached = future.state.name == "Cached"
    counts["extract_batches_cached"] += int(cached)
    with warehouse.connect(settings.db) as con:
        for doc, extraction in zip(batch, extractions, strict=True):
            counts["facts_extracted"] += load.load_extraction(con, sha256=doc["sha256"], paper_id=doc["paper_id"],
                                                              extraction=extraction)
            source = f"{doc['paper_id']}v{doc['version']}"
            if extraction.get("error"):
                counts["parse_errors"] += 1
                records.record_error(con, stage="extract", source=source, message=extraction["error"],
                                     retryable=False, run_id=run_id)
            else:
                counts["pdfs_parsed" if not cached else "pdfs_from_cache"] += 1
                records.resolve_errors(con, stage="extract", source=source, run_id=run_id)
    progress.current().advance(len(batch))

