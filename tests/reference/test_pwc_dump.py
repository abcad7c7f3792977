"""Papers with Code `evaluation-tables` dumps (JSON streamed, Parquet via DuckDB) into `results`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from crawlers.errors import CrawlError
from crawlers.pwc_archive import flatten_tasks, iter_evaluation_rows, iter_json_tasks
from flows import stages
from flows.cli.reference import load_pwc_file
from flows.settings import Settings
from warehouse.reference import replace_results

TASKS = [
    {"task": "Image Classification", "datasets": [
        {"dataset": "ImageNet", "sota": {"metrics": ["Top 1 Accuracy", "Params"], "rows": [
            {"model_name": "Net-A", "paper_url": "https://arxiv.org/abs/2001.90001v2", "paper_date": "2020-01-02",
             "uses_additional_data": False, "metrics": {"Top 1 Accuracy": "80.1%", "Params": "25M"}},
            {"model_name": "Net-B", "paper_url": "https://example.org/b", "paper_date": "",
             "metrics": {"Top 1 Accuracy": "-", "Top-1 Error": "19.5"}}]},
         "subdatasets": [{"subdataset": "ImageNet ReaL", "sota": {"rows": [
             {"model_name": "Sub", "paper_url": "http://arxiv.org/pdf/1512.03385", "metrics": {"Accuracy": 88}}]}}]}],
     "subtasks": [{"task": "Language Modelling", "datasets": [{"dataset": "WikiText-103", "sota": {"rows": [
         {"model_name": "LM", "paper_url": "https://arxiv.org/abs/1901.02860",
          "metrics": {"Test perplexity": "18.3", "Number of params": "257M"}}]}}]}]},
    {"task": "Question Answering", "datasets": [{"dataset": "SQuAD1.1", "sota": {"rows": [
        {"model_name": "QA", "paper_url": "https://arxiv.org/abs/1810.04805", "uses_additional_data": True,
         "metrics": {"EM": "84.1", "F1": "90.9 ± 0.1"}}]}}]},
]


def _pairs(tasks: list[dict[str, Any]]) -> Iterator[tuple[str, Any]]:
    """(metric, value) of every leaderboard cell, walked independently of the code under test."""
    def datasets(items: list[dict[str, Any]]) -> Iterator[tuple[str, Any]]:
        for ds in items or []:
            for row in (ds.get("sota") or {}).get("rows") or []:
                yield from (row.get("metrics") or {}).items()
            yield from datasets(ds.get("subdatasets") or [])
    for task in tasks:
        yield from datasets(task.get("datasets") or [])
        yield from _pairs(task.get("subtasks") or [])


def _write(path: Path, tasks: object) -> Path:
    path.write_text(json.dumps(tasks, indent=1), "utf-8")
    return path


def test_rows_carry_parsed_values_direction_and_paper(tmp_path: Path) -> None:
    rows = list(iter_evaluation_rows(_write(tmp_path / "t.json", TASKS)))
    got = {(r["model"], r["metric"]): r for r in rows}
    assert len(rows) == len(list(_pairs(TASKS))) == 9
    top1 = got[("Net-A", "Top 1 Accuracy")]
    assert (top1["value"], top1["value_number"], top1["value_unit"], top1["metric_direction"]) == (
        "80.1%", 80.1, "%", "higher")
    assert (top1["paper_id"], top1["model"], top1["paper_date"], top1["uses_additional_data"]) == (
        "2001.90001", "Net-A", "2020-01-02", False)
    assert got[("Net-A", "Params")]["value_number"] == 25e6 and got[("Net-A", "Params")]["value_unit"] == "M"
    assert got[("Net-B", "Top-1 Error")]["metric_direction"] == "lower"
    assert got[("LM", "Test perplexity")]["metric_direction"] == "lower"
    assert got[("Sub", "Accuracy")]["value"] == "88" and got[("Sub", "Accuracy")]["dataset"] == "ImageNet ReaL"
    assert got[("Net-B", "Top 1 Accuracy")]["value"] == "-" and got[("Net-B", "Top 1 Accuracy")]["value_number"] is None
    assert got[("QA", "F1")]["value_number"] == 90.9
    assert [r["source_row"] for r in rows] == list(range(9))


@pytest.mark.parametrize("chunk_size", [1, 7, 64, 1 << 16])
def test_streaming_decoder_matches_json_load_at_any_buffer_size(tmp_path: Path, chunk_size: int) -> None:
    path = _write(tmp_path / "t.json", TASKS)
    assert list(iter_json_tasks(path, chunk_size=chunk_size)) == json.loads(path.read_text())


def test_tasks_are_yielded_before_the_rest_of_the_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(TASKS)[:-40], "utf-8")  # the second task is cut off
    tasks = iter_json_tasks(path, chunk_size=256)
    assert next(tasks)["task"] == "Image Classification"  # streamed: the fault lies further on
    with pytest.raises(CrawlError, match="cannot read evaluation tables"):
        next(tasks)


def test_a_single_task_object_and_bad_files(tmp_path: Path) -> None:
    assert [t["task"] for t in iter_json_tasks(_write(tmp_path / "one.json", TASKS[0]))] == ["Image Classification"]
    for name, text in (("empty.json", ""), ("num.json", "[1, 2]"), ("extra.json", "[] []")):
        (tmp_path / name).write_text(text)
        with pytest.raises(CrawlError):
            list(iter_json_tasks(tmp_path / name))


def test_load_replaces_the_files_rows_and_a_failed_reimport_keeps_the_previous(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    path = _write(tmp_path / "t.json", TASKS)
    first = load_pwc_file(con, path)
    assert (first.source, first.rows, first.numeric, first.non_numeric) == ("pwc", 9, 8, 1)
    before = con.execute("select * from results order by result_id").fetchall()
    assert load_pwc_file(con, path).rows == 9  # re-import: no duplicates
    assert con.execute("select * from results order by result_id").fetchall() == before
    row = con.execute("""select value, value_text, value_unit, metric_direction, metric_key, benchmark, paper_id,
                                source, source_file, source_row, paper_date, uses_additional_data
                         from results where metric = 'Top 1 Accuracy' and value is not null""").fetchone()
    assert row == (80.1, "80.1%", "%", "higher", "top1", "imagenet", "2001.90001", "pwc", "t.json", 0,
                   __import__("datetime").date(2020, 1, 2), False)
    raw = con.execute("select value, value_text from results where model = 'Net-B' and metric = 'Top 1 Accuracy'")
    assert raw.fetchone() == (None, "-")  # non-numeric: kept raw, value NULL
    # the same file, now broken after its first task: the import fails and the previous rows stay
    path.write_text(json.dumps(TASKS * 50)[:-30], "utf-8")
    with pytest.raises(CrawlError):
        replace_results(con, iter_evaluation_rows(path), source="pwc", source_file="t.json", batch_rows=10)
    assert con.execute("select * from results order by result_id").fetchall() == before


def test_two_thousand_rows_load_in_one_batch_import(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    rows = list(iter_evaluation_rows(_write(tmp_path / "t.json", TASKS * 230)))[:2000]
    counts = replace_results(con, rows, source="pwc", source_file="big.json")  # speed: benchmarks/bench_imports.py
    assert counts.rows == 2000 and con.execute("select count(*) from results").fetchone() == (2000,)


def test_the_offline_pipeline_stage_still_loads_the_fixture_dump(tmp_path: Path, fixtures_dir: Path) -> None:
    dump = fixtures_dir / "pwc" / "evaluation-tables.json"
    settings = Settings(db=tmp_path / "w.duckdb")
    expected = len(list(_pairs(json.loads(dump.read_text("utf-8")))))
    assert stages.load_reference_results(settings, dump) == {"results_loaded": expected, "reference_unchanged": False}
    # the same bytes again: nothing replaced (the nightly run stays cheap)
    assert stages.load_reference_results(settings, dump) == {"results_loaded": 0, "reference_unchanged": True}
    changed = tmp_path / dump.name
    changed.write_bytes(dump.read_bytes() + b"\n")  # same rows, other bytes: replaced, still no duplicates
    assert stages.load_reference_results(settings, changed) == {"results_loaded": expected,
                                                                "reference_unchanged": False}
    with duckdb.connect(str(settings.db), read_only=True) as con:
        got = con.execute("""select count(*), count(distinct source), min(source),
                                    count(*) filter (where value is null),
                                    count(*) filter (where benchmark is not null and metric_key is not null)
                             from results""").fetchone()
    assert got[:4] == (expected, 1, "pwc", 0) and got[4] > 0


@pytest.mark.corpus
def test_shared_evaluation_tables_load_every_row(reference_dir: Path, con: duckdb.DuckDBPyConnection) -> None:
    folder = reference_dir / "pwc" / "evaluation-tables"
    total = numeric = leaderboard_rows = 0
    for path in sorted(folder.glob("*.json")):
        try:
            tasks = json.loads(path.read_text("utf-8"))
        except ValueError:  # _format_example.json is not valid JSON (trailing commas): reported, not loaded
            with pytest.raises(CrawlError):
                load_pwc_file(con, path)
            continue
        pairs = list(_pairs(tasks if isinstance(tasks, list) else [tasks]))
        leaderboard_rows += json.dumps(tasks).count('"model_name"')
        counts = load_pwc_file(con, path)
        assert counts.rows == len(pairs), path.name
        loaded = con.execute("select value, value_text, value_rule from results where source_file = ? "
                             "order by source_row", [path.name]).fetchall()
        assert len(loaded) == len(pairs)
        for (metric, raw), (value, text, rule) in zip(pairs, loaded, strict=True):
            if isinstance(raw, int | float) or str(raw).strip().replace(".", "", 1).isdigit():
                # every numeric row loads; a top-k error as its accuracy, by the rule it records
                expected = 100 - float(raw) if rule == f"top1 = 100 - {metric} (%)" else float(raw)
                assert value == pytest.approx(expected), (path.name, metric, raw)
            if value is None:
                assert text == str(raw)  # non-numeric ones are kept raw
        total += len(pairs)
        numeric += counts.numeric
    assert leaderboard_rows == 3826  # README: ~3,700 rows; each gives one result per metric
    assert (total, numeric) == (6747, 6585)
    assert con.execute("select count(*), count(value) from results").fetchone() == (total, numeric)
    directions = dict(con.execute("select metric_direction, count(*) from results group by 1").fetchall())
    assert directions["higher"] > directions["lower"] > 0


@pytest.mark.corpus
def test_parquet_form_loads_the_same_rows(reference_dir: Path, tmp_path: Path,
                                          con: duckdb.DuckDBPyConnection) -> None:
    source = reference_dir / "pwc" / "evaluation-tables" / "nlp-progress.json"
    parquet = tmp_path / "nlp-progress.parquet"
    with duckdb.connect() as scratch:  # the nested Parquet made by DuckDB itself from the JSON
        scratch.execute(f"COPY (SELECT * FROM read_json('{source}', maximum_object_size=100000000)) "
                        f"TO '{parquet}' (FORMAT parquet)")
    from_json = [(r["task"], r["dataset"], r["metric"], r["value_number"], r["paper_id"], r["model"])
                 for r in iter_evaluation_rows(source)]
    counts = load_pwc_file(con, parquet)
    assert counts.rows == len(from_json) == 1218
    loaded = con.execute("select task, dataset, metric, value, paper_id, model from results "
                         "where source_file = ? order by source_row", [parquet.name]).fetchall()
    assert loaded == from_json


def test_parquet_rows_flatten_like_json(tmp_path: Path) -> None:
    from warehouse.reference import iter_parquet_tasks

    path = _write(tmp_path / "t.json", TASKS)
    parquet = tmp_path / "t.parquet"
    with duckdb.connect() as scratch:
        scratch.execute(f"COPY (SELECT * FROM read_json('{path}')) TO '{parquet}' (FORMAT parquet)")
    keys = ("task", "dataset", "metric", "value_number", "value_unit", "paper_id", "model")
    assert [tuple(r[k] for k in keys) for r in flatten_tasks(iter_parquet_tasks(parquet))] == [
        tuple(r[k] for k in keys) for r in iter_evaluation_rows(path)]
