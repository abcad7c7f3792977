"""Compute trends and algorithmic progress (issue 16): the fractional year, OLS and its paper-level
bootstrap on data with known coefficients, the running top-10 frontier, code models on Epoch's real
values, and the progress fit recovering known b and c."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.exceptions import InsufficientDataError
from analysis.progress import fit_progress, point_years
from analysis.trend_groups import domain_group, frontier_mask, row_fractional_year
from analysis.trends import LOG2_MONTHS, TrendFit, TrendGap, fractional_year, is_code_model, trend_fits

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
EPOCH_DIR = SHARED / "reference" / "epoch"


def _rows(years: np.ndarray, compute: np.ndarray, clusters: list[str] | None = None, **extra: object) -> pd.DataFrame:
    """Trend rows as `warehouse.trends.trend_rows` gives them (Epoch rows, dated to the day)."""
    dates = [dt.date(int(y), 1, 1) + dt.timedelta(days=int((y % 1) * 365.25)) for y in years]
    return pd.DataFrame({
        "source": "epoch", "row_id": [f"m{i}" for i in range(len(years))],
        "cluster": clusters or [f"paper{i}" for i in range(len(years))], "name": None, "published": dates,
        "precision": "day", "year": [d.year for d in dates], "compute": compute, "domain": extra.get("domain"),
        "task": extra.get("task"), "benchmarks": None, "category": None, "synthetic": False})


def test_fractional_year_is_epochs_formula() -> None:
    assert fractional_year(dt.date(2020, 1, 1)) == 2020.0
    assert fractional_year(dt.date(2021, 7, 2)) == pytest.approx(2021 + 182 / 365.25)
    assert fractional_year(dt.date(2020, 12, 31)) == pytest.approx(2020 + 365 / 365.25)  # leap year: day 366
    # a date known to the month sits mid-month, one known to the year mid-year; nothing known: NaN
    assert row_fractional_year(dt.date(2019, 3, 1), "month", 2019) == pytest.approx(2019 + 2.5 / 12)
    assert row_fractional_year(None, "year", 2017) == 2017.5
    assert row_fractional_year(dt.date(2017, 1, 1), "year", 2017) == 2017.5
    assert math.isnan(row_fractional_year(None, "year", None))


def test_ols_recovers_a_known_growth_rate() -> None:
    rng = np.random.default_rng(1)
    years = rng.uniform(2010, 2024, 300)
    log_c = 17.0 + 0.6 * (years - 2010) + rng.normal(0, 0.3, 300)
    [fit] = trend_fits(_rows(years, 10**log_c), since=dt.date(2010, 1, 1))
    assert isinstance(fit, TrendFit) and (fit.source, fit.group, fit.n, fit.papers) == ("epoch", "all", 300, 300)
    assert fit.slope == pytest.approx(0.6, abs=0.02)
    assert fit.growth_per_year == pytest.approx(10**fit.slope)
    assert fit.doubling_months == pytest.approx(12 * math.log10(2) / fit.slope)
    assert fit.doubling_low == pytest.approx(LOG2_MONTHS / fit.slope_high)
    assert fit.slope_low < fit.slope < fit.slope_high and fit.draws_used == 1000


def test_paper_bootstrap_interval_contains_the_true_slope_and_is_repeatable() -> None:
    """Papers of 4 models share a random offset: the 90% interval from resampling papers covers the
    true slope in most of 40 data sets (expected 36), and the same seed gives the same interval."""
    covered = 0
    for seed in range(40):
        rng = np.random.default_rng(100 + seed)
        paper_years = rng.uniform(2012, 2024, 30)
        years = np.repeat(paper_years, 4) + rng.uniform(0, 0.2, 120)
        log_c = 18.0 + 0.5 * (years - 2012) + np.repeat(rng.normal(0, 0.5, 30), 4) + rng.normal(0, 0.2, 120)
        [fit] = trend_fits(_rows(years, 10**log_c, [f"p{i // 4}" for i in range(120)]), draws=400)
        assert fit.papers == 30
        covered += fit.slope_low <= 0.5 <= fit.slope_high
    assert covered >= 32
    again = trend_fits(_rows(years, 10**log_c, [f"p{i // 4}" for i in range(120)]), draws=400)[0]
    assert (again.slope_low, again.slope_high) == (fit.slope_low, fit.slope_high)


def test_frontier_keeps_the_running_top_ten() -> None:
    # 11 models, each the largest so far (kept); one below the 10 largest before it (dropped); one tied
    # with the 10th largest (kept); one that a model of the same day pushes out of the top 10 (dropped),
    # and that model (kept).
    years = [2010 + i * 0.5 for i in range(11)] + [2016.0, 2016.5, 2017.0, 2017.0]
    compute = [10.0**(18 + i) for i in range(11)] + [10.0**18.5, 1e19, 1e19, 1e35]
    expected = [True] * 11 + [False, True, False, True]
    assert frontier_mask(years, compute).tolist() == expected
    assert frontier_mask([1, 2, 2, 3], [5, 9, 1, 4], top=2).tolist() == [True, True, False, False]
    [fit] = trend_fits(_rows(np.array(years), np.array(compute)), frontier=True)
    assert fit.n == sum(expected) and fit.frontier


def test_too_few_models_is_a_gap_not_a_fit() -> None:
    results = trend_fits(_rows(np.array([2015.0, 2016.0]), np.array([1e20, 1e21])))
    assert results == [TrendGap("epoch", "all", "none", 2, 2, "too few points (n=2, min_points=3)")]


def test_domains_multimodal_and_code_groups() -> None:
    assert domain_group("Multimodal,Language,Vision", None) == "multimodal"
    assert domain_group("Vision,Image generation", None) == "vision"
    assert domain_group("Language", "Chat,Code generation") == "code"
    assert domain_group(None, None) is None
    years = np.linspace(2015, 2024, 9)
    rows = _rows(years, 10 ** (18 + 0.5 * (years - 2015)),
                 domain=["Language"] * 3 + ["Language"] * 3 + ["Vision"] * 3,
                 task=["Code generation"] * 3 + ["Chat"] * 3 + [None] * 3)
    fits = {f.group: f.n for f in trend_fits(rows, by="domain")}
    assert fits == {"all": 9, "code": 3, "language": 3, "vision": 3}


@pytest.mark.corpus
def test_is_code_model_on_epochs_real_values() -> None:
    """Epoch's own values: every Task naming "Code generation" or "Code autocompletion" is code; no Domain
    value of either snapshot names code; words that contain "code" (Autoencoder, Encodec) do not count."""
    frame = pd.read_csv(EPOCH_DIR / "all_ml_systems_2025-08.csv", dtype=str)
    tasks = frame["Task"].dropna().unique()
    named = [t for t in tasks if "Code generation" in t or "Code autocompletion" in t]
    assert len(named) > 50
    assert all(is_code_model(None, t) for t in named)
    assert not any(is_code_model(None, t) for t in tasks if "code" not in t.lower())
    notable = pd.read_csv(EPOCH_DIR / "notable_ai_models_2025-02-24.csv", dtype=str)
    assert "Task" not in notable.columns  # the Notable download cannot tell code models
    domains = set(frame["Domain"].dropna()) | set(notable["Domain"].dropna())
    assert not any(is_code_model(d, None) for d in domains)
    assert not is_code_model("Vision", "Image autoencoder") and not is_code_model("Audio", "Encodec")
    rows = frame.loc[frame["Task"].notna()]
    flags = [is_code_model(d, t) for d, t in zip(rows["Domain"], rows["Task"], strict=True)]
    assert sum(flags) == rows["Task"].str.contains(r"\bCode (?:generation|autocompletion)\b").sum()


def _points(b: float, c: float, *, n_papers: int = 60, seed: int = 3, noise: float = 0.1) -> pd.DataFrame:
    """`v_regression_points_all` rows (plus the papers' dates) with log10(C) = a + b·t + c·log10(error)."""
    rng = np.random.default_rng(seed)
    published = [dt.date(2012, 1, 1) + dt.timedelta(days=int(d)) for d in rng.uniform(0, 10 * 365, n_papers)]
    t = np.array([fractional_year(d) for d in published])
    error = rng.uniform(0.05, 0.4, n_papers)
    log_c = 20.0 + b * (t - 2012) + c * np.log10(error) + rng.normal(0, noise, n_papers)
    ids = [f"{1200 + i}.{i:05d}" for i in range(n_papers)]
    return pd.DataFrame({
        "point_id": [f"{p}:imagenet:extracted" for p in ids], "paper_id": ids, "paper_key": ids,
        "benchmark": "imagenet", "model": None, "metric": "top1", "score": 100 * (1 - error), "error": error,
        "year": [d.year for d in published], "result_source": "pwc", "compute_source": "extracted",
        "hardware_burden": 10**log_c, "estimated_compute": None, "network_operations": None, "provenance": "",
        "synthetic": False, "published": published, "published_precision": "day"})


def test_progress_recovers_known_b_and_c() -> None:
    fit = fit_progress(_points(-0.3, -8.0), "imagenet")
    assert (fit.n, fit.papers) == (60, 60)
    assert fit.b == pytest.approx(-0.3, abs=0.02) and fit.c == pytest.approx(-8.0, abs=0.2)
    assert fit.b_low < -0.3 < fit.b_high < 0 and fit.c_low < -8.0 < fit.c_high
    assert fit.identified and fit.halving_months == pytest.approx(12 * math.log10(2) / -fit.b)
    assert fit.halving_low < 12 * math.log10(2) / 0.3 < fit.halving_high
    assert fit.reduction_per_year == pytest.approx(10**0.3, rel=0.05)


def test_progress_without_a_time_trend_is_not_identified() -> None:
    fit = fit_progress(_points(0.0, -8.0, seed=5), "imagenet")
    assert fit.b_low < 0 < fit.b_high
    assert not fit.identified and fit.halving_months is None
    assert fit.not_identified_reason == "b's 90% interval includes 0"
    with pytest.raises(InsufficientDataError):
        fit_progress(_points(-0.3, -8.0), "imagenet", synthetic=True)  # no synthetic points: nothing to fit


def test_progress_dates_use_the_paper_date_only_within_the_points_year() -> None:
    frame = pd.DataFrame({"published": [dt.date(2016, 7, 2), dt.date(2017, 1, 5), None],
                          "published_precision": ["day", None, None], "year": [2016, 2016, 2018]})
    years, labels = point_years(frame)
    assert years == [pytest.approx(2016 + 183 / 365.25), 2016.5, 2018.5]
    assert labels == ["2016-07-02", "2016", "2018"]
