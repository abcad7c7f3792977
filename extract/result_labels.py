"""How a result is labelled: its dataset and metric entities, error or accuracy footing, ablation cues.

Shared by the table reader (:mod:`extract.table_results`) and the prose reader
(:mod:`extract.prose_results`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract import names
from extract.nlp import load_tools

Entity = tuple[str, str, str]  # (label, canonical id, surface text)


@lru_cache(maxsize=4096)
def entities(text: str) -> tuple[Entity, ...]:
    """The dataset and metric entities of ``text``."""
    doc = load_tools().nlp(text)
    return tuple(
        (e.label_, e.ent_id_ or e.text, e.text)
        for e in doc.ents
        if e.label_ in (names.LABEL_DATASET, names.LABEL_METRIC)
    )


ABLATION = re.compile(r"(?i)^(?:w/o|without|with|no|\+|-|\(|half|double|only)\b")
#: a table or sentence about ablations / variants / baselines: its numbers are not the headline results
ABLATION_CONTEXT = re.compile(
    r"(?i)\bablations?\b|\bablative\b|\bablating\b|\bw/o\b|\bvariants? of\b|\bdesign choices\b"
)
ABLATION_ROW = re.compile(r"(?i)\bw/o\b|\bwithout\b|\bbaseline\b")

ERROR_WORD = re.compile(r"(?i)\berr(?:or|ors|\.)?\b|\berror\s+rates?\b")
ACCURACY_WORD = re.compile(r"(?i)\bacc(?:uracy|\.)?\b")
_AS_ERROR = {"top-1 accuracy": "top-1 error", "top-5 accuracy": "top-5 error", "accuracy": "error"}


def error_footing(metric: str | None, context: str) -> str | None:
    """`metric` on the footing its context gives: a "top-1" column under a header or caption that speaks
    of error ("top-1/top-5 err.", "Error rates (%) on ImageNet") is the top-1 error, not the accuracy."""
    if metric in _AS_ERROR and ERROR_WORD.search(context) and not ACCURACY_WORD.search(context):
        return _AS_ERROR[metric]
    return metric


_TOPK_ERROR = re.compile(r"(?i)\btop-?\s?[15]\s+(?:(?:test|val|validation|single-crop|center-crop)\s+)?err")
_TOPK_ACCURACY = re.compile(r"(?i)\btop-?\s?[15]\s+(?:(?:test|val|validation|single-crop|center-crop)\s+)?acc")


def paper_footing(text: str) -> str:
    """"error" when the paper speaks of top-k error and never of top-k accuracy (its bare "top-1"
    columns are then error rates), else ""."""
    return "error" if _TOPK_ERROR.search(text) and not _TOPK_ACCURACY.search(text) else ""


def most_specific(ents: tuple[Entity, ...], label: str) -> str | None:
    """The entity of ``label`` with the longest surface text ("WMT 2014 English-German" over "WMT")."""
    found = [e for e in ents if e[0] == label]
    return max(found, key=lambda e: len(e[2]))[1] if found else None
