"""A PDF's own identity: the arXiv stamp or file name, the title, the year."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extract.paper_meta import arxiv_year_month, clean_title, id_from_name, meta_from, read_meta

BODY = 10.0


def _lines(*pairs: tuple[str, float]) -> list[tuple[str, float]]:
    return [*pairs, *[(f"body line {i} of the paper", BODY) for i in range(12)]]


def test_the_stamp_gives_id_version_and_the_month_of_the_first_version() -> None:
    lines = _lines(("Deep Residual Learning for Image Recognition", 14.3), ("Kaiming He", 12.0))
    meta = meta_from("paper.pdf", lines, {}, "Deep Residual ... 1\r\narXiv:1512.03385v1 [cs.CV] 10 Dec 2015")
    assert (meta.arxiv_id, meta.version, meta.id_from) == ("1512.03385", 1, "stamp")
    assert (meta.year, meta.month, meta.year_from) == (2015, 12, "arxiv id")
    assert meta.title == "Deep Residual Learning for Image Recognition" and meta.title_from == "first page"


def test_old_style_ids_and_submission_placeholders() -> None:
    assert meta_from("x.pdf", [], {}, "arXiv:cs/0601001v2 [cs.LG] 3 Jan 2006").arxiv_id == "cs/0601001"
    assert arxiv_year_month("cs/0601001") == (2006, 1)
    assert meta_from("x.pdf", [], {}, "arXiv:submit/3129194 [cs.CV] 17 Apr 2020").arxiv_id is None


def test_the_file_name_gives_the_id_when_the_page_has_no_stamp() -> None:
    assert id_from_name("1706.03762v5.pdf") == ("1706.03762", 5)
    assert id_from_name("paper-2010.11929.pdf") == ("2010.11929", None)
    assert id_from_name("results_2019.1234.pdf") is None  # "19" is no month: not an arXiv yymm
    assert id_from_name("notes.pdf") is None


def test_title_from_the_largest_type_at_the_top_over_several_lines() -> None:
    lines = _lines(("Published as a conference paper at ICLR 2021", BODY),
                   ("AN IMAGE IS WORTH 16X16 WORDS:", 17.2), ("TRANSFORMERS FOR IMAGE RECOGNITION AT SCALE", 17.2),
                   ("Alexey Dosovitskiy", BODY))
    meta = meta_from("vit.pdf", lines, {"Title": ""}, None)
    assert meta.title == "AN IMAGE IS WORTH 16X16 WORDS: TRANSFORMERS FOR IMAGE RECOGNITION AT SCALE"
    assert (meta.year, meta.year_from) == (2021, "first page")


def test_metadata_title_wins_when_it_is_a_title_and_is_ignored_when_not() -> None:
    lines = _lines(("Attention Is All You Need", 17.2))
    assert meta_from("a.pdf", lines, {"Title": "Attention is All you Need"}, None).title_from == "metadata"
    for junk in ("", " ", "Microsoft Word - paper.docx", "main.dvi", "Abstract", "untitled"):
        assert meta_from("a.pdf", lines, {"Title": junk}, None).title == "Attention Is All You Need"
    assert clean_title("Introduction") is None


def test_no_title_when_nothing_stands_out() -> None:
    lines = [("1", BODY), ("Abstract", BODY), *[(f"body {i}", BODY) for i in range(10)]]
    assert meta_from("m.pdf", lines, {}, None).title is None


def test_a_file_that_is_not_a_pdf_gives_an_error_not_an_exception(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n this is not really a pdf")
    meta = read_meta(bad)
    assert meta.error and meta.error.startswith("cannot open PDF") and meta.arxiv_id is None


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


@pytest.mark.corpus
@pytest.mark.parametrize("folder", ["corpus", "corpus/recent"])
def test_real_papers_identity_against_gold(shared_dir: Path, folder: str) -> None:
    root = shared_dir / folder
    golds = [json.loads(p.read_text("utf-8")) for p in sorted((root / "gold").glob("*.gold.json"))]
    wrong_ids, wrong_years, titled, right_titles = [], [], 0, 0
    for gold in golds:
        meta = read_meta(root / gold["pdf"])
        assert meta.error is None, gold["pdf"]
        if meta.arxiv_id is not None and meta.arxiv_id != gold.get("arxiv_id"):
            wrong_ids.append(gold["pdf"])
        if meta.year is not None and gold.get("year") and abs(meta.year - gold["year"]) > 1:
            wrong_years.append((gold["pdf"], meta.year, gold["year"]))
        if meta.title:
            titled += 1
            right_titles += _norm(gold["title"])[:30] in _norm(meta.title)
    assert wrong_ids == []  # an id, when read, is always the paper's
    assert wrong_years == []
    assert titled >= 0.95 * len(golds) and right_titles >= 0.85 * titled, (titled, right_titles, len(golds))
