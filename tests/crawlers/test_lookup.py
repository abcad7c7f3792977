"""Lookups by id with the arxiv package, against the fixture server (real HTTP)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.errors import CrawlError
from crawlers.fixture_server import FixtureServer
from crawlers.lookup import lookup_ids

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_versions_and_missing_ids_in_polite_batches() -> None:
    with FixtureServer(FIXTURES) as server:
        found, missing = lookup_ids(["2003.90009", "1909.90207v1", "2101.00000"], base_url=server.base_url,
                                    delay=0.5, batch_size=2, user_agent="compute-limits/test (mailto:x@y.z)")
        reqs = [r for r in server.requests if r.path == "/api/query"]
    assert sorted((r["paper_id"], r["version"]) for r in found) == [("1909.90207", 2), ("2003.90009", 2)]
    assert missing == ["2101.00000"]
    assert [r.query["id_list"] for r in reqs] == ["2003.90009,1909.90207v1", "2101.00000"]
    assert all(r.user_agent == "compute-limits/test (mailto:x@y.z)" for r in reqs)
    assert reqs[1].at - reqs[0].at >= 0.4  # the 0.5 s delay, less arrival jitter
    assert found[0]["pdf_url"].startswith("https://arxiv.org/pdf/") and found[0]["authors"]


def test_an_http_error_after_retries_is_a_crawl_error() -> None:
    with FixtureServer(FIXTURES) as server:
        server.add_route("/api/query", {"id_list": "2003.90009"}, [{"status": 503, "body": "busy"}])
        with pytest.raises(CrawlError, match="arXiv lookup failed"):
            lookup_ids(["2003.90009"], base_url=server.base_url, delay=0, retries=1)
        assert len(server.requests) == 2
