"""`paper_links`: one arXiv id per reference record, by its link or its normalised title (and year)."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

import warehouse
from analysis.regression import run_regression
from analysis.selection import Selection, select_points
from warehouse import load
from warehouse.identity import LinkCounts, normalise_title, refresh_paper_links
from warehouse.records import regression_points

BERT = "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
BACK_TRANSLATION = "Understanding Back-Translation at Scale"


@pytest.mark.parametrize(("raw", "key"), [
    (BERT, "bert pretraining of deep bidirectional transformers for language understanding"),
    ("BERT: Pretraining of deep bidirectional transformers for language understanding.", normalise_title(BERT)),
    ("  Attention   Is All\tYou Need ", "attention is all you need"),
    ("Régularisation Élégante naïve", "regularisation elegante naive"),
    ("{BERT}: {P}re-training with \\textit{Deep} $\\alpha$-nets", "bert pretraining with deep alphanets"),
    ("Don’t Stop Pretraining: Adapt Language Models", "dont stop pretraining adapt language models"),
    ("R-CNN & friends (v2)", "rcnn and friends v2"),
    (r'Gr\"{o}bner \& {\em Sons}', "grobner and sons"),
    ("Scaled-YOLOv4 -- Scaling Cross Stage", "scaledyolov4 scaling cross stage"),
    ("snake_case_title", "snake case title"),
    ("", ""),
    (None, ""),
])
def test_normalise_title(raw: str | None, key: str) -> None:
    assert normalise_title(raw) == key


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = warehouse.connect(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def _thompson(con: duckdb.DuckDBPyConnection, model_id: str, *, title: str, year: int, paper_id: str | None = None,
              benchmark: str = "conll2003", f1: float | None = None, burden: float | None = None) -> None:
    con.execute("""insert into thompson_models (model_id, source, source_file, source_row, benchmark, paper_id,
                   name, year, title, hardware_burden, raw)
                   values (?, 'thompson', 't.csv', ?, ?, ?, ?, ?, ?, ?, '{}')""",
                [model_id, len(model_id), benchmark, paper_id, model_id, year, title, burden])
    if f1 is not None:
        con.execute("""insert into thompson_metrics values (?, 't.csv', ?, ?, 'F1 score', 'f1', ?)""",
                    [model_id, len(model_id), benchmark, f1])


def _epoch(con: duckdb.DuckDBPyConnection, model_id: str, *, reference: str, published: date,
           paper_id: str | None = None, flop: float | None = None) -> None:
    con.execute("""insert into epoch_models (model_id, source, source_file, source_row, naming, model, paper_id,
                   arxiv_ids, publication_date, reference, training_compute_flop, raw)
                   values (?, 'epoch', 'e.csv', ?, 'Model', ?, ?, ?, ?, ?, ?, '{}')""",
                [model_id, len(model_id), model_id, paper_id, [paper_id] if paper_id else [], published, reference,
                 flop])


def _pwc(con: duckdb.DuckDBPyConnection, result_id: str, *, title: str, paper_id: str | None = None,
         paper_date: date | None = None, benchmark: str = "conll2003", metric_key: str = "f1",
         value: float = 90.0) -> None:
    con.execute("""insert into results (result_id, paper_id, source, benchmark, metric, metric_key, value, model,
                   paper_title, paper_date, source_file, source_row)
                   values (?, ?, 'pwc', ?, ?, ?, ?, ?, ?, ?, 'p.json', 1)""",
                [result_id, paper_id, benchmark, metric_key.upper(), metric_key, value, result_id, title, paper_date])


def _links(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str, str, float]]:
    rows = con.execute("select source, record_id, paper_id, method, confidence from paper_links").fetchall()
    return {(s, r): (p, m, c) for s, r, p, m, c in rows}


def test_links_by_arxiv_id_and_by_title_and_year(con: duckdb.DuckDBPyConnection) -> None:
    _epoch(con, "e-bert", reference=BERT, published=date(2018, 10, 11), paper_id="1810.04805")
    _thompson(con, "t-bert", title=BERT.upper() + ".", year=2019)             # ACL anthology link, no arXiv id
    _thompson(con, "t-squad", title=BERT, year=2019, paper_id="1810.04805", benchmark="squad1.1")
    _pwc(con, "p-bt", title=BACK_TRANSLATION, paper_id="1808.09381")
    _epoch(con, "e-bt", reference="Understanding back-translation at scale", published=date(2018, 8, 28))
    counts = refresh_paper_links(con)
    links = _links(con)
    assert links[("epoch", "e-bert")] == ("1810.04805", "arxiv_link", 1.0)
    assert links[("thompson", "t-squad")] == ("1810.04805", "arxiv_link", 1.0)
    assert links[("pwc", "p-bt")] == ("1808.09381", "arxiv_link", 1.0)
    assert links[("thompson", "t-bert")] == ("1810.04805", "title_year", 0.9)
    assert links[("epoch", "e-bt")] == ("1808.09381", "title_year", 0.9)   # year from the id's yymm
    assert counts.by_method == {"epoch": {"arxiv_link": 1, "title_year": 1}, "pwc": {"arxiv_link": 1},
                                "thompson": {"arxiv_link": 1, "title_year": 1}}
    assert counts.without_id == {"thompson": 1, "epoch": 1} and counts.by_title("thompson") == 1
    assert counts.rows == 5 and "1 of 1 thompson" in counts.summary()


def test_year_two_off_is_no_match_and_no_year_is_a_title_match(con: duckdb.DuckDBPyConnection) -> None:
    _pwc(con, "p-rfa", title="Random Feature Attention", paper_id="2103.02143", paper_date=date(2021, 3, 3))
    _thompson(con, "t-late", title="Random Feature Attention", year=2023)
    _thompson(con, "t-early", title="Random feature attention", year=2019)
    _pwc(con, "p-undated", title="Random Feature Attention!")
    refresh_paper_links(con)
    links = _links(con)
    assert ("thompson", "t-late") not in links and ("thompson", "t-early") not in links
    assert links[("pwc", "p-undated")] == ("2103.02143", "title", 0.7)


def test_years_known_from_papers_and_carriers(con: duckdb.DuckDBPyConnection) -> None:
    load.upsert_papers(con, [{"paper_id": "1703.06870", "version": 3, "title": "Mask R-CNN",
                              "published": "2017-03-20T00:00:00"}], source="test")
    _thompson(con, "t-mask", title="Mask R-CNN", year=2018)                  # two words: with the year only
    _pwc(con, "p-mask", title="Mask R-CNN")                                   # ... so no year, no link
    _pwc(con, "p-mask-2016", title="Mask R-CNN", paper_date=date(2016, 1, 1))
    counts = refresh_paper_links(con)
    links = _links(con)
    assert links[("thompson", "t-mask")] == ("1703.06870", "title_year", 0.9)
    assert links[("pwc", "p-mask-2016")] == ("1703.06870", "title_year", 0.9)
    assert ("pwc", "p-mask") not in links
    assert "papers" not in counts.by_method                                   # papers are index only


def test_ambiguous_short_generic_and_citation_titles_never_match(con: duckdb.DuckDBPyConnection) -> None:
    title = "Rethinking the Inception Architecture for Computer Vision"
    _pwc(con, "p-a", title=title, paper_id="1512.00567")
    _pwc(con, "p-b", title=title, paper_id="1602.07261")                      # a wrong id for the same title
    _thompson(con, "t-inception", title=title, year=2016)
    _pwc(con, "p-maxout", title="Maxout Networks", paper_id="1302.4389")
    _thompson(con, "t-net", title="Networks", year=2013)
    _pwc(con, "p-report", title="Technical Report", paper_id="2303.08774", paper_date=date(2023, 3, 15))
    _epoch(con, "e-report", reference="Technical report", published=date(2023, 3, 15))
    _pwc(con, "p-cui", title="Cui et al., 2019", paper_id="1906.08101", paper_date=date(2019, 6, 19))
    _pwc(con, "p-cui-2", title="Cui et al., 2019", paper_date=date(2019, 6, 19))
    counts = refresh_paper_links(con)
    linked = {key for key, (_, method, _) in _links(con).items() if method != "arxiv_link"}
    assert linked == set()
    assert counts.ambiguous_titles == 1


def test_rebuild_is_idempotent_and_follows_the_records(con: duckdb.DuckDBPyConnection) -> None:
    _epoch(con, "e-bert", reference=BERT, published=date(2018, 10, 11), paper_id="1810.04805")
    _thompson(con, "t-bert", title=BERT, year=2019)
    first = refresh_paper_links(con)
    rows = con.execute("select * from paper_links order by all").fetchall()
    second = refresh_paper_links(con)
    assert second == first and con.execute("select * from paper_links order by all").fetchall() == rows
    con.execute("delete from epoch_models")
    assert refresh_paper_links(con) == LinkCounts({}, {"thompson": 1}, 0)
    assert con.execute("select count(*) from paper_links").fetchone() == (0,)


def test_a_paper_held_by_two_sources_is_one_regression_point(con: duckdb.DuckDBPyConnection) -> None:
    # Thompson's BERT row (no arXiv link) and Epoch's BERT compute beside a PwC score for 1810.04805
    _thompson(con, "t-bert", title=BERT, year=2019, f1=92.8, burden=1e20)
    _thompson(con, "t-other", title="Some Other Named Entity Recognition Paper", year=2019, f1=91.0, burden=1e19)
    _pwc(con, "p-bert", title=BERT, paper_id="1810.04805", value=92.8)
    _epoch(con, "e-bert", reference=BERT, published=date(2018, 10, 11), paper_id="1810.04805", flop=3e20)
    # a PwC score without an arXiv id and an Epoch row without one: both linked by title
    _pwc(con, "p-bt", title=BACK_TRANSLATION, paper_date=date(2018, 8, 28), benchmark="wmt2014-en-de",
         metric_key="bleu", value=35.0)
    _epoch(con, "e-bt", reference=BACK_TRANSLATION, published=date(2018, 8, 28), paper_id="1808.09381", flop=1e21)
    _pwc(con, "p-aiayn", title="Attention Is All You Need", paper_id="1706.03762", benchmark="wmt2014-en-de",
         metric_key="bleu", value=28.4)
    _epoch(con, "e-aiayn", reference="Attention is all you need", published=date(2017, 6, 12), flop=2e19)
    con.execute("insert into check_epoch_compute (model_id, source_file, source_row, hardware, quantity, hours, "
                "hardware_burden) select model_id, source_file, source_row, 'x', 1, 1, 2e20 from epoch_models")
    before = regression_points(con)
    assert set(before["paper_key"]) == {"thompson:t-bert", "thompson:t-other", "1810.04805"}
    assert len(select_points(before, Selection(x="hardware_burden", benchmarks=("conll2003",)))) == 3  # BERT twice
    refresh_paper_links(con)
    points = regression_points(con)
    assert points.set_index("point_id")["paper_key"].to_dict() == {
        "thompson:t-bert": "1810.04805", "thompson:t-other": "thompson:t-other",
        "1810.04805:conll2003:epoch": "1810.04805", "1808.09381:wmt2014-en-de:epoch": "1808.09381",
        "1706.03762:wmt2014-en-de:epoch": "1706.03762"}
    burden = select_points(points, Selection(x="hardware_burden", benchmarks=("conll2003",)))
    assert burden["paper_key"].tolist() == ["1810.04805", "thompson:t-other"]
    assert burden["source"].tolist() == ["thompson", "thompson"]
    wmt = select_points(points, Selection(x="estimated_compute", benchmarks=("wmt2014-en-de",)))
    assert wmt["paper_key"].tolist() == ["1706.03762", "1808.09381"] and set(wmt["source"]) == {"epoch"}


# --- the real reference set --------------------------------------------------------------------------

EPOCH = ("all_ml_systems_2025-08.csv", "all_ml_systems_2024-02.csv")
DUPLICATED = {  # Thompson rows without an arXiv link that Epoch and Papers with Code hold by arXiv id
    ("conll2003", "BERT Large"): "1810.04805",
    ("wmt2014-en-de", "RNMT+"): "1804.09849", ("wmt2014-en-fr", "RNMT+"): "1804.09849",
    ("wmt2014-en-de", "Noisy back-translation"): "1808.09381",
    ("wmt2014-en-fr", "Noisy back-translation"): "1808.09381",
}
# Thompson et al.'s printed hardware-burden slopes (tests/analysis/test_thompson_reproduction.py), n
THOMPSON_ONLY = {"conll2003": (12, 0.0269), "wmt2014-en-de": (12, 0.0141), "wmt2014-en-fr": (14, 0.0236)}


@pytest.fixture(scope="module")
def reference_db(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Path:
    from flows.cli import main

    path = tmp_path_factory.mktemp("identity") / "w.duckdb"
    ref = shared_dir / "reference"
    assert main(["import", "thompson", str(ref / "thompson"), "--db", str(path)]) == 0
    assert main(["import", "epoch", *(str(ref / "epoch" / n) for n in EPOCH), "--db", str(path)]) == 0
    assert main(["import", "pwc", str(ref / "pwc" / "evaluation-tables"), "--db", str(path)]) == 1  # one bad file
    return path


@pytest.mark.corpus
def test_reference_records_link_across_sources(reference_db: Path) -> None:
    with warehouse.connect(reference_db) as con:
        started = time.perf_counter()
        counts = refresh_paper_links(con)
        seconds = time.perf_counter() - started
        found = dict(con.execute("""select (m.benchmark, trim(m.name)), l.paper_id || ' ' || l.method
                                    from thompson_models m join paper_links l
                                      on l.source = 'thompson' and l.record_id = m.model_id""").fetchall())
    print(json.dumps({"without_id": counts.without_id, "by_method": counts.by_method, "seconds": round(seconds, 3)}))
    assert seconds < 5
    for (benchmark, name), paper_id in DUPLICATED.items():
        assert found[(benchmark, name)] == f"{paper_id} title_year", (benchmark, name)
    assert counts.without_id == {"thompson": 157, "epoch": 1360, "pwc": 3280}
    assert {s: counts.by_title(s) for s in counts.without_id} == {"thompson": 38, "epoch": 36, "pwc": 64}
    assert counts.by_method["thompson"]["arxiv_link"] == 359


@pytest.mark.corpus
def test_reference_papers_count_once_per_benchmark(reference_db: Path) -> None:
    with warehouse.connect_read_only(reference_db) as con:
        points = regression_points(con)
    chosen = select_points(points, Selection(x="hardware_burden", benchmarks=tuple(THOMPSON_ONLY)))
    assert not chosen.duplicated(["benchmark", "paper_key"]).any()
    for (benchmark, name), paper_id in DUPLICATED.items():
        rows = chosen.loc[(chosen["benchmark"] == benchmark) & (chosen["paper_key"] == paper_id)]
        assert rows["source"].tolist() == ["thompson"] and rows["model"].str.strip().tolist() == [name]
    fits = run_regression(points, Selection(x="hardware_burden", benchmarks=tuple(THOMPSON_ONLY)),
                          forms=("polynomial",), draws=20)
    slopes = {f.benchmark: (f.n, round(-f.slope, 4)) for f in fits.fits}
    print(json.dumps({"hardware_burden_slopes": slopes}))
    # every Epoch point of these benchmarks duplicated a Thompson paper: the fits are Thompson's own again
    assert slopes == THOMPSON_ONLY
