"""v_corpus (one row per paper, every source side by side) and v_coverage, and the report's coverage section."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import warehouse
from analysis.coverage import coverage_lines
from warehouse import backfill as queue
from warehouse.identity import refresh_paper_links
from warehouse.load import load_extraction, now
from warehouse.local_papers import LocalPdf, register_local


@pytest.fixture()
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with warehouse.connect(tmp_path / "w.duckdb") as c:
        _fill(c)
        refresh_paper_links(c)
        yield c


def _thompson(con: duckdb.DuckDBPyConnection, model_id: str, paper_id: str | None, title: str, year: int,
              benchmark: str, score: float | None, burden: float | None) -> None:
    con.execute("insert into thompson_models (model_id, source, source_file, source_row, benchmark, paper_id, "
                "name, year, title, hardware_burden, raw) values (?, 'thompson', 't.csv', 5, ?, ?, ?, ?, ?, ?, '{}')",
                [model_id, benchmark, paper_id, model_id, year, title, burden])
    if score is not None:
        metric = "top1" if benchmark == "imagenet" else "f1"
        con.execute("insert into thompson_metrics values (?, 't.csv', 5, ?, ?, ?, ?)",
                    [model_id, benchmark, metric, metric, score])


def _fill(con: duckdb.DuckDBPyConnection) -> None:
    # ResNet: added as a local PDF with a run; Thompson's row links it by id.
    register_local(con, LocalPdf(sha256="a" * 64, path="pdfs/a.pdf", bytes=10, origin="resnet.pdf",
                                 paper_id="1512.03385", version=1, title="Deep Residual Learning for Image Recognition",
                                 year=2015, month=12))
    run = {"phase": "training", "accelerator": "nvidia-k80", "count": 8, "count_unit": "gpu", "hours": 100.0,
           "page": 5, "quote": "8 K80 GPUs for 100 hours", "confidence": 0.9}
    load_extraction(con, sha256="a" * 64, paper_id="1512.03385",
                    extraction={"training_runs": [run], "results": [], "facts": [], "pages": 9,
                                "extractor_version": "t"})
    _thompson(con, "m1", "1512.03385", "Deep Residual Learning for Image Recognition", 2015, "imagenet", 78.6, 1e19)
    # BERT: Thompson's CoNLL row has no arXiv link, a score, no burden; queued for backfill under its id.
    _thompson(con, "m2", None, "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
              2019, "conll2003", 92.8, None)
    _thompson(con, "m3", "1810.04805",
              "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", 2018, "squad1.1",
              None, None)
    queue.enqueue(con, {"1810.04805": ({"thompson"}, {"conll2003", "squad1.1"})})
    con.execute("update papers set last_seen = ?", [now()])


def test_v_corpus_has_one_row_per_paper_with_each_source(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("select paper_id, title, year, metadata_source, pdf_state, queue_state, training_runs, "
                       "thompson_rows, thompson_benchmarks, link_methods from v_corpus order by 1").fetchall()
    assert [r[0] for r in rows] == ["1512.03385", "1810.04805"]
    resnet, bert = rows
    assert resnet[1:8] == ("Deep Residual Learning for Image Recognition", 2015, "local", "parsed", None, 1, 1)
    assert resnet[8] == ["imagenet"] and resnet[9] == ["arxiv_link"]
    assert bert[3:6] == (None, "no paper row", "queued") and bert[7] == 2  # its CoNLL row linked by title
    assert bert[8] == ["conll2003", "squad1.1"] and set(bert[9]) == {"arxiv_link", "title_year"}
    assert bert[2] == 2018


def test_v_coverage_counts_papers_with_score_compute_and_both(con: duckdb.DuckDBPyConnection) -> None:
    got = {(r[0], r[1]): r[2:] for r in con.execute("select * from v_coverage").fetchall()}
    assert got[("imagenet", 2015)] == (1, 1, 1, 1)      # score (Thompson) and compute (Thompson, extracted)
    assert got[("conll2003", 2019)] == (1, 1, 0, 0)     # BERT's score, no compute from any source yet
    assert got[("squad1.1", 2018)] == (1, 0, 0, 0)      # named by Thompson and the queue, no score
    assert sum(r[0] for r in got.values()) == 3


def test_coverage_section_renders_totals_and_years() -> None:
    frame = pd.DataFrame({"benchmark": ["coco", "coco", "imagenet"], "year": [2017, None, 2015],
                          "papers": [3, 1, 2], "with_score": [3, 1, 2], "with_compute": [1, 0, 2],
                          "with_both": [1, 0, 2]})
    text = "\n".join(coverage_lines(frame))
    assert "| coco | 2017–2017 | 4 | 4 | 1 | 1 |" in text
    assert "| coco | ? | 1 | 1 | 0 | 0 |" in text and "| imagenet | 2015 | 2 | 2 | 2 | 2 |" in text
    assert "No paper is tied" in "\n".join(coverage_lines(frame.iloc[0:0]))
