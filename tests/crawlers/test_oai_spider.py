"""The OAI-PMH spider against the fixture server: a 3-page resumption chain, failures mid-chain."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from crawlers.fixture_server import FixtureServer
from crawlers.run import run_spider

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _harvest(tmp_path: Path, base_url: str, **args: object) -> list[dict]:
    run = run_spider("arxiv_oai", out=tmp_path / "oai.jsonl", args={"base_url": base_url, **args},
                     settings={"DOWNLOAD_DELAY": 0, "RETRY_BACKOFF_BASE": 0.1})
    return run.records


def test_follows_the_resumption_chain_and_lists_every_record_once(tmp_path: Path) -> None:
    corpus = json.loads((FIXTURES / "corpus.json").read_text())
    with FixtureServer(FIXTURES) as server:
        records = _harvest(tmp_path, server.base_url, from_date="2024-01-01")
        queries = [r.query for r in server.requests]
    assert queries[0] == {"verb": "ListRecords", "metadataPrefix": "arXiv", "set": "cs", "from": "2024-01-01"}
    assert [sorted(q) for q in queries[1:]] == [["resumptionToken", "verb"]] * 2  # token requests carry only that
    ids = [r["paper_id"] for r in records if r["kind"] == "oai_record"]
    assert sorted(ids) == sorted(p["arxiv_id"] for p in corpus) and len(ids) == len(set(ids))
    harvest = [r for r in records if r["kind"] == "harvest"]
    assert harvest == [{"kind": "harvest", "complete": True, "pages": 3, "records": len(corpus),
                        "from_date": "2024-01-01", "response_date": "2025-01-15"}]


def test_a_truncated_page_mid_chain_leaves_the_harvest_incomplete(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "http", site / "http")
    page2 = site / "http/oai/listrecords_page2.xml"
    page2.write_bytes(page2.read_bytes()[:1500])
    with FixtureServer(site) as server:
        records = _harvest(tmp_path, server.base_url)
    kinds = [r["kind"] for r in records]
    assert kinds.count("oai_record") == 19 and kinds[-2:] == ["error", "harvest"]
    assert "malformed OAI-PMH" in records[-2]["message"] and records[-1]["complete"] is False


def test_503_with_retry_after_is_honoured(tmp_path: Path) -> None:
    with FixtureServer(FIXTURES) as server:
        server.add_route("/oai", {"verb": "ListRecords", "resumptionToken": "fixture-cs-arXiv-19"}, [
            {"status": 503, "headers": {"Retry-After": "1"}, "body": "busy"},
            {"file": "oai/listrecords_page2.xml"}])
        records = _harvest(tmp_path, server.base_url)
        hits = [r for r in server.requests if r.query.get("resumptionToken") == "fixture-cs-arXiv-19"]
    assert [h.status for h in hits] == [503, 200]
    assert hits[1].at - hits[0].at >= 0.8  # waited the 1 s asked (less arrival jitter), not the 0.1 s back-off base
    assert [r for r in records if r["kind"] == "harvest"][0]["complete"] is True


def test_a_server_that_keeps_failing_is_reported_not_fatal(tmp_path: Path) -> None:
    with FixtureServer(FIXTURES) as server:
        server.add_route("/oai", {"verb": "ListRecords"}, [{"status": 500, "body": "down"}])
        records = _harvest(tmp_path, server.base_url)
        attempts = len(server.requests)
    assert attempts == 5  # the first try and 4 bounded retries
    assert [r["kind"] for r in records] == ["error", "harvest"] and records[0]["retryable"] is True
