"""Issue 15: a fit whose slope CI includes zero or whose exponent range spans more than 10x is not
identified, and nothing downstream (report, HTML, regress table, figure) draws k, 2^k or an
extrapolation from it. The figure keeps the data on their own axes, extrapolations beside them."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.exponents import identification
from analysis.plots import benchmark_figure, fit_key
from analysis.regression import Regression, extrapolations
from analysis.report import write_report
from analysis.scaling import ScalingFit, extrapolate, fit_scaling
from analysis.selection import Selection
from flows.cli.regress import print_regressions

PointsFactory = Callable[..., pd.DataFrame]
STAMP = "2026-01-01T00:00:00+00:00"


@pytest.fixture
def points(make_points: PointsFactory) -> pd.DataFrame:
    """Three benchmarks: imagenet well identified (k ≈ 10), coco flat, conll2003 with a slope barely below
    zero (95% CI about [-0.085, -0.0068]: k from 12 to 146)."""
    return pd.concat(
        [
            make_points("imagenet", n=30, noise=0.03),
            make_points("coco", n=20, metric="box AP", slope=0.0, intercept=-0.8, noise=0.05, seed=3),
            make_points("conll2003", n=15, metric="F1", slope=-0.05, intercept=0.1, noise=0.2, seed=7),
        ],
        ignore_index=True,
    )


def _fit(points: pd.DataFrame, benchmark: str) -> ScalingFit:
    return fit_scaling(points.loc[points["benchmark"] == benchmark], benchmark=benchmark)


def test_the_rule_on_slopes_and_their_intervals() -> None:
    assert identification(-0.1, -0.125, -0.08) == (True, None)
    assert identification(-0.05, -0.2, 0.1) == (False, "slope CI includes zero")
    assert identification(0.05, 0.01, 0.09) == (False, "error does not fall with compute")
    assert identification(-0.05, -0.1, -0.005) == (False, "exponent range 10–200 spans more than 10x")
    assert identification(-0.05, -0.1, -0.0101)[0]  # k from 10 to 99: within a factor of 10


def test_not_identified_rule_on_synthetic_points(points: pd.DataFrame) -> None:
    good, flat, wide = (_fit(points, b) for b in ("imagenet", "coco", "conll2003"))
    assert good.identified and good.not_identified_reason is None
    assert good.k == pytest.approx(10.0, rel=0.05) and good.k_high / good.k_low < 10
    assert good.halving_multiplier == pytest.approx(2.0**good.k)

    assert flat.ci_low < 0.0 < flat.ci_high
    assert not flat.identified and flat.not_identified_reason == "slope CI includes zero"

    assert wide.ci_high < 0.0 and wide.ci_low / wide.ci_high > 10  # slope "significant", exponent not pinned
    k_low, k_high = 1 / abs(wide.ci_low), 1 / abs(wide.ci_high)
    assert not wide.identified
    assert wide.not_identified_reason == f"exponent range {k_low:.2g}–{k_high:.0f} spans more than 10x"
    for fit in (flat, wide):
        assert fit.k is None and fit.k_low is None and fit.k_high is None
        assert fit.halving_multiplier is None and fit.halving_multiplier_high is None
        assert extrapolate(fit, 0.01)[1:] == (-math.inf, math.inf)
        assert fit.se > 0 and math.isfinite(fit.ci_low)  # what explains the verdict stays
        back = ScalingFit.from_dict(fit.to_dict())
        assert back == fit and back.not_identified_reason == fit.not_identified_reason


def test_a_fit_stored_before_the_rule_is_judged_again(points: pd.DataFrame) -> None:
    wide = _fit(points, "conll2003")
    legacy = wide.to_dict()
    del legacy["not_identified_reason"]
    k, k_low, k_high = 1 / abs(wide.slope), 1 / abs(wide.ci_low), 1 / abs(wide.ci_high)
    legacy.update(identified=True, k=k, k_low=k_low, k_high=k_high, halving_multiplier=2.0**k,
                  halving_multiplier_low=2.0**k_low, halving_multiplier_high=2.0**k_high)
    assert ScalingFit.from_dict(legacy) == wide


def test_report_says_not_identified_and_draws_nothing_from_it(points: pd.DataFrame, tmp_path: Path) -> None:
    fits = [_fit(points, b) for b in ("imagenet", "coco", "conll2003")]
    wide = fits[2]
    # a stale record may still carry extrapolations: the report must not show them
    extras = {fit_key(f): {"extrapolations": extrapolations(f, (0.01,), None)} for f in fits}
    write_report(fits, points, tmp_path, extras=extras, generated_at=STAMP)
    text = (tmp_path / "report.md").read_text("utf-8")
    reason = wide.not_identified_reason
    assert reason and reason.startswith("exponent range 12–146")

    row = next(line for line in text.splitlines() if line.startswith("| conll2003 |"))
    assert f"| not identified ({reason}) | not identified ({reason}) |" in row
    assert f"{wide.slope:.4f} ± {wide.se:.4f} | [{wide.ci_low:.4f}, {wide.ci_high:.4f}]" in row
    assert "×" not in row

    section = text.split("## conll2003")[1].split("\n## ")[0]
    assert f"k not identified ({reason})" in section
    assert "halving" not in section and "×" not in section and "Implied k" not in section

    comparison = next(line for line in text.splitlines() if line.startswith("- conll2003 (hardware_burden"))
    assert f"k not identified ({reason})" in comparison and "say nothing about the headline" in comparison
    assert "consistent with the headline" not in comparison and "k = " not in comparison
    flat = next(line for line in text.splitlines() if line.startswith("- coco (hardware_burden"))
    assert "not identified (slope CI includes zero)" in flat

    html = (tmp_path / "index.html").read_text("utf-8")
    conll = html.split("<section id='b-conll2003'>")[1].split("</section>")[0]
    assert f"No extrapolation: k not identified ({reason})." in conll
    assert "<table class='extrapolation'>" not in conll
    imagenet = html.split("<section id='b-imagenet'>")[1].split("</section>")[0]
    assert "<table class='extrapolation'>" in imagenet


def test_regress_table_names_the_reason_and_prints_no_extrapolation(
    points: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    wide = _fit(points, "conll2003")
    result = Regression(Selection(), points, [wide],
                        {fit_key(wide): {"extrapolations": extrapolations(wide, (0.01,), None)}})
    print_regressions([(result.selection, result.records())], as_json=False)
    printed = capsys.readouterr().out
    assert f"no extrapolation: k not identified ({wide.not_identified_reason})" in printed
    assert "error 1.0%" not in printed and "FLOP [" not in printed


def test_figure_puts_extrapolations_beside_the_data(points: pd.DataFrame) -> None:
    good = _fit(points, "imagenet")
    rows = extrapolations(good, (0.05, 0.01), None)
    assert max(r["log10_compute"] for r in rows) > good.x_max + 3  # far beyond the data
    fig = benchmark_figure([good], points.drop(columns="year"), extrapolations={fit_key(good): rows})
    assert len(fig.axes) == 2  # without a year column, no colour bar
    data_ax, extrap_ax = fig.axes
    assert (data_ax.get_label(), extrap_ax.get_label()) == ("data", "extrapolation")
    lo, hi = np.log10(data_ax.get_xlim())
    assert good.x_min - 1.0 <= lo < good.x_min and good.x_max < hi <= good.x_max + 1.0
    assert not [line for line in data_ax.get_lines() if line.get_marker() == "*"]
    stars = [line for line in extrap_ax.get_lines() if line.get_marker() == "*"]
    assert [float(line.get_ydata()[0]) for line in stars] == [0.05, 0.01]
    e_lo, e_hi = np.log10(extrap_ax.get_xlim())
    assert e_lo < good.x_min and e_hi > max(r["log10_compute"] for r in rows)


def test_figure_without_extrapolations_or_with_a_not_identified_fit_has_one_axis(points: pd.DataFrame) -> None:
    good, wide = _fit(points, "imagenet"), _fit(points, "conll2003")
    no_year = points.drop(columns="year")
    assert len(benchmark_figure([good], no_year).axes) == 1
    stale = {fit_key(wide): extrapolations(wide, (0.01,), None)}
    fig = benchmark_figure([wide], no_year, extrapolations=stale)
    assert [ax.get_label() for ax in fig.axes] == ["data"]
    assert fig.axes[0].get_title().endswith(f"k not identified\n({wide.not_identified_reason})")
