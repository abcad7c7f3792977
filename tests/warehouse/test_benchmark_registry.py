"""The benchmark registry (issue 16): warehouse/data/benchmarks.csv is the one vocabulary of benchmarks.

Every row is checked on its own (fields, domain, error rule, its names resolving back to it, the seeded row and
the SQL rule agreeing with the Python one); then the registry as a whole (size, domains, Thompson et al.'s six).
"""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

import warehouse
from analysis.error_rates import HEADLINE_METRICS, benchmark_error
from extract.benchmark_keys import benchmark_of, default_metric, metric_key
from extract.registry import COLUMNS, DOMAINS, ERROR_RULES, RegistryError, error_rule_of, read_registry, registry
from warehouse.names import headline_of

REPO = Path(__file__).resolve().parents[2]
CSV_PATH = REPO / "warehouse" / "data" / "benchmarks.csv"
with CSV_PATH.open(newline="", encoding="utf-8") as _fh:
    ROWS = list(csv.DictReader(_fh))

#: A sample score per rule and the error the rule documents for it (extract/registry.py, docs/ACCOUNTING.md).
SAMPLES = {"one_minus_percent": (79.7, 0.203), "percent": (5.2, 0.052), "one_minus": (0.7426, 0.2574),
           "log": (18.3, 2.906901)}


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = warehouse.connect(tmp_path_factory.mktemp("registry") / "w.duckdb")
    yield connection
    connection.close()


def _ids(row: dict[str, str]) -> str:
    return row["benchmark"]


# one test per registry row ---------------------------------------------------------------------

@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_row_is_whole_and_its_rule_is_known(row: dict[str, str]) -> None:
    assert tuple(row) == COLUMNS
    assert all(row[c].strip() for c in COLUMNS), [c for c in COLUMNS if not row[c].strip()]
    assert row["domain"] in DOMAINS
    rule = error_rule_of(row["error_rule"])
    assert rule.name in ERROR_RULES
    assert rule.higher_is_better == (row["higher_is_better"] == "true")
    assert row["source"].startswith(("paper:", "leaderboard:"))


@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_rule_gives_the_documented_error_in_python_and_sql(row: dict[str, str],
                                                           con: duckdb.DuckDBPyConnection) -> None:
    kind = error_rule_of(row["error_rule"]).name
    score, expected = SAMPLES[kind]
    entry = next(b for b in registry() if b.benchmark == row["benchmark"])
    assert entry.error(score) == pytest.approx(expected, abs=1e-6)
    # the analysis converts the benchmark's headline score by the same rule
    assert benchmark_error(row["benchmark"], score, row["headline_metric"]) == pytest.approx(expected, abs=1e-6)
    assert HEADLINE_METRICS[row["benchmark"]]
    # ... and so do the warehouse's views (the macro over the seeded `benchmarks` row)
    got = con.execute("SELECT benchmark_error(error_kind, ?), error_rule, headline_metric, domain FROM benchmarks "
                      "WHERE benchmark = ?", [score, row["benchmark"]]).fetchone()
    assert got == (pytest.approx(expected, abs=1e-6), row["error_rule"], row["headline_metric"], row["domain"])


@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_its_names_resolve_back_to_it(row: dict[str, str]) -> None:
    bid = row["benchmark"]
    for alias in row["aliases"].split("|"):
        assert benchmark_of(alias) == bid, alias  # a PDF's dataset name, no task
    for dataset in row["pwc_datasets"].split("|"):
        for task in row["pwc_tasks"].split("|"):
            assert benchmark_of(dataset, task) == bid, (dataset, task)  # a Papers with Code leaderboard
    score, _ = SAMPLES[error_rule_of(row["error_rule"]).name]
    for name in row["metric_aliases"].split("|"):
        assert metric_key(name, bid) == row["headline_metric"], name
        assert headline_of(name, score, None, bid).key == row["headline_metric"], name


# the registry as a whole -----------------------------------------------------------------------

def test_registry_size_and_domains(con: duckdb.DuckDBPyConnection) -> None:
    ids = [b.benchmark for b in registry()]
    assert len(ids) >= 30 and len(set(ids)) == len(ids)
    assert Counter(b.domain for b in registry()) == {"language": 20, "vision": 6, "code": 5, "speech": 2, "graph": 1}
    assert {"humaneval", "mbpp", "apps", "codexglue-code-search", "codexglue-code-summarization", "mmlu", "gsm8k",
            "hellaswag", "arc-challenge", "bbh", "triviaqa", "glue", "superglue", "squad1.1", "squad2.0",
            "wmt2014-en-de", "wmt2014-en-fr", "wmt2016-en-ro", "librispeech-test-clean", "librispeech-test-other",
            "imagenet", "coco", "ade20k", "cifar-10", "cifar-100", "kinetics-400", "wikitext-103",
            "natural-questions", "math", "drop", "winogrande", "piqa"} <= set(ids)
    assert {kind for kind, in con.execute("SELECT DISTINCT error_kind FROM benchmarks").fetchall()} == set(ERROR_RULES)
    assert con.execute("SELECT count(*) FROM benchmarks").fetchone() == (len(ids),)


