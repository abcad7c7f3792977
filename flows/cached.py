"""Prefect tasks cached across runs: pure functions of their inputs, with persisted results.

Prefect's default cache policy includes the flow run id, so nothing is reused between runs. These
tasks use INPUTS + TASK_SOURCE instead (minus inputs that do not change the answer, such as where a
file happens to live), and persist their results, so a run that meets the same inputs again (a rerun
after a crash, a rebuilt warehouse, a second run with nothing new) reads the answer instead of
recomputing it. Extraction is keyed by the documents' sha256, the extractor version and the limits;
a fit by a fingerprint of its points, the selection, the accounting assumptions and the catalog.

They never touch the warehouse: the flow loads what they return, so they can run anywhere (a thread,
a Dask worker on another machine) and a cached answer is as good as a fresh one.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import INPUTS, TASK_SOURCE

from warehouse.accounting import AccountingParams, cost_converter

EXTRACT_CACHE = (INPUTS - "paths" - "workers") + TASK_SOURCE
FIT_CACHE = (INPUTS - "points") + TASK_SOURCE
CATALOG_FILES = ("hardware.csv", "prices.csv")


class DaemonicWorkerError(RuntimeError):
    """Extraction children cannot start inside a daemonic process (a default Dask worker)."""


@task(name="extract-batch", cache_policy=EXTRACT_CACHE, persist_result=True)
def extract_batch(shas: list[str], paths: list[str], extractor_version: str, timeout_s: float,
                  memory_mb: int, workers: int) -> list[dict[str, Any]]:
    """Extract each PDF (in worker processes with the time and memory limits); one dict per path.

    A missing file raises instead of returning an error, so that a worker which cannot see the PDF cache
    never caches an error for a document that is fine."""
    from extract.names import EXTRACTOR_VERSION
    from extract.worker import extract_many

    if extractor_version != EXTRACTOR_VERSION:
        raise RuntimeError(f"this worker runs extractor {EXTRACTOR_VERSION}, the flow asked for {extractor_version}")
    missing = [p for p in paths if not Path(p).is_file()]
    if missing:
        raise FileNotFoundError(f"{len(missing)} PDF(s) not found on this worker, e.g. {missing[0]}")
    if multiprocessing.current_process().daemon:
        raise DaemonicWorkerError(
            "extraction workers cannot start in a daemonic process: start the Dask workers with "
            "DASK_DISTRIBUTED__WORKER__DAEMON=False (see docs/OPERATIONS.md)")
    return extract_many(paths, workers=workers, timeout_s=timeout_s, memory_mb=memory_mb)


def frame_fingerprint(frame: Any) -> str:
    """sha256 of a DataFrame's columns and values (JSON, so lists and dates hash too)."""
    payload = frame.to_json(orient="split", date_format="iso", default_handler=str, index=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def catalog_digest() -> str:
    """sha256 of the shipped hardware catalog and prices: the cost conversion depends on them."""
    data = Path(__file__).resolve().parents[1] / "warehouse" / "data"
    digest = hashlib.sha256()
    for name in CATALOG_FILES:
        digest.update((data / name).read_bytes())
    return digest.hexdigest()


def fit_records(points: Any, selection: Any, draws: int, params: AccountingParams) -> list[dict[str, Any]]:
    """Every benchmark's fits for one `analysis.selection.Selection`, as the JSON-plain records
    `warehouse.records.store_fits` takes, with extrapolations priced under ``params``."""
    from analysis.regression import run_regression

    result = run_regression(points, selection, draws=draws, converter=cost_converter(params))
    return json.loads(json.dumps(result.records(), default=str))


@task(name="fit-selection", cache_policy=FIT_CACHE, persist_result=True)
def fit_selection(fingerprint: str, points: Any, selection: Any, draws: int, accounting: AccountingParams,
                  catalog: str) -> list[dict[str, Any]]:
    """`fit_records`, cached: ``fingerprint`` stands for ``points`` in the cache key (a DataFrame is not
    hashed as an input) and ``catalog`` for the shipped catalog the prices come from."""
    return fit_records(points, selection, draws, accounting)
