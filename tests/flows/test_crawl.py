"""The crawl stage end to end (spiders in subprocesses, lookups, DuckDB): once, again, interrupted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

import warehouse
from crawlers.fixture_server import FixtureServer
from flows import crawl
from flows.settings import Settings
from flows.stages import endpoint_for
from warehouse import load, records

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CORPUS = json.loads((FIXTURES / "corpus.json").read_text())


def _settings(tmp_path: Path, fixtures: Path = FIXTURES) -> Settings:
    return Settings(db=tmp_path / "w.duckdb", data_dir=tmp_path / "data", fixtures_dir=fixtures)


def _run(settings: Settings, source: str, run_id: str, since: str | None = None) -> dict:
    with FixtureServer(settings.fixtures_dir) as server:
        summary = crawl.crawl(settings, endpoint_for(settings, server.base_url), source=source, run_id=run_id,
                              since=since, limit=None)
        summary["requests"] = [(r.path, r.query) for r in server.requests]
    return summary


def _papers(settings: Settings) -> list[tuple[str, int]]:
    with duckdb.connect(str(settings.db), read_only=True) as con:
        return con.execute("select paper_id, version from papers order by 1").fetchall()


@pytest.mark.parametrize("source", ["oai", "api"])
def test_every_record_once_then_nothing_new(tmp_path: Path, source: str) -> None:
    settings = _settings(tmp_path)
    first = _run(settings, source, "r1")
    expected = sorted((p["arxiv_id"], p["version"]) for p in CORPUS)
    assert _papers(settings) == expected
    assert (first["papers_new"], first["crawl_errors"]) == (len(CORPUS), 0)
    second = _run(settings, source, "r2")
    assert (second["papers_new"], second["papers_updated"]) == (0, 0)
    assert _papers(settings) == expected
    with warehouse.connect(settings.db) as con:
        assert load.papers_needing_pdf(con) == [  # every version queued once, none twice
            {"paper_id": p, "version": v, "pdf_url": f"https://arxiv.org/pdf/{p}v{v}"} for p, v in expected]


def test_oai_rerun_starts_from_the_watermark(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    first = _run(settings, "oai", "r1")
    assert first["watermark"] == "2025-01-15" and first["harvest_complete"] is True
    second = _run(settings, "oai", "r2")
    assert second["requests"][0][1]["from"] == "2025-01-15"


def test_an_interrupted_harvest_resumes_from_the_old_watermark(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURES / "http", broken / "http")
    page2 = broken / "http/oai/listrecords_page2.xml"
    page2.write_bytes(page2.read_bytes()[:2000])  # the connection dropped mid-page
    settings = _settings(tmp_path, broken)
    with warehouse.connect(settings.db) as con:
        records.set_state(con, crawl.WATERMARKS["oai"], "2024-06-01")
    interrupted = _run(settings, "oai", "r1")
    assert interrupted["harvest_complete"] is False and interrupted["watermark"] is None
    assert len(_papers(settings)) == 19  # what the first page listed is kept
    with warehouse.connect(settings.db) as con:
        assert records.get_state(con, crawl.WATERMARKS["oai"]) == "2024-06-01"  # not advanced
        assert con.execute("select count(*) from errors where stage = 'crawl'").fetchone()[0] == 1
    resumed = _run(_settings(tmp_path), "oai", "r2")
    assert resumed["requests"][0][1]["from"] == "2024-06-01"
    assert len(_papers(settings)) == len(CORPUS) and resumed["watermark"] == "2025-01-15"


def test_the_watermark_does_not_advance_when_the_load_fails(tmp_path: Path) -> None:
    con = warehouse.connect(tmp_path / "w.duckdb")
    records.set_state(con, "arxiv_oai.watermark", "2024-06-01")
    good = {"paper_id": "2001.90001", "version": 1, "published": "2020-01-02T00:00:00Z"}
    bad = {"paper_id": "2001.90002", "version": 1, "published": "not a date"}
    with pytest.raises(duckdb.Error):
        load.upsert_papers(con, [good, bad], source="oai", watermark=("arxiv_oai.watermark", "2025-01-15"))
    assert records.get_state(con, "arxiv_oai.watermark") == "2024-06-01"
    assert con.execute("select count(*) from papers").fetchone()[0] == 0  # all or nothing


def test_a_page_that_never_parses_is_quarantined_and_the_harvest_moves_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 14, item 7: retried each night up to `quarantine_after` harvests, then a permanent error
    (shown by `status`) and the watermark moves past it."""
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURES / "http", broken / "http")
    page2 = broken / "http/oai/listrecords_page2.xml"
    page2.write_bytes(b"<OAI-PMH><ListRecords><record>" + b"\x00" * 50)  # malformed for good
    settings = _settings(tmp_path, broken).model_copy(update={"quarantine_after": 3, "request_delay": 0.0})
    with warehouse.connect(settings.db) as con:
        records.set_state(con, crawl.WATERMARKS["oai"], "2024-06-01")
    for night in (1, 2):
        summary = _run(settings, "oai", f"r{night}")
        assert summary["watermark"] is None and not summary["harvest_quarantined"]
        with warehouse.connect(settings.db) as con:
            assert records.get_state(con, crawl.WATERMARKS["oai"]) == "2024-06-01"
    third = _run(settings, "oai", "r3")
    assert third["harvest_quarantined"] and third["watermark"] not in (None, "2024-06-01")
    with warehouse.connect(settings.db) as con:
        assert records.get_state(con, crawl.WATERMARKS["oai"]) == third["watermark"]
        rows = con.execute("select retryable, message from errors where stage = 'crawl' and resolved_at is null")
        (retryable, message), = rows.fetchall()
    assert retryable is False and message.startswith("quarantined after 3 failed attempts")
    fourth = _run(settings, "oai", "r4")
    assert fourth["requests"][0][1]["from"] == third["watermark"]
    from flows.cli import main

    assert main(["status", "--db", str(settings.db), "--json"]) == 0
    state = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert len(state["quarantined"]) == 1 and "quarantined after 3 failed attempts" in state["quarantined"][0]

