"""Metric -> error (METHODOLOGY §4) and the headline metric per benchmark."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd
import pytest

from analysis.error_rates import (
    canonical_metric,
    error_from_score,
    headline_metric,
    metric_rule,
    resolve_errors,
    select_headline,
)
from analysis.exceptions import AnalysisError, UnknownMetricError


@pytest.mark.parametrize(
    ("metric", "score", "expected"),
    [
        ("Top 1 Accuracy", 76.5, 0.235),
        ("top1", 76.5, 0.235),
        ("Top-1 accuracy", 80.0, 0.20),
        ("(TOP 1 score)", 91.0, 0.09),
        ("Top 5 Accuracy", 93.0, 0.07),
        ("box AP", 42.0, 0.58),
        ("(BOX AP)", 62.4, 0.376),
        ("EM", 85.0, 0.15),
        ("Exact Match", 90.6, 0.094),
        ("(EM score)", 44.2, 0.558),
        ("F1", 92.0, 0.08),
        ("F1 score", 94.6, 0.054),
        ("BLEU score", 28.4, 0.716),
        ("BLEU", 41.0, 0.59),
        ("SacreBLEU", 33.8, 0.662),
        ("Accuracy", 70.0, 0.30),
    ],
)
def test_accuracy_like_metrics_give_one_minus_score_over_100(
    metric: str, score: float, expected: float
) -> None:
    assert error_from_score(score, metric) == pytest.approx(expected)
    assert metric_rule(metric).rule == "1 - score/100"


@pytest.mark.parametrize(
    ("metric", "score", "expected"),
    [
        ("Top-1 Error", 23.5, 0.235),
        ("top1 error rate", 20.0, 0.20),
        ("Top 5 Error", 7.0, 0.07),
        ("Error rate", 3.5, 0.035),
        ("WER", 5.0, 0.05),
    ],
)
def test_error_rates_in_percent_share_the_accuracy_footing(
    metric: str, score: float, expected: float
) -> None:
    assert error_from_score(score, metric) == pytest.approx(expected)
    assert metric_rule(metric).kind == "error_rate"


def test_top1_error_and_top1_accuracy_measure_the_same_thing() -> None:
    assert error_from_score(23.5, "Top-1 Error") == pytest.approx(error_from_score(76.5, "Top 1 Accuracy"))
    assert metric_rule("Top-1 Error").measure == metric_rule("top1").measure == "top1"


@pytest.mark.parametrize(
    ("metric", "score"), [("Perplexity", 20.3), ("PPL", 54.5), ("bpc", 1.08), ("Loss", 2.1)]
)
def test_loss_like_metrics_are_used_directly(metric: str, score: float) -> None:
    assert error_from_score(score, metric) == score
    assert metric_rule(metric).rule == "score"


@pytest.mark.parametrize("metric", ["Hamming loss ratio", "MOS", "FID", "", "   "])
def test_unknown_metric_raises_analysis_error(metric: str) -> None:
    with pytest.raises(UnknownMetricError) as info:
        error_from_score(50.0, metric)
    assert isinstance(info.value, AnalysisError)
    assert info.value.context["metric"] == metric


def test_analysis_error_pickles_with_context() -> None:
    try:
        error_from_score(50.0, "FID")
    except AnalysisError as exc:
        clone = pickle.loads(pickle.dumps(exc))
    assert type(clone) is UnknownMetricError
    assert clone.context == {"metric": "FID", "key": "fid"}
    assert clone.message == "no error rule for metric (METHODOLOGY §4)"
    assert "metric='FID'" in str(clone)


def test_missing_score_gives_nan_and_bad_percentages_raise() -> None:
    assert math.isnan(error_from_score(float("nan"), "top1"))
    assert math.isnan(error_from_score(None, "top1"))  # type: ignore[arg-type]
    with pytest.raises(AnalysisError):
        error_from_score(123.0, "Top 1 Accuracy")
    with pytest.raises(AnalysisError):
        error_from_score(-1.0, "BLEU")


def test_canonical_metric_names() -> None:
    assert canonical_metric("Top 1 Accuracy") == "top1"
    assert canonical_metric("box AP") == "box_ap"
    assert canonical_metric("Top-1 Error") == "top1_error"
    assert canonical_metric("FID") is None
    assert canonical_metric(None) is None


def test_headline_metric_per_benchmark() -> None:
    assert headline_metric("imagenet") == "top1"
    assert headline_metric("coco") == "box_ap"
    assert headline_metric("squad1.1") == "em"
    assert headline_metric("conll2003") == "f1"
    assert headline_metric("wmt2014-en-de") == "bleu"
    assert headline_metric("wmt2014-en-fr") == "bleu"
    assert headline_metric("cifar10") is None
    # present metrics: the first preferred measure that occurs
    assert headline_metric("imagenet", ["Top 5 Accuracy", "Top-1 Error"]) == "top1"
    assert headline_metric("imagenet", ["Top 5 Accuracy"]) is None
    assert headline_metric("squad1.1", ["F1", "EM"]) == "em"
    assert headline_metric("wmt2014-en-de", ["SacreBLEU"]) == "sacrebleu"
    # outside the table: the most frequent known measure, ties alphabetical
    assert headline_metric("cifar10", ["Accuracy", "Accuracy", "F1", "FID"]) == "accuracy"
    assert headline_metric("cifar10", ["F1", "Accuracy"]) == "accuracy"
    assert headline_metric("cifar10", ["FID"]) is None


def test_select_headline_keeps_one_measure_per_benchmark() -> None:
    points = pd.DataFrame(
        {
            "benchmark": ["imagenet", "imagenet", "imagenet", "squad1.1", "squad1.1", "mystery"],
            "metric": ["Top 1 Accuracy", "Top 5 Accuracy", "Top-1 Error", "F1", "EM", "FID"],
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    assert select_headline(points).index.tolist() == [10, 12, 14]


def test_resolve_errors_prefers_the_given_error() -> None:
    points = pd.DataFrame(
        {
            "point_id": ["a", "b", "c", "d"],
            "metric": ["top1", "top1", "FID", "FID"],
            "score": [80.0, 80.0, 10.0, 10.0],
            "error": [0.5, np.nan, 0.3, np.nan],
        }
    )
    resolved = resolve_errors(points)
    assert resolved.iloc[:3].tolist() == pytest.approx([0.5, 0.2, 0.3])
    assert math.isnan(resolved.iloc[3])  # unknown metric, no error: unusable, not an exception
