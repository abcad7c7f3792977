"""index.html and the figures: fits, bootstrap, influence, form comparison, extrapolations and sources."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection

from analysis.html_report import fmt_log10, fmt_money, fmt_sci, source_slopes
from analysis.plots import benchmark_figure, fit_key
from analysis.report import write_report
from analysis.scaling import ScalingFit, extrapolate, fit_all, fit_scaling, usable_points
from analysis.uncertainty import bootstrap_fit, compare_forms, leave_one_paper_out

PointsFactory = Callable[..., pd.DataFrame]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
STAMP = "2026-01-01T00:00:00+00:00"
USD_PER_FLOP = 1e-17


@pytest.fixture
def points(make_points: PointsFactory) -> pd.DataFrame:
    frame = pd.concat(
        [
            make_points("imagenet", n=30, noise=0.03),
            make_points("coco", n=12, metric="box AP", slope=-0.06, intercept=0.6, noise=0.02, seed=2),
        ],
        ignore_index=True,
    )
    frame["source"] = np.where(frame.index % 3 == 0, "extracted", "thompson")
    frame["year"] = frame["year"].astype(float)
    frame.loc[frame.index % 5 == 0, "year"] = np.nan
    frame["paper_key"] = frame["paper_id"]
    return frame


def extras_for(fits: list[ScalingFit], points: pd.DataFrame) -> dict[str, dict[str, Any]]:
    extras: dict[str, dict[str, Any]] = {}
    for fit in fits:
        used = usable_points(points.loc[points["benchmark"] == fit.benchmark], benchmark=fit.benchmark)
        used["paper_key"] = used["point_id"].map(points.set_index("point_id")["paper_key"])
        extra: dict[str, Any] = {
            "bootstrap": bootstrap_fit(used, fit.form, draws=300).to_dict(),
            "influence": [i.to_dict() for i in leave_one_paper_out(used, fit.form)],
            "comparison": compare_forms(used).to_dict(),
        }
        if fit.form == "polynomial":
            rows = []
            for target in (0.05, 0.01):
                ex = extrapolate(fit, target)
                cost = [USD_PER_FLOP * 10.0**v for v in ex]
                rows.append(
                    {"target_error": target, "log10_compute": ex.log10_compute, "log10_low": ex.low,
                     "log10_high": ex.high, "cost_usd": cost[0], "cost_usd_low": cost[1], "cost_usd_high": cost[2],
                     "co2_kg": None, "co2_kg_low": None, "co2_kg_high": None}
                )
            extra["extrapolations"] = rows
        extras[fit_key(fit)] = extra
    return extras


@pytest.fixture
def report(points: pd.DataFrame, tmp_path: Path) -> tuple[list[ScalingFit], dict[str, Any], str]:
    fits = fit_all(points)
    extras = extras_for(fits, points)
    write_report(fits, points, tmp_path, extras=extras, generated_at=STAMP)
    return fits, extras, (tmp_path / "index.html").read_text("utf-8")


def test_files_are_written_and_images_exist(report: tuple[list[ScalingFit], dict[str, Any], str],
                                            tmp_path: Path) -> None:
    _, _, text = report
    for name in ("index.html", "report.md", "fits.json"):
        assert (tmp_path / name).stat().st_size > 1_000, name
    sources = re.findall(r"<img src='([^']+)'", text)
    assert sorted(sources) == ["coco.png", "imagenet.png"]
    for src in sources:
        data = (tmp_path / src).read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 20_000, src
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert "<script" not in text and "http://" not in text and "https://" not in text  # self-contained
    assert "<style>" in text


def test_fits_table_shows_ols_and_bootstrap_intervals(report: tuple[list[ScalingFit], dict[str, Any], str]) -> None:
    fits, extras, text = report
    assert len(fits) == 4
    for fit in fits:
        boot = extras[fit_key(fit)]["bootstrap"]
        row = (
            f"<td>{fit.form}</td><td>hardware_burden</td><td class='num'>{fit.n}</td>"
            f"<td class='num'>{fit.slope:.4f}</td><td class='num'>{fit.se:.4f}</td>"
            f"<td class='num'>[{fit.ci_low:.4f}, {fit.ci_high:.4f}]</td>"
            f"<td class='num'>[{boot['slope_low']:.4f}, {boot['slope_high']:.4f}]"
        )
        assert row in text, fit_key(fit)
        if fit.k is not None:
            assert f"{fit.k:.2f} [{fit.k_low:.2f}, {fit.k_high:.2f}]" in text
            assert f"bootstrap [{boot['k_low']:.2f}, {boot['k_high']:.2f}]" in text
    imagenet = next(f for f in fits if fit_key(f) == "imagenet/polynomial/compute")
    assert f"{imagenet.halving_multiplier:,.0f}×" in text


def test_influence_and_form_comparison_are_stated(report: tuple[list[ScalingFit], dict[str, Any], str]) -> None:
    _, extras, text = report
    for key, extra in extras.items():
        top = extra["influence"][0]
        assert f"{top['paper_key']} (Δb = {top['delta']:+.4f}, 1 point)" in text, key
        assert extra["comparison"]["statement"].replace("'", "&#x27;") in text
    assert text.count("<h3>Polynomial or exponential?</h3>") == 2  # one per benchmark, not per fit


def test_extrapolation_table_is_labelled_out_of_sample(report: tuple[list[ScalingFit], dict[str, Any], str]) -> None:
    _, extras, text = report
    assert text.count("<span class='oos'>(out-of-sample)</span>") == 2
    for row in extras["imagenet/polynomial/compute"]["extrapolations"]:
        compute = (
            f"10<sup>{row['log10_compute']:.1f}</sup> FLOPs "
            f"[10<sup>{row['log10_low']:.1f}</sup>, 10<sup>{row['log10_high']:.1f}</sup>]"
        )
        assert compute in text
        assert fmt_money(row["cost_usd"]) in text and fmt_money(row["cost_usd_high"]) in text
    assert "no: out-of-sample" in text


def test_sources_are_compared_with_their_own_fits(
    points: pd.DataFrame, report: tuple[list[ScalingFit], dict[str, Any], str]
) -> None:
    fits, _, text = report
    assert "<h2>Comparison of sources</h2>" in text
    for fit in (f for f in fits if f.form == "polynomial"):
        for source in ("extracted", "thompson"):
            alone = fit_scaling(points.loc[points["source"] == source], benchmark=fit.benchmark)
            row = (
                f"<td>{fit.benchmark}</td><td>hardware_burden</td><td>{source}</td>"
                f"<td class='num'>{alone.n}</td><td class='num'>{alone.slope:.4f} "
                f"[{alone.ci_low:.4f}, {alone.ci_high:.4f}]</td>"
            )
            assert row in text, (fit.benchmark, source)
    coco = next(f for f in fits if fit_key(f) == "coco/polynomial/compute")
    assert [(r["source"], r["n"]) for r in source_slopes(coco, points)] == [("extracted", 4), ("thompson", 8)]


def test_a_source_with_too_few_points_is_listed_without_a_fit(points: pd.DataFrame, tmp_path: Path) -> None:
    points.loc[(points["benchmark"] == "coco") & (points["source"] == "extracted"), "source"] = "epoch"
    points.loc[points.index[30], "source"] = "extracted"  # the first coco point: a lone source
    fits = fit_all(points)
    write_report(fits, points, tmp_path, generated_at=STAMP)
    text = (tmp_path / "index.html").read_text("utf-8")
    assert "<td>coco</td><td>hardware_burden</td><td>extracted</td><td class='num'>1</td>" in text
    assert "– (too few points)" in text
    assert "<td class='num'>n/a</td>" in text  # no extras: no bootstrap interval


def test_html_is_deterministic_and_tolerates_missing_extras(points: pd.DataFrame, tmp_path: Path) -> None:
    fits = fit_all(points)
    extras = extras_for(fits, points)
    extras["coco/exponential/compute"]["comparison"] = None  # as analysis.regression stores it with few papers
    shuffled = fits[:]
    random.Random(3).shuffle(shuffled)
    write_report(fits, points, tmp_path / "a", extras=extras, generated_at=STAMP)
    write_report(shuffled, points, tmp_path / "b", extras=extras, generated_at=STAMP)
    assert (tmp_path / "a" / "index.html").read_bytes() == (tmp_path / "b" / "index.html").read_bytes()


def test_figure_draws_one_scatter_per_source_and_a_star_per_target(points: pd.DataFrame) -> None:
    fits = [f for f in fit_all(points) if f.benchmark == "imagenet"]
    extras = extras_for(fits, points)
    fig = benchmark_figure(fits, points, extrapolations={k: v["extrapolations"] for k, v in extras.items()
                                                         if "extrapolations" in v})
    ax, beside = fig.axes[0], fig.axes[1]
    assert (ax.get_label(), beside.get_label()) == ("data", "extrapolation")
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 2
    assert sum(len(c.get_offsets()) for c in scatters) == 30
    assert not [line for line in ax.get_lines() if line.get_marker() == "*"] and not ax.texts
    stars = [line for line in beside.get_lines() if line.get_marker() == "*"]
    assert [float(line.get_ydata()[0]) for line in stars] == [0.05, 0.01]
    assert [t.get_text().split(":")[0] for t in beside.texts] == ["5% error", "1% error"]
    poly = next(f for f in fits if f.form == "polynomial")
    k_text = f"k = {poly.k:.2f} [{poly.k_low:.2f}, {poly.k_high:.2f}]"
    assert ax.get_title() == f"imagenet (hardware_burden): n = 30, {k_text}"
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert "FLOPs" in ax.get_xlabel() and "error" in ax.get_ylabel()
    assert len(fig.axes) == 3 and fig.axes[2].get_ylabel() == "year (grey: unknown)"  # colour bar
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["extracted (n = 10)", "thompson (n = 20)"]


def test_figure_without_source_or_year_columns(points: pd.DataFrame) -> None:
    fits = [f for f in fit_all(points) if f.benchmark == "coco"]
    fig = benchmark_figure(fits, points.drop(columns=["source", "year"]))
    scatters = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    assert len(scatters) == 1 and len(scatters[0].get_offsets()) == 12
    assert len(fig.axes) == 1  # no year, no colour bar


def test_number_formats() -> None:
    assert fmt_money(980_200.7) == "$980,201"
    assert fmt_money(4.619e9) == "$4.62 billion" and fmt_money(9.44e12) == "$9.44 trillion"
    assert fmt_money(3.2e16) == "$3.2e+16" and fmt_money(None) == "n/a" and fmt_money("inf") == "∞"
    assert fmt_sci(1.234e21) == "1.2e+21" and fmt_sci(12_345) == "12,345" and fmt_sci(5.3) == "5.3"
    assert fmt_log10(22.345, "FLOPs") == "10<sup>22.3</sup> FLOPs" and fmt_log10("-inf") == "unbounded"
