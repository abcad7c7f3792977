"""Paper-level bootstrap, leave-one-paper-out and form comparison on synthetic data with known coefficients."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis.exceptions import AnalysisError, InsufficientDataError
from analysis.uncertainty import (
    BootstrapResult,
    bootstrap_fit,
    compare_forms,
    leave_one_paper_out,
    top_influences,
)

TRUE_SLOPE = -0.1


def frame(log_c: np.ndarray, error: np.ndarray, papers: np.ndarray | list[str]) -> pd.DataFrame:
    return pd.DataFrame({"log10_compute": log_c, "error": error, "paper_key": papers})


def power_law(
    *, papers: int = 60, per_paper: int = 5, noise: float = 0.02, paper_noise: float = 0.0, seed: int = 1
) -> pd.DataFrame:
    """log10(error) = 1 - 0.1·log10(C) + paper offset + point noise; each paper spans one compute region."""
    rng = np.random.default_rng(seed)
    paper = np.repeat(np.arange(papers), per_paper)
    log_c = rng.uniform(17.0, 23.0, papers)[paper] + rng.normal(0.0, 0.2, len(paper))
    log_e = 1.0 + TRUE_SLOPE * log_c + rng.normal(0.0, paper_noise, papers)[paper] + rng.normal(0.0, noise, len(paper))
    return frame(log_c, 10.0**log_e, [f"paper-{p:03d}" for p in paper])


def ols_slope(points: pd.DataFrame, form: str = "polynomial") -> tuple[float, float]:
    """Slope and its 95% half-width from numpy (t ≈ 1.97 for the sizes used here)."""
    x = points["log10_compute"].to_numpy()
    y = np.log10(points["error"].to_numpy()) if form == "polynomial" else 1.0 / points["error"].to_numpy()
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (intercept + slope * x)
    se = math.sqrt(resid @ resid / (len(x) - 2) / ((x - x.mean()) @ (x - x.mean())))
    return float(slope), 1.97 * se


def test_bootstrap_interval_covers_the_true_slope() -> None:
    points = power_law()
    result = bootstrap_fit(points, "polynomial", draws=1000, seed=3)
    assert result.n_points == 300 and result.n_papers == 60
    assert result.draws == 1000 and result.draws_used == 1000 and result.degenerate == 0
    assert result.slope == pytest.approx(ols_slope(points)[0], rel=1e-9)
    assert result.slope_low < TRUE_SLOPE < result.slope_high
    assert result.slope_low < result.slope < result.slope_high
    assert result.intercept_low < 1.0 < result.intercept_high
    assert 0 < result.slope_se < 0.01
    assert result.share_negative == 1.0
    assert result.identified
    assert result.k == pytest.approx(1.0 / abs(result.slope))
    assert result.k_low is not None and result.k_high is not None
    assert result.k_low < 10.0 < result.k_high
    # k = 1/|b| is monotone in b over negative slopes: its interval is the slope interval transformed
    assert result.k_low == pytest.approx(-1.0 / result.slope_low, rel=1e-3)
    assert result.k_high == pytest.approx(-1.0 / result.slope_high, rel=1e-3)
    assert result.halving_multiplier == pytest.approx(2.0**result.k)
    assert result.halving_multiplier_low == pytest.approx(2.0**result.k_low)
    assert result.halving_multiplier_high == pytest.approx(2.0**result.k_high)


def test_bootstrap_is_reproducible_with_a_seed_and_varies_with_another() -> None:
    points = power_law()
    first = bootstrap_fit(points, "polynomial", draws=500, seed=11)
    again = bootstrap_fit(points, "polynomial", draws=500, seed=11)
    other = bootstrap_fit(points, "polynomial", draws=500, seed=12)
    assert first == again
    assert first.to_dict() == again.to_dict()
    assert (other.slope_low, other.slope_high) != (first.slope_low, first.slope_high)
    assert other.slope == first.slope  # the full-data fit does not depend on the seed


def test_paper_level_resampling_is_wider_when_papers_cluster() -> None:
    """Two papers with 200 points each: OLS sees 400 independent points, the papers are only two."""
    rng = np.random.default_rng(5)
    x_a, x_b = rng.uniform(17.0, 20.0, 200), rng.uniform(20.0, 23.0, 200)
    y_a = 1.0 - 0.08 * x_a + rng.normal(0.0, 0.005, 200)
    y_b = (1.0 - 0.08 * 20.0) - 0.12 * (x_b - 20.0) + rng.normal(0.0, 0.005, 200)
    log_c, error = np.concatenate([x_a, x_b]), 10.0 ** np.concatenate([y_a, y_b])
    clustered = frame(log_c, error, ["A"] * 200 + ["B"] * 200)
    slope, half_width = ols_slope(clustered)
    by_paper = bootstrap_fit(clustered, "polynomial", draws=1000, seed=1)
    by_point = bootstrap_fit(clustered.assign(paper_key=[f"pt{i}" for i in range(400)]), "polynomial", seed=1)
    paper_width = by_paper.slope_high - by_paper.slope_low
    assert by_paper.n_papers == 2 and by_point.n_papers == 400
    assert paper_width > 5 * (2 * half_width)
    assert paper_width > 5 * (by_point.slope_high - by_point.slope_low)
    # resampling single points reproduces the OLS interval's width
    assert by_point.slope_high - by_point.slope_low == pytest.approx(2 * half_width, rel=0.35)
    # the paper-level draws reach each paper's own slope
    assert by_paper.slope_low < -0.115 and by_paper.slope_high > -0.085
    assert by_paper.slope == pytest.approx(slope, rel=1e-9)


def test_draws_without_compute_spread_are_dropped_and_counted() -> None:
    # three papers, each at one compute value: a draw of one paper three times has no spread
    points = frame(np.repeat([18.0, 20.0, 22.0], 4), 10.0 ** (1.0 - 0.1 * np.repeat([18.0, 20.0, 22.0], 4)),
                   np.repeat(["a", "b", "c"], 4))
    result = bootstrap_fit(points, "polynomial", draws=900, seed=2)
    assert 60 < result.degenerate < 150  # expected 900 · 3/27 = 100
    assert result.draws_used + result.degenerate == 900
    assert result.slope_low == pytest.approx(TRUE_SLOPE) and result.slope_high == pytest.approx(TRUE_SLOPE)


def test_flat_data_is_not_identified() -> None:
    rng = np.random.default_rng(9)
    points = frame(rng.uniform(17, 23, 120), 10.0 ** rng.normal(-1.0, 0.05, 120), [f"p{i // 3}" for i in range(120)])
    result = bootstrap_fit(points, "polynomial", draws=400)
    assert result.slope_low < 0.0 < result.slope_high
    assert not result.identified
    assert result.k is None and result.k_low is None and result.halving_multiplier_high is None
    assert 0.0 < result.share_negative < 1.0


def test_exponential_bootstrap_uses_the_inverse_error() -> None:
    rng = np.random.default_rng(4)
    log_c = np.repeat(rng.uniform(17, 23, 40), 3)
    points = frame(log_c, 1.0 / (-20.0 + 1.3 * log_c + rng.normal(0, 0.05, 120)), [f"p{i // 3}" for i in range(120)])
    result = bootstrap_fit(points, "exponential", draws=500)
    assert result.form == "exponential"
    assert result.slope == pytest.approx(ols_slope(points, "exponential")[0], rel=1e-9)
    assert abs(result.slope - 1.3) < 4 * result.slope_se
    assert 1.0 < result.slope_low < result.slope < result.slope_high
    assert result.identified and result.k is None


def test_bootstrap_result_to_dict_is_strict_json() -> None:
    result = bootstrap_fit(power_law(), "polynomial", draws=200)
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["slope_low"] == result.slope_low and data["seed"] == result.seed
    assert set(data) == set(BootstrapResult.__dataclass_fields__)


def test_leave_one_paper_out_names_the_planted_outlier_first() -> None:
    points = power_law(papers=30, per_paper=4, noise=0.01, seed=3)
    # a paper at the top of the compute range reporting ten times the error the law predicts
    outlier = frame(np.full(4, 23.5) + np.arange(4) * 0.1, 10.0 ** (1.0 + TRUE_SLOPE * 23.5 + 1.0), ["rogue"] * 4)
    points = pd.concat([points, outlier], ignore_index=True)
    influences = leave_one_paper_out(points, "polynomial")
    assert len(influences) == 31
    first = influences[0]
    assert first.paper_key == "rogue" and first.n_points == 4
    without = points.loc[points["paper_key"] != "rogue"]
    assert first.slope_without == pytest.approx(ols_slope(without)[0], rel=1e-9)
    assert first.slope_without == pytest.approx(TRUE_SLOPE, abs=0.003)
    assert first.delta == pytest.approx(first.slope_without - ols_slope(points)[0], rel=1e-9)
    assert first.delta < 0  # the rogue paper flattened the slope; without it the slope is steeper
    deltas = [abs(i.delta) for i in influences]
    assert deltas == sorted(deltas, reverse=True)
    assert top_influences(influences).startswith("rogue (Δb = -0.")
    assert top_influences(influences).count(";") == 2
    assert top_influences([i.to_dict() for i in influences], 1) == top_influences(influences, 1)


def test_leave_one_paper_out_marks_a_paper_that_cannot_be_left_out() -> None:
    # without paper "wide" only one compute value is left: that refit is not estimable
    points = frame(np.array([18.0, 20.0, 22.0, 21.0, 21.0]), np.array([0.3, 0.2, 0.1, 0.15, 0.14]),
                   ["wide", "wide", "wide", "point", "point"])
    influences = leave_one_paper_out(points, "polynomial")
    assert [i.paper_key for i in influences] == ["point", "wide"]
    assert math.isnan(influences[1].slope_without)
    assert json.loads(json.dumps(influences[1].to_dict(), allow_nan=False))["delta"] == "nan"


def test_compare_forms_picks_the_polynomial_on_power_law_data() -> None:
    comparison = compare_forms(power_law(papers=60, per_paper=3, noise=0.01))
    assert comparison.winner == "polynomial"
    assert comparison.rmse_log10_polynomial < comparison.rmse_log10_exponential
    assert comparison.rmse_log10_polynomial == pytest.approx(0.01, rel=0.3)
    assert comparison.n_points == comparison.n_predicted == 180 and comparison.n_papers == 60
    assert comparison.statement == (
        f"The polynomial form predicts held-out papers' log10 error with RMSE "
        f"{comparison.rmse_log10_polynomial:.3f} vs {comparison.rmse_log10_exponential:.3f} "
        "for the exponential: the polynomial fits better."
    )
    assert json.loads(json.dumps(comparison.to_dict(), allow_nan=False))["winner"] == "polynomial"


def test_compare_forms_picks_the_exponential_on_exponential_data() -> None:
    rng = np.random.default_rng(8)
    log_c = np.repeat(rng.uniform(17, 23, 60), 3) + rng.normal(0, 0.1, 180)
    error = 1.0 / (-20.0 + 1.3 * log_c + rng.normal(0, 0.05, 180))
    comparison = compare_forms(frame(log_c, error, [f"p{i // 3}" for i in range(180)]))
    assert comparison.winner == "exponential"
    assert comparison.rmse_log10_exponential < comparison.rmse_log10_polynomial
    assert comparison.rmse_error_exponential < comparison.rmse_error_polynomial
    assert comparison.guarded == 0
    assert comparison.statement.endswith("for the polynomial: the exponential fits better.")


def test_bad_input_is_an_analysis_error() -> None:
    points = power_law(papers=5)
    with pytest.raises(AnalysisError, match="unknown regression form"):
        bootstrap_fit(points, "cubic")
    with pytest.raises(AnalysisError, match="lacks columns"):
        leave_one_paper_out(points.drop(columns="paper_key"), "polynomial")
    with pytest.raises(InsufficientDataError, match="at least 2 papers"):
        bootstrap_fit(points.assign(paper_key="one"), "polynomial")
    with pytest.raises(InsufficientDataError, match="no spread"):
        compare_forms(points.assign(log10_compute=20.0))
