"""The one regression path, for the flow and for `compute-limits regress` alike.

`regress` reads the regression points, fits every selection and stores the fits. Each selection's
fits are `flows.cached.fit_records`; the flow runs them through the cached Prefect task
`fit_selection` (keyed by a fingerprint of the points, the selection, the bootstrap draws, the
accounting assumptions and the catalog: a run whose points did not change re-fits nothing), the
command line calls them directly (no Prefect server for an interactive refit). Storing is an
idempotent upsert keyed by the fit's inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import warehouse
from analysis.selection import Selection
from flows.cached import catalog_digest, fit_records, fit_selection, frame_fingerprint
from flows.extraction import result_storage
from flows.settings import Settings
from warehouse import records

DRAWS = 1000


def default_selections(*, include_synthetic: bool = False) -> list[Selection]:
    """What the nightly run fits: hardware burden (Thompson's x) and effective compute, all sources, on
    real papers; with ``include_synthetic`` the same again on the synthetic fixture papers alone."""
    real = [Selection(x="hardware_burden"), Selection(x="estimated_compute")]
    return real + ([replace(s, synthetic=True) for s in real] if include_synthetic else [])


@dataclass
class Regressed:
    """What `regress` did: the counts the flow reports, and each selection's fit records."""

    counts: dict[str, Any]
    fitted: list[tuple[Selection, list[dict[str, Any]]]] = field(default_factory=list)


def regress(settings: Settings, *, run_id: str | None, selections: list[Selection] | None = None,
            draws: int = DRAWS, cached: bool = True) -> Regressed:
    """Fit every selection (the defaults unless given) on the warehouse's points; store the fits."""
    params = settings.accounting()
    with warehouse.connect_read_only(settings.db) as con:
        points = records.regression_points(con)
    fingerprint = frame_fingerprint(points)
    counts = {"fits_made": 0, "fits_refit": 0, "fits_cached": 0}
    fitted: list[tuple[Selection, list[dict[str, Any]]]] = []
    job = fit_selection.with_options(result_storage=result_storage(settings)) if cached else None
    catalog = catalog_digest()
    for selection in selections or default_selections(include_synthetic=settings.include_synthetic):
        if job is None:
            fit_rows, reused = fit_records(points, selection, draws, params), False
        else:
            state = job(fingerprint, points, selection, draws, params, catalog, return_state=True)
            fit_rows, reused = state.result(), state.name == "Cached"
        counts["fits_cached" if reused else "fits_refit"] += len(fit_rows)
        fitted.append((selection, fit_rows))
    with warehouse.connect(settings.db) as con:
        for _, fit_rows in fitted:
            counts["fits_made"] += records.store_fits(con, fit_rows, ingest_run_id=run_id)
    return Regressed({**counts, "points": len(points), "points_fingerprint": fingerprint[:16]}, fitted)
