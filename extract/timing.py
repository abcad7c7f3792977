"""Wall-clock training durations in text: "3.5 days", "about 53 hours", "2-3 weeks", "20h 42m", "12h",
"1 or 2 days", "less than a day", "over one month".

Conversions: minutes/60, days x24, weeks x168, months x720. A range gives its midpoint, a bound gives the
bound. Per-epoch / per-step / per-image times, seconds, dataset sizes in hours ("100 hour subset") and
counterfactuals ("would have taken three months") are not durations of a run and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = "zero one two three four five six seven eight nine ten eleven twelve"
NUMBER_WORDS: dict[str, float] = {
    **{w: float(n) for n, w in enumerate(_DIGITS.split())},
    **{
        "a": 1.0,
        "an": 1.0,
        "single": 1.0,
        "thirteen": 13.0,
        "fourteen": 14.0,
        "fifteen": 15.0,
        "sixteen": 16.0,
    },
    **{"eighteen": 18.0, "twenty": 20.0, "thirty": 30.0, "forty": 40.0, "fifty": 50.0, "sixty": 60.0},
    **{"half a": 0.5, "half an": 0.5, "a half": 0.5, "a couple of": 2.0, "couple of": 2.0},
}
UNIT_HOURS: dict[str, float] = {"minute": 1 / 60, "hour": 1.0, "day": 24.0, "week": 168.0, "month": 720.0}

_NUM = (
    r"(?:\d+(?:\.\d+)?|half\s+an?|a\s+half|a\s+couple\s+of|couple\s+of|"
    + "|".join(sorted((w for w in NUMBER_WORDS if " " not in w), key=len, reverse=True))
    + ")"
)
# A bare "h" is lowercase: "2H" is a product suffix ("DGX-2H"), not two hours.
_UNIT = r"(?P<unit>minutes?|mins?|hours?|hrs?|(?-i:h)|days?|weeks?|months?)"
_QUAL = (
    r"(?P<qual>about|approximately|approx\.?|around|roughly|nearly|almost|~|less\s+than|under|within|at\s+most|"
    r"up\s+to|over|more\s+than|at\s+least|just\s+over|just\s+under|only|a\s+total\s+of|total\s+of|in\s+total)"
)
_COMPOUND = re.compile(r"(?i)\b(?P<h>\d+)\s*h(?:ours?|rs?)?\s*(?:and\s*)?(?P<m>\d+)\s*m(?:in(?:utes?)?)?\b")
_RANGE = re.compile(
    rf"(?i)(?<![\w.])(?:{_QUAL}\s+)?(?P<a>{_NUM})\s*(?:-|to|or|~)\s*(?P<b>{_NUM})\s*-?\s*{_UNIT}(?![\w-])"
)
# A number glued to a hyphenated name ("wav2vec2-large-960h", "DGX-2H") is part of the name.
_SINGLE = re.compile(rf"(?i)(?<![\w.])(?<![A-Za-z0-9]-)(?:{_QUAL}\s*)?(?P<n>{_NUM})\s*-?\s*{_UNIT}(?![\w-])")
_PER_AFTER = re.compile(
    r"(?i)^\s*(?:per|/|for\s+each|for\s+every|of\s+each|each)\s+(?:training\s+)?"
    r"(?:epoch|iteration|step|update|mini-?batch|batch|image|sample|example|query|sentence|token|video|clip)"
)
_PER_BEFORE = re.compile(
    r"(?i)\b(?:per|each|every|one|single|an?)\s+(?:training\s+)?(?:epoch|iteration|step|update|mini-?batch)"
    r"\s+(?:takes?|took|taking|requires?|required|lasts?|lasted|is|was|of|needs?|needed)\s+$"
)
_NOT_RUN_AFTER = re.compile(
    r"(?i)^\s*(?:-long\s+)?(?:subset|split|dataset|corpus|set|of\s+(?:[\w-]+\s+){0,3}?(?:speech|audio|video|"
    r"data|recordings?|footage|labell?ed|transcribed|training\s+(?:data|set)|unlabell?ed|transcripts?|"
    r"utterances|conversations?)|old|ago|later|earlier|window|horizon|lag)\b"
)
# The time of a part of the run ("Training 1,000 batches of data costs 600 minutes", "each 100k steps
# take 3 hours"), or a result of arithmetic ("= 5 hours", a worked example), is not the run's duration.
_PART_BEFORE = re.compile(
    r"(?i)\b\d[\d,.]*\s*[kKmM]?\s+(?:batches|mini-?batches|steps|iterations|updates|epochs|samples|examples|images|"
    r"tokens)\b(?:\s+of\s+\w+)?\s+(?:costs?|takes?|took|requires?|required|needs?|lasts?)\b"
)
_ARITHMETIC_BEFORE = re.compile(r"=\s*$")
_COUNTERFACTUAL = re.compile(
    r"(?i)\bwould\s+(?:have\s+)?(?:taken|take|required|require|needed|need)\b[^.;]{0,30}$"
)


@dataclass(frozen=True, slots=True)
class Duration:
    """A stated wall-clock duration: ``text[start:end]`` means ``hours`` hours."""

    start: int
    end: int
    hours: float
    text: str


def _number(word: str) -> float | None:
    word = " ".join(word.lower().split())
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    try:
        return float(word)
    except ValueError:
        return None


def _unit_hours(unit: str) -> float:
    u = unit.lower()
    if u.startswith("min"):
        return UNIT_HOURS["minute"]
    if u.startswith("h"):
        return UNIT_HOURS["hour"]
    if u.startswith("d"):
        return UNIT_HOURS["day"]
    if u.startswith("w"):
        return UNIT_HOURS["week"]
    return UNIT_HOURS["month"]


def _skip(text: str, start: int, end: int, lo: int) -> bool:
    after = text[end : end + 60]
    before = text[max(lo, start - 80) : start]
    before = re.sub(r"(?i)(?:about|approximately|around|roughly|nearly|almost|~)\s*$", "", before)
    return bool(
        _PER_AFTER.match(after)
        or _NOT_RUN_AFTER.match(after)
        or _PER_BEFORE.search(before)
        or _COUNTERFACTUAL.search(before)
        or _PART_BEFORE.search(before)
        or _ARITHMETIC_BEFORE.search(before)
    )


def find_durations(text: str, start: int = 0, end: int | None = None) -> list[Duration]:
    """All run durations stated in ``text[start:end]``, in order, offsets into ``text``."""
    end = len(text) if end is None else end
    found: list[Duration] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _COMPOUND.finditer(text, start, end):
        hours = int(m.group("h")) + int(m.group("m")) / 60
        taken.append(m.span())
        if hours > 0 and not _skip(text, m.start(), m.end(), start):
            found.append(Duration(m.start(), m.end(), round(hours, 3), m.group(0)))
    for m in _RANGE.finditer(text, start, end):
        a, b = _number(m.group("a")), _number(m.group("b"))
        if a is None or b is None or not free(*m.span()) or not 0 < a < b:
            continue
        if m.group("unit").lower() == "h" and ("." in m.group("a") or "." in m.group("b")):
            continue
        taken.append(m.span())
        if not _skip(text, m.start(), m.end(), start):
            hours = (a + b) / 2 * _unit_hours(m.group("unit"))
            found.append(
                Duration(m.start("a") if not m.group("qual") else m.start(), m.end(), hours, m.group(0))
            )
    for m in _SINGLE.finditer(text, start, end):
        if not free(*m.span()):
            continue
        n = _number(m.group("n"))
        unit = m.group("unit")
        if n is None or n <= 0:
            continue
        if unit.lower() in {"h", "hr", "hrs"} and m.group("n").isalpha():
            continue  # "a h" is not a duration
        taken.append(m.span())
        if _skip(text, m.start(), m.end(), start):
            continue
        found.append(Duration(m.start(), m.end(), n * _unit_hours(unit), m.group(0).strip()))
    found.sort(key=lambda d: d.start)
    return found
