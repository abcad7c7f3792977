"""Bad and hostile input through the real flow: `compute-limits ingest --offline` three times in a
subprocess, against a fixture root built by `tests.operations.hostile` (see `CASES` there).

Corrupt, truncated, encrypted, zero-byte, HTML-instead-of-PDF, too large and many-page PDFs; a
truncated OAI-PMH page mid-chain, a malformed Atom lookup answer and a truncated PwC dump; HTTP 429,
500, 503 and a timeout; identifiers that try path traversal; a PDF link to another host. Each is
recorded in `errors` with stage and source, every run completes, the second run retries what is
retryable (and resolves those errors), and the third adds nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from crawlers.errors import CrawlError
from crawlers.fixture_server import FixtureServer
from crawlers.pwc_archive import iter_evaluation_rows
from crawlers.run import run_spider
from tests.operations import hostile
from tests.operations.hostile import CASES, Case, Trap, case, paper_id
from tests.operations.procs import PrefectServer, Workspace

TABLES = ("papers", "documents", "facts", "training_runs", "results", "errors")
ENV = {"COMPUTE_LIMITS_DOWNLOAD_TIMEOUT_S": str(hostile.TIMEOUT_S),
       "COMPUTE_LIMITS_DOWNLOAD_RETRIES": str(hostile.RETRIES),
       "COMPUTE_LIMITS_PDF_MAX_BYTES": str(hostile.MAX_BYTES),
       "COMPUTE_LIMITS_LOOKUP_BATCH_SIZE": str(hostile.LOOKUP_BATCH),
       "COMPUTE_LIMITS_EXTRACT_TIMEOUT_S": str(hostile.EXTRACT_TIMEOUT_S)}
ERRORS = [c for c in CASES if c.stage is not None]


@dataclass(frozen=True)
class Seen:
    """The warehouse after one run."""

    errors: dict[tuple[str, str], dict[str, Any]]  # (stage, source) -> retryable, occurrences, resolved, message
    documents: dict[str, str]                       # paper id -> sha256
    facts: dict[str, int]                           # paper id -> facts
    pdf_urls: dict[str, str | None]
    counts: dict[str, int]
    queued: set[str]                                # "<id>v<n>" the run asked the downloader for
    status: str


@dataclass(frozen=True)
class Runs:
    base: Path
    root: Path
    ws: Workspace
    seen: list[Seen]
    trap_requests: list[str]
    fixture_files: set[str]


def _seen(ws: Workspace) -> Seen:
    with duckdb.connect(str(ws.db), read_only=True) as con:
        errors = {(r[0], r[1]): {"retryable": r[2], "occurrences": r[3], "resolved": r[4], "message": r[5]}
                  for r in con.execute("SELECT stage, source, retryable, occurrences, resolved_at IS NOT NULL, "
                                       "message FROM errors").fetchall()}
        documents = dict(con.execute("SELECT paper_id, sha256 FROM documents").fetchall())
        facts = dict(con.execute("SELECT paper_id, count(*) FROM facts GROUP BY 1").fetchall())
        pdf_urls = dict(con.execute("SELECT paper_id, pdf_url FROM papers").fetchall())
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        run_id, status = con.execute(
            "SELECT run_id, status FROM ingest_runs ORDER BY started_at DESC LIMIT 1").fetchone()
    queue = ws.root / "data" / "crawl" / f"{run_id}-pdf-queue.jsonl"
    queued = {f"{q['paper_id']}v{q['version']}" for q in map(json.loads, queue.read_text().splitlines())} \
        if queue.exists() else set()
    return Seen(errors, documents, facts, pdf_urls, counts, queued, status)


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def runs(prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    base = tmp_path_factory.mktemp("hostile")
    with Trap() as trap:
        root = hostile.build(base / "fixtures", trap_url=trap.url)
        before = _files(root)
        ws = Workspace(base / "ws", api_url=prefect_server.api_url,
                       extra_env={**ENV, "COMPUTE_LIMITS_FIXTURES_DIR": str(root)})
        ws.root.mkdir()
        seen = []
        for number in range(3):
            ws.ingest()  # fails the fixture (with the run's output) unless it exits 0
            seen.append(_seen(ws))
            if number == 0:
                hostile.restore_pwc(root)
        return Runs(base, root, ws, seen, list(trap.requests), before)


def test_every_run_completes(runs: Runs) -> None:
    assert [s.status for s in runs.seen] == ["completed"] * 3


@pytest.mark.parametrize("c", ERRORS, ids=lambda c: c.name)
def test_each_kind_is_recorded_with_stage_and_source(runs: Runs, c: Case) -> None:
    err = runs.seen[0].errors.get((c.stage, c.source))
    assert err is not None, f"no {c.stage} error for {c.source}: {sorted(runs.seen[0].errors)}"
    assert c.message in err["message"] and err["retryable"] is c.retryable
    assert not err["resolved"]


def test_nothing_else_is_an_error(runs: Runs) -> None:
    assert set(runs.seen[0].errors) == {(c.stage, c.source) for c in ERRORS}
    late = ("crawl", hostile.LATE_TRAVERSAL)  # on page 3, which the first run never reached
    assert set(runs.seen[1].errors) == set(runs.seen[0].errors) | {late}


@pytest.mark.parametrize("c", [c for c in CASES if c.recovers], ids=lambda c: c.name)
def test_the_next_run_retries_and_resolves(runs: Runs, c: Case) -> None:
    err = runs.seen[1].errors[(c.stage, c.source)]
    assert err["resolved"] and err["occurrences"] == 1
    if c.paper is not None:
        assert c.paper in runs.seen[1].documents and runs.seen[1].facts.get(c.paper, 0) > 0


def test_only_papers_without_a_document_are_fetched_again(runs: Runs) -> None:
    first, second = runs.seen[0], runs.seen[1]
    failed_downloads = {c.source for c in ERRORS if c.stage == "download"}
    assert failed_downloads <= first.queued
    found_late = {f"{p}v1" for p in ("1411.90001", "1506.90002", *hostile.PAGE_2, hostile.PAGE_3[0])}
    # everything else had a document after the first run; a PDF refused for good (too large) is not
    # asked for again (a new version would be)
    refused = {c.source for c in ERRORS if c.stage == "download" and not c.retryable}
    assert refused == {case("too_large").source}
    assert second.queued == (failed_downloads - refused) | found_late
    assert not second.queued & first.documents.keys()


@pytest.mark.parametrize("name", ["corrupt_pdf", "truncated_pdf", "encrypted_pdf", "many_pages"])
def test_unreadable_pdfs_stay_recorded_and_are_not_fetched_or_parsed_again(runs: Runs, name: str) -> None:
    c = case(name)
    sha = runs.seen[0].documents[paper_id(c)]
    for seen in runs.seen[1:]:
        err = seen.errors[(c.stage, c.source)]
        assert not err["resolved"] and err["occurrences"] == 1  # not parsed again
        assert seen.documents[paper_id(c)] == sha and c.source not in seen.queued


def test_permanent_download_failures_stay_open(runs: Runs) -> None:
    for name, tries in (("zero_bytes", 3), ("html_not_pdf", 3), ("too_large", 1)):
        c = case(name)
        err = runs.seen[2].errors[(c.stage, c.source)]
        assert not err["resolved"] and err["occurrences"] == tries  # one row; retryable ones tried each run
        assert paper_id(c) not in runs.seen[2].documents


def test_good_papers_in_the_same_feed_load_normally(runs: Runs) -> None:
    first_run = [case("good").paper, case("foreign_pdf_link").paper]
    assert all(runs.seen[0].facts.get(p, 0) > 0 for p in first_run)
    papers = [c.paper for c in CASES if c.paper is not None]
    assert len(papers) == 10 and all(runs.seen[2].facts.get(p, 0) > 0 for p in papers)


def test_a_pdf_link_to_another_host_is_refused_without_a_request(runs: Runs) -> None:
    paper = case("foreign_pdf_link").paper
    assert runs.trap_requests == []
    assert runs.seen[2].pdf_urls[paper] is None  # the link is not kept
    assert paper in runs.seen[0].documents  # the PDF came from arXiv's own URL
    assert all(url is None or url.startswith("https://arxiv.org/pdf/") for url in runs.seen[2].pdf_urls.values())


def test_traversal_ids_are_refused_and_nothing_is_written_outside_the_data_dir(runs: Runs) -> None:
    refused = [c.source for c in ERRORS if c.name.startswith("traversal")] + [hostile.LATE_TRAVERSAL]
    assert all(("crawl", s) in runs.seen[2].errors for s in refused)
    assert not set(refused) & set(runs.seen[2].pdf_urls)  # never a paper
    assert sorted(p.name for p in runs.base.iterdir()) == ["fixtures", "ws"]
    assert sorted(p.name for p in runs.ws.root.iterdir()) == ["data", "prefect-home", "reports"]
    assert _files(runs.root) - runs.fixture_files == {"http/served.json"}
    pdfs = sorted(p.name for p in (runs.ws.root / "data" / "pdfs").iterdir())
    assert pdfs and all(re.fullmatch(r"[0-9a-f]{64}\.pdf", name) for name in pdfs)
    written = _files(runs.base)
    assert not [f for f in written if "passwd" in f or "pwned" in f]
    assert not Path("/tmp/pwned").exists()


def test_a_third_run_adds_no_rows(runs: Runs) -> None:
    second, third = runs.seen[1], runs.seen[2]
    assert third.counts == second.counts
    assert third.errors.keys() == second.errors.keys()
    assert {k: (v["message"], v["resolved"]) for k, v in third.errors.items()} == \
        {k: (v["message"], v["resolved"]) for k, v in second.errors.items()}
    assert third.documents == second.documents and third.facts == second.facts
    assert third.queued == {c.source for c in ERRORS if c.stage == "download" and not c.recovers and c.retryable}


def test_a_queue_entry_with_a_foreign_pdf_link_is_refused_without_a_request(tmp_path: Path) -> None:
    queue = [{"paper_id": "1608.90004", "version": 1, "pdf_url": "placeholder"},
             {"paper_id": "1411.90001", "version": 1, "pdf_url": "https://arxiv.org/pdf/1411.90001v1"}]
    with Trap() as trap, FixtureServer(hostile.FIXTURES) as server:
        queue[0]["pdf_url"] = f"{trap.url}/pdf/1608.90004v1"
        (tmp_path / "queue.jsonl").write_text("".join(json.dumps(q) + "\n" for q in queue))
        run = run_spider("arxiv_pdf", out=tmp_path / "out.jsonl", settings={"DOWNLOAD_DELAY": 0}, args={
            "queue": tmp_path / "queue.jsonl", "cache_dir": tmp_path / "cache", "base_url": server.base_url})
        fetched = sorted(r.path for r in server.requests)
    refused, = run.of_kind("error")
    assert refused["paper_id"] == "1608.90004" and "not on an arXiv host" in refused["message"]
    assert refused["retryable"] is False
    assert [p["paper_id"] for p in run.of_kind("pdf")] == ["1411.90001"]
    assert trap.requests == [] and fetched == ["/pdf/1411.90001v1", "/robots.txt"]


def test_a_dump_of_the_wrong_shape_is_a_crawl_error(tmp_path: Path) -> None:
    path = tmp_path / "evaluation-tables.json"
    path.write_text(json.dumps([{"task": "x", "datasets": [1, 2]}]))
    with pytest.raises(CrawlError, match="malformed evaluation tables"):
        list(iter_evaluation_rows(path))
