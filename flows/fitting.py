"""The regression stage of the flow: cached fits, stored in the warehouse.

Each selection's fits come from `flows.cached.fit_selection`, keyed by a fingerprint of the points,
the selection, the bootstrap draws, the accounting assumptions and the catalog: a run whose points did
not change reads the fits from the cache and re-fits nothing. Storing is an idempotent upsert keyed
by the fit's inputs.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import warehouse
from flows.cached import catalog_digest, fit_selection, frame_fingerprint
from flows.extraction import result_storage
from flows.settings import Settings
from flows.stages import default_selections
from warehouse import records

DRAWS = 1000
ACCOUNTING_FIELDS = ("utilization", "utilization_llm", "utilization_spread", "pue", "pue_low", "pue_high",
                     "grid_kg_per_kwh", "grid_kg_per_kwh_low", "grid_kg_per_kwh_high")


def regress(settings: Settings, *, run_id: str | None, draws: int = DRAWS) -> dict[str, Any]:
    """Fit (or read from the cache) every default selection; store the fits."""
    with warehouse.connect_read_only(settings.db) as con:
        points = records.regression_points(con)
    fingerprint = frame_fingerprint(points)
    accounting = {name: getattr(settings, name) for name in ACCOUNTING_FIELDS}
    job = fit_selection.with_options(result_storage=result_storage(settings))
    catalog = catalog_digest()
    counts = {"fits_made": 0, "fits_refit": 0, "fits_cached": 0}
    stored: list[list[dict[str, Any]]] = []
    for selection in default_selections(include_synthetic=settings.include_synthetic):
        state = job(fingerprint, points, asdict(selection), draws, accounting, catalog, return_state=True)
        fit_records = state.result()
        counts["fits_cached" if state.name == "Cached" else "fits_refit"] += len(fit_records)
        stored.append(fit_records)
    with warehouse.connect(settings.db) as con:
        for fit_records in stored:
            counts["fits_made"] += records.store_fits(con, fit_records, ingest_run_id=run_id)
    return {**counts, "points": len(points), "points_fingerprint": fingerprint[:16]}
