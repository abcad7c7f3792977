"""The PDF downloader, run for real against a local server: cache, validation, refusals."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from crawlers.fixture_server import FixtureServer
from crawlers.pdfcache import store_pdf
from crawlers.run import run_spider

PDF = b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 20 + b"%%EOF\n"


def _crawl(tmp_path: Path, base_url: str, queue: list[dict]) -> list[dict]:
    (tmp_path / "queue.jsonl").write_text("".join(json.dumps(q) + "\n" for q in queue))
    run = run_spider("arxiv_pdf", out=tmp_path / "out.jsonl", settings={"DOWNLOAD_DELAY": 0}, args={
        "queue": tmp_path / "queue.jsonl", "cache_dir": tmp_path / "cache", "base_url": base_url})
    return sorted(run.records, key=lambda r: (r["paper_id"], r["kind"]))


def test_downloads_into_the_content_addressed_cache_and_refuses_bad_input(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "pdfs").mkdir(parents=True)
    (root / "pdfs/2001.90001v1.pdf").write_bytes(PDF)
    (root / "pdfs/2001.90002v1.pdf").write_bytes(b"<html>" + b"x" * 500 + b"</html>")
    queue = [{"paper_id": "2001.90001", "version": 1}, {"paper_id": "2001.90002", "version": 1},
             {"paper_id": "2001.90003", "version": 1}, {"paper_id": "../../etc/passwd", "version": 1}]
    with FixtureServer(root) as server:
        records = _crawl(tmp_path, server.base_url, queue)
        fetched = sorted(r.path for r in server.requests)
    by_id = {r["paper_id"]: r for r in records}
    digest = hashlib.sha256(PDF).hexdigest()
    assert by_id["2001.90001"]["kind"] == "pdf" and by_id["2001.90001"]["sha256"] == digest
    assert (tmp_path / "cache" / f"{digest}.pdf").read_bytes() == PDF
    assert "not a PDF" in by_id["2001.90002"]["message"]
    assert by_id["2001.90003"]["message"] == "HTTP 404" and by_id["2001.90003"]["retryable"] is False
    assert "not a valid arXiv id" in by_id["../../etc/passwd"]["message"]
    assert "/robots.txt" in fetched  # robots.txt is obeyed for PDF hosts
    pdf_requests = [p for p in fetched if p != "/robots.txt"]
    assert pdf_requests == ["/pdf/2001.90001v1", "/pdf/2001.90002v1", "/pdf/2001.90003v1"]  # no traversal
    assert not list((tmp_path / "cache").glob(".incoming-*"))


def test_pdfs_from_other_hosts_are_refused_without_a_request(tmp_path: Path) -> None:
    records = _crawl(tmp_path, "http://example.com", [{"paper_id": "2001.90001", "version": 1}])
    assert records[0]["kind"] == "error" and "only from arXiv" in records[0]["message"]


def test_store_pdf_is_idempotent(tmp_path: Path) -> None:
    first = store_pdf(tmp_path, PDF)
    second = store_pdf(tmp_path, PDF)
    assert (first.existed, second.existed) == (False, True)
    assert first.path == second.path and len(list(tmp_path.iterdir())) == 1
