"""Benchmark results of the paper's own models: table rows (:mod:`extract.table_results`) and prose
(:mod:`extract.prose_results`), deduplicated, best-supported first, each tagged with its benchmark id
and metric key (:mod:`extract.benchmark_keys`; None outside the registry).
"""

from __future__ import annotations

import dataclasses
import logging

from extract import names
from extract.benchmark_keys import benchmark_of, metric_key
from extract.facts import Result
from extract.layout import Layouts
from extract.nlp import PageDoc
from extract.prose_results import prose_results
from extract.result_labels import entities, paper_footing
from extract.table_results import table_results

logger = logging.getLogger(__name__)

MAX_RESULTS = 80
APPENDIX_CONFIDENCE = 0.55  # below the warehouse's 0.6 for a headline score: kept, never a benchmark point


def _main_dataset(docs: list[PageDoc]) -> str | None:
    """The dataset the first two pages name most often (title, abstract, introduction)."""
    counts: dict[str, int] = {}
    for d in docs[:2]:
        for label, key, _text in entities(d.text):
            if label == names.LABEL_DATASET:
                counts[key] = counts.get(key, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def find_results(docs: list[PageDoc], own: list[str], layouts: Layouts | None = None) -> list[Result]:
    """The results of the paper's own models (``own``: their names), best-supported first, at most
    ``MAX_RESULTS``. ``layouts`` gives word positions, so that table cells meet their column headers."""
    main = _main_dataset(docs)
    footing = paper_footing(" ".join(d.text for d in docs))
    results: list[Result] = []
    for d in docs:
        found = table_results(d, own, main, footing, layouts) + prose_results(d, own, main)
        if d.after_references:  # appendix tables break results down; the headline is in the body
            found = [dataclasses.replace(r, confidence=min(r.confidence, APPENDIX_CONFIDENCE)) for r in found]
        results.extend(found)
    seen: set[tuple[object, ...]] = set()
    unique = []
    for r in sorted(results, key=lambda r: -r.confidence):
        key = (r.value, r.dataset, r.metric, r.model)
        if key not in seen:
            seen.add(key)
            benchmark = benchmark_of(r.dataset)
            unique.append(dataclasses.replace(r, benchmark=benchmark, metric_key=metric_key(r.metric, benchmark)))
    logger.debug("own models %s: %d results", own, len(unique))
    return unique[:MAX_RESULTS]
