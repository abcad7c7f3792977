"""Incremental estimates: only papers whose inputs changed are recomputed, and the result is exactly
what a full recompute gives (every row of every derived table)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

import warehouse
from warehouse import load, records
from warehouse import sql_accounting as sqla
from warehouse.accounting import AccountingParams
from warehouse.curation import apply_result_overrides_if_changed
from warehouse.estimates import (
    refresh_compute_estimates,
    refresh_reference_checks_if_changed,
    unchanged_summary,
    update_compute_estimates,
)

HARDWARE = [("nvidia-v100", "V100 GPUs", 8, "gpu"), ("nvidia-p100", "P100", 4, "gpu"),
            ("google-tpu-v3", "TPU v3 cores", 32, "tpu_core"), ("nvidia-a100", "A100 GPUs", 64, "gpu"),
            (None, "Foo accelerators", 2, "gpu"), ("nvidia-k80", "K80", 1, "gpu")]
PHASES = ["training", "pretraining", "finetuning", None]
DERIVED = {"compute_estimates": "estimate_id", "hardware_names": "name, source", "estimate_inputs": "paper_id",
           "results": "result_id", "check_thompson_burden": "model_id", "check_epoch_compute": "model_id"}


def paper(i: int, *, version: int = 1, year: int | None = None) -> dict[str, Any]:
    return {"paper_id": f"2101.{10000 + i:05d}", "version": version, "title": f"Paper {i}",
            "categories": ["cs.CL"] if i % 3 == 0 else ["cs.CV", "cs.LG"], "primary_category": "cs.LG",
            "published": f"{year or 2016 + i % 8}-0{1 + i % 9}-1{i % 10}T10:00:00Z"}


def extraction(i: int, salt: str = "") -> dict[str, Any]:
    """A varied extraction: 0-3 runs on assorted hardware and phases; facts for operation counts and 6ND."""
    runs = []
    for k in range(i % 4):
        acc, text, count, unit = HARDWARE[(i + k) % len(HARDWARE)]
        runs.append({"label": f"run {k}", "phase": PHASES[(i + k) % len(PHASES)], "accelerator": acc,
                     "accelerator_text": text, "count": count * (1 + k), "count_unit": unit,
                     "hours": None if (i + k) % 7 == 0 else 12.0 * (1 + (i * 7 + k) % 30), "hours_text": "x",
                     "page": 2 + k, "quote": f"trained {i} {k} {salt}", "char_start": 10 * k, "char_end": 10 * k + 9,
                     "confidence": round(0.4 + 0.1 * ((i + k) % 6), 2)})
    facts = []
    if i % 2 == 0:
        facts += [{"kind": "flops", "value": 4.1e9 * (1 + i % 5), "unit": "FLOPs"},
                  {"kind": "epochs", "value": 90 + i % 10, "unit": "epochs"},
                  {"kind": "training_set_size", "value": 1.28e6, "unit": "images"}]
    if i % 3 == 0:
        facts += [{"kind": "parameters", "value": 1.5e9 * (1 + i % 4), "unit": "parameters"},
                  {"kind": "training_set_size", "value": 3e11, "unit": "tokens"}]
    if i % 5 == 0:
        facts += [{"kind": "precision", "value": "mixed-precision", "unit": None}]
    for n, fact in enumerate(facts):
        fact.update(page=1, quote=f"fact {n} {salt}", char_start=n * 20, char_end=n * 20 + 10, confidence=0.7)
    return {"pdf": f"{i}.pdf", "sha256": sha(i, salt), "pages": 6, "error": None, "extractor_version": "test-1",
            "training_runs": runs, "facts": facts,
            "results": [{"dataset": "ImageNet", "metric": "Top-1 accuracy", "value": 70 + i % 20, "model": "Net",
                         "page": 5, "quote": f"{70 + i % 20}", "char_start": 1, "char_end": 5, "confidence": 0.8}]}


def sha(i: int, salt: str = "") -> str:
    return load.stable_id("doc", i, salt) + "0" * 40


def build(con: duckdb.DuckDBPyConnection, n: int) -> None:
    """n papers, each with a document and an extraction."""
    load.upsert_papers(con, [paper(i) for i in range(n)], source="test")
    for i in range(n):
        add_document(con, i)


def add_document(con: duckdb.DuckDBPyConnection, i: int, salt: str = "") -> None:
    load.record_document(con, {"sha256": sha(i, salt), "paper_id": paper(i)["paper_id"], "version": 1,
                               "path": f"pdfs/{i}.pdf", "bytes": 10})
    load.load_extraction(con, sha256=sha(i, salt), paper_id=paper(i)["paper_id"], extraction=extraction(i, salt))


def override(con: duckdb.DuckDBPyConnection, oid: str, paper_id: str, target: str, field: str, text: str,
             value: float | None, *, phase: str | None = None, resolved: str | None = None) -> None:
    """An override row as `curation.add_override` writes it, without its refresh (a bulk import would)."""
    con.execute(sqla.INSERT_OVERRIDE, [oid, paper_id, target, phase, None, field, text, value, resolved, "test",
                                       "tester", datetime(2025, 1, 2)])


def rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    out = {table: con.execute(f"SELECT * EXCLUDE (refreshed_at) FROM {table} ORDER BY {key}").fetchall()
           if table == "estimate_inputs" else con.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
           for table, key in DERIVED.items()}
    # the view lists a paper's run ids in no particular order: compared as sets
    out["v_paper_compute"] = [tuple(sorted(v) if isinstance(v, list) else v for v in row) for row in
                              con.execute("SELECT * FROM v_paper_compute ORDER BY paper_id").fetchall()]
    return out


def full_copy(con: duckdb.DuckDBPyConnection, path: Path, tmp_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every derived row after a full recompute on a copy of the warehouse as it is now."""
    con.execute("CHECKPOINT")
    copy = tmp_path / "full.duckdb"
    shutil.copy(path, copy)
    with warehouse.connect(copy) as other:
        refresh_compute_estimates(other)
        return rows(other)


