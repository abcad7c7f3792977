"""The dataset a training run's statement is about: "The ImageNet experiments took approximately 3 days
each, while the JFT experiments took over one month each" states two runs, one per dataset.

The clause of the duration is read back to its start (the sentence's start, or a ",", ";", ":" or a
"while" / "whereas" / "and" that opens a new clause); the dataset named nearest the duration within it
is the run's. Its benchmark id when it is a registered benchmark ("imagenet"), else the dataset's
canonical name ("JFT"). Runs whose clause names no dataset have none, and the warehouse then pairs them
with every result of the paper, as before.
"""

from __future__ import annotations

import re

from extract import names
from extract.benchmark_keys import benchmark_of
from extract.result_labels import entities

_OPENER = re.compile(r"(?i)[.;:,]\s|\b(?:while|whereas|but|and)\s")
MAX_CLAUSE = 200  # characters read back from the duration


def clause_before(text: str, start: int) -> str:
    """The text of the clause that ends at ``start`` (a duration's first character)."""
    window = text[max(0, start - MAX_CLAUSE) : start]
    cut = 0
    for m in _OPENER.finditer(window):
        cut = m.end()
    return window[cut:]


def run_dataset(text: str, start: int, end: int) -> str | None:
    """The benchmark id or dataset name the clause of ``text[start:end]`` (a duration) names, or None."""
    found = [e for e in entities(clause_before(text, start) + text[start:end]) if e[0] == names.LABEL_DATASET]
    if not found:
        return None
    _label, key, printed = found[-1]
    return benchmark_of(printed) or benchmark_of(key) or key
