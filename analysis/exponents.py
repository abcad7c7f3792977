"""The implied exponent of a polynomial scaling fit and when the data identify it (METHODOLOGY §6).

``log10(error) = a + b·log10(C)`` implies ``C ∝ (1/error)^k`` with ``k = 1/|b|``; halving the error
takes ``2**k`` the compute. ``implied_exponents`` turns a slope and its 95% CI into k and its range
(the raw numbers, as Thompson et al. publish them); ``identification`` says whether the data pin
k down at all.
"""

from __future__ import annotations

import math

__all__ = ["MAX_EXPONENT_SPAN", "halving_multiplier", "identification", "implied_exponents", "span_reason"]

MAX_EXPONENT_SPAN = 10.0  # k_high / k_low above this: the data do not pin the exponent down
_LOG10_2 = math.log10(2.0)
_DASH = "–"


def _pow10(exponent: float) -> float:
    try:
        return float(10.0**exponent)
    except OverflowError:
        return math.inf


def halving_multiplier(k: float | None) -> float | None:
    """Compute multiplier that halves the error under ``C ∝ (1/e)^k``: ``2**k`` (inf on overflow)."""
    return None if k is None else _pow10(k * _LOG10_2)


def implied_exponents(
    slope: float, ci_low: float, ci_high: float
) -> tuple[float | None, float | None, float | None, bool]:
    """``(k, k_low, k_high, identified)`` for a polynomial slope b < 0 and its 95% CI.

    k = 1/|b|. The CI edge farthest from zero gives the conservative lower bound ``k_low``, the
    edge nearest zero ``k_high``. All None when the CI reaches 0 or above. These are the raw numbers:
    whether the data identify k at all is ``identification``'s call.
    """
    if not (math.isfinite(ci_low) and math.isfinite(ci_high)) or ci_high >= 0.0 or slope >= 0.0:
        return None, None, None, False
    return 1.0 / abs(slope), 1.0 / abs(ci_low), 1.0 / abs(ci_high), True


def _short(value: float) -> str:
    if math.isinf(value):
        return "∞"
    return f"{value:.2g}" if value < 100 else f"{value:,.0f}"


def span_reason(k_low: float, k_high: float) -> str | None:
    """Why an exponent range k_low–k_high is too wide to call k identified, or None when it is not."""
    if k_high / k_low > MAX_EXPONENT_SPAN:
        return f"exponent range {_short(k_low)}{_DASH}{_short(k_high)} spans more than {MAX_EXPONENT_SPAN:g}x"
    return None


def identification(slope: float, ci_low: float, ci_high: float) -> tuple[bool, str | None]:
    """``(identified, reason)`` for a polynomial slope and its 95% CI; ``reason`` None when identified.

    Not identified when the CI includes zero, lies above it (error does not fall with compute), or
    when the implied exponent's range k_high/k_low spans more than ``MAX_EXPONENT_SPAN`` (a fit
    whose k may be 4 or 42 says nothing about k).
    """
    if not (math.isfinite(ci_low) and math.isfinite(ci_high)):
        return False, "slope CI not finite"
    if ci_low <= 0.0 <= ci_high:
        return False, "slope CI includes zero"
    _, k_low, k_high, ok = implied_exponents(slope, ci_low, ci_high)
    if not ok or k_low is None or k_high is None:
        return False, "error does not fall with compute"
    reason = span_reason(k_low, k_high)
    return reason is None, reason
