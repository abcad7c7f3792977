"""Local papers, versions that replace each other, and the backfill queue, on a real DuckDB file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

import warehouse
from warehouse import backfill as queue
from warehouse.load import load_extraction
from warehouse.local_papers import LocalPdf, register_local


@pytest.fixture()
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with warehouse.connect(tmp_path / "w.duckdb") as c:
        yield c


def _pdf(sha: str, paper_id: str, version: int | None = None, **kw: object) -> LocalPdf:
    return LocalPdf(sha256=sha, path=f"pdfs/{sha}.pdf", bytes=1000, origin=f"{sha}.pdf", paper_id=paper_id,
                    version=version, **kw)  # type: ignore[arg-type]


def _extraction(hours: float) -> dict[str, object]:
    run = {"label": "m", "phase": "training", "accelerator": "nvidia-v100", "accelerator_text": "V100 GPUs",
           "count": 8, "count_unit": "gpu", "hours": hours, "hours_text": f"{hours} hours", "page": 3,
           "quote": f"trained on 8 V100 GPUs for {hours} hours", "char_start": 0, "char_end": 40, "confidence": 0.9}
    return {"pages": 9, "training_runs": [run], "results": [], "facts": [], "error": None,
            "extractor_version": "test"}


def _rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    return {t: con.execute(f"select * exclude (first_seen, last_seen) from {t}" if t == "papers"
                           else f"select * from {t}").fetchall()
            for t in ("papers", "documents", "training_runs", "facts")}


def test_a_new_local_paper_gets_its_year_with_the_precision_it_has(con: duckdb.DuckDBPyConnection) -> None:
    done = register_local(con, _pdf("a" * 64, "1512.03385", 1, title="Deep Residual Learning", year=2015, month=12))
    assert (done.paper_id, done.version, done.outcome) == ("1512.03385", 1, "new")
    row = con.execute("select title, published, published_precision, source from papers").fetchone()
    assert row is not None and row[0] == "Deep Residual Learning" and row[2] == "month" and row[3] == "local"
    assert (row[1].year, row[1].month) == (2015, 12)
    doc = con.execute("select paper_id, version, parse_status, origin from documents").fetchone()
    assert doc == ("1512.03385", 1, "pending", "a" * 64 + ".pdf")


def test_the_same_bytes_twice_change_no_row(con: duckdb.DuckDBPyConnection) -> None:
    register_local(con, _pdf("b" * 64, "local:bbbbbbbbbbbb", title="A Paper On Things", year=2019))
    before = _rows(con)
    again = register_local(con, _pdf("b" * 64, "local:bbbbbbbbbbbb", title="Another Title", year=2020))
    assert again.outcome == "unchanged" and _rows(con) == before


def test_new_bytes_under_one_id_are_the_next_version_and_replace_its_facts(con: duckdb.DuckDBPyConnection) -> None:
    register_local(con, _pdf("c" * 64, "mine"))
    load_extraction(con, sha256="c" * 64, paper_id="mine", extraction=_extraction(10.0))
    second = register_local(con, _pdf("d" * 64, "mine"))
    assert (second.version, second.outcome) == (2, "new_version")
    assert con.execute("select version from papers where paper_id = 'mine'").fetchone() == (2,)
    load_extraction(con, sha256="d" * 64, paper_id="mine", extraction=_extraction(20.0))
    assert con.execute("select hours, sha256 from training_runs").fetchall() == [(20.0, "d" * 64)]
    assert con.execute("select count(*) from facts where sha256 = ?", ["c" * 64]).fetchone() == (0,)
    statuses = dict(con.execute("select sha256, parse_status from documents").fetchall())
    assert statuses == {"c" * 64: "superseded", "d" * 64: "parsed"}
    from warehouse import load

    assert [d["sha256"] for d in load.documents_to_parse(con, extractor_version="other")] == ["d" * 64]


def test_an_older_arxiv_version_never_replaces_the_current_one(con: duckdb.DuckDBPyConnection) -> None:
    register_local(con, _pdf("e" * 64, "1810.04805", 2))
    older = register_local(con, _pdf("f" * 64, "1810.04805", 1))
    assert older.outcome == "older_version"
    assert con.execute("select version from papers").fetchone() == (2,)
    same = register_local(con, _pdf("0" * 64, "1810.04805", 2))
    assert same.outcome == "same_version"
    assert con.execute("select count(*) from documents").fetchone() == (2,)


def test_a_parse_error_of_a_new_version_keeps_the_old_facts(con: duckdb.DuckDBPyConnection) -> None:
    register_local(con, _pdf("1" * 64, "p"))
    load_extraction(con, sha256="1" * 64, paper_id="p", extraction=_extraction(5.0))
    register_local(con, _pdf("2" * 64, "p"))
    load_extraction(con, sha256="2" * 64, paper_id="p", extraction={**_extraction(0.0), "training_runs": [],
                                                                      "error": "encrypted PDF"})
    assert con.execute("select hours from training_runs").fetchall() == [(5.0,)]


def test_queue_priorities_idempotence_and_order(con: duckdb.DuckDBPyConnection) -> None:
    named = {"1512.03385": ({"thompson"}, {"imagenet"}), "1706.03762": ({"thompson"}, {"wmt2014-en-de"}),
             "2005.14165": ({"epoch"}, set())}
    first = queue.enqueue(con, named, benchmarks=["wmt2014-en-de"])
    assert (first.named, first.queued, first.already) == (3, 3, 0)
    assert queue.next_batch(con, 10) == ["1706.03762", "1512.03385", "2005.14165"]  # the chosen benchmark first
    queue.enqueue(con, {"1512.03385": ({"pwc"}, {"imagenet"})}, benchmarks=["imagenet"])  # gains a source, moves up
    row = con.execute("select sources, priority, state from backfill_queue where paper_id = '1512.03385'").fetchone()
    assert row == (["pwc", "thompson"], 0, "queued")
    assert con.execute("select count(*) from backfill_queue").fetchone() == (3,)
    assert queue.next_batch(con, 2) == ["1512.03385", "1706.03762"]


def test_failed_attempts_end_in_failed_and_found_papers_settle_when_parsed(con: duckdb.DuckDBPyConnection) -> None:
    queue.enqueue(con, {"1512.03385": ({"file"}, set()), "9999.99999": ({"file"}, set())}, first=True)
    for _ in range(queue.MAX_ATTEMPTS):
        queue.count_attempt(con, ["9999.99999"], "HTTP 503")
    queue.mark(con, ["1512.03385"], "found", version=1)
    register_local(con, _pdf("3" * 64, "1512.03385", 1))
    assert queue.settle(con) == {"failed": 1, "found": 1}  # not parsed yet
    load_extraction(con, sha256="3" * 64, paper_id="1512.03385", extraction=_extraction(1.0))
    assert queue.settle(con) == {"done": 1, "failed": 1}
    assert queue.next_batch(con, 10) == []


def test_ids_already_in_the_warehouse_are_not_queued(con: duckdb.DuckDBPyConnection) -> None:
    register_local(con, _pdf("4" * 64, "1512.03385", 1))
    got = queue.enqueue(con, {"1512.03385": ({"thompson"}, {"imagenet"})})
    assert (got.queued, got.already) == (0, 1) and queue.next_batch(con, 5) == []


def test_unknown_sources_are_refused(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="unknown backfill source 'arxiv'"):
        queue.reference_ids(con, ["arxiv"])
