"""Papers with Code results meet a benchmark by task + dataset + metric; top-k error rates are converted.

Issue 15: keypoint COCO AP was taken for COCO box AP, "ImageNet - 10% labeled data" for ImageNet top-1,
and "Top 1 Error" rows were dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

import warehouse
from crawlers.errors import CrawlError
from crawlers.pwc_archive import api_result_rows, flatten_tasks
from flows import stages
from flows.cli.reference import load_pwc_file
from flows.settings import Settings
from warehouse.names import benchmark_of, headline_of, metric_key
from warehouse.reference import replace_results


def _board(task: str, dataset: str, metrics: dict[str, Any], model: str = "M") -> dict[str, Any]:
    return {"task": task, "datasets": [{"dataset": dataset, "sota": {"rows": [
        {"model_name": model, "paper_url": "https://arxiv.org/abs/2001.00001", "metrics": metrics}]}}]}


def _load(con: duckdb.DuckDBPyConnection, tasks: list[dict[str, Any]]) -> dict[tuple[str, str], tuple[Any, ...]]:
    replace_results(con, flatten_tasks(tasks), source="pwc", source_file="t.json")
    rows = con.execute("""select task, metric, benchmark, metric_key, value, value_text, value_rule, metric_direction
                          from results""").fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


# keypoint / instance segmentation COCO AP ------------------------------------------------------

def test_keypoint_and_mask_ap_on_coco_are_not_coco_box_ap() -> None:
    assert benchmark_of("COCO test-dev", "Keypoint Detection") is None
    assert benchmark_of("COCO test-dev", "Pose Estimation") is None
    assert benchmark_of("COCO test-dev", "Multi-Person Pose Estimation") is None
    assert benchmark_of("COCO minival", "Instance Segmentation") is None
    assert benchmark_of("COCO test-dev", "Object Detection") == "coco"
    assert benchmark_of("COCO test-dev", "Real-Time Object Detection") == "coco"
    assert benchmark_of("coco-test-dev", "object-detection") == "coco"  # API slugs


def test_loaded_keypoint_rows_have_no_benchmark(con: duckdb.DuckDBPyConnection) -> None:
    got = _load(con, [_board("Keypoint Detection", "COCO test-dev", {"AP": "75.5"}),
                      _board("Object Detection", "COCO test-dev", {"box AP": "58.7"})])
    assert got[("Keypoint Detection", "AP")][:3] == (None, "box_ap", 75.5)  # a metric, but no benchmark
    assert got[("Object Detection", "box AP")][:3] == ("coco", "box_ap", 58.7)
    headline = con.execute("""select r.task from results r join benchmarks b
                              on b.benchmark = r.benchmark and b.headline_metric = r.metric_key""").fetchall()
    assert headline == [("Object Detection",)]


# ImageNet variants -----------------------------------------------------------------------------

@pytest.mark.parametrize("dataset", ["ImageNet - 10% labeled data", "ImageNet - 1% labeled data", "ImageNet ReaL",
                                     "ImageNet V2", "ImageNet-V2", "ImageNet-C", "ImageNet-A", "ImageNet-R",
                                     "ImageNet-Sketch", "ImageNet-21k", "ImageNet 64x64", "ImageNet (5-shot)"])
def test_imagenet_variants_are_not_imagenet_top1(dataset: str) -> None:
    assert benchmark_of(dataset, "Image Classification") is None
    assert benchmark_of(dataset) is None  # task unknown (a PDF): the dataset rule alone still excludes it


def test_semi_supervised_imagenet_is_not_imagenet(con: duckdb.DuckDBPyConnection) -> None:
    assert benchmark_of("ImageNet", "Semi-Supervised Image Classification") is None
    assert benchmark_of("ImageNet", "Self-Supervised Image Classification") is None
    got = _load(con, [_board("Semi-Supervised Image Classification", "ImageNet - 10% labeled data",
                             {"Top 1 Accuracy": "80.9%"}),
                      _board("Image Classification", "ImageNet", {"Top 1 Accuracy": "88.5%"})])
    assert got[("Semi-Supervised Image Classification", "Top 1 Accuracy")][:2] == (None, "top1")
    assert got[("Image Classification", "Top 1 Accuracy")][:3] == ("imagenet", "top1", 88.5)


@pytest.mark.parametrize(("dataset", "benchmark"), [
    ("ImageNet", "imagenet"), ("ImageNet-1k", "imagenet"), ("ILSVRC 2012", "imagenet"), ("ImageNet val", "imagenet"),
    ("COCO", "coco"), ("MS-COCO", "coco"), ("COCO minival", "coco"), ("COCO val2017", "coco"),
    ("COCO test-std", "coco"), ("SQuAD1.1", "squad1.1"), ("SQuAD1.1 dev", "squad1.1"), ("SQuAD v1.1", "squad1.1"),
    ("CoNLL-2003", "conll2003"), ("CoNLL 2003 (English)", "conll2003"),
    ("WMT2014 English-German", "wmt2014-en-de"), ("WMT 2014 EN-FR", "wmt2014-en-fr"),
    ("SQuAD2.0", "squad2.0"), ("CoNLL-2003 German", None), ("WMT2014 German-English", None), ("WMT", None),
    ("COCO Visual Question Answering (VQA) real images 1.0 open ended", None), ("COCO-Stuff", None),
])
def test_extraction_without_a_task_keeps_its_dataset_names(dataset: str, benchmark: str | None) -> None:
    """The extractor's dataset ids (extract/patterns/datasets.jsonl) meet the benchmarks as before (SQuAD2.0 is
    not SQuAD 1.1: since the registry of issue 16 it is its own benchmark)."""
    assert benchmark_of(dataset) == benchmark


def test_other_tasks_on_a_benchmark_dataset_are_left_out() -> None:
    assert benchmark_of("WMT2014 English-French", "Unsupervised Machine Translation") is None
    assert benchmark_of("SQuAD1.1", "Open-Domain Question Answering") is None
    assert benchmark_of("CoNLL 2003 (English)", "Named Entity Recognition (NER)") == "conll2003"


# error metrics ---------------------------------------------------------------------------------

def test_top1_error_is_stored_as_top1_accuracy_with_its_rule(con: duckdb.DuckDBPyConnection) -> None:
    got = _load(con, [_board("Image Classification", "ImageNet", {"Top 1 Error": "20.3", "Top-5 Error": "5.1%",
                                                                   "Error rate": "0.16"})])
    assert got[("Image Classification", "Top 1 Error")] == (
        "imagenet", "top1", pytest.approx(79.7), "20.3", "top1 = 100 - Top 1 Error (%)", "higher")
    assert got[("Image Classification", "Top-5 Error")][1:5] == ("top5", pytest.approx(94.9), "5.1%",
                                                                  "top5 = 100 - Top-5 Error (%)")
    # a bare error rate is top-1 or top-5 (ILSVRC's is top-5): no metric, kept as printed
    assert got[("Image Classification", "Error rate")] == ("imagenet", None, 0.16, "0.16", None, "lower")
    # the warehouse's error rule (benchmarks.error_rule, 1 - top1/100) gives the printed error back
    error = con.execute("""select 1 - r.value / 100 from results r join benchmarks b
                           on b.benchmark = r.benchmark and b.headline_metric = r.metric_key""").fetchall()
    assert error == [(pytest.approx(0.203),)]


def test_error_printed_as_a_fraction_and_error_spellings() -> None:
    assert headline_of("Top-1 Error", 0.203) == headline_of("Top-1 Error", 0.203, None)
    fraction = headline_of("Top-1 Error", 0.203)
    assert (fraction.key, fraction.value) == ("top1", pytest.approx(79.7)) and "fraction" in (fraction.rule or "")
    assert headline_of("Top-1 Error", 0.5, "%").value == pytest.approx(99.5)  # "0.5%" is a percent
    assert headline_of("top-1 err.", 22.0).key == "top1" and headline_of("Top 5 error rate", 7.0).key == "top5"
    assert headline_of("Top 1 Accuracy", 80.0) == headline_of("Top 1 Accuracy", 80.0, "%")
    assert headline_of("Top 1 Accuracy", 80.0).rule is None
    assert headline_of("Test Error", 3.0).key is None  # no accuracy-like key to convert to
    # metric_key (the extractor's tag) never keys an error: its value is not converted there
    assert metric_key("Top-1 Error") is None and metric_key("top-1 err.") is None


def test_api_records_map_by_their_evaluation_task(con: duckdb.DuckDBPyConnection) -> None:
    records = [
        {"kind": "paper", "id": "p", "arxiv_id": "2001.00001", "title": "P"},
        {"kind": "evaluation", "id": "e1", "task": "Keypoint Detection", "dataset": "COCO test-dev"},
        {"kind": "evaluation", "id": "e2", "task": "Image Classification", "dataset": "ImageNet"},
        {"kind": "result", "id": "r1", "paper": "p", "evaluation": "e1", "metrics": {"AP": "75.5"}},
        {"kind": "result", "id": "r2", "paper": "p", "evaluation": "e2", "metrics": {"Top 1 Error": "11.2%"}},
    ]
    replace_results(con, api_result_rows(records), source="pwc_api", source_file="api.jsonl")
    rows = con.execute("select task, benchmark, metric_key, value, value_rule from results order by task").fetchall()
    assert rows == [("Image Classification", "imagenet", "top1", pytest.approx(88.8), "top1 = 100 - Top 1 Error (%)"),
                    ("Keypoint Detection", None, "box_ap", 75.5, None)]


# the real evaluation tables --------------------------------------------------------------------

#: (benchmark, metric_key) -> rows with a value, on ../shared's evaluation tables by dataset + metric alone
#: (before issue 15) and by task + dataset + metric with error rates converted (now).
BEFORE = {("conll2003", "f1"): 32, ("squad1.1", "em"): 217, ("squad1.1", "f1"): 217, ("wmt2014-en-de", "bleu"): 19,
          ("wmt2014-en-fr", "bleu"): 18}
#: the registry's benchmarks (issue 16) on the same tables: SQuAD2.0 (squad.json), EFF's CIFAR "Percentage correct"
#: and LibriSpeech "Percentage error" (the names the registry gives their headline metrics), nlp-progress's
#: WikiText-103 test perplexity (not its validation perplexity), EFF's newstest2016 En-Ro and OGB's ogbn-arxiv
REGISTRY = {("squad2.0", "em"): 234, ("squad2.0", "f1"): 234, ("cifar-10", "acc"): 55, ("cifar-100", "acc"): 36,
            ("librispeech-test-clean", "wer"): 5, ("librispeech-test-other", "wer"): 4,
            ("wikitext-103", "perplexity"): 26, ("wmt2016-en-ro", "bleu"): 2, ("ogbn-arxiv", "acc"): 46}
NOW = {**BEFORE, ("imagenet", "top1"): 3, **REGISTRY}


@pytest.mark.corpus
def test_shared_evaluation_tables_map_by_task_and_convert_errors(reference_dir: Path,
                                                                 con: duckdb.DuckDBPyConnection) -> None:
    for path in sorted((reference_dir / "pwc" / "evaluation-tables").glob("*.json")):
        try:
            load_pwc_file(con, path)
        except CrawlError:  # _format_example.json is not valid JSON
            assert path.name == "_format_example.json"
    mapped = {(b, k): n for b, k, n in con.execute("""select benchmark, metric_key, count(value) from results
        where benchmark is not null and metric_key is not null group by all""").fetchall()}
    assert mapped == NOW
    assert all(mapped.get(key, 0) >= n for key, n in BEFORE.items())  # nothing mapped before is lost
    # error rows now present: redditsota's ImageNet-1k "Top-1 Error" (17.3, 18.68, 20.4%) as top-1 accuracy
    converted = con.execute("""select value, value_text, value_rule from results where benchmark = 'imagenet'
                               and metric_key = 'top1' order by value""").fetchall()
    assert converted == [(pytest.approx(79.6), "20.4%", "top1 = 100 - Top-1 Error (%)"),
                         (pytest.approx(81.32), "18.68", "top1 = 100 - Top-1 Error (%)"),
                         (pytest.approx(82.7), "17.3", "top1 = 100 - Top-1 Error (%)")]
    # no COCO rows: Instance Segmentation's mask "Average Precision" and the VQA-on-COCO boards are not COCO
    # object detection (before, 32 rows carried benchmark 'coco'); no keypoint rows are in these tables
    coco = con.execute("select count(*) from results where benchmark = 'coco'").fetchone()
    assert coco == (0,)
    tasks = {t for (t,) in con.execute("select distinct task from results where benchmark is not null").fetchall()}
    assert not {t for t in tasks if "keypoint" in t.lower() or "segmentation" in t.lower()}
    # EFF's ILSVRC "Error rate" (top-5, as fractions) stays unkeyed rather than becoming top-1
    eff = con.execute("""select count(*), count(metric_key) from results
                         where dataset = 'Imagenet Image Recognition'""").fetchone()
    assert eff == (9, 0)


def test_fixture_dump_of_the_offline_run_still_maps(fixtures_dir: Path, con: duckdb.DuckDBPyConnection) -> None:
    load_pwc_file(con, fixtures_dir / "pwc" / "evaluation-tables.json")
    mapped = dict(con.execute("""select r.benchmark, count(*) from results r join benchmarks b
        on b.benchmark = r.benchmark and b.headline_metric = r.metric_key group by all""").fetchall())
    assert mapped == {"imagenet": 14, "coco": 13, "squad1.1": 13, "wmt2014-en-de": 12}


def test_migration_0013_makes_the_next_run_reimport_the_dump(tmp_path: Path, fixtures_dir: Path) -> None:
    """A warehouse loaded before the new mapping: once migrated, the pipeline re-imports its dump."""
    dump = fixtures_dir / "pwc" / "evaluation-tables.json"
    settings = Settings(db=tmp_path / "w.duckdb")
    assert stages.load_reference_results(settings, dump)["reference_unchanged"] is False
    assert stages.load_reference_results(settings, dump)["reference_unchanged"] is True
    with warehouse.connect(settings.db) as con:  # as it was before 0013
        con.execute("delete from schema_migrations where version = 13")
        con.execute("alter table results drop column value_rule")
    with warehouse.connect(settings.db) as con:  # connecting applies 0013
        assert con.execute("select count(*) from schema_migrations where version = 13").fetchone() == (1,)
    assert stages.load_reference_results(settings, dump)["reference_unchanged"] is False
