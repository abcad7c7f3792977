"""Helpers for the extract tests: the shared corpus location, text-only extraction and PDFs made with
reportlab in ``tmp_path`` (no mocks: every test runs the real PDFium / pdfplumber / spaCy code)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from extract.facts import Fact, Result, TrainingRun
from extract.pdf import PaperText, normalise_text
from extract.pipeline import extract_text_facts

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
FIXTURES = REPO / "fixtures"


def extract_text(*pages: str) -> tuple[list[TrainingRun], list[Result], list[Fact]]:
    """Run the text stages (sentences, spaCy, hardware, timing, results, facts) on plain page texts."""
    normalised = tuple(normalise_text(p) for p in pages)
    paper = PaperText(
        source="<text>", sha256=hashlib.sha256("".join(pages).encode()).hexdigest(), pages=normalised
    )
    return extract_text_facts(paper)


def training_runs(*pages: str, min_confidence: float = 0.5) -> list[TrainingRun]:
    """The training runs the scorer would count (confidence >= 0.5)."""
    return [r for r in extract_text(*pages)[0] if r.confidence >= min_confidence]


def write_pdf(
    path: Path, pages: Sequence[Sequence[str]], *, font_size: int = 10, encrypt: str | None = None
) -> Path:
    """A PDF whose page i holds the lines ``pages[i]`` (one text line each), made with reportlab."""
    kwargs = {}
    if encrypt is not None:
        from reportlab.lib import pdfencrypt

        kwargs["encrypt"] = pdfencrypt.StandardEncryption(encrypt, canPrint=0)
    c = canvas.Canvas(str(path), pagesize=letter, **kwargs)
    for lines in pages:
        c.setFont("Helvetica", font_size)
        y = 740
        for line in lines:
            c.drawString(60, y, line)
            y -= font_size + 4
        c.showPage()
    c.save()
    return path


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(10_000))

    def _make(pages: Sequence[Sequence[str]], **kwargs: object) -> Path:
        return write_pdf(tmp_path / f"doc{next(counter)}.pdf", pages, **kwargs)  # type: ignore[arg-type]

    return _make
