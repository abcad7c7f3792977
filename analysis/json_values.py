"""JSON for numbers that may be infinite or NaN: strict JSON has no inf or NaN, so they are written as
the strings "inf", "-inf" and "nan" (what `fits.json` and the reproduced fits' JSON Lines carry)."""

from __future__ import annotations

import math
from typing import Any


def json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def json_number(value: float | None) -> float | str | None:
    """A float for strict JSON: non-finite values as "inf"/"-inf"/"nan" (the fits.json convention)."""
    if value is None:
        return None
    value = float(value)
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
