"""The arXiv search spider, run for real (subprocess, HTTP) against recorded responses."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from crawlers.atom import parse_feed, split_arxiv_id
from crawlers.errors import CrawlError
from crawlers.fixture_server import FixtureServer
from crawlers.run import run_spider
from crawlers.spiders.arxiv_api import build_query

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"


def _recorded(shared: Path, name: str) -> bytes:
    return json.loads((shared / "reference/arxiv/api" / f"{name}.json").read_text())["body"].encode()


def _serve(tmp_path: Path, routes: list[dict]) -> FixtureServer:
    (tmp_path / "http").mkdir(exist_ok=True)
    (tmp_path / "http/routes.json").write_text(json.dumps(routes))
    return FixtureServer(tmp_path)


def _crawl(tmp_path: Path, base_url: str, **args: object) -> list[dict]:
    run = run_spider("arxiv_api", out=tmp_path / "out.jsonl",
                     args={"base_url": base_url, "page_size": 10, **args}, settings={"DOWNLOAD_DELAY": 0})
    return run.records


@pytest.mark.corpus
def test_records_match_the_recorded_xml_field_by_field(tmp_path: Path, shared_dir: Path) -> None:
    body = _recorded(shared_dir, "q_testing_s0_m10_bc5a6c384fe9")
    (tmp_path / "http").mkdir()
    (tmp_path / "http/page0.xml").write_bytes(body)
    with _serve(tmp_path, [{"path": "/api/query", "query": {"start": "0"}, "file": "page0.xml"}]) as server:
        records = _crawl(tmp_path, server.base_url, limit=10)
        assert server.requests[0].query["max_results"] == "10"
        assert "compute-limits" in server.requests[0].user_agent and "mailto:" in server.requests[0].user_agent
    papers = [r for r in records if r["kind"] == "paper"]
    entries = ET.fromstring(body).findall(f"{ATOM}entry")
    assert len(papers) == len(entries) == 10
    for paper, entry in zip(papers, entries, strict=True):
        pid, version = split_arxiv_id(entry.findtext(f"{ATOM}id"))
        assert (paper["paper_id"], paper["version"]) == (pid, version)
        assert paper["title"] == " ".join(entry.findtext(f"{ATOM}title").split())
        assert paper["abstract"] == " ".join(entry.findtext(f"{ATOM}summary").split())
        assert paper["authors"] == [a.findtext(f"{ATOM}name").strip() for a in entry.findall(f"{ATOM}author")]
        assert paper["categories"] == [c.get("term") for c in entry.findall(f"{ATOM}category")]
        assert paper["primary_category"] == entry.find(f"{ARXIV}primary_category").get("term")
        assert paper["published"] == entry.findtext(f"{ATOM}published")
        assert paper["updated"] == entry.findtext(f"{ATOM}updated")
        doi = entry.findtext(f"{ARXIV}doi")
        assert paper["doi"] == (" ".join(doi.split()) if doi else None)
        assert paper["pdf_url"] == f"https://arxiv.org/pdf/{pid}v{version}"


def _feed(entries: str, total: int, start: int) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
            f'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">'
            f"<opensearch:totalResults>{total}</opensearch:totalResults>"
            f"<opensearch:startIndex>{start}</opensearch:startIndex>"
            f"<opensearch:itemsPerPage>10</opensearch:itemsPerPage>{entries}</feed>")


def _entry(n: int) -> str:
    return (f"<entry><id>http://arxiv.org/abs/2001.9{n:04d}v1</id><title>Paper {n}</title>"
            f"<published>2020-01-02T00:00:00Z</published><updated>2020-01-02T00:00:00Z</updated>"
            f"<summary>s</summary><author><name>A</name></author>"
            f'<category term="cs.LG"/><arxiv:primary_category term="cs.LG"/></entry>')


def test_paginates_until_total_and_recovers_an_empty_page(tmp_path: Path) -> None:
    page0 = _feed("".join(_entry(i) for i in range(10)), 15, 0)
    page1 = _feed("".join(_entry(i) for i in range(10, 15)), 15, 10)
    empty = _feed("", 15, 10)  # arXiv's glitch: 200 with no entries although results exist
    routes = [{"path": "/api/query", "query": {"start": "0"}, "body": page0},
              {"path": "/api/query", "query": {"start": "10"}, "sequence": [{"body": empty}, {"body": page1}]}]
    with _serve(tmp_path, routes) as server:
        records = _crawl(tmp_path, server.base_url)
        starts = [r.query["start"] for r in server.requests]
    assert starts == ["0", "10", "10"]
    assert [r["paper_id"] for r in records if r["kind"] == "paper"] == [f"2001.9{i:04d}" for i in range(15)]
    assert not [r for r in records if r["kind"] == "error"]


def test_truncated_feed_becomes_an_error_record(tmp_path: Path) -> None:
    page = _feed("".join(_entry(i) for i in range(3)), 3, 0)
    with _serve(tmp_path, [{"path": "/api/query", "query": {"start": "0"}, "body": page[:300]}]) as server:
        records = _crawl(tmp_path, server.base_url)
    assert [r["kind"] for r in records] == ["error"]
    assert "malformed Atom feed" in records[0]["message"]


def test_query_covers_categories_and_date_window() -> None:
    q = build_query(["cs.LG", "cs.CV"], "2024-01-01", "2024-01-31")
    assert q == "(cat:cs.LG OR cat:cs.CV) AND submittedDate:[202401010000 TO 202401312359]"


@pytest.mark.corpus
def test_arxiv_error_feed_is_reported(shared_dir: Path) -> None:
    page = parse_feed(_recorded(shared_dir, "id_abc_s0_m100_b79c8dcf6bc3"))
    assert page.error == "incorrect id format for abc" and page.entries == []


def test_parse_feed_rejects_non_xml() -> None:
    with pytest.raises(CrawlError, match="malformed"):
        parse_feed(b"<html><body>Service Unavailable")


def test_since_stops_at_the_first_older_paper(tmp_path: Path) -> None:
    entries = _entry(1).replace("2020-01-02", "2020-03-01") + _entry(2) + _entry(3)
    with _serve(tmp_path, [{"path": "/api/query", "query": {"start": "0"}, "body": _feed(entries, 3, 0)}]) as server:
        records = _crawl(tmp_path, server.base_url, since="2020-02-01")
        assert "submittedDate:[202002010000 TO" in server.requests[0].query["search_query"]
    assert [r["paper_id"] for r in records] == ["2001.90001"]


def test_entries_with_missing_fields() -> None:
    sparse = "<entry><id>http://arxiv.org/abs/2001.90009</id><title>Only a title</title></entry>"
    no_id = "<entry><title>No id at all</title></entry>"
    page = parse_feed(_feed(sparse + no_id, 2, 0).encode())
    assert len(page.entries) == 1
    entry = page.entries[0]
    assert (entry["paper_id"], entry["version"], entry["title"]) == ("2001.90009", 1, "Only a title")
    assert entry["authors"] == [] and entry["categories"] == [] and entry["abstract"] is None
    assert entry["published"] is None and entry["pdf_url"] is None and entry["primary_category"] is None
