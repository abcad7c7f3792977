"""The offline fixture corpus in fixtures/: present, self-consistent and reproducible."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GENERATED = ("corpus.json", "scaling_law.json", "pdfs", "http", "pwc")
BENCHMARKS = ("imagenet", "wmt2014-en-de", "squad1.1", "coco")
ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
ARXIV_OAI = "{http://arxiv.org/OAI/arXiv/}"


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "corpus.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def routes() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "http" / "routes.json").read_text("utf-8"))


def _norm(text: str) -> str:
    return " ".join(text.split())


def _page_texts(path: Path, password: str | None = None) -> list[str]:
    pdf = pdfium.PdfDocument(path, password=password)
    try:
        return [_norm(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    finally:
        pdf.close()


def _readable(corpus: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in corpus if not p["expect_error"]]


def test_corpus_size_and_spread(corpus: list[dict[str, Any]]) -> None:
    assert len(corpus) >= 40
    assert len({p["arxiv_id"] for p in corpus}) == len(corpus)
    for bench in BENCHMARKS:
        fit_points = [p for p in corpus if p["benchmark"] == bench and p["hardware_burden"] and p["results"]]
        assert len(fit_points) >= 9, bench
    silent = [p for p in _readable(corpus) if not p["states_training_hardware"]]
    assert len(silent) >= 4 and all(p["results"] for p in silent)
    assert {p["error_kind"] for p in corpus if p["expect_error"]} >= {"corrupt", "encrypted"}
    assert any(p["version"] > 1 for p in corpus)
    assert {p["layout"] for p in _readable(corpus)} == {"single-column", "two-column"}


def test_ids_are_synthetic_and_match_publication_month(corpus: list[dict[str, Any]]) -> None:
    years = set()
    for paper in corpus:
        assert re.fullmatch(r"\d{4}\.9\d{4}", paper["arxiv_id"]), paper["arxiv_id"]
        published = paper["published"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", published)
        assert paper["arxiv_id"][:4] == published[2:4] + published[5:7]
        assert paper["updated"] >= published
        assert paper["pdf"] == f"pdfs/{paper['arxiv_id']}v{paper['version']}.pdf"
        years.add(int(published[:4]))
    assert min(years) == 2014 and max(years) == 2024


def test_every_pdf_exists_with_its_sha256(corpus: list[dict[str, Any]]) -> None:
    for paper in corpus:
        data = (FIXTURES / paper["pdf"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == paper["sha256"], paper["pdf"]
    listed = {paper["pdf"] for paper in corpus}
    assert {f"pdfs/{p.name}" for p in (FIXTURES / "pdfs").glob("*.pdf")} == listed


def test_every_quote_is_on_its_page(corpus: list[dict[str, Any]]) -> None:
    for paper in _readable(corpus):
        pages = _page_texts(FIXTURES / paper["pdf"])
        assert len(pages) == paper["pages"] and 3 <= len(pages) <= 6
        items = (paper["training_runs"] + paper["results"] + paper["facts"]
                 + paper["other_hardware_mentions"] + [paper["headline"]])
        for item in items:
            assert _norm(item["quote"]) in pages[item["page"] - 1], (paper["arxiv_id"], item["quote"])


def test_unreadable_pdfs_fail_as_recorded(corpus: list[dict[str, Any]]) -> None:
    for paper in (p for p in corpus if p["expect_error"]):
        path = FIXTURES / paper["pdf"]
        assert not paper["training_runs"] and not paper["results"]
        if paper["error_kind"] == "corrupt":
            with pytest.raises(pdfium.PdfiumError):
                pdfium.PdfDocument(path)
        elif paper["error_kind"] == "encrypted":
            with pytest.raises(pdfium.PdfiumError):
                pdfium.PdfDocument(path)
            assert any(paper["title"] in text for text in _page_texts(path, paper["password"]))
        else:
            assert paper["error_kind"] == "image_only"
            assert _page_texts(path) == [""] * paper["pages"]


def test_hardware_burden_is_the_sum_of_the_headline_runs(corpus: list[dict[str, Any]]) -> None:
    for paper in _readable(corpus):
        runs = [r for r in paper["training_runs"] if r["in_burden"]]
        for run in paper["training_runs"]:
            if run["burden"] is not None:
                assert run["burden"] == pytest.approx(run["chips"] * run["peak_flops"] * run["hours"] * 3600)
        if paper["hardware_burden"] is None:
            assert not runs or any(r["burden"] is None for r in runs)
        else:
            assert paper["hardware_burden"] == pytest.approx(sum(r["burden"] for r in runs))


def test_every_routed_file_exists(routes: list[dict[str, Any]]) -> None:
    assert routes
    for route in routes:
        assert route["path"] in ("/api/query", "/oai") and route["status"] == 200
        assert (FIXTURES / "http" / route["file"]).is_file(), route["file"]


def test_atom_pages_list_every_paper_once(corpus: list[dict[str, Any]], routes: list[dict[str, Any]]) -> None:
    seen: list[str] = []
    published: list[str] = []
    api = sorted((r for r in routes if r["path"] == "/api/query"), key=lambda r: int(r["query"]["start"]))
    for route in api:
        feed = ET.parse(FIXTURES / "http" / route["file"]).getroot()
        assert feed.findtext(f"{OPENSEARCH}totalResults") == str(len(corpus))
        assert feed.findtext(f"{OPENSEARCH}startIndex") == route["query"]["start"]
        for entry in feed.findall(f"{ATOM}entry"):
            seen.append(entry.findtext(f"{ATOM}id", "").removeprefix("http://arxiv.org/abs/"))
            published.append(entry.findtext(f"{ATOM}published", ""))
            pdf_links = [link for link in entry.findall(f"{ATOM}link") if link.get("title") == "pdf"]
            assert pdf_links and pdf_links[0].get("href", "").endswith(seen[-1])
    assert sorted(seen) == sorted(f"{p['arxiv_id']}v{p['version']}" for p in corpus)
    assert published == sorted(published, reverse=True)


def test_oai_chain_covers_every_paper(corpus: list[dict[str, Any]], routes: list[dict[str, Any]]) -> None:
    by_token = {r["query"].get("resumptionToken"): r["file"] for r in routes if r["path"] == "/oai"}
    token: str | None = None
    ids: list[str] = []
    for _ in range(len(by_token)):
        root = ET.parse(FIXTURES / "http" / by_token[token]).getroot()
        listing = root.find(f"{OAI}ListRecords")
        assert listing is not None
        for record in listing.findall(f"{OAI}record"):
            ids.append(record.findtext(f"{OAI}header/{OAI}identifier", "").removeprefix("oai:arXiv.org:"))
            meta = record.find(f"{OAI}metadata/{ARXIV_OAI}arXiv")
            assert meta is not None and meta.findtext(f"{ARXIV_OAI}id") == ids[-1]
        resumption = listing.find(f"{OAI}resumptionToken")
        assert resumption is not None and resumption.get("completeListSize") == str(len(corpus))
        token = (resumption.text or "").strip() or None
        if token is None:
            break
    assert token is None, "the resumptionToken chain does not end"
    assert Counter(ids) == Counter(p["arxiv_id"] for p in corpus)


def _pwc_rows(task: dict[str, Any], depth: int = 0) -> list[tuple[int, dict[str, Any]]]:
    rows: list[tuple[int, dict[str, Any]]] = []

    def datasets(items: list[dict[str, Any]], level: int) -> None:
        for item in items:
            rows.extend((level, row) for row in (item.get("sota") or {}).get("rows", []))
            datasets(item.get("subdatasets", []), level + 1)

    datasets(task.get("datasets", []), depth)
    for sub in task.get("subtasks", []):
        rows.extend(_pwc_rows(sub, depth + 1))
    return rows


def test_pwc_rows_reference_corpus_papers(corpus: list[dict[str, Any]]) -> None:
    tasks = json.loads((FIXTURES / "pwc" / "evaluation-tables.json").read_text("utf-8"))
    rows = [item for task in tasks for item in _pwc_rows(task)]
    ids = [row["paper_url"].removeprefix("https://arxiv.org/abs/") for _, row in rows]
    assert Counter(ids) == Counter(p["arxiv_id"] for p in corpus if p["results"])
    assert any(depth > 0 for depth, _ in rows), "no row needs recursion into subtasks/subdatasets"
    for _, row in rows:
        assert all(isinstance(value, str) for value in row["metrics"].values())


def test_fixtures_stay_small() -> None:
    total = sum(p.stat().st_size for p in FIXTURES.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert total < 5 * 1024 * 1024


def _files(root: Path) -> dict[str, bytes]:
    out = {}
    for name in GENERATED:
        base = root / name
        paths = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        out.update({str(p.relative_to(root)): p.read_bytes() for p in paths})
    return out


def test_regeneration_is_byte_identical(tmp_path: Path) -> None:
    reportlab = pytest.importorskip("reportlab")
    recorded = json.loads((FIXTURES / "scaling_law.json").read_text("utf-8"))["reportlab_version"]
    if reportlab.Version != recorded:
        pytest.skip(f"PDF bytes depend on reportlab {recorded}; {reportlab.Version} is installed")
    command = [sys.executable, str(FIXTURES / "generate.py"), "--out", str(tmp_path), "--skip-plumber-check"]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    fresh, committed = _files(tmp_path), _files(FIXTURES)
    assert sorted(fresh) == sorted(committed)
    assert [name for name in fresh if fresh[name] != committed[name]] == []