@pytest.fixture()
def built(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    path = tmp_path / "w.duckdb"
    con = warehouse.connect(path)
    build(con, 48)
    first = update_compute_estimates(con)
    assert first.full and first.rows_written > 100
    return con, path


def test_a_no_op_recomputes_and_writes_nothing(built: tuple[duckdb.DuckDBPyConnection, Path]) -> None:
    con, _ = built
    before = rows(con)
    again = update_compute_estimates(con)
    assert (again.full, again.papers, again.rows_written, again.names_refreshed) == (False, 0, 0, False)
    assert rows(con) == before


def test_changed_papers_only_and_identical_to_a_full_recompute(built: tuple[duckdb.DuckDBPyConnection, Path],
                                                               tmp_path: Path) -> None:
    con, path = built
    load.load_extraction(con, sha256=sha(5), paper_id=paper(5)["paper_id"], extraction=extraction(6, "b"))
    update = update_compute_estimates(con)
    assert (update.full, update.papers) == (False, 1)
    assert rows(con) == full_copy(con, path, tmp_path)


def test_every_kind_of_change_matches_a_full_recompute(built: tuple[duckdb.DuckDBPyConnection, Path],
                                                       tmp_path: Path) -> None:
    con, path = built
    load.load_extraction(con, sha256=sha(7), paper_id=paper(7)["paper_id"], extraction=extraction(8, "c"))
    for statement in load.sql.DELETE_EXTRACTED:  # paper 9 loses everything it had
        con.execute(statement, [sha(9)])
    load.upsert_papers(con, [paper(11, version=2, year=2024), paper(60)], source="test")  # a new date; a new paper
    add_document(con, 60)
    override(con, "o1", paper(13)["paper_id"], "run", "hours", "100", 100.0, phase="training")
    override(con, "o2", paper(3)["paper_id"], "paper", "parameters", "7B", 7e9)
    override(con, "o3", paper(14)["paper_id"], "run", "accelerator", "A100", None, phase="finetuning",
               resolved="nvidia-a100")
    override(con, "o4", paper(16)["paper_id"], "paper", "llm", "true", None)
    update = update_compute_estimates(con)
    assert (update.full, update.papers) == (False, 8)
    assert rows(con) == full_copy(con, path, tmp_path)


def test_new_assumptions_or_a_forced_run_recompute_everything(built: tuple[duckdb.DuckDBPyConnection, Path],
                                                              tmp_path: Path) -> None:
    con, path = built
    assert update_compute_estimates(con, full=True).full
    params = replace(AccountingParams(), utilization=0.5)
    changed = update_compute_estimates(con, params)
    assert changed.full and changed.papers == 48
    assert not update_compute_estimates(con, params).full
    con.execute("CHECKPOINT")
    copy = tmp_path / "full.duckdb"
    shutil.copy(path, copy)
    with warehouse.connect(copy) as other:
        refresh_compute_estimates(other, params)
        assert rows(other) == rows(con)


def test_a_full_refresh_elsewhere_leaves_nothing_for_the_stage(built: tuple[duckdb.DuckDBPyConnection, Path]) -> None:
    con, _ = built
    load.load_extraction(con, sha256=sha(5), paper_id=paper(5)["paper_id"], extraction=extraction(6, "b"))
    refresh_compute_estimates(con)  # e.g. `compute-limits override` recomputes everything at once
    assert update_compute_estimates(con).papers == 0


def test_result_overrides_and_checks_run_only_when_their_inputs_change(
        built: tuple[duckdb.DuckDBPyConnection, Path]) -> None:
    con, _ = built
    params = AccountingParams()
    assert apply_result_overrides_if_changed(con) is True
    assert apply_result_overrides_if_changed(con) is False
    summary, refreshed = refresh_reference_checks_if_changed(con, params)
    assert refreshed and refresh_reference_checks_if_changed(con, params) == (summary, False)
    benchmark = con.execute("SELECT benchmark FROM benchmarks ORDER BY 1 LIMIT 1").fetchone()[0]
    override(con, "s1", paper(2)["paper_id"], "result", f"score.{benchmark}", "91", 91.0)
    assert apply_result_overrides_if_changed(con) is True
    assert con.execute("SELECT count(*) FROM results WHERE source = 'override'").fetchone()[0] == 1
    assert apply_result_overrides_if_changed(con) is False
    assert refresh_reference_checks_if_changed(con, params, force=True)[1] is True
    assert records.get_state(con, "estimates.inputs")


def test_a_no_op_is_found_read_only(built: tuple[duckdb.DuckDBPyConnection, Path]) -> None:
    from flows.settings import Settings
    from flows.stages import estimate_compute

    con, path = built
    con.close()
    settings = Settings(db=path)
    first = estimate_compute(settings)  # result overrides and checks recorded for the first time
    assert first["result_overrides_applied"] and first["reference_checks_refreshed"]
    again = estimate_compute(settings)
    assert again == first | {"result_overrides_applied": False, "reference_checks_refreshed": False}
    with warehouse.connect_read_only(path) as ro:
        assert unchanged_summary(ro, AccountingParams()) == {
            "thompson_rows": 0, "thompson_within_10pct": 0, "epoch_rows": 0, "epoch_compared": 0,
            "epoch_median_ratio": None, "epoch_hardware_rows": 0, "epoch_hardware_within_2x": 0,
            "epoch_hardware_within_25pct": 0, "epoch_hardware_only_rows": 0, "epoch_hardware_only_within_2x": 0,
            "epoch_hardware_only_within_25pct": 0}
    with warehouse.connect(path) as rw:
        load.load_extraction(rw, sha256=sha(5), paper_id=paper(5)["paper_id"], extraction=extraction(6, "b"))
    with warehouse.connect_read_only(path) as ro:
        assert unchanged_summary(ro, AccountingParams()) is None
    changed = estimate_compute(settings)
    assert (changed["estimates_papers"], changed["estimates_full"]) == (1, False)
    assert estimate_compute(settings, full=True)["estimates_full"] is True
