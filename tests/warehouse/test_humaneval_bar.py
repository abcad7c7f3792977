"""The bar of issue 16: HumanEval from every source lands on benchmark `humaneval`, metric `pass@1`.

A Papers with Code leaderboard row (an evaluation-tables JSON file in the real format), an extracted result
(an extraction loaded by warehouse.load.load_extraction, as the pipeline does) and an Epoch AI row (the real
CSV import) meet in the warehouse; each score with compute becomes a regression point whose error is the
registry's rule, 1 - pass@1/100. Epoch's snapshots carry no benchmark scores (their "Benchmark data" column
links a model to Epoch's language-model benchmark table, it holds names), so Epoch gives the compute of a
paper whose score comes from another source.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

import warehouse
from crawlers.epoch import read_epoch_csv
from extract.benchmark_keys import normalise
from extract.registry import registry
from flows.cli import main
from flows.cli.reference import load_pwc_file
from warehouse import load
from warehouse.estimates import refresh_compute_estimates
from warehouse.reference import replace_epoch

CODEX = "2107.03374"  # Chen et al. 2021: HumanEval pass@1 28.81 (Codex-12B), on the leaderboard and at Epoch
CODE_PAPERS = {"2203.13474": (29.28, 64, 240.0), "2305.06161": (33.6, 512, 576.0), "2308.12950": (53.7, 256, 1200.0)}


def pwc_table(path: Path) -> Path:
    """A Papers with Code evaluation-tables file with one HumanEval leaderboard (the dump's format)."""
    row = {"code_links": [], "metrics": {"Pass@1": "28.81", "Pass@10": "46.81"}, "model_links": [],
           "model_name": "Codex-12B", "paper_date": "2021-07-07",
           "paper_title": "Evaluating Large Language Models Trained on Code",
           "paper_url": f"https://arxiv.org/abs/{CODEX}v2", "uses_additional_data": False}
    task = {"categories": ["Computer Code"], "description": "", "source_link": None, "subtasks": [], "synonyms": [],
            "task": "Code Generation",
            "datasets": [{"dataset": "HumanEval", "dataset_citations": [], "dataset_links": [], "description": "",
                          "sota": {"metrics": ["Pass@1", "Pass@10"], "rows": [row]}, "subdatasets": []}]}
    path.write_text(json.dumps([task]), "utf-8")
    return path


def epoch_csv(path: Path) -> Path:
    """An Epoch AI models file with the snapshot's columns that matter here, "Benchmark data" among them."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Model", "Domain", "Task", "Publication date", "Link", "Training compute (FLOP)",
                         "Benchmark data"])
        writer.writerow(["Codex", "Language", "Code generation", "2021-07-07", f"https://arxiv.org/abs/{CODEX}",
                         "3.1e22", "Codex"])
    return path


def extraction(paper_id: str, score: float, gpus: int, hours: float) -> dict[str, Any]:
    run = {"label": "training", "phase": "training", "accelerator": "nvidia-a100", "accelerator_text": "A100 GPUs",
           "count": gpus, "count_unit": "gpu", "hours": hours, "hours_text": f"{hours} hours", "page": 4,
           "quote": f"trained on {gpus} A100 GPUs for {hours} hours", "char_start": 0, "char_end": 40,
           "confidence": 0.85}
    result = {"dataset": "HumanEval", "metric": "pass@1", "value": score, "model": "Ours", "page": 6,
              "quote": f"HumanEval pass@1 {score}", "char_start": 5, "char_end": 25, "confidence": 0.8}
    return {"pdf": f"{paper_id}.pdf", "sha256": paper_id.replace(".", "") * 6, "pages": 12, "error": None,
            "extractor_version": "test-1", "training_runs": [run], "facts": [], "results": [result]}


def build(db: Path, tmp_path: Path) -> None:
    with warehouse.connect(db) as con:
        load_pwc_file(con, pwc_table(tmp_path / "code-generation.json"))
        epoch = read_epoch_csv(epoch_csv(tmp_path / "epoch.csv"))
        replace_epoch(con, epoch.records, naming=epoch.naming, source_file="epoch.csv", problems=epoch.problems)
        for year, (paper_id, (score, gpus, hours)) in enumerate(CODE_PAPERS.items(), start=2022):
            ext = extraction(paper_id, score, gpus, hours)
            load.upsert_papers(con, [{"paper_id": paper_id, "version": 1, "title": f"Code model {paper_id}",
                                      "categories": ["cs.CL"], "primary_category": "cs.CL",
                                      "published": f"{year}-03-01T00:00:00Z"}], source="test")
            load.record_document(con, {"sha256": ext["sha256"], "paper_id": paper_id, "version": 1,
                                       "path": ext["pdf"], "bytes": 1})
            load.load_extraction(con, sha256=ext["sha256"], paper_id=paper_id, extraction=ext)
        refresh_compute_estimates(con)


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    build(path, tmp_path)
    return path


def test_every_source_lands_on_humaneval_pass_at_1(db: Path) -> None:
    with warehouse.connect_read_only(db) as con:
        rows = con.execute("""SELECT source, paper_id, dataset, metric, benchmark, metric_key, value FROM results
                              WHERE value IS NOT NULL ORDER BY source, paper_id, metric""").fetchall()
        epoch = con.execute("SELECT model, arxiv_ids, training_compute_flop FROM epoch_models").fetchall()
    assert rows == [
        ("extracted", "2203.13474", "HumanEval", "pass@1", "humaneval", "pass@1", 29.28),
        ("extracted", "2305.06161", "HumanEval", "pass@1", "humaneval", "pass@1", 33.6),
        ("extracted", "2308.12950", "HumanEval", "pass@1", "humaneval", "pass@1", 53.7),
        ("pwc", CODEX, "HumanEval", "Pass@1", "humaneval", "pass@1", 28.81),
        ("pwc", CODEX, "HumanEval", "Pass@10", "humaneval", None, 46.81),  # pass@10 is not the headline
    ]
    assert epoch == [("Codex", [CODEX], pytest.approx(3.1e22))]  # Epoch's row: compute, no score


def test_each_score_with_compute_is_a_point_with_error_one_minus_p_over_100(db: Path) -> None:
    with warehouse.connect_read_only(db) as con:
        points = con.execute("""SELECT paper_id, compute_source, result_source, metric, score, error,
                                       hardware_burden, estimated_compute
                                FROM v_regression_points WHERE benchmark = 'humaneval' ORDER BY paper_id""").fetchall()
        a100 = con.execute("SELECT fp32_flops FROM hardware WHERE accelerator = 'nvidia-a100'").fetchone()[0]
    assert [(p[0], p[1], p[2], p[3], p[4]) for p in points] == [
        (CODEX, "epoch", "pwc", "pass@1", 28.81),             # the leaderboard's score, Epoch's compute
        ("2203.13474", "extracted", "extracted", "pass@1", 29.28),
        ("2305.06161", "extracted", "extracted", "pass@1", 33.6),
        ("2308.12950", "extracted", "extracted", "pass@1", 53.7),
    ]
    for point in points:
        assert point[5] == pytest.approx(1 - point[4] / 100)
    assert points[0][7] == pytest.approx(3.1e22)
    assert points[1][6] == pytest.approx(64 * a100 * 240 * 3600)  # the extracted run's hardware burden (FP32 peak)


def test_regress_accepts_humaneval_like_imagenet(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["regress", "--db", str(db), "--benchmark", "humaneval", "--draws", "50", "--json"]) == 0
    fits = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert fits and {f["benchmark"] for f in fits} == {"humaneval"}
    assert {f["n"] for f in fits} == {3}  # the three extracted points (Epoch's has no hardware burden)
    assert main(["regress", "--db", str(db), "--benchmark", "imagenet", "--draws", "50", "--json"]) == 0
    capsys.readouterr()
    assert main(["regress", "--db", str(db), "--benchmark", "human-eval"]) == 1
    assert "unknown benchmark" in capsys.readouterr().err


@pytest.mark.corpus
def test_the_codex_paper_extracts_to_humaneval_pass_at_1(shared_dir: Path, tmp_path: Path) -> None:
    """The real PDF: the extractor's own tags put its HumanEval table on the registry's benchmark and metric."""
    from extract import extract_pdf

    pdf = shared_dir / "corpus" / "recent" / "pdfs" / "Evaluating_Large_Language_Models_Trained_on_Code.pdf"
    ext = extract_pdf(pdf).to_dict()
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        load.upsert_papers(con, [{"paper_id": CODEX, "version": 1, "title": "Codex", "categories": ["cs.LG"],
                                  "primary_category": "cs.LG", "published": "2021-07-07T00:00:00Z"}], source="test")
        load.record_document(con, {"sha256": ext["sha256"], "paper_id": CODEX, "version": 1, "path": str(pdf),
                                   "bytes": 1})
        load.load_extraction(con, sha256=ext["sha256"], paper_id=CODEX, extraction=ext)
        tagged = con.execute("""SELECT value FROM results WHERE benchmark = 'humaneval' AND metric_key = 'pass@1'
                                """).fetchall()
    assert (28.81,) in tagged  # Codex-12B's pass@1 (Table 1 of the paper, page 7)


@pytest.mark.corpus
def test_epoch_snapshots_have_no_benchmark_score_columns(shared_dir: Path) -> None:
    """No column of ../shared's Epoch files names a registry benchmark or headline metric; "Benchmark data"
    (all_ml_systems only) holds model names, not scores."""
    names = {normalise(n) for b in registry() for n in (b.benchmark, *b.aliases, *b.metric_aliases)}
    for path in sorted((shared_dir / "reference" / "epoch").glob("*.csv")):
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [normalise(h) for h in reader.fieldnames or []]
            assert not names & set(header), path.name
            if "benchmark data" in header:
                column = next(h for h in reader.fieldnames or [] if normalise(h) == "benchmark data")
                values = [r[column] for r in reader if r[column].strip()]
                assert values and not [v for v in values if _is_number(v)], path.name


def _is_number(text: str) -> bool:
    try:
        float(text.strip().rstrip("%"))
    except ValueError:
        return False
    return True


def test_a_fraction_pass_at_1_stays_as_printed(tmp_path: Path) -> None:
    """pass@1 below 1 is as often a small percent (GPT-Neo 125M: 0.75%) as a fraction: it is kept as printed."""
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        con.execute("insert into papers (paper_id, version, source, first_seen, last_seen) "
                    "values ('2107.03374', 1, 'local', now(), now())")
        con.execute("insert into documents (sha256, paper_id, version, path, parse_status) "
                    "values ('s', '2107.03374', 1, 'p', 'pending')")
        result = {"dataset": "HumanEval", "metric": "pass@1", "value": 0.75, "model": "GPT-Neo 125M", "page": 7,
                  "quote": "0.75%", "char_start": 0, "char_end": 5, "confidence": 0.7}
        load.load_extraction(con, sha256="s", paper_id=CODEX, extraction={
            "results": [result], "training_runs": [], "facts": [], "pages": 8, "extractor_version": "t"})
        got = con.execute("select value, metric_key, benchmark from results").fetchone()
    assert got == (0.75, "pass@1", "humaneval")
