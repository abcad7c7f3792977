"""OLS scaling fits on synthetic points with known coefficients, and the derived quantities."""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable

import pandas as pd
import pytest

from analysis.exceptions import AnalysisError, InsufficientDataError
from analysis.scaling import (
    ScalingFit,
    exponential_halving_decades,
    extrapolate,
    fit_all,
    fit_scaling,
    halving_multiplier,
    implied_exponents,
    is_out_of_sample,
    mean_band,
)

PointsFactory = Callable[..., pd.DataFrame]


def test_polynomial_fit_recovers_known_coefficients(make_points: PointsFactory) -> None:
    points = make_points(n=60, form="polynomial", intercept=1.0, slope=-0.1, noise=0.01)
    fit = fit_scaling(points, benchmark="imagenet", form="polynomial")
    assert fit.n == 60
    assert fit.slope == pytest.approx(-0.1, abs=0.003)
    assert fit.intercept == pytest.approx(1.0, abs=0.06)
    assert fit.ci_low < -0.1 < fit.ci_high
    assert fit.ci_low < fit.slope < fit.ci_high
    assert fit.se > 0 and fit.r2 > 0.98 and fit.p_value < 1e-10
    assert fit.identified
    assert fit.k == pytest.approx(10.0, rel=0.03)
    assert fit.k_low < fit.k < fit.k_high
    assert fit.halving_multiplier == pytest.approx(2.0**fit.k)
    assert fit.compute_kind == "hardware_burden"
    assert fit.metric == "top1"
    assert fit.row_ids == tuple(sorted(points["point_id"]))
    assert fit.df_resid == 58
    assert fit.x_min == pytest.approx(17.0) and fit.x_max == pytest.approx(23.0)


def test_exponential_fit_recovers_known_coefficients(make_points: PointsFactory) -> None:
    points = make_points(n=60, form="exponential", intercept=-20.0, slope=1.3, noise=0.05)
    fit = fit_scaling(points, benchmark="imagenet", form="exponential")
    assert fit.slope == pytest.approx(1.3, abs=0.02)
    assert fit.intercept == pytest.approx(-20.0, abs=0.4)
    assert fit.ci_low < 1.3 < fit.ci_high
    assert fit.identified
    assert fit.k is None and fit.halving_multiplier is None
    assert exponential_halving_decades(fit, 0.2) == pytest.approx(1.0 / (fit.slope * 0.2))


def test_implied_exponent_and_halving_multiplier_formulas() -> None:
    k, k_low, k_high, identified = implied_exponents(-0.1, -0.125, -0.08)
    assert identified
    assert k == pytest.approx(10.0)
    assert k_low == pytest.approx(8.0)  # the edge farthest from zero: conservative lower bound
    assert k_high == pytest.approx(12.5)
    assert halving_multiplier(10.0) == pytest.approx(1024.0)
    assert halving_multiplier(9.0) == pytest.approx(512.0)
    assert halving_multiplier(k_low) == pytest.approx(256.0)
    assert halving_multiplier(None) is None
    assert halving_multiplier(5000.0) == math.inf


@pytest.mark.parametrize(
    ("slope", "ci_low", "ci_high"),
    [(-0.05, -0.2, 0.1), (-0.05, -0.1, 0.0), (0.05, 0.01, 0.09), (-0.1, float("nan"), -0.05)],
)
def test_k_not_identified_unless_ci_below_zero(slope: float, ci_low: float, ci_high: float) -> None:
    assert implied_exponents(slope, ci_low, ci_high) == (None, None, None, False)


def test_flat_relation_is_not_identified(make_points: PointsFactory) -> None:
    points = make_points(n=20, slope=0.0, intercept=-0.8, noise=0.05, seed=3)
    fit = fit_scaling(points, benchmark="imagenet")
    assert fit.ci_low < 0.0 < fit.ci_high
    assert not fit.identified
    assert fit.k is None and fit.k_low is None and fit.k_high is None
    assert fit.halving_multiplier is None and fit.halving_multiplier_low is None
    low, high = extrapolate(fit, 0.05)[1:]
    assert (low, high) == (-math.inf, math.inf)


def test_fit_all_skips_benchmarks_with_fewer_than_three_points(make_points: PointsFactory) -> None:
    points = pd.concat(
        [
            make_points("imagenet", n=30),
            make_points("coco", n=12, metric="box AP", seed=2),
            make_points("squad1.1", n=2, metric="EM", seed=4),
        ],
        ignore_index=True,
    )
    fits = fit_all(points)
    assert [(f.benchmark, f.form) for f in fits] == [
        ("coco", "polynomial"),
        ("coco", "exponential"),
        ("imagenet", "polynomial"),
        ("imagenet", "exponential"),
    ]
    assert [f.benchmark for f in fit_all(points, forms=("polynomial",))] == ["coco", "imagenet"]
    with pytest.raises(InsufficientDataError) as info:
        fit_scaling(points, benchmark="squad1.1")
    assert info.value.context["n"] == 2
    assert fit_all(points.iloc[0:0]) == []


