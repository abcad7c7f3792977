"""compute-limits: analysis package.

Pure functions over a points frame (``v_benchmark_points`` columns): metric -> error
(``analysis.error_rates``), OLS scaling fits and derived quantities (``analysis.scaling``), the report
(``analysis.report``) and a reader of Thompson et al.'s published CSVs (``analysis.thompson``).
"""

from __future__ import annotations

from analysis.error_rates import (
    HEADLINE_METRICS,
    MetricRule,
    canonical_metric,
    error_from_score,
    headline_metric,
    metric_rule,
    resolve_errors,
    select_headline,
)
from analysis.exceptions import AnalysisError, InsufficientDataError, UnknownMetricError
from analysis.scaling import (
    FORMS,
    Extrapolation,
    ScalingFit,
    exponential_halving_decades,
    extrapolate,
    fit_all,
    fit_scaling,
    halving_multiplier,
    implied_exponents,
    is_out_of_sample,
    usable_points,
)

__all__ = [
    "FORMS",
    "HEADLINE_METRICS",
    "AnalysisError",
    "Extrapolation",
    "InsufficientDataError",
    "MetricRule",
    "ScalingFit",
    "UnknownMetricError",
    "canonical_metric",
    "error_from_score",
    "exponential_halving_decades",
    "extrapolate",
    "fit_all",
    "fit_scaling",
    "halving_multiplier",
    "headline_metric",
    "implied_exponents",
    "is_out_of_sample",
    "metric_rule",
    "resolve_errors",
    "select_headline",
    "usable_points",
]
