"""The report renders given fits (markdown, JSON, PNG) deterministically and never refits."""

from __future__ import annotations

import dataclasses
import json
import math
import random
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from analysis.plots import fit_key
from analysis.report import write_report
from analysis.report_format import fits_json, fmt, fmt_multiplier, load_fits, made_line
from analysis.scaling import ScalingFit, fit_all

PointsFactory = Callable[..., pd.DataFrame]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
STAMP = "2026-01-01T00:00:00+00:00"


@pytest.fixture
def corpus(make_points: PointsFactory) -> tuple[list[ScalingFit], pd.DataFrame]:
    points = pd.concat(
        [
            make_points("imagenet", n=30),
            make_points("coco", n=12, metric="box AP", slope=-0.06, intercept=0.6, noise=0.02, seed=2),
            make_points("wmt2014-en-de", n=10, metric="BLEU", slope=0.0, intercept=-0.15, noise=0.05, seed=5),
            make_points("squad1.1", n=2, metric="EM", seed=4),
        ],
        ignore_index=True,
    )
    return fit_all(points), points


def test_report_files_are_written(corpus: tuple[list[ScalingFit], pd.DataFrame], tmp_path: Path) -> None:
    fits, points = corpus
    report = write_report(fits, points, tmp_path / "out", generated_at=STAMP)
    assert report == tmp_path / "out" / "report.md"
    for benchmark in ("imagenet", "coco", "wmt2014-en-de"):
        png = tmp_path / "out" / f"{benchmark}.png"
        data = png.read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 5_000, benchmark
    assert not (tmp_path / "out" / "squad1.1.png").exists()  # not fitted: no figure
    loaded = load_fits(tmp_path / "out" / "fits.json")
    assert sorted(loaded, key=lambda f: (f.benchmark, f.form)) == sorted(
        fits, key=lambda f: (f.benchmark, f.form)
    )


def test_report_states_every_benchmark_and_the_fitted_numbers(
    corpus: tuple[list[ScalingFit], pd.DataFrame], tmp_path: Path
) -> None:
    fits, points = corpus
    text = write_report(fits, points, tmp_path, title="offline check", generated_at=STAMP).read_text("utf-8")
    assert text.startswith("# offline check\n")
    assert STAMP in text
    for fit in fits:
        assert f"## {fit.benchmark}" in text
        assert f"![{fit.benchmark}]({fit.benchmark}.png)" in text
        row = (
            f"| {fit.benchmark} | hardware_burden | {fit.form} | {fit.n} | {fit.slope:.4f} ± {fit.se:.4f} "
            f"| [{fit.ci_low:.4f}, {fit.ci_high:.4f}] | {fit.r2:.3f} |"
        )
        assert row in text
        if fit.k is not None:
            assert f"{fit.k:.2f} [{fit.k_low:.2f}, {fit.k_high:.2f}]" in text
            assert fmt_multiplier(fit.halving_multiplier) in text
    imagenet = next(f for f in fits if f.benchmark == "imagenet" and f.form == "polynomial")
    assert f"halving the error takes {fmt_multiplier(imagenet.halving_multiplier)} the compute" in text
    wmt = next(f for f in fits if f.benchmark == "wmt2014-en-de" and f.form == "polynomial")
    assert not wmt.identified
    assert f"wmt2014-en-de (hardware_burden, n = 10): slope {wmt.slope:.4f} ± {wmt.se:.4f}" in text
    assert "k not identified (slope CI includes zero)" in text
    assert "## Not fitted" in text and "- squad1.1: 2 rows" in text
    assert "k ≥ 9" in text and "500×" in text
    assert "not evidence for or against the published estimate" in text


def test_report_is_deterministic_given_generated_at(
    corpus: tuple[list[ScalingFit], pd.DataFrame], tmp_path: Path
) -> None:
    fits, points = corpus
    shuffled = fits[:]
    random.Random(1).shuffle(shuffled)
    first = write_report(fits, points, tmp_path / "a", generated_at=STAMP)
    second = write_report(shuffled, points, tmp_path / "b", generated_at=STAMP)
    assert first.read_bytes() == second.read_bytes()
    assert (tmp_path / "a" / "fits.json").read_bytes() == (tmp_path / "b" / "fits.json").read_bytes()


def test_report_renders_the_given_fits_without_refitting(
    corpus: tuple[list[ScalingFit], pd.DataFrame], tmp_path: Path
) -> None:
    fits, points = corpus
    doctored = [
        dataclasses.replace(f, slope=-0.4321) if (f.benchmark, f.form) == ("coco", "polynomial") else f
        for f in fits
    ]
    text = write_report(doctored, points, tmp_path, generated_at=STAMP).read_text("utf-8")
    assert "-0.4321 ±" in text


def test_fits_json_is_strict_json_with_non_finite_values(
    corpus: tuple[list[ScalingFit], pd.DataFrame], tmp_path: Path
) -> None:
    fits, _ = corpus
    huge = dataclasses.replace(fits[0], halving_multiplier_high=math.inf, r2=math.nan)
    text = fits_json([huge])
    data = json.loads(text)  # strict: no bare Infinity/NaN tokens
    assert data[0]["halving_multiplier_high"] == "inf" and data[0]["r2"] == "nan"
    path = tmp_path / "fits.json"
    path.write_text(text, encoding="utf-8")
    back = load_fits(path)[0]
    assert back.halving_multiplier_high == math.inf and math.isnan(back.r2)


def test_number_formats() -> None:
    assert fmt(None) == "n/a" and fmt(math.nan) == "n/a" and fmt(math.inf) == "∞"
    assert fmt(-0.093331) == "-0.0933"
    assert fmt_multiplier(1680.29) == "1,680×"
    assert fmt_multiplier(6.44e7) == "6.44e+07×"
    assert fmt_multiplier(None) == "n/a" and fmt_multiplier(math.inf) == "∞"


def test_empty_report(tmp_path: Path) -> None:
    points = pd.DataFrame(columns=["point_id", "benchmark", "metric", "score", "error", "compute"])
    text = write_report([], points, tmp_path, generated_at=STAMP).read_text("utf-8")
    assert "0 fits over 0 benchmarks" in text and "No polynomial fit to compare." in text
    assert json.loads((tmp_path / "fits.json").read_text("utf-8")) == []


def test_each_stored_fit_says_when_and_by_which_run_it_was_made(
    corpus: tuple[list[ScalingFit], pd.DataFrame], tmp_path: Path
) -> None:
    """Issue 15: a fit in the report names its ingest run, its time and its points per compute source."""
    fits, points = corpus
    made = {"ingest_run_id": "run-42", "created_at": "2026-12-05 10:00:00",
            "points_by_source": {"epoch": 2, "thompson": 5}}
    extras = {fit_key(f): made for f in fits if f.benchmark == "coco"}
    text = write_report(fits, points, tmp_path, generated_at=STAMP, extras=extras).read_text("utf-8")
    coco = sum(1 for f in fits if f.benchmark == "coco")
    line = "Made 2026-12-05 10:00:00 UTC by run run-42; points by source: 2 epoch, 5 thompson."
    assert coco and text.count(line) == coco
    assert (tmp_path / "index.html").read_text("utf-8").count(line) == coco
    assert made_line({}) is None and "ad-hoc" in (made_line({"created_at": "2026-12-05 10:00:00"}) or "")
