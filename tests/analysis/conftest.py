"""Fixtures of the analysis tests: synthetic points with known coefficients, the Thompson CSVs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
THOMPSON_DIR = SHARED / "reference" / "thompson"

PointsFactory = Callable[..., pd.DataFrame]


def synthetic_points(
    benchmark: str = "imagenet",
    *,
    n: int = 60,
    form: str = "polynomial",
    intercept: float = 1.0,
    slope: float = -0.1,
    noise: float = 0.01,
    seed: int = 7,
    metric: str = "Top 1 Accuracy",
    compute_kind: str | None = "hardware_burden",
    log10_range: tuple[float, float] = (17.0, 23.0),
) -> pd.DataFrame:
    """Points whose error follows ``form`` exactly plus Gaussian noise on the response.

    Polynomial: log10(error) = intercept + slope·log10(C); exponential: 1/error = intercept +
    slope·log10(C). The score is the accuracy-like percentage (error left NaN, so the analysis
    computes it from the score).
    """
    rng = np.random.default_rng(seed)
    log_c = np.linspace(*log10_range, n)
    response = intercept + slope * log_c + rng.normal(0.0, noise, n)
    error = 10.0**response if form == "polynomial" else 1.0 / response
    assert np.all((error > 0) & (error < 1)), "synthetic errors must be in (0, 1)"
    return pd.DataFrame(
        {
            "point_id": [f"{benchmark}:{seed}:{i:03d}" for i in range(n)],
            "paper_id": [f"2001.{i:05d}" for i in range(n)],
            "benchmark": benchmark,
            "dataset": benchmark,
            "metric": metric,
            "model": [f"model-{i}" for i in range(n)],
            "score": 100.0 * (1.0 - error),
            "error": np.nan,
            "compute": 10.0**log_c,
            "compute_kind": compute_kind,
            "year": 2015 + (np.arange(n) % 8),
        }
    )


@pytest.fixture
def make_points() -> PointsFactory:
    return synthetic_points


@pytest.fixture
def thompson_dir() -> Path:
    if not THOMPSON_DIR.is_dir():
        pytest.skip(f"Thompson reference CSVs not found at {THOMPSON_DIR}")
    return THOMPSON_DIR
