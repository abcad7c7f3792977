"""``extract_pdf``: one PDF in, one :class:`~extract.facts.Extraction` out; never raises for bad input."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path

from extract import accuracy, model_facts, tables
from extract.errors import ExtractionError, NoTextLayerError
from extract.facts import Extraction, Fact, Result, TrainingRun
from extract.hardware import HardwareMention, find_hardware
from extract.layout import Layouts
from extract.nlp import PageDoc, annotate_page, mark_bibliography
from extract.own_models import own_model_names
from extract.pdf import PaperText, read_pdf
from extract.runs import deduplicate, harmonise, link_page, other_hardware_facts
from extract.table_compute import table_compute

logger = logging.getLogger(__name__)

NO_TEXT = "no text layer (image-only PDF?)"
OUT_OF_MEMORY = "extraction ran out of memory"


@contextmanager
def _stage(timings: MutableMapping[str, float] | None, name: str) -> Iterator[None]:
    t0 = time.perf_counter()
    try:
        yield
    finally:
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0


def extract_pdf(
    path: str | Path, *, strict: bool = False, timings: MutableMapping[str, float] | None = None
) -> Extraction:
    """Extract training runs, results and facts from the PDF at ``path``.

    A file that cannot be read (missing, empty, not a PDF, encrypted, corrupt, image-only) gives an
    ``Extraction`` whose ``error`` is one line and whose lists are empty; with ``strict=True`` the
    :class:`~extract.errors.ExtractionError` is raised instead. ``timings``, if given, accumulates the
    seconds spent per stage (``read``, ``annotate``, ``hardware``, ``tables``, ``results``, ``facts``).
    """
    label = str(path)
    sha: str | None = None
    pages = 0
    try:
        with _stage(timings, "read"):
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                raise ExtractionError(f"cannot read file: {exc.strerror or exc}", pdf=label) from exc
            sha = hashlib.sha256(data).hexdigest()
            paper = read_pdf(data, name=label)
        pages = len(paper.pages)
        if not paper.has_text:
            raise NoTextLayerError(NO_TEXT, pdf=label)
        runs, results, facts = extract_text_facts(paper, data, timings=timings)
    except ExtractionError as exc:
        if strict:
            raise
        logger.warning("%s: %s", label, exc)
        return Extraction(pdf=label, sha256=sha, pages=pages, error=str(exc))
    except MemoryError:  # a resource limit, not a bug of this PDF (extract.worker reports its limit)
        if strict:
            raise
        logger.warning("%s: %s", label, OUT_OF_MEMORY)
        return Extraction(pdf=label, sha256=sha, pages=pages, error=OUT_OF_MEMORY)
    except Exception as exc:  # a bug must not stop a batch of thousands of PDFs
        if strict:
            raise ExtractionError(f"extraction failed: {type(exc).__name__}: {exc}", pdf=label) from exc
        logger.exception("%s: extraction failed", label)
        return Extraction(
            pdf=label, sha256=sha, pages=pages, error=f"extraction failed: {type(exc).__name__}: {exc}"
        )
    logger.info("%s: %d runs, %d results, %d facts", label, len(runs), len(results), len(facts))
    return Extraction(
        pdf=label,
        sha256=sha,
        pages=pages,
        training_runs=tuple(runs),
        results=tuple(results),
        facts=tuple(facts),
    )


def extract_text_facts(
    paper: PaperText, data: bytes | None = None, *, timings: MutableMapping[str, float] | None = None
) -> tuple[list[TrainingRun], list[Result], list[Fact]]:
    """All facts of a paper whose text is already read. ``data`` (the PDF bytes) enables table reading."""
    with _stage(timings, "annotate"):
        docs: list[PageDoc] = [annotate_page(n, text) for n, text in enumerate(paper.pages, start=1)]
        mark_bibliography(docs)
        own = own_model_names(list(paper.pages))
    with _stage(timings, "hardware"):
        mentions: list[HardwareMention] = harmonise([m for d in docs for m in find_hardware(d)])
        by_page: dict[int, list[HardwareMention]] = {}
        for m in mentions:
            by_page.setdefault(m.page, []).append(m)
        runs: list[TrainingRun] = []
        facts: list[Fact] = []
        for d in docs:
            runs.extend(link_page(d, by_page.get(d.number, []), own))
            facts.extend(other_hardware_facts(d, by_page.get(d.number, [])))
    with _stage(timings, "tables"):
        if data is not None:
            runs.extend(tables.time_table_runs(data, docs, own))
    runs = deduplicate(runs)
    with _stage(timings, "results"), Layouts(data) as layouts:
        results = accuracy.find_results(docs, own, layouts)
        facts.extend(f for d in docs for f in table_compute(d, own, layouts))
    with _stage(timings, "facts"):
        facts.extend(model_facts.find_facts(docs))
    return runs, results, facts
