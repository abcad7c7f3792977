"""Overrides and the review queue on a real warehouse file: who/when/why, precedence, re-ingest."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

import warehouse
from flows.cli import main
from warehouse import load
from warehouse.curation import add_override, parse_hours, parse_quantity, review_queue
from warehouse.estimates import refresh_compute_estimates

PAPER = {"paper_id": "2001.90001", "version": 1, "title": "A synthetic paper", "categories": ["cs.CV"],
         "primary_category": "cs.CV", "published": "2020-01-02T10:00:00Z"}
RUN = {"label": None, "phase": "training", "accelerator": "nvidia-v100", "accelerator_text": "V100 GPUs",
       "count": 8, "count_unit": "gpu", "hours": 72.0, "hours_text": "3 days", "page": 3,
       "quote": "trained on 8 V100 GPUs for 3 days", "char_start": 10, "char_end": 40, "confidence": 0.9}
EXTRACTION = {
    "pdf": "x.pdf", "sha256": "a" * 64, "pages": 4, "error": None, "extractor_version": "test-1",
    "training_runs": [RUN],
    "results": [{"dataset": "ImageNet", "metric": "Top-1 accuracy", "value": 80.5, "model": "Net",
                 "page": 4, "quote": "80.5", "char_start": 1, "char_end": 5, "confidence": 0.8}],
    "facts": [{"kind": "flops", "value": 4.1e9, "unit": "FLOPs", "page": 2, "quote": "4.1 GFLOPs",
               "char_start": 3, "char_end": 19, "confidence": 0.6},
              {"kind": "epochs", "value": 90, "unit": "epochs", "page": 3, "quote": "90 epochs",
               "char_start": 3, "char_end": 19, "confidence": 0.6}],
}
V100 = 14.13e12


def _ingest(con: duckdb.DuckDBPyConnection, extraction: dict | None = None) -> None:
    load.upsert_papers(con, [PAPER], source="test")
    load.record_document(con, {"sha256": "a" * 64, "paper_id": PAPER["paper_id"], "version": 1,
                               "path": "pdfs/a.pdf", "bytes": 10})
    load.load_extraction(con, sha256="a" * 64, paper_id=PAPER["paper_id"], extraction=extraction or EXTRACTION)
    refresh_compute_estimates(con)


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = warehouse.connect(tmp_path / "w.duckdb")
    _ingest(c)
    return c


def _run(con: duckdb.DuckDBPyConnection) -> dict:
    cur = con.execute("select * from v_training_compute where paper_id = '2001.90001'")
    return dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))


def test_override_wins_is_recorded_and_survives_reingest(con: duckdb.DuckDBPyConnection) -> None:
    before = _run(con)
    assert before["hardware_burden"] == pytest.approx(8 * V100 * 72 * 3600) and before["sources"] == "extracted"
    when = datetime(2026, 11, 21, 9, 30)
    o = add_override(con, "2001.90001", "hours", "2 weeks", note="p.3 says two weeks", author="ana", now=when)
    assert o.value == 336.0 and o.target == "run"
    after = _run(con)
    assert after["hours"] == 336.0 and after["hardware_burden"] == pytest.approx(8 * V100 * 336 * 3600)
    assert after["sources"] == "extracted+override" and after["overridden"] == ["hours"]
    assert after["override_notes"] == "hours: p.3 says two weeks (ana, 2026-11-21)" and after["confidence"] == 1.0
    assert after["quote"] == RUN["quote"]  # provenance of the extracted part stays
    _ingest(con)  # re-ingest: extraction reloaded, estimates recomputed
    assert _run(con)["hours"] == 336.0
    assert con.execute("select author, note, created_at from overrides").fetchall() == [
        ("ana", "p.3 says two weeks", when)]


def test_newest_override_supersedes_and_history_is_kept(con: duckdb.DuckDBPyConnection) -> None:
    a = add_override(con, "2001.90001", "count", "16", note="first reading", author="ana",
                     now=datetime(2026, 1, 1))
    b = add_override(con, "2001.90001", "count", "4", note="Table 2 says 4", author="bo", now=datetime(2026, 1, 2))
    assert _run(con)["chips"] == 4.0
    rows = con.execute("select override_id, active, superseded_by from v_overrides order by created_at").fetchall()
    assert rows == [(a.override_id, False, b.override_id), (b.override_id, True, None)]


def test_accelerator_override_resolves_through_the_catalog(con: duckdb.DuckDBPyConnection) -> None:
    add_override(con, "2001.90001", "accelerator", "Tesla V100-SXM2-16GB", note="appendix A", author="ana")
    run = _run(con)
    assert run["accelerator"] == "nvidia-v100-sxm2" and run["accelerator_text"] == "Tesla V100-SXM2-16GB"
    with pytest.raises(warehouse.WarehouseError, match="unknown accelerator 'Quantum 9000'"):
        add_override(con, "2001.90001", "accelerator", "Quantum 9000", note="x", author="ana")
    assert con.execute("select count(*) from overrides").fetchone() == (1,)  # the refused one left nothing


def test_paper_facts_and_scores(con: duckdb.DuckDBPyConnection) -> None:
    paper = "select operation_count, headline_method, headline_compute from v_paper_compute"
    assert con.execute(paper).fetchone()[1] == "hardware_time"  # no training-set size: no operation count
    add_override(con, "2001.90001", "training_set_size", "1.28M", note="ImageNet-1k", author="ana")
    ops, method, headline = con.execute(paper).fetchone()
    assert ops == pytest.approx(4.1e9 * 3 * 90 * 1.28e6) and (method, headline) == ("operation_count", ops)
    add_override(con, "2001.90001", "score.imagenet", "81.0", note="Table 3", author="ana")
    point = con.execute("select score, result_source from v_benchmark_points").fetchone()
    assert point == (81.0, "override")


def test_a_run_only_an_analyst_described(con: duckdb.DuckDBPyConnection) -> None:
    for field, value in (("accelerator", "TPUv3-8"), ("count", "2"), ("count_unit", "tpu_device"), ("hours", "24")):
        add_override(con, "2001.90001", field, value, phase="pretraining", note="section 4", author="ana")
    row = con.execute("select accelerator, chips, hours, sources, hardware_burden from v_training_compute "
                      "where phase = 'pretraining'").fetchone()
    assert row == ("google-tpu-v3", 8.0, 24.0, "override", pytest.approx(2 * 420e12 * 24 * 3600))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("colour", "red", "unknown field 'colour'"),
    ("hours", "soon", "not a duration"),
    ("count", "-3", "not a number"),
    ("count_unit", "boards", "count_unit must be one of"),
    ("score.imagenet", "180", "a score is a percentage"),
    ("precision", "int3", "unknown precision"),
])
def test_bad_overrides_are_refused_clearly(con: duckdb.DuckDBPyConnection, field: str, value: str,
                                           message: str) -> None:
    with pytest.raises(warehouse.WarehouseError, match=message):
        add_override(con, "2001.90001", field, value, note="x", author="ana")
    with pytest.raises(warehouse.WarehouseError, match="unknown paper"):
        add_override(con, "9999.99999", "hours", "3", note="x", author="ana")
    with pytest.raises(warehouse.WarehouseError, match="needs a note"):
        add_override(con, "2001.90001", "hours", "3", note=" ", author="ana")


def test_parsers() -> None:
    assert (parse_quantity("1.2B"), parse_quantity("300M"), parse_quantity("1,024"), parse_quantity("3e9")) == (
        1.2e9, 3e8, 1024, 3e9)
    assert (parse_hours("72"), parse_hours("3 days"), parse_hours("36h")) == (72, 72, 36)


def test_review_puts_conflicts_first_then_low_confidence(tmp_path: Path) -> None:
    con = warehouse.connect(tmp_path / "r.duckdb")
    _ingest(con)
    low = {**EXTRACTION, "sha256": "b" * 64, "training_runs": [{**RUN, "confidence": 0.3}]}
    load.upsert_papers(con, [{**PAPER, "paper_id": "2001.90002"}], source="test")
    load.record_document(con, {"sha256": "b" * 64, "paper_id": "2001.90002", "version": 1, "path": "b.pdf"})
    load.load_extraction(con, sha256="b" * 64, paper_id="2001.90002", extraction=low)
    # Thompson et al. hold 2001.90001 with a burden 10x the extracted one
    con.execute("""insert into thompson_models (model_id, source, source_file, source_row, benchmark, paper_id,
                   name, hardware_burden, raw) values ('t1', 'thompson', 't.csv', 5, 'imagenet', '2001.90001',
                   'Net', ?, '{}')""", [8 * V100 * 72 * 3600 * 10])
    refresh_compute_estimates(con)
    queue = review_queue(con, limit=5)
    assert [r["paper_id"] for r in queue] == ["2001.90001", "2001.90002"]
    assert queue[0]["why"] == "hardware burden vs Thompson: 10.0x apart"
    assert queue[1]["why"] == "confidence 0.30"


def test_cli_override_review_and_hardware(con: duckdb.DuckDBPyConnection, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    con.close()
    db = str(tmp_path / "w.duckdb")
    assert main(["override", "2001.90001", "hours", "48", "--note", "erratum", "--by", "ana", "--db", db]) == 0
    assert "2001.90001 hours = 48 by ana" in capsys.readouterr().out
    assert main(["overrides", "--json", "--db", db]) == 0
    assert '"note": "erratum"' in capsys.readouterr().out
    assert main(["review", "--json", "--db", db]) == 0
    assert '"paper_id": "2001.90001"' in capsys.readouterr().out
    assert main(["override", "2001.90001", "hours", "48", "--note", "x", "--db", db, "--run", "nope"]) == 1
    assert "has no run 'nope'" in capsys.readouterr().err
    assert main(["hardware", "TPUv3-8", "Quantum 9000", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"accelerator": "google-tpu-v3", "chips_per_unit": 4.0' in out and '"status": "unknown"' in out
