from __future__ import annotations

import pickle
from pathlib import Path

import duckdb
import pytest

import warehouse
from warehouse import load, records
from warehouse.estimates import refresh_compute_estimates
from warehouse.names import benchmark_of, chips_of, metric_key, parse_number
from warehouse.reference import replace_results

PAPER = {"paper_id": "2001.90001", "version": 1, "title": "A synthetic paper", "authors": ["A. Author"],
         "abstract": "x", "categories": ["cs.LG"], "primary_category": "cs.LG",
         "published": "2020-01-02T10:00:00Z", "updated": "2020-01-02T10:00:00Z", "pdf_url": None}

EXTRACTION = {
    "pdf": "x.pdf", "sha256": "a" * 64, "pages": 4, "error": None, "extractor_version": "test-1",
    "training_runs": [{"label": None, "phase": "training", "accelerator": "nvidia-v100",
                       "accelerator_text": "V100 GPUs", "count": 8, "count_unit": "gpu", "hours": 72.0,
                       "hours_text": "3 days", "page": 3, "quote": "trained on 8 V100 GPUs for 3 days",
                       "char_start": 10, "char_end": 40, "confidence": 0.9}],
    "results": [{"dataset": "ImageNet", "metric": "Top-1 accuracy", "value": 80.5, "model": "Net",
                 "page": 4, "quote": "80.5", "char_start": 1, "char_end": 5, "confidence": 0.8}],
    "facts": [{"kind": "parameters", "value": 25600000, "unit": "parameters", "page": 2,
               "quote": "25.6M parameters", "char_start": 3, "char_end": 19, "confidence": 0.9}],
}


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return warehouse.connect(tmp_path / "w.duckdb")


def _load_one(con: duckdb.DuckDBPyConnection) -> None:
    load.upsert_papers(con, [PAPER], source="test")
    load.record_document(con, {"sha256": "a" * 64, "paper_id": PAPER["paper_id"], "version": 1,
                               "path": "pdfs/a.pdf", "bytes": 10})
    load.load_extraction(con, sha256="a" * 64, paper_id=PAPER["paper_id"], extraction=EXTRACTION)


def test_upsert_papers_updates_versions_without_duplicates(con: duckdb.DuckDBPyConnection) -> None:
    first = load.upsert_papers(con, [PAPER], source="test")
    again = load.upsert_papers(con, [PAPER], source="test")
    newer = load.upsert_papers(con, [{**PAPER, "version": 2, "title": "Revised"}], source="test")
    older = load.upsert_papers(con, [PAPER], source="test")
    assert (first.new, again.unchanged, newer.updated, older.unchanged) == (1, 1, 1, 1)
    assert con.execute("select version, title from papers").fetchall() == [(2, "Revised")]


def test_new_version_queues_a_new_pdf(con: duckdb.DuckDBPyConnection) -> None:
    _load_one(con)
    assert load.papers_needing_pdf(con) == []
    load.upsert_papers(con, [{**PAPER, "version": 2}], source="test")
    assert load.papers_needing_pdf(con) == [{"paper_id": "2001.90001", "version": 2, "pdf_url": None}]


def test_extraction_load_is_idempotent_and_keeps_provenance(con: duckdb.DuckDBPyConnection) -> None:
    _load_one(con)
    before = records.table_counts(con)
    _load_one(con)
    assert records.table_counts(con) == before
    assert before["facts"] == 3 and before["training_runs"] == 1 and before["results"] == 1
    row = con.execute("select page, quote, extractor_version, sha256, chips from training_runs").fetchone()
    assert row == (3, "trained on 8 V100 GPUs for 3 days", "test-1", "a" * 64, 8.0)
    assert con.execute("select parse_status, pages from documents").fetchone() == ("parsed", 4)


def test_compute_estimates_and_benchmark_points(con: duckdb.DuckDBPyConnection) -> None:
    _load_one(con)
    assert refresh_compute_estimates(con) == 5  # burden, hardware time, cost, energy, CO2
    burden = con.execute("select hardware_burden, estimated_compute from v_training_compute").fetchone()
    assert burden[0] == pytest.approx(8 * 14.13e12 * 72 * 3600)
    assert burden[1] == pytest.approx(8 * 112e12 * 72 * 3600 * 0.4)
    assert refresh_compute_estimates(con) == 5  # a refresh replaces, never adds
    points = records.benchmark_points(con)
    assert list(points["benchmark"]) == ["imagenet"]
    assert points["error"].iloc[0] == pytest.approx(0.195)
    assert points["compute"].iloc[0] == pytest.approx(burden[0])


