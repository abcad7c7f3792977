"""Benchmark ids and metric keys of free-text dataset and metric names.

The extractor tags each result with them, and the warehouse uses the same functions for reference rows,
so a paper's "WMT 2014 English-German" and Papers with Code's "WMT2014 English-German" meet as
``wmt2014-en-de``.
"""

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
    if re.search(r"(?i)ap\s*[@_]?\s*(?:50|75|0?\.5|0?\.75|s\b|m\b|l\b|small|medium|large)", text):
        return None  # AP50, AP75, APs and mAP@0.5 are not COCO's headline AP
    for pattern, key in _METRICS:
        if re.search(pattern, text, re.IGNORECASE):
            return key
    return None
