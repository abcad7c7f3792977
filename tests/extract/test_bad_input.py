"""Bad input never raises from ``extract_pdf``: it gives a one-line ``error`` and empty lists."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from extract import Extraction, ExtractionError, extract_pdf
from extract.errors import EncryptedPdfError, NotAPdfError


def _assert_failed(x: Extraction, starts: str) -> None:
    assert x.error is not None and x.error.startswith(starts), x.error
    assert "\n" not in x.error
    assert x.training_runs == () and x.results == () and x.facts == ()
    d = x.to_dict()
    assert d["error"] == x.error and d["training_runs"] == [] and d["results"] == [] and d["facts"] == []


def test_zero_byte_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    x = extract_pdf(p)
    _assert_failed(x, "not a PDF: empty file")
    assert x.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert x.pdf == str(p)


def test_html_saved_as_pdf(tmp_path: Path) -> None:
    p = tmp_path / "1706.03762v5.pdf"
    p.write_text("<!DOCTYPE html><html><body>rate limited</body></html>")
    _assert_failed(extract_pdf(p), "not a PDF: file starts with '<!DOCTYPE html>")


def test_truncated_pdf(tmp_path: Path, make_pdf: Callable[..., Path]) -> None:
    good = make_pdf([["We trained on 8 V100 GPUs for 3 days."] * 40] * 3)
    p = tmp_path / "truncated.pdf"
    p.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    _assert_failed(extract_pdf(p), "corrupt PDF")


def test_garbage_after_pdf_header(tmp_path: Path) -> None:
    p = tmp_path / "garbage.pdf"
    p.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    _assert_failed(extract_pdf(p), "corrupt PDF")


def test_encrypted_pdf(make_pdf: Callable[..., Path]) -> None:
    p = make_pdf([["Training took 3.5 days on 8 P100 GPUs."]], encrypt="secret")
    x = extract_pdf(p)
    _assert_failed(x, "encrypted PDF: password required")
    assert x.sha256 is not None


def test_image_only_pdf(tmp_path: Path) -> None:
    p = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(p))
    for _ in range(2):
        c.rect(100, 100, 300, 400, fill=1)
        c.showPage()
    c.save()
    x = extract_pdf(p)
    _assert_failed(x, "no text layer (image-only PDF?)")
    assert x.pages == 2


def test_missing_file(tmp_path: Path) -> None:
    x = extract_pdf(tmp_path / "nope.pdf")
    _assert_failed(x, "cannot read file")
    assert x.sha256 is None


def test_strict_mode_raises(tmp_path: Path) -> None:
    p = tmp_path / "page.pdf"
    p.write_text("<html></html>")
    with pytest.raises(NotAPdfError) as info:
        extract_pdf(p, strict=True)
    assert info.value.pdf == str(p)


def test_extraction_error_survives_pickling() -> None:
    err = EncryptedPdfError("encrypted PDF: password required", pdf="a.pdf", page=None)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is EncryptedPdfError and isinstance(back, ExtractionError)
    assert (back.message, back.pdf, back.page, str(back)) == (err.message, "a.pdf", None, str(err))


def test_good_pdf_after_bad_ones(tmp_path: Path, make_pdf: Callable[..., Path]) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7 broken")
    good = make_pdf(
        [
            [
                "We trained our models on one machine with 8 NVIDIA P100 GPUs.",
                "Training took 3.5 days on 8 P100 GPUs.",
            ]
        ]
    )
    assert extract_pdf(bad).error
    x = extract_pdf(good)
    assert x.error is None and x.pages == 1
    assert {(r.accelerator, r.count, r.hours) for r in x.training_runs} >= {("nvidia-p100", 8, 84.0)}
