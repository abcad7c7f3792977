"""Compute per (paper, benchmark): a run whose statement names another dataset is not the benchmark's
(issue 15: Xception's JFT month is not its ImageNet point), and pre-training still counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import warehouse
from extract import extract_pdf
from extract.run_datasets import clause_before, run_dataset
from warehouse import load
from warehouse.estimates import refresh_compute_estimates

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def run(phase: str, hours: float, dataset: str | None, n: int) -> dict[str, Any]:
    return {"label": f"run {n}", "phase": phase, "accelerator": "nvidia-k80", "accelerator_text": "K80",
            "count": 60, "count_unit": "gpu", "hours": hours, "hours_text": f"{hours} h", "page": 4,
            "quote": f"run {n}", "char_start": n * 10, "char_end": n * 10 + 5, "confidence": 0.85,
            "dataset": dataset}


def result(dataset: str, metric: str, value: float, n: int) -> dict[str, Any]:
    return {"dataset": dataset, "metric": metric, "value": value, "model": "Net", "page": 5, "quote": str(value),
            "char_start": n, "char_end": n + 4, "confidence": 0.8}


def point_compute(tmp_path: Path, runs: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        load.upsert_papers(con, [{"paper_id": "1610.02357", "version": 1, "title": "X", "categories": ["cs.CV"],
                                  "primary_category": "cs.CV", "published": "2016-10-07T00:00:00Z"}], source="t")
        load.record_document(con, {"sha256": "b" * 64, "paper_id": "1610.02357", "version": 1, "path": "x.pdf",
                                   "bytes": 1})
        load.load_extraction(con, sha256="b" * 64, paper_id="1610.02357", extraction={
            "pdf": "x.pdf", "sha256": "b" * 64, "pages": 8, "error": None, "extractor_version": "test-1",
            "training_runs": runs, "facts": [], "results": results})
        refresh_compute_estimates(con)
        rows = con.execute("SELECT benchmark, hardware_burden, phases, run_datasets FROM v_point_compute").fetchall()
    return {r[0]: r[1:] for r in rows}


def test_a_run_on_another_dataset_is_not_the_benchmarks(tmp_path: Path) -> None:
    got = point_compute(tmp_path, [run("training", 72, "imagenet", 1), run("training", 720, "JFT", 2)],
                        [result("ImageNet", "top-1 accuracy", 79.0, 1)])
    burden, phases, datasets = got["imagenet"]
    assert burden == pytest.approx(60 * 5.6e12 * 72 * 3600)  # the 3-day ImageNet run, K80 boards
    assert phases == ["training"] and datasets == ["imagenet"]


def test_runs_naming_no_dataset_stand_for_every_benchmark_and_pretraining_counts(tmp_path: Path) -> None:
    got = point_compute(tmp_path, [run("pretraining", 100, "JFT", 1), run("finetuning", 10, None, 2),
                                   run("finetuning", 20, "imagenet", 3)],
                        [result("ImageNet", "top-1 accuracy", 80.0, 1), result("COCO", "box AP", 40.0, 2)])
    k80 = 60 * 5.6e12 * 3600
    assert got["imagenet"][0] == pytest.approx(k80 * (100 + 20))  # JFT pre-training + the ImageNet fine-tune
    assert got["coco"][0] == pytest.approx(k80 * (100 + 10))      # ... + the fine-tune naming no dataset


def test_a_training_run_on_another_dataset_alone_gives_no_point(tmp_path: Path) -> None:
    got = point_compute(tmp_path, [run("training", 720, "JFT", 1)], [result("ImageNet", "top-1 accuracy", 79.0, 1)])
    assert "imagenet" not in got


@pytest.mark.parametrize(("sentence", "duration", "expected"), [
    ("The ImageNet experiments took approximately 3 days each, while the JFT experiments took over one month.",
     "approximately 3 days", "imagenet"),
    ("The ImageNet experiments took approximately 3 days each, while the JFT experiments took over one month.",
     "over one month", "JFT"),
    ("Training on WMT 2014 English-German took 3.5 days on 8 P100 GPUs.", "3.5 days", "wmt2014-en-de"),
    ("We trained our models on CIFAR-10, which took 12 hours on one GPU.", "12 hours", None),
    ("Training takes 2 days on 8 V100 GPUs.", "2 days", None),
])
def test_the_clause_of_the_duration_names_the_dataset(sentence: str, duration: str, expected: str | None) -> None:
    start = sentence.index(duration)
    assert run_dataset(sentence, start, start + len(duration)) == expected


def test_the_clause_starts_after_a_comma_or_while() -> None:
    text = "ImageNet runs took 3 days, while JFT runs took "
    assert clause_before(text, len(text)) == "JFT runs took "


@pytest.mark.corpus
def test_xception_runs_name_their_datasets() -> None:
    pdf = SHARED / "corpus" / "pdfs" / "Chollet_Xception_Deep_Learning_CVPR_2017_paper.pdf"
    runs = {(r.hours, r.dataset) for r in extract_pdf(pdf).training_runs if r.accelerator == "nvidia-k80"}
    assert runs == {(72.0, "imagenet"), (720.0, "JFT")}


def regression_points(tmp_path: Path, runs: list[dict[str, Any]], results: list[dict[str, Any]]) -> list[Any]:
    point_compute(tmp_path, runs, results)
    with warehouse.connect_read_only(tmp_path / "w.duckdb") as con:
        return con.execute("SELECT benchmark, score, hardware_burden, model_kind, provenance FROM v_regression_points "
                           "ORDER BY benchmark").fetchall()


def test_the_regression_point_takes_its_benchmarks_run(tmp_path: Path) -> None:
    (point,) = regression_points(tmp_path, [run("training", 72, "imagenet", 1), run("training", 720, "JFT", 2)],
                                 [result("ImageNet", "top-1 accuracy", 79.0, 1)])
    assert point[:4] == ("imagenet", 79.0, pytest.approx(60 * 5.6e12 * 72 * 3600), "single")


def test_a_single_models_score_is_preferred_to_an_ensembles(tmp_path: Path) -> None:
    ensemble = result("ImageNet", "top-1 accuracy", 81.0, 1) | {"model": "Net (ensemble of 4)"}
    single = result("ImageNet", "top-1 accuracy", 79.5, 2)
    (point,) = regression_points(tmp_path, [run("training", 72, None, 1)], [ensemble, single])
    assert point[1] == 79.5 and point[3] == "single"
    (alone,) = regression_points(tmp_path / "b", [run("training", 72, None, 1)], [ensemble])
    assert alone[1] == 81.0 and alone[3] == "ensemble"


@pytest.mark.corpus
def test_thompson_ensembles_are_labelled(shared_dir: Path, tmp_path: Path) -> None:
    from flows.cli import main

    db = tmp_path / "t.duckdb"
    assert main(["import", "thompson", str(shared_dir / "reference" / "thompson"), "--db", str(db)]) == 0
    with warehouse.connect_read_only(db) as con:
        kinds = dict(con.execute("SELECT model_kind, count(*) FROM v_regression_points GROUP BY 1").fetchall())
        named = con.execute("SELECT count(*) FROM v_regression_points WHERE model ILIKE '%ensemble%'").fetchone()[0]
    assert kinds["ensemble"] == named > 0 and kinds["single"] > kinds["ensemble"]
