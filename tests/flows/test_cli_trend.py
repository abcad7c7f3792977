"""`compute-limits trend` (issue 16) on real warehouses: Epoch AI's Notable snapshot against a direct
computation from the CSV, code models from the AI Models snapshot, papers of the warehouse (synthetic
ones apart), algorithmic progress on Thompson et al.'s ImageNet rows, and options that fail fast."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import warehouse
from flows.cli import main

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
EPOCH_DIR = SHARED / "reference" / "epoch"
NOTABLE = EPOCH_DIR / "notable_ai_models_2025-02-24.csv"
AI_MODELS = EPOCH_DIR / "all_ml_systems_2025-08.csv"


def _imported(tmp_path_factory: pytest.TempPathFactory, kind: str, *paths: Path) -> Path:
    db = tmp_path_factory.mktemp("trend") / "w.duckdb"
    if SHARED.is_dir():  # corpus tests are skipped without ../shared; the fixture then builds nothing
        assert main(["import", kind, *(str(p) for p in paths), "--db", str(db)]) == 0
    return db


@pytest.fixture(scope="module")
def notable_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _imported(tmp_path_factory, "epoch", NOTABLE)


@pytest.fixture(scope="module")
def ai_models_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _imported(tmp_path_factory, "epoch", AI_MODELS)


def _trend_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    capsys.readouterr()
    assert main(["trend", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _expected(csv: Path, keep: pd.Series | None = None) -> tuple[int, float]:
    """n and OLS slope of log10(training compute) on the fractional year, straight from the CSV."""
    frame = pd.read_csv(csv, dtype=str)
    date = pd.to_datetime(frame["Publication date"], format="%Y-%m-%d", errors="coerce")
    compute = pd.to_numeric(frame["Training compute (FLOP)"], errors="coerce")
    ok = date.notna() & (compute > 0) & (date >= "2010-01-01") & (True if keep is None else keep)
    t = date[ok].dt.year + (date[ok].dt.day_of_year - 1) / 365.25
    slope, _ = np.polyfit(t.to_numpy(float), np.log10(compute[ok].to_numpy(float)), 1)
    return int(ok.sum()), float(slope)


@pytest.mark.corpus
def test_all_notable_models_agree_with_the_csv(notable_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The bar: every model of the Notable snapshot with a compute and a date since 2010, no frontier."""
    n, slope = _expected(NOTABLE)
    [fit] = _trend_json(capsys, "--source", "epoch", "--by", "none", "--db", str(notable_db))
    assert (fit["source"], fit["group"], fit["frontier"], fit["since"]) == ("epoch", "all", False, "2010-01-01")
    assert fit["n"] == n == 397
    assert fit["slope"] == pytest.approx(slope, abs=5e-4)
    assert fit["growth_per_year"] == pytest.approx(10**slope, rel=2e-3)
    assert fit["doubling_months"] == pytest.approx(12 * math.log10(2) / slope, rel=2e-3)
    assert fit["slope_low"] < fit["slope"] < fit["slope_high"]
    assert fit["growth_low"] < fit["growth_per_year"] < fit["growth_high"]
    assert fit["doubling_low"] < fit["doubling_months"] < fit["doubling_high"]
    assert fit["interval"].startswith("90% paper-level bootstrap") and fit["draws_used"] == fit["draws"] == 1000
    assert fit["date_from"] >= "2010-01-01" and fit["date_to"] <= "2025-02-24"


