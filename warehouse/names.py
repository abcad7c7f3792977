"""Normalised names: benchmarks, metrics and counting units."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.benchmark_keys import benchmark_of, error_complement, metric_key
from extract.registry import benchmark as registry_row

__all__ = ["benchmark_of", "chips_of", "Headline", "headline_of", "metric_key", "parse_number", "percent_value",
           "PERCENT_KEYS"]

# Chips per reported unit, for generations whose device holds 4 chips / 8 cores.
_CHIPS_PER_UNIT = {"gpu": 1.0, "tpu_chip": 1.0, "tpu_core": 0.5, "tpu_device": 4.0, "cpu": 1.0}


# Metrics printed in percent, which some papers print as fractions ("0.790" top-1 accuracy). Accuracy and
# pass@1 are not among them: below 1 they are as often a small percent (GSM8K, HumanEval of small models).
PERCENT_KEYS = frozenset({"top1", "top5", "box_ap", "em", "f1", "miou"})


def percent_value(value: float | None, key: str | None, text: object = None,
                  benchmark: str | None = None) -> float | None:
    """A percent metric on its percent footing: a fraction with decimals ("0.790") becomes 79.0; a
    whole "1", a value of another metric, or one of a benchmark whose registry rule reads fractions
    (``1 - x``, OGB) is left as printed."""
    if value is None or key not in PERCENT_KEYS or not 0 < value < 1:
        return value
    row = registry_row(benchmark)
    if row is not None and row.error_kind == "one_minus":
        return value
    if text is not None and "." not in str(text):
        return value
    return round(value * 100, 6)


@dataclass(frozen=True, slots=True)
class Headline:
    """A reference result's metric key and value on the key's footing; ``rule`` says how an error rate was
    converted (None: the value as printed)."""

    key: str | None
    value: float | None
    rule: str | None = None


def headline_of(metric: str | None, value: float | None, unit: str | None = None,
                benchmark: str | None = None) -> Headline:
    """The metric key and value of a Papers with Code cell (on ``benchmark``, the names the registry gives
    its headline metric count: "Average (%)" on MMLU is acc). An error rate with an accuracy-like complement
    becomes that accuracy, 100 - error ("Top 1 Error" 20.3 -> top1 79.7, so that the benchmark's
    ``error_rule`` 1 - top1/100 gives back 0.203); one printed as a fraction (0.203, no "%") is
    100 x (1 - error). The rule applied is returned with it, to be stored beside the row."""
    key = metric_key(metric, benchmark)
    if key is not None:
        return Headline(key, value)
    complement = error_complement(metric)
    if complement is None:
        return Headline(None, value)
    if value is not None and unit != "%" and 0 < value < 1:
        return Headline(complement, round(100 * (1 - value), 6),
                        f"{complement} = 100 x (1 - {metric}): the error printed as a fraction")
    converted = None if value is None else round(100 - value, 6)
    return Headline(complement, converted, f"{complement} = 100 - {metric} (%)")


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
