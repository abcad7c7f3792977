"""Point selection: one point per paper by source precedence, filters by source, year and frontier."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.exceptions import AnalysisError
from analysis.selection import Selection, frontier_points, select_points


def _points() -> pd.DataFrame:
    rows = [
        # point_id, paper_key, benchmark, error, year, compute_source, hardware_burden, estimated_compute
        ("t:1", "p1", "imagenet", 0.30, 2014, "thompson", 1e18, None),
        ("p1:imagenet:extracted", "p1", "imagenet", 0.29, 2014, "extracted", 2e18, 5e17),
        ("p1:imagenet:epoch", "p1", "imagenet", 0.29, 2014, "epoch", 3e18, 6e17),
        ("p2:imagenet:extracted", "p2", "imagenet", 0.25, 2016, "extracted", 1e19, 2e18),
        ("t:3", "p3", "imagenet", 0.27, 2017, "thompson", 5e19, None),   # not better than 2016's 0.25
        ("t:4", "p4", "imagenet", 0.20, 2018, "thompson", 1e20, None),
        ("p5:coco:epoch", "p5", "coco", 0.55, 2019, "epoch", None, 1e20),
    ]
    cols = ["point_id", "paper_key", "benchmark", "error", "year", "compute_source", "hardware_burden",
            "estimated_compute"]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.assign(metric="top1", score=100 * (1 - frame["error"]), network_operations=None)


def test_one_point_per_paper_by_precedence() -> None:
    got = select_points(_points(), Selection(x="hardware_burden"))
    assert list(got["point_id"]) == ["p2:imagenet:extracted", "t:1", "t:3", "t:4"]
    assert got.set_index("point_id").loc["t:1", "source"] == "thompson"
    reordered = select_points(_points(), Selection(x="hardware_burden", precedence=("epoch", "extracted")))
    assert "p1:imagenet:epoch" in set(reordered["point_id"])


def test_x_variable_and_source_filters() -> None:
    est = select_points(_points(), Selection(x="estimated_compute"))
    assert list(est["point_id"]) == ["p5:coco:epoch", "p1:imagenet:extracted", "p2:imagenet:extracted"]
    assert set(est["compute_kind"]) == {"estimated_compute"}
    only_thompson = select_points(_points(), Selection(sources=("thompson",)))
    assert set(only_thompson["source"]) == {"thompson"} and len(only_thompson) == 3


def test_year_range_and_frontier() -> None:
    years = select_points(_points(), Selection(year_from=2015, year_to=2017))
    assert list(years["point_id"]) == ["p2:imagenet:extracted", "t:3"]
    front = select_points(_points(), Selection(frontier=True))
    assert list(front["point_id"]) == ["p2:imagenet:extracted", "t:1", "t:4"]  # t:3 was not state of the art
    assert frontier_points(front).equals(front)


@pytest.mark.parametrize("kwargs", [{"x": "parameters"}, {"sources": ("arxiv",)}, {"year_from": 2020,
                                                                                   "year_to": 2010}])
def test_bad_selections_are_refused(kwargs: dict) -> None:
    with pytest.raises(AnalysisError):
        Selection(**kwargs)


def test_synthetic_points_are_fitted_only_on_their_own() -> None:
    """Issue 15: a synthetic (fixture) paper's points never join a real fit, and a synthetic selection
    takes them alone."""
    points = _points().assign(synthetic=[False, False, False, True, False, False, False])
    real = select_points(points, Selection(x="hardware_burden"))
    assert set(real["point_id"]) == {"t:1", "t:3", "t:4"}
    synthetic = select_points(points, Selection(x="hardware_burden", synthetic=True))
    assert list(synthetic["point_id"]) == ["p2:imagenet:extracted"]
    assert Selection(synthetic=True).label().endswith("synthetic fixture papers only")
    assert Selection(**Selection(synthetic=True).to_dict() | {"benchmarks": (), "sources": ("thompson",),
                                                               "precedence": ("thompson",)}).synthetic