def test_unusable_rows_are_left_out(make_points: PointsFactory) -> None:
    points = make_points(n=10)
    points.loc[0, "compute"] = float("nan")
    points.loc[1, "compute"] = 0.0
    points.loc[2, "score"] = float("nan")
    points.loc[3, "metric"] = "Top 5 Accuracy"  # not the headline measure
    points.loc[4, ["error", "score"]] = [0.3, float("nan")]  # a given error is used as is
    fit = fit_scaling(points, benchmark="imagenet")
    assert fit.n == 6
    assert set(fit.row_ids) == set(points["point_id"].iloc[4:])


def test_fit_errors(make_points: PointsFactory) -> None:
    points = make_points(n=10)
    with pytest.raises(AnalysisError, match="unknown regression form"):
        fit_scaling(points, benchmark="imagenet", form="quadratic")
    with pytest.raises(AnalysisError, match="lacks columns"):
        fit_scaling(points.drop(columns="compute"), benchmark="imagenet")
    same = points.assign(compute=1e20)
    with pytest.raises(InsufficientDataError, match="no spread"):
        fit_scaling(same, benchmark="imagenet")
    duplicated = points.assign(point_id="p")
    with pytest.raises(AnalysisError, match="duplicate point_id"):
        fit_scaling(duplicated, benchmark="imagenet")


def test_compute_kinds_are_never_mixed(make_points: PointsFactory) -> None:
    hb = make_points(n=12, seed=1)
    ops = make_points(n=8, seed=2, compute_kind="network_operations", intercept=0.8)
    points = pd.concat([hb, ops], ignore_index=True)
    with pytest.raises(AnalysisError, match="mix compute kinds"):
        fit_scaling(points, benchmark="imagenet")
    fit = fit_scaling(points, benchmark="imagenet", compute_kind="network_operations")
    assert fit.n == 8 and fit.compute_kind == "network_operations"
    kinds = [(f.compute_kind, f.form, f.n) for f in fit_all(points)]
    assert kinds == [
        ("hardware_burden", "polynomial", 12),
        ("hardware_burden", "exponential", 12),
        ("network_operations", "polynomial", 8),
        ("network_operations", "exponential", 8),
    ]


def test_fit_without_compute_kind_column(make_points: PointsFactory) -> None:
    points = make_points(n=10).drop(columns="compute_kind")
    fit = fit_all(points, forms=("polynomial",))[0]
    assert fit.compute_kind is None and fit.n == 10


def test_scaling_fit_dict_round_trip_and_pickle(make_points: PointsFactory) -> None:
    fit = fit_scaling(make_points(n=15), benchmark="imagenet")
    data = fit.to_dict()
    assert isinstance(data["row_ids"], list)
    assert ScalingFit.from_dict(data) == fit
    assert ScalingFit.from_dict({**data, "future_field": 1}) == fit
    assert pickle.loads(pickle.dumps(fit)) == fit
    with pytest.raises(AnalysisError, match="lacks fields"):
        ScalingFit.from_dict({k: v for k, v in data.items() if k != "slope"})
    with pytest.raises(AttributeError):
        fit.slope = 0.0  # type: ignore[misc]


def test_extrapolate_polynomial_and_exponential(make_points: PointsFactory) -> None:
    fit = fit_scaling(make_points(n=40), benchmark="imagenet")
    # on the fitted line: the error at log10 C = 20 extrapolates back to 20
    e20 = 10.0 ** (fit.intercept + fit.slope * 20.0)
    central, low, high = extrapolate(fit, e20)
    assert central == pytest.approx(20.0)
    assert low <= central <= high
    assert not is_out_of_sample(fit, central)
    # out of sample: a tenth of the smallest fitted error lies far beyond the data
    far = extrapolate(fit, e20 / 100.0)
    assert far.log10_compute == pytest.approx(20.0 + 2.0 / abs(fit.slope))
    assert is_out_of_sample(fit, far.log10_compute)
    assert far.high - far.low > high - low  # the range widens away from the data
    exp_fit = fit_scaling(
        make_points(n=40, form="exponential", intercept=-20.0, slope=1.3, noise=0.05),
        benchmark="imagenet",
        form="exponential",
    )
    central, low, high = extrapolate(exp_fit, 0.05)
    assert central == pytest.approx((1.0 / 0.05 - exp_fit.intercept) / exp_fit.slope)
    assert low <= central <= high
    with pytest.raises(AnalysisError):
        extrapolate(fit, 0.0)


def test_mean_band_matches_the_slope_interval(make_points: PointsFactory) -> None:
    fit = fit_scaling(make_points(n=25), benchmark="imagenet")
    y, lo, hi = mean_band(fit, [fit.x_mean, fit.x_max])
    assert y[0] == pytest.approx(fit.intercept + fit.slope * fit.x_mean)
    assert (lo < y).all() and (y < hi).all()
    assert hi[1] - lo[1] > hi[0] - lo[0]  # narrowest at the centroid
