"""Normalised names: benchmarks, metrics and counting units."""

from __future__ import annotations

import re

from extract.benchmark_keys import benchmark_of, metric_key

__all__ = ["benchmark_of", "chips_of", "metric_key", "parse_number", "percent_value", "PERCENT_KEYS"]

# Chips per reported unit, for generations whose device holds 4 chips / 8 cores.
_CHIPS_PER_UNIT = {"gpu": 1.0, "tpu_chip": 1.0, "tpu_core": 0.5, "tpu_device": 4.0, "cpu": 1.0}


# Metrics printed in percent, which some papers print as fractions ("0.790" top-1 accuracy).
PERCENT_KEYS = frozenset({"top1", "top5", "box_ap", "em", "f1"})


def percent_value(value: float | None, key: str | None, text: object = None) -> float | None:
    """A percent metric on its percent footing: a fraction with decimals ("0.790") becomes 79.0; a
    whole "1" or a value of another metric is left as printed."""
    if value is None or key not in PERCENT_KEYS or not 0 < value < 1:
        return value
    if text is not None and "." not in str(text):
        return value
    return round(value * 100, 6)


def chips_of(count: float | None, count_unit: str | None) -> float | None:
    """A reported count converted to chips (TPU cores and devices converted); None if unknown."""
    if count is None or count_unit is None:
        return None
    factor = _CHIPS_PER_UNIT.get(count_unit)
    return None if factor is None else float(count) * factor


def parse_number(text: object) -> float | None:
    """A metric value as printed ("85.3", "85.3%", "1,024", "28.4 ± 0.1") as a float, or None."""
    if text is None:
        return None
    if isinstance(text, int | float):
        return float(text)
    match = re.search(r"-?\d[\d,]*\.?\d*(?:[eE][-+]?\d+)?", str(text))
    if not match:
        return None
    try:
        return float(match.group(0).replace(",", ""))
    except ValueError:
        return None
