"""`upsert_papers` writes a batch in one statement with the row-by-row semantics: counts, versions,
older versions never overwriting newer ones, the watermark in the same transaction."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

import warehouse
from warehouse import load, records


def _paper(i: int, version: int = 1, **extra: Any) -> dict[str, Any]:
    return {"paper_id": f"2401.{50000 + i:05d}", "version": version, "title": f"Paper {i} v{version}",
            "authors": [f"Author {i}", "B. Second"], "abstract": "An abstract.", "categories": ["cs.LG", "cs.CV"],
            "primary_category": "cs.LG", "published": "2024-01-02T10:00:00Z", "updated": "2024-01-03",
            "doi": None, "journal_ref": None, "comment": "5 pages",
            "pdf_url": f"https://arxiv.org/pdf/2401.{i}"} | extra


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return warehouse.connect(tmp_path / "w.duckdb")


def test_a_mixed_batch_counts_like_row_by_row(con: duckdb.DuckDBPyConnection) -> None:
    load.upsert_papers(con, [_paper(1, 2), _paper(2, 1), _paper(3, 3)], source="oai")
    first_seen = dict(con.execute("SELECT paper_id, first_seen FROM papers").fetchall())
    batch = [_paper(1, 1),                      # older than stored v2: left alone
             _paper(2, 2, title="Revised"),     # newer: updated
             _paper(3, 3, title="Same v3"),     # equal: rewritten, counted unchanged
             _paper(4, 1), _paper(4, 2),        # new, twice in the batch: the newer one
             _paper(5, 2), _paper(5, 1)]        # new, newest first
    counts = load.upsert_papers(con, batch, source="arxiv_api", watermark=("k", "2025-01-15"))
    assert (counts.new, counts.updated, counts.unchanged) == (2, 1, 2)
    assert counts.versions == [("2401.50002", 2), ("2401.50003", 3), ("2401.50004", 2), ("2401.50005", 2)]
    assert con.execute("SELECT version, title, source FROM papers WHERE paper_id = '2401.50001'").fetchone() == (
        2, "Paper 1 v2", "oai")
    assert con.execute("SELECT version, title, source FROM papers WHERE paper_id = '2401.50002'").fetchone() == (
        2, "Revised", "arxiv_api")
    assert con.execute("SELECT title FROM papers WHERE paper_id = '2401.50003'").fetchone() == ("Same v3",)
    assert con.execute("SELECT version FROM papers WHERE paper_id = '2401.50004'").fetchone() == (2,)
    after = dict(con.execute("SELECT paper_id, first_seen FROM papers").fetchall())
    assert all(after[k] == v for k, v in first_seen.items())  # first_seen is never moved
    assert records.get_state(con, "k") == "2025-01-15"


def test_every_column_as_the_row_by_row_load_stored_it(con: duckdb.DuckDBPyConnection) -> None:
    load.upsert_papers(con, [_paper(7, doi="10.1/x", journal_ref="J 1", authors=[], categories=None),
                             {"paper_id": "2401.50008", "version": "3"}], source="oai")
    row = con.execute("SELECT * EXCLUDE (first_seen, last_seen) FROM papers WHERE paper_id = '2401.50007'").fetchone()
    cols = [d[0] for d in con.description]
    got = dict(zip(cols, row, strict=True))
    assert {k: got[k] for k in ("version", "title", "authors", "categories", "published", "updated", "doi",
                                "journal_ref", "comment", "pdf_url", "source")} == {
        "version": 1, "title": "Paper 7 v1", "authors": [], "categories": [],
        "published": datetime(2024, 1, 2, 10), "updated": datetime(2024, 1, 3), "doi": "10.1/x",
        "journal_ref": "J 1", "comment": "5 pages", "pdf_url": "https://arxiv.org/pdf/2401.7", "source": "oai"}
    bare = con.execute("SELECT version, title, authors, published FROM papers WHERE paper_id = '2401.50008'").fetchone()
    assert bare == (3, None, [], None)


def test_a_bad_row_loads_nothing_and_keeps_the_watermark(con: duckdb.DuckDBPyConnection) -> None:
    records.set_state(con, "w", "2024-06-01")
    with pytest.raises(duckdb.Error):
        load.upsert_papers(con, [_paper(1), _paper(2, published="not a date")], source="oai", watermark=("w", "x"))
    assert records.get_state(con, "w") == "2024-06-01"
    assert con.execute("SELECT count(*) FROM papers").fetchone() == (0,)


def test_an_empty_batch_still_stores_the_watermark(con: duckdb.DuckDBPyConnection) -> None:
    counts = load.upsert_papers(con, [], source="oai", watermark=("w", "2025-01-16"))
    assert (counts.new, counts.updated, counts.unchanged, counts.versions) == (0, 0, 0, [])
    assert records.get_state(con, "w") == "2025-01-16"


def test_a_thousand_papers_in_one_statement(con: duckdb.DuckDBPyConnection) -> None:
    started = time.monotonic()
    counts = load.upsert_papers(con, [_paper(i) for i in range(1000)], source="oai")
    assert counts.new == 1000 and time.monotonic() - started < 5  # row by row took ~7 s
    again = load.upsert_papers(con, [_paper(i, 2) for i in range(990, 1020)], source="oai")
    assert (again.new, again.updated) == (20, 10)
    assert con.execute("SELECT count(*), sum(version) FROM papers").fetchone() == (1020, 990 + 2 * 30)
