"""Politeness, measured: delays between requests, back-off bounds, arXiv's 3 s floor, hosts."""

from __future__ import annotations

import json
from pathlib import Path

from crawlers.fixture_server import FixtureServer
from crawlers.middlewares import backoff_delay, parse_retry_after
from crawlers.politeness import effective_delay, pdf_host_allowed
from crawlers.run import run_spider

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DELAY = 1.0


def test_requests_are_spaced_by_the_configured_delay(tmp_path: Path) -> None:
    with FixtureServer(FIXTURES) as server:
        run_spider("arxiv_api", out=tmp_path / "api.jsonl", args={"base_url": server.base_url, "page_size": 10},
                   settings={"DOWNLOAD_DELAY": DELAY})
        times = [r.at for r in server.requests if r.path == "/api/query"]
    corpus = json.loads((FIXTURES / "corpus.json").read_text())
    assert len(times) == -(-len(corpus) // 10)  # one request per page, pages of 10
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    # Scrapy spaces the moments it sends; arrival times at the server jitter by a few ms either way
    # (CI measured one gap of 0.3796 s for 0.4 s), so each gap gets a margin and the whole span none.
    assert min(gaps) >= 0.85 * DELAY, gaps  # one connection, never much faster than the delay
    assert times[-1] - times[0] >= (len(times) - 1) * DELAY - 0.05, gaps  # no burst: jitter does not add up


def test_arxiv_floor_and_hosts() -> None:
    assert effective_delay("https://export.arxiv.org", 0.5) == 3.0
    assert effective_delay("https://oaipmh.arxiv.org", 10) == 10
    assert effective_delay("http://127.0.0.1:8000", 0) == 0
    assert pdf_host_allowed("https://export.arxiv.org/pdf/1706.03762v5")
    assert not pdf_host_allowed("https://evil.example/pdf/1706.03762v5")
    assert not pdf_host_allowed("file:///etc/passwd")


def test_backoff_is_exponential_bounded_and_honours_retry_after() -> None:
    assert [backoff_delay(a, base=3, cap=60, retry_after=None) for a in range(6)] == [3, 6, 12, 24, 48, 60]
    assert backoff_delay(0, base=3, cap=60, retry_after=20) == 20
    assert backoff_delay(0, base=3, cap=60, retry_after=3600) is None  # longer than the cap: give up for now
    assert parse_retry_after(b"120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past
    assert parse_retry_after("soon") is None
