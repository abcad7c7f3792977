"""The flow `ingest` run for real (Prefect test harness) over the offline corpus, twice."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.ingest import ingest
from warehouse import records

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "corpus.json").read_text())


@pytest.fixture(scope="module")
def two_runs(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("ingest")
    params = {"db": str(base / "w.duckdb"), "data_dir": str(base / "data"), "reports_dir": str(base / "reports"),
              "include_synthetic": True}
    first = ingest(**params)
    counts_after_first = first["tables"]
    second = ingest(**params)
    return {"base": base, "first": first, "second": second, "counts_after_first": counts_after_first}


def _con(two_runs: dict[str, Any]) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(two_runs["base"] / "w.duckdb"), read_only=True)


def test_every_listed_paper_is_crawled_downloaded_and_parsed(two_runs: dict[str, Any], corpus: list) -> None:
    first = two_runs["first"]
    bad = [p for p in corpus if p.get("expect_error")]
    assert first["papers_crawled"] == len(corpus) >= 40
    assert first["pdfs_downloaded"] == len(corpus)
    assert first["pdfs_parsed"] == len(corpus) - len(bad)
    assert first["parse_errors"] == len(bad) >= 2
    with _con(two_runs) as con:
        assert con.execute("select count(*) from papers").fetchone()[0] == len(corpus)
        errors = con.execute("select stage, source from errors order by source").fetchall()
    assert sorted(errors) == sorted(("extract", f"{p['arxiv_id']}v{p['version']}") for p in bad)


def test_a_second_run_changes_no_row_counts(two_runs: dict[str, Any]) -> None:
    second = two_runs["second"]
    assert second["tables"] == two_runs["counts_after_first"]
    assert second["pdfs_downloaded"] == 0 and second["pdfs_parsed"] == 0  # nothing new: nothing redone
    with _con(two_runs) as con:
        runs = con.execute("select status, papers_crawled from ingest_runs order by started_at").fetchall()
    assert [r[0] for r in runs] == ["completed", "completed"]


def test_exact_training_runs_reach_the_warehouse(two_runs: dict[str, Any], corpus: list) -> None:
    with _con(two_runs) as con:
        found = set(con.execute(
            "select paper_id, accelerator, chips, round(hours, 1) from training_runs where confidence >= 0.5"
        ).fetchall())
    expected = [(p["arxiv_id"], r) for p in corpus for r in p["training_runs"]
                if r.get("accelerator") and r.get("count") and r.get("hours") and r["count_unit"] == "gpu"]
    assert expected
    hits = [(pid, r) for pid, r in expected
            if (pid, r["accelerator"], float(r["count"]), round(float(r["hours"]), 1)) in found]
    assert len(hits) >= 0.8 * len(expected), f"{len(hits)}/{len(expected)} GPU runs found exactly"


def test_benchmark_points_fits_and_report(two_runs: dict[str, Any]) -> None:
    with _con(two_runs) as con:
        per_benchmark = dict(con.execute(
            "select benchmark, count(*) from v_benchmark_points_all group by 1").fetchall())
        fits = con.execute("select benchmark, form, n, slope, row_ids from fits").fetchall()
        traced = con.execute("""
            select count(*) from v_benchmark_points_all p join results r on r.result_id = p.result_id
            where r.source_file is not null or r.quote is not null""").fetchone()[0]
    assert len(per_benchmark) >= 3 and min(per_benchmark.values()) >= 3
    assert {f[0] for f in fits} == set(per_benchmark)
    assert all(f[2] == len(f[4]) for f in fits)  # every fit records the exact points it used
    assert all(f[3] < 0 for f in fits if f[1] == "polynomial")  # more compute, less error
    assert traced == sum(per_benchmark.values())  # every point traces to a source row or a quote
    report = two_runs["base"] / "reports" / "report.md"
    assert report.exists() and "imagenet" in report.read_text().lower()


def test_fixture_papers_are_synthetic_and_fitted_only_on_their_own(two_runs: dict[str, Any]) -> None:
    """Issue 15: the offline corpus is marked synthetic; the analysts' points views leave it out, and
    with include_synthetic its fits are its own (no real selection takes a fixture point)."""
    with _con(two_runs) as con:
        papers, synthetic = con.execute("select count(*), count(*) filter (where synthetic) from papers").fetchone()
        shown = con.execute("select count(*) from v_regression_points p join papers using (paper_id)").fetchone()[0]
        benchmark_points = con.execute("select count(*) from v_benchmark_points").fetchone()[0]
        flagged = con.execute("select count(*) from v_regression_points_all where synthetic").fetchone()[0]
        kinds = con.execute("select distinct detail->>'$.selection.synthetic' from fits").fetchall()
    assert papers == synthetic and papers >= 40
    assert shown == 0 and benchmark_points == 0 and flagged > 0
    assert kinds == [("true",)]
    report = (two_runs["base"] / "reports" / "report.md").read_text()
    assert "synthetic fixture papers only" in report
    with _con(two_runs) as con:
        run_ids = {r[0] for r in con.execute("select run_id from ingest_runs").fetchall()}
    made = re.findall(r"Made (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC by run (\S+); points by source: "
                      r"(\d+) extracted", report)
    assert made and {run.rstrip(";") for _, run, _ in made} <= run_ids


@pytest.mark.corpus
def test_thompson_fits_after_the_demo_hold_no_synthetic_point(two_runs: dict[str, Any], shared_dir: Path) -> None:
    """Issue 15's bar: the offline demo, then `import thompson` and `regress`: no fit on real points
    contains a point of a synthetic paper (runs last: it adds to the module's warehouse)."""
    from flows.cli import main

    db = str(two_runs["base"] / "w.duckdb")
    assert main(["import", "thompson", str(shared_dir / "reference" / "thompson"), "--db", db]) == 0
    assert main(["regress", "--db", db, "--draws", "50"]) == 0
    with _con(two_runs) as con:
        fixture_ids = {r[0] for r in con.execute("select paper_id from papers where synthetic").fetchall()}
        real = con.execute("select benchmark, row_ids from fits where detail->>'$.selection.synthetic' = 'false'"
                           ).fetchall()
    assert {b for b, _ in real} >= {"imagenet", "coco", "squad1.1"}
    used = {row_id for _, row_ids in real for row_id in row_ids}
    assert used and all(row_id.startswith("thompson:") for row_id in used)
    assert not any(row_id.split(":")[0] in fixture_ids for row_id in used)
    with _con(two_runs) as con:
        latest = [f for f in records.latest_fits(con) if f["benchmark"] == "imagenet" and f["form"] == "polynomial"
                  and f["x"] == "hardware_burden"]
    assert sorted(f["selection"]["synthetic"] for f in latest) == [False, True]  # neither hides the other
    real_fit = next(f for f in latest if not f["selection"]["synthetic"])
    assert real_fit["points_by_source"] == {"thompson": real_fit["n"]} and real_fit["ingest_run_id"] is None


@pytest.mark.corpus
def test_the_report_has_a_trends_page_and_a_source_code_section(two_runs: dict[str, Any], shared_dir: Path) -> None:
    """Issue 16's bar: the offline demo plus `import epoch` render the trends page (plot and doubling-time
    table) and the source-code section (its plot and paragraph)."""
    from flows.cli import main

    db = str(two_runs["base"] / "w.duckdb")
    epoch = shared_dir / "reference" / "epoch" / "all_ml_systems_2025-08.csv"
    assert main(["import", "epoch", str(epoch), "--db", db]) == 0
    assert main(["report", "--db", db]) == 0
    reports = two_runs["base"] / "reports"
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert "<img src='trends.png'" in page and (reports / "trends.png").stat().st_size > 10_000
    # the code benchmarks' figure is drawn when they have points (no shared reference gives HumanEval compute)
    assert ("<img src='code.png'" in page) == (reports / "code.png").is_file()
    assert "<a href='#trends'>trends</a>" in page and "<section id='code'>" in page
    table = page[page.index("<h3>Doubling times</h3>"):]
    assert "<th>doubling (months)</th>" in table
    # Epoch's all-models and code-models rows, each with n, a growth and a doubling time with an interval
    epoch_rows = re.findall(r"<tr><td>epoch</td><td>(all|code)</td><td>(\d+)</td><td>\d+</td><td>([\d.]+) \[", table)
    assert {g for g, _, _ in epoch_rows} == {"all", "code"} and all(int(n) >= 100 for _, n, _ in epoch_rows)
    code_text = page[page.index("<section id='code'>"):]
    assert "code models (n = " in code_text and "all models (n = " in code_text
    markdown = (reports / "report.md").read_text(encoding="utf-8")
    assert "## Compute over time" in markdown and "## The cost of deep learning for source code" in markdown
