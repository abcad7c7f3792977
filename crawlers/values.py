"""Parsing of the raw values reference sources print: metric values, plain numbers, arXiv links.

Pure functions: no I/O. Metric values come as "85.3", "85.3%", "1,024", "28.4 ± 0.1", "**70.3**",
"24M", "0.46B", "63.7*" or "93.0/90.7"; the first number is the value, a "%" or a K/M/B/T suffix is
the unit (the suffix scales the value), and anything that does not start with a number ("-",
"Please tell us", "Yes") is not a value.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_ARXIV_URL = re.compile(
    r"arxiv\.org/(?:abs|pdf|html)/(?P<id>\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})(?:v\d+)?", re.IGNORECASE
)

_VALUE = re.compile(
    r"""^(?P<approx>[~≈<>≤≥]?)\s*
        (?P<sign>[-+\u2212]?)\s*
        (?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)
        (?:[eE](?P<exp>[-+]?\d+))?
        \s*(?P<suffix>%|[kKmMbBgGtT](?![A-Za-z]))?""",
    re.VERBOSE,
)
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12}
_UNIT_LABEL = {"k": "K", "m": "M", "b": "B", "g": "B", "t": "T"}

# Lower is better: error rates, losses, distances, perplexity, FID, WER, ... (checked first).
_LOWER = re.compile(
    r"error|\berr\b|perplexity|\bppl\b|loss|\bfid\b|\bkid\b|\bwer\b|\bcer\b|\bter\b|\bmae\b|\bmse\b|\brmse\b"
    r"|entropy|\bnll\b|bits?[- ]per|\bbp[cbd]\b|distance|latency|miss rate|false (?:positive|negative)"
    r"|\bfpr\b|\beer\b|hamming|\bmad\b|runtime|inference time|training time",
    re.IGNORECASE,
)
_HIGHER = re.compile(
    r"acc|\bf1\b|f-?measure|f-?score|bleu|\bem\b|exact|\bap\d*\b|\bap[sml]\b|\bmap\b|\bauc\b|precision|recall"
    r"|score|rouge|meteor|cider|spice|iou|top[- ]?\d|correct|hits?@|\bhit\b|ndcg|\bmrr\b|psnr|ssim|\belo\b"
    r"|pearson|spearman|kappa|success|\bwin|\bpq\b|\bsq\b|\brq\b|\bmcc\b|\br2\b|\buas\b|\blas\b|rate|pass\s*@",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """A printed value: the number (scaled by its K/M/B suffix), its unit, and the text it came from."""

    value: float | None
    unit: str | None
    raw: str | None


def parse_metric_value(raw: object) -> ParsedValue:
    """The number a metric cell holds, or value None when it holds none (the raw text is kept)."""
    if raw is None:
        return ParsedValue(None, None, None)
    if isinstance(raw, bool):
        return ParsedValue(None, None, str(raw))
    if isinstance(raw, int | float):
        return ParsedValue(float(raw), None, _number_text(raw))
    text = str(raw)
    clean = text.replace("\ufeff", "").replace("*", "").replace("\u2009", " ").strip()
    match = _VALUE.match(clean)
    if not match:
        return ParsedValue(None, None, text)
    number = float(match.group("num").replace(",", "") + (f"e{match.group('exp')}" if match.group("exp") else ""))
    if match.group("sign") in {"-", "\u2212"}:
        number = -number
    suffix = match.group("suffix")
    if suffix is None:
        return ParsedValue(number, None, text)
    if suffix == "%":
        return ParsedValue(number, "%", text)
    return ParsedValue(number * _SCALE[suffix.lower()], _UNIT_LABEL[suffix.lower()], text)


def _number_text(value: int | float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() and abs(value) < 1e15 else str(value)


def metric_direction(metric: str | None, *, is_loss: bool | None = None) -> str | None:
    """'lower' or 'higher' (is better) from the metric's name or an explicit `is_loss`; None if unknown."""
    if is_loss is not None:
        return "lower" if is_loss else "higher"
    if not metric:
        return None
    if _LOWER.search(metric):
        return "lower"
    if _HIGHER.search(metric):
        return "higher"
    return None


def parse_float(text: object) -> float | None:
    """A plain number cell ("1.35e+22", "37065600000000000000.00", "1,280,000", " 8 ") or None if blank.

    Raises ValueError for a non-blank cell that is not a number.
    """
    if text is None:
        return None
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    clean = str(text).strip().replace(",", "")
    if not clean:
        return None
    return float(clean)  # ValueError for anything else


def arxiv_id_from_url(url: str | None) -> str | None:
    """The arXiv id in an arxiv.org abs/pdf link, else None."""
    if not url:
        return None
    match = _ARXIV_URL.search(url)
    return match.group("id") if match else None


def arxiv_ids_in(text: str | None) -> list[str]:
    """Every distinct arXiv id linked in a cell that may hold several URLs (newlines, commas, ';')."""
    if not text:
        return []
    seen: dict[str, None] = {}
    for match in _ARXIV_URL.finditer(text):
        seen.setdefault(match.group("id"), None)
    return list(seen)


def split_urls(text: str | None) -> list[str]:
    """The URLs of a links cell, in order."""
    if not text:
        return []
    return re.findall(r"https?://[^\s,;]+", text)


@dataclass(frozen=True, slots=True)
class CellProblem:
    """A cell that did not parse (Thompson or Epoch CSVs): its file line, column, text and why."""

    line: int
    column: str
    value: str
    reason: str


# Amounts no real training run reaches: a cell past its bound is a typo or a hostile file, not a fact.
QUANTITY_LIMITS: dict[str, float] = {
    "count": 1e7,  # chips, GPUs, machines
    "hours": 1e6,  # over a century of wall-clock time
    "seconds": 3.6e9,
    "days": 1e8,  # TPU-core-days
    "epochs": 1e7,
    "ratio": 1e3,  # fp/bp ratio, utilisation
    "any": 1e30,  # FLOPs, parameters, dataset sizes, costs
}
# NUL and other C0 controls, DEL, bidirectional embeddings / overrides / isolates (not zero-width spaces,
# which real titles carry)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def implausible(value: float, kind: str = "any") -> str | None:
    """Why a number cannot be the amount a reference row means (NaN, infinite, negative, past its kind's
    bound: -8 chips, inf hours, 1e30 chips), or None when it can. ``kind`` "log" allows negatives."""
    if math.isnan(value):
        return "is not a number"
    if math.isinf(value):
        return "is not finite"
    if value < 0 and kind != "log":
        return "is negative"
    limit = QUANTITY_LIMITS.get(kind, QUANTITY_LIMITS["any"])
    if abs(value) > limit:
        return f"is implausibly large (over {limit:g})"
    return None


def control_characters(text: str) -> str | None:
    """Why a text cell is refused: NUL, other control characters or bidirectional overrides (RTL tricks)."""
    return "holds control or bidirectional-override characters" if _CONTROL.search(text) else None

