"""Thompson et al.'s published CSVs through the pipeline (needs ../shared/reference/thompson).

The ImageNet hardware-burden polynomial fit is pinned as our own change detector: the values
below are what this code computes from the CSVs at commit 62f1e4d, not yet checked against the
numbers printed in the published notebooks (a later issue).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.scaling import fit_all, fit_scaling
from analysis.thompson import THOMPSON_FILES, read_thompson_csv, thompson_points

pytestmark = pytest.mark.corpus


def test_read_thompson_csv_layout(thompson_dir: Path) -> None:
    frame = read_thompson_csv(thompson_dir / "image-classification-on-imagenet.csv")
    assert len(frame) == 208
    assert frame["line"].iloc[0] == 5  # data starts on line 5
    assert frame["name"].iloc[0] == "CoCa"
    assert not frame["name"].str.endswith(" ").any()  # padded names stripped
    assert all(c == c.strip() for c in frame.columns)
    assert frame["hardware_burden"].dtype == "float64"
    assert frame["(TOP 1 score)"].dtype == "float64"
    assert frame["year"].dtype == "Int64"
    assert frame["hardware_burden"].notna().sum() == 36
    assert frame["(TOP 1 score)"].between(60, 100).all()


def test_thompson_points_cover_the_six_benchmarks(thompson_dir: Path) -> None:
    points = thompson_points(thompson_dir)
    assert sorted(points["benchmark"].unique()) == sorted(b for b, _, _ in THOMPSON_FILES.values())
    assert points["point_id"].is_unique
    assert (points["compute_kind"] == "hardware_burden").all()
    assert points["error"].isna().all()
    imagenet = points.loc[points["benchmark"] == "imagenet"]
    assert len(imagenet) == 208 and (imagenet["metric"] == "TOP 1 score").all()
    assert imagenet["compute"].notna().sum() == 36


def test_imagenet_hardware_burden_polynomial_fit(thompson_dir: Path) -> None:
    fit = fit_scaling(thompson_points(thompson_dir), benchmark="imagenet", form="polynomial")
    # direction and magnitude of the published result
    assert fit.slope < 0 and fit.identified
    assert 5 < fit.k < 20
    # our pinned regression (change detector)
    assert fit.n == 36
    assert round(fit.slope, 3) == -0.093
    assert fit.slope == pytest.approx(-0.09333, abs=5e-5)
    assert fit.se == pytest.approx(0.00884, abs=5e-5)
    assert fit.ci_low == pytest.approx(-0.1113, abs=5e-4)
    assert fit.ci_high == pytest.approx(-0.0754, abs=5e-4)
    assert fit.r2 == pytest.approx(0.766, abs=5e-4)
    assert fit.k == pytest.approx(10.71, abs=0.01)
    assert fit.k_low == pytest.approx(8.98, abs=0.01)
    assert fit.k_high == pytest.approx(13.27, abs=0.01)
    assert fit.halving_multiplier == pytest.approx(1680, rel=0.005)
    assert fit.halving_multiplier_low == pytest.approx(507, rel=0.005)  # cf. "more than 500x"
    assert fit.halving_multiplier_high == pytest.approx(9874, rel=0.005)


def test_all_benchmarks_fit_and_headline_selection_ignores_other_metrics(thompson_dir: Path) -> None:
    fits = fit_all(thompson_points(thompson_dir), forms=("polynomial",))
    n = {f.benchmark: f.n for f in fits}
    assert n == {
        "coco": 13,
        "conll2003": 12,
        "imagenet": 36,
        "squad1.1": 12,
        "wmt2014-en-de": 12,
        "wmt2014-en-fr": 14,
    }
    assert all(f.slope < 0 for f in fits)
    every_metric = thompson_points(thompson_dir, all_metrics=True)
    assert set(every_metric.loc[every_metric["benchmark"] == "imagenet", "metric"]) == {
        "TOP 1 score",
        "TOP 5 score",
    }
    again = {f.benchmark: f for f in fit_all(every_metric, forms=("polynomial",))}
    assert {b: f.n for b, f in again.items()} == n
    assert again["imagenet"].slope == pytest.approx(next(f for f in fits if f.benchmark == "imagenet").slope)


def test_other_compute_columns(thompson_dir: Path) -> None:
    points = thompson_points(thompson_dir, compute_column="network_operations")
    assert (points["compute_kind"] == "network_operations").all()
    fit = fit_scaling(points, benchmark="imagenet")
    assert fit.n > 36 and fit.slope < 0
    assert isinstance(points, pd.DataFrame)
