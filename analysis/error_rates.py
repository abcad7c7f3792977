"""From a printed metric to an error (METHODOLOGY §4), and the headline metric per benchmark.

Three kinds of metric:

* ``accuracy``: accuracy-like percentages (top-1/top-5 accuracy, box AP, EM, F1, BLEU):
  ``error = 1 - score/100``.
* ``error_rate``: error rates printed as percentages (top-1 error, WER, ...):
  ``error = score/100``, the same scale as the accuracy rule (top-1 error = 100 - top-1 accuracy).
* ``loss``: loss-like metrics (perplexity, bits per character, loss) used directly as the error
  (a project extension, not in Thompson et al.).

A benchmark's headline score is converted by the benchmark registry's rule instead
(``warehouse/data/benchmarks.csv``, :mod:`extract.registry`), the rule the warehouse's views apply:
``1 - x/100``, ``x/100`` (WER), ``1 - x`` (scores printed as fractions, OGB) or ``ln(x)`` (WikiText-103
perplexity becomes log perplexity). The registry also gives each benchmark its headline measure.

Metrics are matched on a key made of the lower-cased alphanumerics of the name, with a trailing
"score" removed, so "Top 1 Accuracy", "top-1 accuracy", "(TOP 1 score)" and "top1_score" agree.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.exceptions import AnalysisError, UnknownMetricError
from extract.registry import benchmark as registry_row
from extract.registry import registry

logger = logging.getLogger(__name__)

ACCURACY = "accuracy"
ERROR_RATE = "error_rate"
LOSS = "loss"

_RULE_TEXT = {ACCURACY: "1 - score/100", ERROR_RATE: "score/100", LOSS: "score"}


@dataclass(frozen=True, slots=True)
class MetricRule:
    """How one canonical metric becomes an error.

    ``measure`` groups metrics that measure the same thing on different footings: top-1 accuracy
    and top-1 error both measure ``top1``; the headline choice is made on measures.
    """

    canonical: str
    measure: str
    kind: str

    @property
    def rule(self) -> str:
        """The rule as text, e.g. ``"1 - score/100"``, to store beside the raw score."""
        return _RULE_TEXT[self.kind]


def _rules() -> dict[str, MetricRule]:
    table: list[tuple[str, str, str, tuple[str, ...]]] = [
        # canonical, measure, kind, keys (see _key)
        ("top1", "top1", ACCURACY, ("top1", "top1accuracy", "top1acc", "accuracytop1", "acc1", "acctop1")),
        ("top5", "top5", ACCURACY, ("top5", "top5accuracy", "top5acc", "accuracytop5", "acc5", "acctop5")),
        ("accuracy", "accuracy", ACCURACY, ("accuracy", "acc", "testaccuracy", "classificationaccuracy")),
        ("top1_error", "top1", ERROR_RATE, ("top1error", "top1err", "top1errorrate", "errortop1")),
        ("top5_error", "top5", ERROR_RATE, ("top5error", "top5err", "top5errorrate", "errortop5")),
        (
            "error_rate",
            "accuracy",
            ERROR_RATE,
            ("error", "errorrate", "err", "testerror", "classificationerror"),
        ),
        ("box_ap", "box_ap", ACCURACY, ("boxap", "bboxap", "ap", "map", "boxmap", "apbox", "apbbox", "apbb")),
        ("ap50", "ap50", ACCURACY, ("ap50", "boxap50", "apbb50")),
        ("ap75", "ap75", ACCURACY, ("ap75", "boxap75", "apbb75")),
        ("aps", "aps", ACCURACY, ("aps", "apsmall")),
        ("apm", "apm", ACCURACY, ("apm", "apmedium")),
        ("apl", "apl", ACCURACY, ("apl", "aplarge")),
        ("mask_ap", "mask_ap", ACCURACY, ("maskap", "apmask", "segmap")),
        ("em", "em", ACCURACY, ("em", "exactmatch", "exactmatchem", "emexactmatch")),
        ("f1", "f1", ACCURACY, ("f1", "f", "fmeasure", "f1measure", "microf1", "f1micro")),
        ("bleu", "bleu", ACCURACY, ("bleu", "bleu4", "casedbleu", "tokenizedbleu")),
        ("sacrebleu", "sacrebleu", ACCURACY, ("sacrebleu", "sacrebleuscore")),
        ("pass@1", "pass@1", ACCURACY, ("pass1", "passat1")),
        ("miou", "miou", ACCURACY, ("miou", "meaniou")),
        ("mrr", "mrr", ACCURACY, ("mrr", "meanreciprocalrank")),
        ("avg", "avg", ACCURACY, ("avg", "average", "glue", "superglue")),
        ("wer", "wer", ERROR_RATE, ("wer", "worderrorrate")),
        ("cer", "cer", ERROR_RATE, ("cer", "charactererrorrate")),
        ("perplexity", "perplexity", LOSS, ("perplexity", "ppl", "testperplexity", "validationperplexity")),
        ("bpc", "bpc", LOSS, ("bpc", "bitspercharacter", "bitsperchar")),
        ("bpb", "bpb", LOSS, ("bpb", "bitsperbyte")),
        ("loss", "loss", LOSS, ("loss", "testloss", "crossentropy", "nll", "negativeloglikelihood")),
    ]
    rules: dict[str, MetricRule] = {}
    for canonical, measure, kind, keys in table:
        rule = MetricRule(canonical=canonical, measure=measure, kind=kind)
        for key in keys:
            if key in rules:  # pragma: no cover - guards the table itself
                raise RuntimeError(f"duplicate metric key {key!r}")
            rules[key] = rule
    return rules


def _key(metric: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "", metric.lower())
    if key.endswith("score") and len(key) > len("score"):
        key = key[: -len("score")]
    return key


_RULES: dict[str, MetricRule] = _rules()

# Measures accepted after a benchmark's registry headline when it is absent (METHODOLOGY §4).
_FALLBACK_MEASURES: dict[str, tuple[str, ...]] = {
    "imagenet": ("accuracy",), "wmt2014-en-de": ("sacrebleu",), "wmt2014-en-fr": ("sacrebleu",),
}


def _headline_metrics() -> dict[str, tuple[str, ...]]:
    table = {}
    for row in registry():
        rule = _RULES.get(_key(row.headline_metric))
        if rule is None:  # pragma: no cover - guards the registry (tests/warehouse/test_benchmark_registry.py)
            raise RuntimeError(f"registry headline metric {row.headline_metric!r} of {row.benchmark} has no rule")
        table[row.benchmark] = (rule.measure, *_FALLBACK_MEASURES.get(row.benchmark, ()))
    return table


# Preferred measures per benchmark, best first: the registry's headline, then the fallbacks above.
HEADLINE_METRICS: dict[str, tuple[str, ...]] = _headline_metrics()


def metric_rule(metric: str) -> MetricRule:
    """The rule for a printed metric name; raises ``UnknownMetricError`` for unknown names."""
    if not isinstance(metric, str) or not metric.strip():
        raise UnknownMetricError("metric name is empty", metric=metric)
    rule = _RULES.get(_key(metric))
    if rule is None:
        raise UnknownMetricError("no error rule for metric (METHODOLOGY §4)", metric=metric, key=_key(metric))
    return rule


def canonical_metric(metric: object) -> str | None:
    """The canonical name of a metric ("Top 1 Accuracy" -> "top1"), or None when unknown."""
    if not isinstance(metric, str):
        return None
    rule = _RULES.get(_key(metric))
    return None if rule is None else rule.canonical


def _measure(metric: object) -> str | None:
    if not isinstance(metric, str):
        return None
    rule = _RULES.get(_key(metric))
    return None if rule is None else rule.measure


def error_from_score(score: float, metric: str) -> float:
    """The error of a raw score as printed (METHODOLOGY §4).

    Accuracy-like: ``1 - score/100``; error rates in percent: ``score/100``; loss-like: ``score``.
    A missing score (None or NaN) gives NaN. Raises ``UnknownMetricError`` for an unknown metric
    and ``AnalysisError`` for a percentage outside [0, 100].
    """
    rule = metric_rule(metric)
    if score is None or (not isinstance(score, str) and pd.isna(score)):
        return math.nan
    try:
        value = float(score)
    except (TypeError, ValueError) as exc:
        raise AnalysisError("score is not a number", metric=metric, score=score) from exc
    if math.isnan(value):
        return math.nan
    if rule.kind == LOSS:
        return value
    if not 0.0 <= value <= 100.0:
        raise AnalysisError(
            "percentage score outside [0, 100]; scores must be given as printed percentages",
            metric=metric,
            score=value,
        )
    return 1.0 - value / 100.0 if rule.kind == ACCURACY else value / 100.0


def benchmark_error(benchmark: object, score: object, metric: object) -> float | None:
    """The error of ``score`` by the registry's rule of ``benchmark`` when ``metric`` is that benchmark's
    headline metric ("pass@1" 28.8 on humaneval -> 0.712, "perplexity" 18.3 on wikitext-103 -> ln 18.3);
    None when the registry does not apply (another benchmark or metric: see :func:`error_from_score`)."""
    row = registry_row(benchmark) if isinstance(benchmark, str) else None
    if row is None or canonical_metric(metric) != canonical_metric(row.headline_metric):
        return None
    if score is None or (not isinstance(score, str) and pd.isna(score)):
        return math.nan
    try:
        return row.error(float(score))  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise AnalysisError("score is not a number", metric=metric, score=score) from exc


def headline_metric(benchmark: str, metrics: Iterable[object] | None = None) -> str | None:
    """The headline measure of a benchmark (ImageNet top-1, COCO box AP, SQuAD EM, ...).

    Without ``metrics``: the preferred measure, or None for a benchmark outside the table.
    With ``metrics`` (the printed names present): the first preferred measure that occurs; for a
    benchmark outside the table, the most frequent known measure (ties broken alphabetically);
    None when no known measure occurs.
    """
    preferred = HEADLINE_METRICS.get(benchmark)
    if metrics is None:
        return preferred[0] if preferred else None
    counts = Counter(m for m in (_measure(metric) for metric in metrics) if m is not None)
    if preferred is not None:
        return next((m for m in preferred if counts[m] > 0), None)
    if not counts:
        return None
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def select_headline(points: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``points`` whose metric is the headline measure of their benchmark."""
    if points.empty:
        return points
    measures = points["metric"].map(_measure)
    keep = pd.Series(False, index=points.index)
    for benchmark, group in points.groupby("benchmark", sort=True):
        chosen = headline_metric(str(benchmark), group["metric"].tolist())
        if chosen is None:
            logger.warning("benchmark %s: no known headline metric among %d rows", benchmark, len(group))
            continue
        mask = measures.loc[group.index] == chosen
        dropped = int((~mask).sum())
        if dropped:
            logger.info(
                "benchmark %s: headline %s, %d rows of other metrics left out", benchmark, chosen, dropped
            )
        keep.loc[group.index[mask.to_numpy()]] = True
    return points.loc[keep]


def resolve_errors(points: pd.DataFrame) -> pd.Series:
    """Per row: the given ``error`` when finite, else the registry's rule for a benchmark's headline score
    (:func:`benchmark_error`), else ``error_from_score(score, metric)``.

    Rows whose error cannot be computed (unknown metric, score out of range) give NaN and a
    warning; they are not usable, which is not an error of the whole frame.
    """
    given = (
        pd.to_numeric(points["error"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if "error" in points.columns
        else np.full(len(points), np.nan)
    )
    out: list[float] = []
    for position, (index, row) in enumerate(points.iterrows()):
        value = float(given[position])
        if math.isfinite(value):
            out.append(value)
            continue
        try:
            by_registry = benchmark_error(row.get("benchmark"), row["score"], row["metric"])
            out.append(error_from_score(row["score"], row["metric"]) if by_registry is None else by_registry)
        except AnalysisError as exc:
            logger.warning("point %s: no error: %s", row.get("point_id", index), exc)
            out.append(math.nan)
    return pd.Series(out, index=points.index, dtype=float, name="error")
