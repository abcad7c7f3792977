"""Formatting shared by the markdown and HTML reports: numbers, multipliers, the order of fits, the
"not identified" wording, a stored fit's provenance line, and ``fits.json``."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from analysis.json_values import json_safe
from analysis.scaling import FORMS, POLYNOMIAL, ScalingFit


def fmt(value: float | None, spec: str = ".4f") -> str:
    """A number for the report: ``spec`` formatting, "n/a" for None/NaN, "∞" for infinities."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return format(value, spec)


def fmt_multiplier(value: float | None) -> str:
    """A compute multiplier: "1,680×" below a million, "2.35e+07×" above."""
    if value is None or math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return "∞"
    return f"{value:,.0f}×" if value < 1e6 else f"{value:.2e}×"


def sort_key(fit: ScalingFit) -> tuple[str, str, str, int, str]:
    order = FORMS.index(fit.form) if fit.form in FORMS else len(FORMS)
    return (fit.benchmark, fit.compute_kind or "", fit.x, order, fit.form)


def fits_json(fits: Iterable[ScalingFit]) -> str:
    """The fits as a JSON list of ``to_dict()`` objects; non-finite floats as "inf"/"-inf"/"nan"."""
    payload = [json_safe(fit.to_dict()) for fit in sorted(fits, key=sort_key)]
    return json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def load_fits(path: str | Path) -> list[ScalingFit]:
    """Read a ``fits.json`` written by ``write_report``."""
    return [ScalingFit.from_dict(item) for item in json.loads(Path(path).read_text(encoding="utf-8"))]


def not_identified(fit: ScalingFit) -> str:
    """The text "not identified (<reason>)" that stands for k, 2^k and any extrapolation of such a fit."""
    default = "slope CI not entirely below zero" if fit.form == POLYNOMIAL else "slope CI not entirely above zero"
    return f"not identified ({fit.not_identified_reason or default})"


def made_line(extra: Mapping[str, Any]) -> str | None:
    """Where a stored fit comes from: when it was made, by which ingest run, its points per compute source."""
    if not extra.get("created_at") and not extra.get("points_by_source"):
        return None
    by_source = ", ".join(f"{n} {source}" for source, n in (extra.get("points_by_source") or {}).items())
    run = extra.get("ingest_run_id") or "an ad-hoc `regress`"
    return f"Made {extra.get('created_at') or 'at an unknown time'} UTC by run {run}; points by source: " \
           f"{by_source or 'not recorded'}."