def test_thompsons_six_keep_their_ids_and_rules(con: duckdb.DuckDBPyConnection) -> None:
    """As migration 0002 inserted them: tests/analysis/test_thompson_reproduction.py depends on these."""
    six = con.execute("""SELECT benchmark, name, headline_metric, higher_is_better, error_rule FROM benchmarks
                         WHERE benchmark IN ('imagenet', 'coco', 'squad1.1', 'conll2003', 'wmt2014-en-de',
                                             'wmt2014-en-fr') ORDER BY benchmark""").fetchall()
    assert six == [
        ("coco", "MS COCO object detection", "box_ap", True, "1 - AP/100"),
        ("conll2003", "CoNLL-2003 named entity recognition", "f1", True, "1 - F1/100"),
        ("imagenet", "ImageNet (ILSVRC-2012) classification", "top1", True, "1 - top1/100"),
        ("squad1.1", "SQuAD 1.1 question answering", "em", True, "1 - EM/100"),
        ("wmt2014-en-de", "WMT2014 English-German translation", "bleu", True, "1 - BLEU/100"),
        ("wmt2014-en-fr", "WMT2014 English-French translation", "bleu", True, "1 - BLEU/100"),
    ]


def test_metric_names_of_one_benchmark_stay_its_own() -> None:
    assert metric_key("Average (%)") is None and metric_key("Average (%)", "mmlu") == "acc"
    assert metric_key("Percentage error") is None and metric_key("Percentage error", "librispeech-test-clean") == "wer"
    assert metric_key("Word Error Rate (WER)") == "wer" and metric_key("Test Error") is None
    assert metric_key("Validation perplexity") is None and metric_key("Test perplexity") == "perplexity"
    assert metric_key("Validation mIoU") is None and metric_key("Validation mIoU", "ade20k") == "miou"
    assert metric_key("Introductory Pass@1") is None and metric_key("Pass@1") == "pass@1"
    assert metric_key("Acc@1") == "top1" and metric_key("Percentage correct") == "acc"
    assert benchmark_of("HumanEval+") is None and benchmark_of("MATH-500") is None  # variants stay out
    assert benchmark_of("LibriSpeech") is None  # the extractor's id names no test set


@pytest.mark.parametrize(("change", "message"), [
    (("domain", "vision", "painting"), "domain 'painting'"),
    (("error_rule", "1 - top1/100", "1 - top1/1000"), "unknown error rule"),
    (("error_rule", "1 - top1/100", "top1/100"), "higher is worse"),
    (("source", "paper: Russakovsky", ""), "empty source"),
])
def test_a_bad_row_is_refused(tmp_path: Path, change: tuple[str, str, str], message: str) -> None:
    column, old, new = change
    rows = [dict(r) for r in ROWS]
    rows[0][column] = rows[0][column].replace(old, new) if new else ""
    path = tmp_path / "benchmarks.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(RegistryError, match=message):
        read_registry(path)


def test_extract_reads_the_registry_without_importing_the_warehouse() -> None:
    """Layering: extract is the ground; it reads warehouse/data/benchmarks.csv by path."""
    code = ("import sys, extract.benchmark_keys as k; assert k.benchmark_of('HumanEval') == 'humaneval'; "
            "print(sorted(m for m in sys.modules if m == 'warehouse' or m.startswith('warehouse.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO,
                         env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "[]"


def test_log_rule_of_a_perplexity_is_its_natural_log() -> None:
    assert error_rule_of("ln(perplexity)").apply(math.e ** 3) == pytest.approx(3.0)
    assert math.isnan(error_rule_of("ln(perplexity)").apply(0.0))


def test_the_extractors_dataset_ids_meet_the_registry_with_their_headline_metric() -> None:
    """The dataset ids the extractor emits (extract/patterns/datasets.jsonl) that the registry names map to it,
    and a dataset's conventional metric (a column naming the dataset alone) is its headline metric, except
    SQuAD, whose papers print F1 beside Thompson et al.'s EM (both are keyed; the headline is EM)."""
    patterns = REPO / "extract" / "patterns" / "datasets.jsonl"
    ids = {json.loads(line)["id"] for line in patterns.read_text("utf-8").splitlines() if line.strip()}
    mapped = {i: benchmark_of(i) for i in ids if benchmark_of(i)}
    assert {"HumanEval", "MBPP", "APPS", "MMLU", "GSM8K", "HellaSwag", "ARC-Challenge", "BBH (BIG-Bench Hard)",
            "TriviaQA", "GLUE", "SuperGLUE", "SQuAD2.0", "ADE20K", "CIFAR-10", "CIFAR-100", "WikiText-103",
            "Natural Questions (NQ)", "MATH", "DROP", "WinoGrande", "PIQA"} <= set(mapped)
    headline = {b.benchmark: b.headline_metric for b in registry()}
    for dataset, bid in mapped.items():
        metric = default_metric(dataset)
        if metric and bid not in ("squad1.1", "squad2.0"):
            assert metric_key(metric, bid) == headline[bid], dataset
