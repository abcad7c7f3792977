"""`compute-limits add` for real: the flow `add` (Prefect test harness) over the real corpus, twice."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.add import add
from tests.operations.procs import differences, snapshot

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def added(prefect_harness: None, shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("add")
    folder = base / "incoming"
    shutil.copytree(shared_dir / "corpus" / "pdfs", folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.5\n" + b"\x00garbage" * 200)
    (folder / "page.pdf").write_bytes(b"<html><body>Not found</body></html>" * 20)
    params = {"db": str(base / "w.duckdb"), "data_dir": str(base / "data"), "reports_dir": str(base / "reports")}
    first = add(paths=[str(folder)], **params)
    after_first = snapshot(base / "w.duckdb")
    second = add(paths=[str(folder)], **params)
    return {"base": base, "first": first, "second": second, "after_first": after_first, "params": params,
            "golds": [json.loads(p.read_text("utf-8")) for p in (shared_dir / "corpus" / "gold").glob("*.json")]}


def _con(added: dict[str, Any]) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(added["base"] / "w.duckdb"), read_only=True)


def test_every_paper_of_the_corpus_is_in_v_papers(added: dict[str, Any]) -> None:
    first = added["first"]
    assert first["add_files"] == 53 and first["add_errors"] == 2
    assert first["new"] == 50 and first["older_version"] == 1  # BERT v1 beside BERT v2: one paper
    stamped = {g["arxiv_id"] for g in added["golds"] if g.get("arxiv_id")}
    with _con(added) as con:
        papers = dict(con.execute("select paper_id, parse_status from v_papers").fetchall())
        titles = con.execute("select count(*) from papers where title is not null").fetchone()
    assert len(papers) == 50 and set(papers.values()) == {"parsed"}
    assert len(stamped & set(papers)) >= 30  # arXiv ids from page 1's stamp
    assert all(p in stamped or p.startswith("local:") for p in papers)
    assert titles is not None and titles[0] >= 48


def test_their_runs_reach_v_training_compute_and_scores_meet_compute(added: dict[str, Any]) -> None:
    with _con(added) as con:
        runs = con.execute("select count(*), count(distinct paper_id), count(hardware_burden) "
                           "from v_training_compute").fetchone()
        points = con.execute("select count(*) from v_benchmark_points where compute > 0 and score is not null "
                             "and paper_id in (select paper_id from papers where source = 'local')").fetchone()
        quote = con.execute("select count(*) from v_training_compute where quote is null or page is null").fetchone()
    assert runs is not None and runs[0] >= 50 and runs[1] >= 25 and runs[2] >= 10
    assert points is not None and points[0] >= 5
    assert quote == (0,)


def test_bad_files_are_errors_and_the_rest_loads(added: dict[str, Any]) -> None:
    with _con(added) as con:
        errors = dict(con.execute("select source, message from v_open_errors where stage = 'add'").fetchall())
    assert set(errors) == {"broken.pdf", "page.pdf"}
    assert "no %PDF header" in errors["page.pdf"] and errors["broken.pdf"].startswith("cannot open PDF")


def test_a_second_add_changes_no_row(added: dict[str, Any]) -> None:
    second = added["second"]
    assert second["unchanged"] == 51 and second["new"] == 0 and second["pdfs_parsed"] == 0
    assert differences(added["after_first"], snapshot(added["base"] / "w.duckdb")) == []


def test_a_new_version_under_a_given_id_replaces_the_facts(added: dict[str, Any], shared_dir: Path) -> None:
    params, pdfs = added["params"], shared_dir / "corpus" / "pdfs"
    copies = []
    for name in ("AttentionIsAllYouNeed.pdf", "ALBERT.pdf"):  # bytes not added yet: a comment after %%EOF
        copies.append(added["base"] / f"v{len(copies) + 1}-{name}")
        copies[-1].write_bytes((pdfs / name).read_bytes() + b"\n% a local copy\n")
    one = add(paths=[str(copies[0])], paper_id="my-transformer", year=2017, **params)
    assert one["new"] == 1
    two = add(paths=[str(copies[1])], paper_id="my-transformer", **params)
    assert two["new_version"] == 1
    with _con(added) as con:
        version = con.execute("select version, published_precision from papers "
                              "where paper_id = 'my-transformer'").fetchone()
        shas = {r[0] for r in con.execute("select distinct sha256 from facts where paper_id = 'my-transformer'")
                .fetchall()}
        docs = dict(con.execute("select version, parse_status from documents "
                                "where paper_id = 'my-transformer'").fetchall())
    assert version == (2, "year") and docs == {1: "superseded", 2: "parsed"} and len(shas) == 1


def test_the_command_exits_non_zero_only_when_nothing_could_be_added(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all" * 50)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "COMPUTE_LIMITS_"))}
    env |= {"COMPUTE_LIMITS_DB": str(tmp_path / "w.duckdb"), "COMPUTE_LIMITS_DATA_DIR": str(tmp_path / "data"),
            "COMPUTE_LIMITS_REPORTS_DIR": str(tmp_path / "reports"), "PREFECT_HOME": str(tmp_path / "prefect")}
    done = subprocess.run([sys.executable, "-c", "from flows.cli import entry; entry()", "add", str(bad)],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    assert done.returncode == 1
    assert "error: nothing added: all 1 files failed (see v_open_errors)" in done.stderr.splitlines()
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("select stage, source from v_open_errors").fetchall() == [("add", "bad.pdf")]
    missing = subprocess.run([sys.executable, "-c", "from flows.cli import entry; entry()", "add",
                              str(tmp_path / "nowhere")], capture_output=True, text=True, env=env, timeout=600,
                             check=False)
    assert missing.returncode == 1 and "no such file or folder" in missing.stderr
