"""One regression of a reproduction (OLS or quantile) and the quantities METHODOLOGY §6 derives from it.

`fit_form` takes a response and its regressors as columns of one frame, keeps the rows where all
of them are finite (statsmodels' formula interface drops NaN rows the same way) and returns a
frozen `ReproducedFit`: coefficients, standard errors, 95% CIs, R² (pseudo R² for a quantile
regression), p-value, and, where the response is log10(error) or log10(1/error), the implied
exponent k = 1/|b| with its interval from the CI edges and the compute multiplier 2**k that halves
the error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from analysis.exceptions import InsufficientDataError
from analysis.exponents import halving_multiplier, implied_exponents, span_reason
from analysis.json_values import json_safe

__all__ = [
    "LOG10_ERROR",
    "LOG10_INVERSE_ERROR",
    "ReproducedFit",
    "Term",
    "fit_form",
    "fits_jsonl",
]

LOG10_ERROR = "log10(error)"
LOG10_INVERSE_ERROR = "log10(1/error)"
# sign that turns the slope of a response into the slope of log10(error) on log10(compute)
_ORIENTATION: dict[str, float] = {LOG10_ERROR: 1.0, LOG10_INVERSE_ERROR: -1.0}
MIN_POINTS = 3


@dataclass(frozen=True, slots=True)
class Term:
    """One coefficient beyond intercept and slope (e.g. the year term)."""

    name: str
    coef: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float


@dataclass(frozen=True, slots=True)
class ReproducedFit:
    """One published regression, refitted.

    ``response`` is the left-hand side (``log10(error)``, ``log10(1/error)``, ``1/error``, ...), ``x``
    the compute column whose log10 is the regressor (``…/AlexNet`` when normalised by AlexNet's value).
    ``slope``/``se``/``ci_*``/``p_value`` belong to that regressor. ``k`` is 1/|b| with b the slope of
    log10(error) (the negated slope for a log10(1/error) response); ``k_low`` comes from the CI edge
    farthest from zero. ``exponent`` says "identified", "identified by the slope CI; exponent range …
    spans more than 10x" (the published numbers, which ``analysis.scaling`` would call not identified),
    "not identified: …" or "not applicable: …".
    ``row_ids`` are ``<file>:L<line>`` of the CSV rows used; ``source`` names the notebook cell.
    """

    benchmark: str
    form: str
    response: str
    x: str
    method: str
    source: str
    n: int
    intercept: float
    intercept_se: float
    intercept_ci_low: float
    intercept_ci_high: float
    slope: float
    se: float
    ci_low: float
    ci_high: float
    r2: float
    p_value: float
    k: float | None
    k_low: float | None
    k_high: float | None
    identified: bool
    exponent: str
    halving_multiplier: float | None
    halving_multiplier_low: float | None
    halving_multiplier_high: float | None
    row_ids: tuple[str, ...]
    terms: tuple[Term, ...] = ()
    quantile: float | None = None
    compute_decades_per_year: float | None = None

    @property
    def key(self) -> str:
        """``benchmark/form/x``: unique within one reproduction."""
        return f"{self.benchmark}/{self.form}/{self.x}"

    def term(self, name: str) -> Term:
        """The extra coefficient called ``name``."""
        for term in self.terms:
            if term.name == name:
                return term
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """Plain Python values (tuples as lists); floats may be inf or NaN."""
        data = asdict(self)
        data["row_ids"] = list(self.row_ids)
        data["terms"] = [asdict(term) for term in self.terms]
        return data


def fits_jsonl(fits: Iterable[ReproducedFit]) -> str:
    """One JSON object per line (``to_dict()``); non-finite floats as "inf"/"-inf"/"nan"."""
    return "".join(
        json.dumps(json_safe(fit.to_dict()), ensure_ascii=False, allow_nan=False) + "\n" for fit in fits
    )


def _exponents(
    response: str, slope: float, ci_low: float, ci_high: float
) -> tuple[float | None, float | None, float | None, bool, str]:
    sign = _ORIENTATION.get(response)
    if sign is None:
        return None, None, None, False, f"not applicable: a {response} response has no constant exponent"
    b, lo, hi = sign * slope, *sorted((sign * ci_low, sign * ci_high))
    k, k_low, k_high, identified = implied_exponents(b, lo, hi)
    if identified and k_low is not None and k_high is not None:
        wide = span_reason(k_low, k_high)  # the project's rule; a reproduction keeps the published numbers
        return k, k_low, k_high, True, "identified" if wide is None else f"identified by the slope CI; {wide}"
    if lo <= 0.0 <= hi:
        return None, None, None, False, "not identified: the slope's 95% CI contains 0"
    return None, None, None, False, "not identified: error does not fall with compute"


def fit_form(
    frame: pd.DataFrame,
    *,
    benchmark: str,
    form: str,
    response: str,
    x: str,
    y: str,
    regressors: Mapping[str, str],
    source: str,
    quantile: float | None = None,
) -> ReproducedFit:
    """Regress column ``y`` on the columns in ``regressors`` (name → column; the first is compute).

    OLS, or a quantile regression at ``quantile`` (statsmodels' defaults, as ``smf.quantreg``).
    Rows with a non-finite value in any used column are dropped. ``frame`` needs ``row_id``.
    """
    columns = [y, *regressors.values()]
    values = frame[columns].apply(pd.to_numeric, errors="coerce").astype(float)
    used = frame.loc[np.isfinite(values).all(axis=1)]
    n = len(used)
    if n < MIN_POINTS or used[next(iter(regressors.values()))].nunique() < 2:
        raise InsufficientDataError("too few usable rows to refit", benchmark=benchmark, form=form, x=x, n=n)
    names = list(regressors)
    design = pd.DataFrame({"Intercept": 1.0}, index=used.index)
    for name, column in regressors.items():
        design[name] = values.loc[used.index, column]
    endog = values.loc[used.index, y]
    if quantile is None:
        result = sm.OLS(endog, design).fit()
        r2, method = float(result.rsquared), "ols"
    else:
        result = sm.QuantReg(endog, design).fit(q=quantile)
        r2, method = float(result.prsquared), f"quantreg q={quantile:g}"
    params, bse, pvalues, ci = result.params, result.bse, result.pvalues, result.conf_int(alpha=0.05)

    def term(name: str) -> Term:
        return Term(name, float(params[name]), float(bse[name]), float(ci.loc[name, 0]), float(ci.loc[name, 1]),
                    float(pvalues[name]))

    intercept, slope = term("Intercept"), term(names[0])
    extra = tuple(term(name) for name in names[1:])
    k, k_low, k_high, identified, exponent = _exponents(response, slope.coef, slope.ci_low, slope.ci_high)
    decades = None
    if extra and extra[0].name.startswith("year") and slope.coef != 0.0:
        decades = extra[0].coef / slope.coef
    return ReproducedFit(
        benchmark=benchmark, form=form, response=response, x=x, method=method, source=source, n=n,
        intercept=intercept.coef, intercept_se=intercept.se, intercept_ci_low=intercept.ci_low,
        intercept_ci_high=intercept.ci_high, slope=slope.coef, se=slope.se, ci_low=slope.ci_low,
        ci_high=slope.ci_high, r2=r2, p_value=slope.p_value, k=k, k_low=k_low, k_high=k_high,
        identified=identified, exponent=exponent, halving_multiplier=halving_multiplier(k),
        halving_multiplier_low=halving_multiplier(k_low), halving_multiplier_high=halving_multiplier(k_high),
        row_ids=tuple(str(r) for r in used["row_id"]), terms=extra, quantile=quantile,
        compute_decades_per_year=decades,
    )