def test_reimport_of_a_source_replaces_its_rows(con: duckdb.DuckDBPyConnection) -> None:
    rows = [{"paper_id": "2001.90001", "task": "Image Classification", "dataset": "ImageNet",
             "metric": "Top 1 Accuracy", "value": "81.2%", "value_number": 81.2, "model": "Net", "source_row": i}
            for i in range(3)]
    assert replace_results(con, rows, source="pwc", source_file="t.json").rows == 3
    assert replace_results(con, rows[:2], source="pwc", source_file="t.json").rows == 2
    got = con.execute("select count(*), min(value), min(metric_key), min(value_text) from results").fetchone()
    assert got == (2, 81.2, "top1", "81.2%")


def test_errors_are_counted_not_duplicated(con: duckdb.DuckDBPyConnection) -> None:
    for _ in range(3):
        records.record_error(con, stage="download", source="2001.90001v1", message="HTTP 503",
                             retryable=True, run_id="r")
    assert con.execute("select count(*), max(occurrences) from errors").fetchone() == (1, 3)


def test_fits_are_keyed_by_their_inputs(con: duckdb.DuckDBPyConnection) -> None:
    fit = {"benchmark": "imagenet", "form": "polynomial", "x": "compute", "n": 3, "slope": -0.1,
           "row_ids": ["b", "a", "c"], "identified": True}
    records.store_fits(con, [fit], ingest_run_id="r1")
    records.store_fits(con, [fit], ingest_run_id="r2")
    assert con.execute("select count(*), min(row_ids) from fits").fetchone() == (1, ["a", "b", "c"])
    assert records.latest_fits(con)[0]["slope"] == -0.1


def test_latest_fits_keep_one_per_kind_of_points_and_say_where_they_come_from(
        con: duckdb.DuckDBPyConnection) -> None:
    """Issue 15: a later fit on the synthetic fixture papers does not hide the fit on real points (nor the
    reverse); a newer fit on the same kind replaces the older; each names its run and time."""
    real = {"benchmark": "imagenet", "form": "polynomial", "x": "hardware_burden", "n": 3, "slope": -0.1,
            "row_ids": ["t1", "t2", "t3"], "selection": {"synthetic": False}, "points_by_source": {"thompson": 3}}
    fake = {**real, "slope": -0.3, "row_ids": ["s1", "s2", "s3"], "selection": {"synthetic": True}}
    records.store_fits(con, [real], ingest_run_id="run-a")
    records.store_fits(con, [fake], ingest_run_id="run-b")
    latest = {f["selection"]["synthetic"]: f for f in records.latest_fits(con)}
    assert latest[False]["slope"] == -0.1 and latest[True]["slope"] == -0.3
    assert latest[False]["ingest_run_id"] == "run-a" and latest[True]["ingest_run_id"] == "run-b"
    assert latest[False]["points_by_source"] == {"thompson": 3}
    assert latest[False]["created_at"][:2] == "20" and len(latest[False]["created_at"]) == 19
    records.store_fits(con, [{**real, "slope": -0.2, "row_ids": ["t1", "t2", "t4"]}], ingest_run_id="run-c")
    newest = [f for f in records.latest_fits(con) if not f["selection"]["synthetic"]]
    assert [(f["slope"], f["ingest_run_id"]) for f in newest] == [(-0.2, "run-c")]


def test_names() -> None:
    assert benchmark_of("ImageNet") == "imagenet" and benchmark_of("COCO test-dev") == "coco"
    assert benchmark_of("WMT2014 English-German") == "wmt2014-en-de" and benchmark_of("SQuAD1.1") == "squad1.1"
    assert benchmark_of("ImageNet-21k") is None and benchmark_of(None) is None
    assert metric_key("Top 1 Accuracy") == "top1" and metric_key("BLEU score") == "bleu"
    assert metric_key("box AP") == "box_ap" and metric_key("EM") == "em" and metric_key("Top-1 Error") is None
    assert chips_of(512, "tpu_core") == 256 and chips_of(16, "tpu_device") == 64 and chips_of(2, "machine") is None
    assert parse_number("85.3%") == 85.3 and parse_number("1,024") == 1024 and parse_number("28.4 ± 0.1") == 28.4
    assert parse_number("n/a") is None


def test_warehouse_error_survives_pickling() -> None:
    exc = pickle.loads(pickle.dumps(warehouse.WarehouseError("boom", path="x.duckdb")))
    assert str(exc) == "boom (x.duckdb)"
