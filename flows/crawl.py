"""The crawl stage: which papers changed on arXiv, with their current versions, into `papers`.

Two sources: OAI-PMH (`oai`, the nightly default: ListRecords from the stored watermark, then a
lookup by id for versions and PDF links) and the API search (`api`: categories x date window).
The watermark is committed in the same transaction as the papers it covers.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import warehouse
from crawlers.lookup import Lookup, lookup
from crawlers.politeness import pdf_host_allowed
from crawlers.run import SpiderRun, run_spider
from crawlers.spiders.arxiv_oai import harvest_source
from flows import progress
from flows.settings import Settings
from warehouse import load, records

logger = logging.getLogger(__name__)

WATERMARKS = {"oai": "arxiv_oai.watermark", "api": "arxiv_api.watermark"}


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where the crawlers go: arXiv itself, or the local fixture server (for every host)."""

    api_url: str
    oai_url: str
    pdf_url: str
    delay: float


def user_agent(settings: Settings) -> str:
    return f"compute-limits/0.1 (+https://github.com/compute-limits/compute-limits; mailto:{settings.contact})"


def spider_settings(settings: Settings, endpoint: Endpoint) -> dict[str, object]:
    return {"DOWNLOAD_DELAY": endpoint.delay, "USER_AGENT": user_agent(settings),
            "RETRY_BACKOFF_BASE": max(endpoint.delay, 0.5), "DOWNLOAD_TIMEOUT": settings.download_timeout_s,
            "RETRY_TIMES": settings.download_retries}


def start_date(settings: Settings, source: str, since: str | None) -> str | None:
    """--since wins; else the stored watermark; else (live only) a short look-back."""
    if since:
        return since
    with warehouse.connect(settings.db) as con:
        mark = records.get_state(con, WATERMARKS[source])
    if mark:
        return mark
    if settings.live:
        return (datetime.now(UTC) - timedelta(days=settings.live_lookback_days)).strftime("%Y-%m-%d")
    return None


def _record_errors(run: SpiderRun, settings: Settings, run_id: str) -> int:
    """A spider's errors: `source` is what failed (an id it refused, the harvest), else the URL."""
    errors = run.of_kind("error")
    if errors:
        with warehouse.connect(settings.db) as con:
            for err in errors:
                records.record_error(con, stage="crawl", source=str(err.get("source") or err["url"]),
                                     message=err["message"], retryable=bool(err.get("retryable")), run_id=run_id)
    return len(errors)


def lookup_ids(settings: Settings, endpoint: Endpoint, ids: list[str]) -> Lookup:
    """Current versions of these ids from the arXiv API (or the fixture server), politely, by batch."""
    return lookup(ids, base_url=endpoint.api_url, delay=endpoint.delay, user_agent=user_agent(settings),
                  batch_size=settings.lookup_batch_size, retries=settings.download_retries,
                  timeout=settings.download_timeout_s)


def refuse_foreign_links(papers: list[dict[str, Any]], settings: Settings) -> dict[str, str]:
    """Drop each PDF link that is not on an arXiv host (the loopback fixture server too, offline);
    returns paper id -> the refusal, to record. The downloader fetches arXiv's own URL anyway."""
    refused = {}
    for paper in papers:
        link = paper.get("pdf_url")
        if link and not pdf_host_allowed(str(link), allow_loopback=not settings.live):
            refused[str(paper["paper_id"])] = f"refused: PDF link to a host other than arXiv: {str(link)[:300]}"
            paper["pdf_url"] = None
    return refused


def _wanted(record: dict[str, Any], categories: set[str]) -> bool:
    return bool(categories.intersection(record.get("categories") or []))


_FAILED_HARVESTS = "arxiv_oai.failed_harvests"


def _count_failed_harvest(con: Any, harvest: dict[str, Any], limit: int | None) -> int:
    """Harvests in a row that ended on a failing page (this one included); a complete one resets it."""
    if harvest.get("complete"):
        records.set_state(con, _FAILED_HARVESTS, "0")
        return 0
    if limit is not None:
        return 0  # a limited crawl stops early on purpose
    failures = int(records.get_state(con, _FAILED_HARVESTS) or 0) + 1
    records.set_state(con, _FAILED_HARVESTS, str(failures))
    return failures


