"""Frozen records the extractor emits. Each carries its provenance (page, quote, character span).

``Extraction.to_dict()`` is exactly one object of the "Extractor output" format of
``../shared/corpus/FORMAT.md``; ``Extraction.from_dict`` reverses it. Character offsets index the page
text returned by :func:`extract.pdf.read_pdf` (normalised PDFium text), and ``quote`` is that slice with
whitespace runs collapsed to one space.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

from extract.names import ACCELERATORS, COUNT_UNITS, EXTRACTOR_VERSION, FACT_KINDS, PHASES


def _check_provenance(page: object, quote: object, char_start: object, char_end: object) -> None:
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        raise ValueError(f"provenance needs a 1-based page number, got {page!r}")
    if not isinstance(quote, str) or not quote.strip():
        raise ValueError("provenance needs a non-empty quote")
    for name, value in (("char_start", char_start), ("char_end", char_end)):
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ValueError(f"{name} must be a non-negative int or None, got {value!r}")
    if isinstance(char_start, int) and isinstance(char_end, int) and char_end < char_start:
        raise ValueError(f"char_end {char_end} < char_start {char_start}")


def _check_confidence(confidence: object) -> None:
    if not isinstance(confidence, int | float) or not 0.0 <= float(confidence) <= 1.0:
        raise ValueError(f"confidence must be in [0, 1], got {confidence!r}")


@dataclass(frozen=True, slots=True)
class TrainingRun:
    """One training / pre-training / fine-tuning / search run whose hardware or duration the paper states."""

    label: str
    phase: str
    accelerator: str | None
    accelerator_text: str | None
    count: int | None
    count_unit: str | None
    hours: float | None
    hours_text: str | None
    page: int
    quote: str
    char_start: int | None = None
    char_end: int | None = None
    confidence: float = 0.5
    dataset: str | None = None  # the benchmark id or dataset its statement names (extract.run_datasets)

    def __post_init__(self) -> None:
        _check_provenance(self.page, self.quote, self.char_start, self.char_end)
        _check_confidence(self.confidence)
        if self.phase not in PHASES:
            raise ValueError(f"phase must be one of {PHASES}, got {self.phase!r}")
        if self.accelerator is not None and self.accelerator not in ACCELERATORS:
            raise ValueError(f"unknown accelerator id {self.accelerator!r}")
        if self.count_unit is not None and self.count_unit not in COUNT_UNITS:
            raise ValueError(f"count_unit must be one of {COUNT_UNITS}, got {self.count_unit!r}")
        if self.count is not None and (not isinstance(self.count, int) or self.count < 1):
            raise ValueError(f"count must be a positive int or None, got {self.count!r}")
        if self.hours is not None and (not math.isfinite(self.hours) or self.hours <= 0):
            raise ValueError(f"hours must be positive, got {self.hours!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Result:
    """A benchmark result of the paper's own model: ``value`` of ``metric`` on ``dataset``."""

    dataset: str | None
    metric: str | None
    value: float
    model: str | None
    page: int
    quote: str
    char_start: int | None = None
    char_end: int | None = None
    confidence: float = 0.5
    benchmark: str | None = None  # registry id ("imagenet", "wmt2014-en-de"), None outside the registry
    metric_key: str | None = None  # "top1", "bleu", ...; None for error rates and unregistered metrics

    def __post_init__(self) -> None:
        _check_provenance(self.page, self.quote, self.char_start, self.char_end)
        _check_confidence(self.confidence)
        if not isinstance(self.value, int | float) or not math.isfinite(self.value):
            raise ValueError(f"result value must be a finite number, got {self.value!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Fact:
    """Any other stated quantity: parameters, FLOPs, epochs, steps, precision, non-training hardware ..."""

    kind: str
    value: float | str
    unit: str | None
    page: int
    quote: str
    char_start: int | None = None
    char_end: int | None = None
    confidence: float = 0.5

    def __post_init__(self) -> None:
        _check_provenance(self.page, self.quote, self.char_start, self.char_end)
        _check_confidence(self.confidence)
        if self.kind not in FACT_KINDS:
            raise ValueError(f"fact kind must be one of {FACT_KINDS}, got {self.kind!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _build(cls: type[Any], data: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one PDF (or the one-line ``error`` why nothing could be)."""

    pdf: str
    sha256: str | None
    pages: int
    training_runs: tuple[TrainingRun, ...] = ()
    results: tuple[Result, ...] = ()
    facts: tuple[Fact, ...] = ()
    error: str | None = None
    extractor_version: str = EXTRACTOR_VERSION

    def __post_init__(self) -> None:
        if self.error is not None and "\n" in self.error:
            object.__setattr__(self, "error", " ".join(self.error.split()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "pdf": self.pdf,
            "sha256": self.sha256,
            "pages": self.pages,
            "training_runs": [r.to_dict() for r in self.training_runs],
            "results": [r.to_dict() for r in self.results],
            "facts": [f.to_dict() for f in self.facts],
            "error": self.error,
            "extractor_version": self.extractor_version,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        return cls(
            pdf=data["pdf"],
            sha256=data.get("sha256"),
            pages=int(data.get("pages") or 0),
            training_runs=tuple(_build(TrainingRun, r) for r in data.get("training_runs") or ()),
            results=tuple(_build(Result, r) for r in data.get("results") or ()),
            facts=tuple(_build(Fact, f) for f in data.get("facts") or ()),
            error=data.get("error"),
            extractor_version=data.get("extractor_version") or EXTRACTOR_VERSION,
        )