@pytest.mark.corpus
def test_notable_by_domain_has_all_but_no_code_group(notable_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The Notable download has no Task column and no code domain: no code group can be formed from it."""
    fits = _trend_json(capsys, "--source", "epoch", "--by", "domain", "--db", str(notable_db))
    groups = {f["group"]: f for f in fits}
    assert fits[0]["group"] == "all" and groups["all"]["n"] == 397
    assert "code" not in groups and {"language", "vision", "multimodal"} <= set(groups)
    frontier = _trend_json(capsys, "--source", "epoch", "--frontier", "--db", str(notable_db))
    assert frontier[0]["frontier"] and 10 < frontier[0]["n"] < 397


@pytest.mark.corpus
def test_code_models_beside_all_models(ai_models_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frame = pd.read_csv(AI_MODELS, dtype=str)
    code = frame["Task"].fillna("").str.contains(r"\bCode (?:generation|autocompletion)\b")
    fits = {f["group"]: f for f in _trend_json(capsys, "--source", "epoch", "--by", "domain", "--db",
                                               str(ai_models_db))}
    for group, keep in (("all", None), ("code", code)):
        n, slope = _expected(AI_MODELS, keep)
        assert fits[group]["n"] == n
        assert fits[group]["slope"] == pytest.approx(slope, abs=5e-4)
    assert fits["code"]["n"] > 100 and fits["code"]["growth_low"] < fits["code"]["growth_high"]


def _paper_warehouse(path: Path) -> list[tuple[str, dt.date, str | None, float, bool, str]]:
    """Papers with a compute estimate: cs.CV and cs.SE ones, one dated to the year only, and synthetic ones."""
    papers = [(f"2{i:03d}.0000{i % 10}", dt.date(2012 + i, 1 + i % 12, 10), None,
               10.0 ** (18 + 0.4 * i + (i % 3) * 0.1), False, "cs.CV" if i < 8 else "cs.SE") for i in range(12)]
    papers.append(("local:abc", dt.date(2019, 1, 1), "year", 3e21, False, "cs.CV"))
    papers += [(f"9{i:03d}.00001", dt.date(2020, 3, 1 + i), None, 1e20 * (i + 1), True, "cs.CV") for i in range(3)]
    with warehouse.connect(path) as con:
        for pid, published, precision, compute, synthetic, category in papers:
            con.execute("INSERT INTO papers (paper_id, version, published, published_precision, primary_category, "
                        "source, first_seen, last_seen, synthetic) VALUES (?, 1, ?, ?, ?, 'test', now(), now(), ?)",
                        [pid, published, precision, category, synthetic])
            con.execute("INSERT INTO compute_estimates (estimate_id, paper_id, phase, method, unit, value, value_low, "
                        "value_high, headline, inputs, assumptions, sources) VALUES (?, ?, 'training', "
                        "'hardware_time', 'FLOP', ?, ?, ?, true, '{}', 'test', 'extracted')",
                        [f"e-{pid}", pid, compute, compute / 2, compute * 2])
        con.execute("INSERT INTO results (result_id, paper_id, source, benchmark) VALUES "
                    "('r1', ?, 'pwc', 'imagenet'), ('r2', ?, 'pwc', 'imagenet'), ('r3', ?, 'pwc', 'coco')",
                    [papers[0][0], papers[1][0], papers[1][0]])
    return papers


def test_papers_of_the_warehouse_with_synthetic_ones_apart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    papers = _paper_warehouse(db)
    real = [p for p in papers if not p[4]]
    t = [p[1].year + 0.5 if p[2] == "year" else p[1].year + (p[1].timetuple().tm_yday - 1) / 365.25 for p in real]
    slope, _ = np.polyfit(t, np.log10([p[3] for p in real]), 1)
    fits = _trend_json(capsys, "--source", "extracted", "--by", "domain", "--db", str(db))
    assert [(f["source"], f["group"], f["n"]) for f in fits] == [
        ("extracted", "all", 13), ("extracted", "vision", 9), ("extracted", "code", 4)]
    assert fits[0]["slope"] == pytest.approx(slope, abs=1e-9) and fits[0]["date_from"] == "2012-01-10"
    with_synthetic = _trend_json(capsys, "--source", "extracted", "--include-synthetic", "--db", str(db))
    assert [(f["source"], f["n"]) for f in with_synthetic] == [("extracted", 13), ("extracted:synthetic", 3)]
    assert with_synthetic[0]["slope"] == fits[0]["slope"]
    by_benchmark = _trend_json(capsys, "--source", "all", "--by", "benchmark", "--db", str(db))
    assert [(f["source"], f["group"], f["n"], f["kind"]) for f in by_benchmark] == [
        ("extracted", "all", 13, "trend"), ("extracted", "imagenet", 2, "trend-not-fitted"),
        ("extracted", "coco", 1, "trend-not-fitted")]
    assert main(["trend", "--source", "extracted", "--db", str(db)]) == 0
    table = capsys.readouterr().out
    assert "compute trends: log10(compute) ~ fractional year, by none, since 2010-01-01" in table
    assert "fractional year = year + (day of year - 1) / 365.25" in table


@pytest.mark.corpus
def test_progress_on_thompsons_imagenet_rows(tmp_path_factory: pytest.TempPathFactory,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = _imported(tmp_path_factory, "thompson", SHARED / "reference" / "thompson")
    with warehouse.connect_read_only(db) as con:
        papers = con.execute("SELECT count(DISTINCT paper_key) FROM v_regression_points WHERE benchmark = 'imagenet' "
                             "AND hardware_burden > 0 AND error > 0 AND year >= 2010").fetchone()[0]
    [fit] = _trend_json(capsys, "--progress", "imagenet", "--db", str(db))
    assert (fit["kind"], fit["benchmark"], fit["x"], fit["n"]) == ("progress", "imagenet", "hardware_burden", papers)
    assert fit["b_low"] < fit["b"] < fit["b_high"] and fit["c_low"] < fit["c"] < fit["c_high"] < 0
    assert fit["identified"] == (fit["b_high"] < 0)
    if fit["identified"]:
        assert fit["halving_months"] == pytest.approx(12 * math.log10(2) / -fit["b"])
    assert main(["trend", "--progress", "imagenet", "--db", str(db)]) == 0
    assert "halving time = 12·log10(2)/(-b) months" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "option"), [
    (["--source", "papers"], "--source"), (["--by", "year"], "--by"), (["--since", "2020-02-30"], "--since"),
    (["--since", "2020"], "--since"), (["--progress", "mnist"], "--progress"),
    (["--progress", "imagenet", "--frontier"], "--frontier"), (["--progress", "imagenet", "--by", "domain"], "--by"),
    (["--x", "hardware_burden"], "--x"), (["--draws", "5"], "--draws"),
])
def test_bad_options_fail_fast_with_one_line(args: list[str], option: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "never-opened.duckdb"
    assert main(["trend", *args, "--db", str(db)]) != 0
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and option in err and "warehouse" not in err
    assert not db.exists()
