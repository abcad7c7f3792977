"""Normalised names: benchmarks, metrics and counting units."""

from __future__ import annotations

import re

# (pattern on the lower-cased dataset name, benchmark id); first match wins.
_BENCHMARKS: tuple[tuple[str, str], ...] = (
    (r"imagenet(?!.*(21k|22k|-v2|real|sketch|-a\b|-r\b|-c\b))", "imagenet"),
    (r"\bcoco\b|ms[- ]?coco", "coco"),
    (r"squad\s*(v?1\.1|1)\b|squad1\.1", "squad1.1"),
    (r"conll[- ]?2003", "conll2003"),
    (r"wmt\s*2014.*(english[- ]german|en[- ]de)", "wmt2014-en-de"),
    (r"wmt\s*2014.*(english[- ]french|en[- ]fr)", "wmt2014-en-fr"),
)

_METRICS: tuple[tuple[str, str], ...] = (
    (r"top[- ]?1|top 1", "top1"),
    (r"top[- ]?5|top 5", "top5"),
    (r"box\s*ap|^ap$|bbox\s*ap|mAP", "box_ap"),
    (r"sacrebleu", "sacrebleu"),
    (r"bleu", "bleu"),
    (r"^em$|exact[- ]match|\bem\b", "em"),
    (r"\bf1\b|f1[- ]score|f-?measure", "f1"),
    (r"perplexity|\bppl\b", "perplexity"),
)

# Chips per reported unit, for generations whose device holds 4 chips / 8 cores.
_CHIPS_PER_UNIT = {"gpu": 1.0, "tpu_chip": 1.0, "tpu_core": 0.5, "tpu_device": 4.0, "cpu": 1.0}


def benchmark_of(dataset: str | None) -> str | None:
    """The benchmark id of a dataset name ("ImageNet", "COCO test-dev", ...), or None."""
    if not dataset:
        return None
    text = dataset.lower()
    for pattern, benchmark in _BENCHMARKS:
        if re.search(pattern, text):
            return benchmark
    return None


def metric_key(metric: str | None) -> str | None:
    """The normalised metric ("Top 1 Accuracy" -> top1, "BLEU score" -> bleu), or None."""
    if not metric:
        return None
    text = metric.strip()
    if re.search(r"error", text, re.IGNORECASE):
        return None  # error rates are not the accuracy-like headline metrics
    for pattern, key in _METRICS:
        if re.search(pattern, text, re.IGNORECASE):
            return key
    return None


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
