"""compute-limits extract: training hardware, training time and results from deep-learning paper PDFs.

``extract_pdf(path) -> Extraction`` is the public surface; ``Extraction.to_dict()`` is one object of the
"Extractor output" format (``../shared/corpus/FORMAT.md``). Stages, one module each:

* ``pdf``        PDFium text per page, normalised (hyphenation, ligatures, dashes, x); bad input -> errors
* ``sentences``  sentence split with spans; table-row lines
* ``nlp``        blank spaCy pipeline: EntityRuler + cue PhraseMatcher from ``patterns/*.jsonl``
* ``hardware``   accelerator + count + unit, and whether the context is the paper's own training
* ``timing``     wall-clock durations ("3.5 days", "2-3 weeks", "20h 42m"), per-epoch traps skipped
* ``runs``       hardware + durations -> ``TrainingRun`` (phase, label, confidence)
* ``tables``     training-time tables (pdfplumber word boxes, only on pages that have one)
* ``own_models`` / ``accuracy``  the paper's own model names; results from table rows and prose
* ``model_facts``  parameters, FLOPs, epochs, steps, training-set size, precision
* ``facts``      the frozen output records; ``names`` the canonical ids; ``errors`` ``ExtractionError``
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extract.errors import ExtractionError
from extract.facts import Extraction, Fact, Result, TrainingRun
from extract.names import EXTRACTOR_VERSION

if TYPE_CHECKING:
    from extract.pipeline import extract_pdf


def __getattr__(name: str) -> Any:
    """``extract_pdf`` loads the pipeline (spaCy: ~0.5 s and ~100 MB) only when first asked for, so
    that importing ``extract.errors`` or ``extract.facts`` (as the CLI and the warehouse do) stays light."""
    if name == "extract_pdf":
        from extract.pipeline import extract_pdf

        return extract_pdf
    raise AttributeError(f"module 'extract' has no attribute {name!r}")

__all__ = [
    "EXTRACTOR_VERSION",
    "Extraction",
    "ExtractionError",
    "Fact",
    "Result",
    "TrainingRun",
    "extract_pdf",
]