def crawl_oai(settings: Settings, endpoint: Endpoint, *, run_id: str, since: str | None,
              limit: int | None) -> dict[str, Any]:
    """Harvest what changed since the watermark; look up versions; upsert; advance the watermark."""
    from_date = start_date(settings, "oai", since)
    run = run_spider("arxiv_oai", out=settings.crawl_dir / f"{run_id}-arxiv_oai.jsonl",
                     args={"base_url": endpoint.oai_url, "from_date": from_date},
                     settings=spider_settings(settings, endpoint))
    categories = {c.strip() for c in settings.categories.split(",") if c.strip()}
    changed = [r for r in run.of_kind("oai_record") if _wanted(r, categories)]
    ids = [r["paper_id"] for r in changed][:limit]
    progress.current().stage("look up versions", len(ids))
    time.sleep(endpoint.delay)  # the lookups go to the same host: keep the gap after the harvest
    looked = lookup_ids(settings, endpoint, ids)
    found, missing = looked.found, looked.missing
    progress.current().advance(len(ids))
    foreign = refuse_foreign_links(found, settings)
    harvest = (run.of_kind("harvest") or [{"complete": False}])[-1]
    complete = bool(harvest.get("complete")) and not missing and not looked.failed and limit is None
    mark = (WATERMARKS["oai"], str(harvest["response_date"])) if complete and harvest.get("response_date") else None
    with warehouse.connect(settings.db) as con:
        failures = _count_failed_harvest(con, harvest, limit)
        quarantine = failures >= settings.quarantine_after
        if quarantine and not missing and not looked.failed:  # a page that never parses holds nothing back
            mark = (WATERMARKS["oai"], str(harvest.get("response_date") or datetime.now(UTC).strftime("%Y-%m-%d")))
        upsert = load.upsert_papers(con, found, source="oai", watermark=mark)
        for rec in found:
            records.resolve_errors(con, stage="crawl", source=rec["paper_id"], run_id=run_id)
        if bool(harvest.get("complete")):
            records.resolve_errors(con, stage="crawl", source=harvest_source(), run_id=run_id)
        for paper_id in missing:
            records.record_error(con, stage="crawl", source=paper_id, retryable=True, run_id=run_id,
                                 message="listed by OAI-PMH but not found by id in the arXiv API")
        for paper_id, message in looked.failed.items():
            records.record_error(con, stage="crawl", source=paper_id, message=message, retryable=True,
                                 run_id=run_id)
        for paper_id, message in (looked.refused | foreign).items():
            records.record_error(con, stage="crawl", source=paper_id, message=message, retryable=False,
                                 run_id=run_id)
    errors = _record_errors(run, settings, run_id)
    if quarantine:
        with warehouse.connect(settings.db) as con:
            records.quarantine_errors(con, stage="crawl", source=harvest_source(), attempts=failures)
            records.set_state(con, _FAILED_HARVESTS, "0")
    return {"papers_crawled": len(found), "papers_new": upsert.new, "papers_updated": upsert.updated,
            "oai_records": len(run.of_kind("oai_record")), "harvest_quarantined": quarantine,
            "crawl_errors": errors + len(missing) + len(looked.failed) + len(looked.refused) + len(foreign),
            "harvest_complete": complete, "watermark": mark[1] if mark else None}


def crawl_api(settings: Settings, endpoint: Endpoint, *, run_id: str, since: str | None,
              limit: int | None, until: str | None = None) -> dict[str, Any]:
    """Search the categories over a submission-date window; upsert; advance the watermark."""
    from_date = start_date(settings, "api", since)
    progress.current().stage("search arXiv", None)
    run = run_spider("arxiv_api", out=settings.crawl_dir / f"{run_id}-arxiv_api.jsonl", args={
        "base_url": endpoint.api_url, "categories": settings.categories, "since": from_date, "until": until,
        "page_size": settings.page_size, "limit": limit,
    }, settings=spider_settings(settings, endpoint))
    papers = run.of_kind("paper")
    progress.current().advance(len(papers))
    foreign = refuse_foreign_links(papers, settings)
    mark = None
    if papers and not any(e.get("retryable") for e in run.of_kind("error")) and limit is None:
        mark = (WATERMARKS["api"], max(str(p["published"])[:10] for p in papers if p.get("published")))
    with warehouse.connect(settings.db) as con:
        upsert = load.upsert_papers(con, papers, source="arxiv_api", watermark=mark)
        for paper_id, message in foreign.items():
            records.record_error(con, stage="crawl", source=paper_id, message=message, retryable=False,
                                 run_id=run_id)
    errors = _record_errors(run, settings, run_id)
    return {"papers_crawled": len(papers), "papers_new": upsert.new, "papers_updated": upsert.updated,
            "crawl_errors": errors + len(foreign), "watermark": mark[1] if mark else None}


def crawl(settings: Settings, endpoint: Endpoint, *, source: str, run_id: str, since: str | None,
          limit: int | None) -> dict[str, Any]:
    if source == "oai":
        summary = crawl_oai(settings, endpoint, run_id=run_id, since=since, limit=limit)
    elif source == "api":
        summary = crawl_api(settings, endpoint, run_id=run_id, since=since, limit=limit)
    else:
        raise ValueError(f"unknown crawl source {source!r} (oai or api)")
    return summary | mark_fixture_papers(settings)


def mark_fixture_papers(settings: Settings) -> dict[str, int]:
    """Offline, the papers the fixture root's manifest (`corpus.json`) lists are made up: mark them
    `papers.synthetic`, so no fit pools them with real papers. A fixture root without a manifest
    (e.g. the scale benchmark's copies of real PDFs) marks nothing; a live run never does."""
    if settings.live:
        return {}
    from crawlers.fixture_server import synthetic_ids

    ids = synthetic_ids(settings.fixtures_dir)
    if not ids:
        return {}
    with warehouse.connect(settings.db) as con:
        return {"synthetic_papers": records.mark_synthetic(con, ids)}
