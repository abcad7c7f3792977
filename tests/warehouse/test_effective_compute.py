"""Effective compute: stated compute first (issue 15), the paper's own utilisation, and an effective
compute for Thompson et al.'s rows beside their hardware burden."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import warehouse
from extract import extract_pdf
from warehouse import load
from warehouse.accounting import AccountingParams, compute_to_cost, hardware_time
from warehouse.catalog import shipped_catalog
from warehouse.checks import thompson_terms
from warehouse.estimates import refresh_compute_estimates
from warehouse.stated_compute import PF_DAY_FLOP, StatedCompute, stated_estimate

CAT = shipped_catalog()
P = AccountingParams()
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def stated(amount: float, unit: str, quote: str = "") -> StatedCompute:
    return StatedCompute(amount, unit, quote, 3, "f1")


def test_petaflop_days_are_counted_work() -> None:
    est = stated_estimate(stated(60, "pf_days", "60 petaflop/s-days"), CAT, None, precision=None, llm=False,
                          utilization=None, params=P)
    assert est is not None and est.value == est.low == est.high == pytest.approx(60 * PF_DAY_FLOP)


def test_tpu_core_days_use_the_chip_the_sentence_names() -> None:
    v3 = CAT["google-tpu-v3"]
    est = stated_estimate(stated(2500, "tpu_core_days", "TPUv3-core-days 2.5k"), CAT, None, precision=None,
                          llm=False, utilization=None, params=P)
    chip_seconds = 2500 * 86400 / 2  # two TensorCores per v3 chip
    assert est is not None and est.inputs["accelerator"] == "google-tpu-v3"
    assert est.value == pytest.approx(chip_seconds * v3.tensor16 * P.utilization)
    assert est.low < est.value < est.high and "2500 tpu-core-days" in est.assumptions


def test_gpu_hours_fall_back_to_the_papers_accelerator_of_the_same_kind() -> None:
    a100 = CAT["nvidia-a100"]
    named = stated_estimate(stated(1000, "gpu_hours", "1000 V100 GPU hours"), CAT, a100, precision="fp16",
                            llm=False, utilization=None, params=P)
    assert named is not None and named.inputs["accelerator"] == "nvidia-v100-sxm2"  # a bare V100 is the SXM2 part
    fallback = stated_estimate(stated(1000, "gpu_hours", "1000 GPU hours"), CAT, a100, precision="fp16", llm=False,
                               utilization=None, params=P)
    assert fallback is not None and fallback.value == pytest.approx(1000 * 3600 * a100.tensor16 * P.utilization)
    # no chip named and the paper's is a TPU: a GPU-hour amount cannot be priced
    assert stated_estimate(stated(1000, "gpu_hours", "1000 GPU hours"), CAT, CAT["google-tpu-v3"], precision=None,
                           llm=False, utilization=None, params=P) is None


def test_a_stated_utilisation_replaces_the_default() -> None:
    a100 = CAT["nvidia-a100"]
    est = hardware_time(a100, 8, 3600, precision="bf16", llm=True, params=P, utilization=0.46)
    assert est is not None and est.utilization == 0.46
    assert est.value == est.low == est.high == pytest.approx(8 * 3600 * a100.tensor16 * 0.46)
    assert "stated by the paper" in est.assumptions


def test_thompson_terms_carry_effective_compute_in_chips() -> None:
    # "60 K80": boards for Thompson's burden, GPUs at their own peak for effective compute (as extracted)
    row = {"training_gpu_model": "K80", "training_gpu_amount": 60, "training_time_total_sec": 3600.0}
    total, terms, _ = thompson_terms(row, CAT, P)
    k80 = CAT["nvidia-k80"]
    assert total == pytest.approx(60 * k80.thompson * 3600)
    assert terms[0]["effective"] == pytest.approx(60 * k80.fp32 * 3600 * P.utilization)
    # TPU core-days: 8 cores per device for burden, 2 cores per chip for effective compute
    row = {"training_tpu_model": "TPU v3", "training_time_tpu_core_days": 16.0}
    total, terms, _ = thompson_terms(row, CAT, P)
    v3 = CAT["google-tpu-v3"]
    assert total == pytest.approx(v3.thompson * 16 / 8 * 86400)
    assert terms[0]["effective"] == pytest.approx(16 / 2 * 86400 * v3.tensor16 * P.utilization)


def _extraction(facts: list[dict[str, Any]], runs: list[dict[str, Any]]) -> dict[str, Any]:
    for n, f in enumerate(facts):
        f.setdefault("page", 6)
        f.setdefault("quote", f"fact {n}")
        f.update(char_start=n * 10, char_end=n * 10 + 5)
    return {"pdf": "p.pdf", "sha256": "a" * 64, "pages": 8, "error": None, "extractor_version": "test-1",
            "training_runs": runs, "facts": facts, "results": []}


def _headline(tmp_path: Path, facts: list[dict[str, Any]]) -> tuple[str, float]:
    runs = [{"label": "main", "phase": "pretraining", "accelerator": "google-tpu-v3", "accelerator_text": "TPUv3",
             "count": 8, "count_unit": "tpu_core", "hours": 720.0, "hours_text": "30 days", "page": 3,
             "quote": "8 cores ~30 days", "char_start": 0, "char_end": 9, "confidence": 0.95}]
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        load.upsert_papers(con, [{"paper_id": "2010.11929", "version": 1, "title": "ViT", "categories": ["cs.CV"],
                                  "primary_category": "cs.CV", "published": "2020-10-22T00:00:00Z"}], source="test")
        load.record_document(con, {"sha256": "a" * 64, "paper_id": "2010.11929", "version": 1, "path": "p.pdf",
                                   "bytes": 1})
        load.load_extraction(con, sha256="a" * 64, paper_id="2010.11929", extraction=_extraction(facts, runs))
        refresh_compute_estimates(con)
        method, value = con.execute("SELECT headline_method, headline_compute FROM v_paper_compute").fetchone()
    return method, value


def test_stated_compute_heads_the_papers_estimates(tmp_path: Path) -> None:
    facts = [{"kind": "compute", "value": 2500.0, "unit": "tpu_core_days", "confidence": 0.6,
              "quote": "TPUv3-core-days 2.5k 0.68k [column 1: ViT-H/14]"},
             {"kind": "compute", "value": 9900.0, "unit": "tpu_core_days", "confidence": 0.3,
              "quote": "TPUv3-core-days 2.5k 0.68k 9.9k [column 3]"}]
    method, value = _headline(tmp_path, facts)
    v3 = CAT["google-tpu-v3"]
    assert method == "stated_compute"  # the baseline's 9.9k (0.3) is not the paper's
    assert value == pytest.approx(2500 * 86400 / 2 * v3.tensor16 * P.utilization)


def test_without_a_statement_hardware_time_stays_the_headline(tmp_path: Path) -> None:
    method, _ = _headline(tmp_path, [{"kind": "epochs", "value": 7.0, "unit": "epochs", "confidence": 0.6}])
    assert method == "hardware_time"


@pytest.mark.corpus
def test_vit_table_row_gives_its_own_columns_compute() -> None:
    pdf = SHARED / "corpus" / "pdfs" / "VIT.pdf"
    facts = [f for f in extract_pdf(pdf).to_dict()["facts"] if f["kind"] == "compute"]
    own = sorted(f["value"] for f in facts if f["confidence"] >= 0.5)
    assert own == [230.0, 680.0, 2500.0] and all(f["unit"] == "tpu_core_days" for f in facts)
    assert {f["value"] for f in facts if f["confidence"] < 0.5} == {9900.0, 12300.0}  # BiT-L, Noisy Student


def test_extrapolated_compute_is_priced_as_effective_compute_with_a_utilisation_range() -> None:
    h100 = CAT["nvidia-h100"]
    conv = compute_to_cost(1e24, "estimated_compute", CAT, P)
    assert conv is not None
    assert conv.chip_hours == pytest.approx(1e24 / (h100.tensor16 * P.utilization) / 3600)
    assert conv.usd_low < conv.usd < conv.usd_high and conv.kg_co2e_low < conv.kg_co2e < conv.kg_co2e_high
    assert conv.usd_high / conv.usd == pytest.approx(P.utilization / (P.utilization - P.utilization_spread))
    assert "FP16/BF16 tensor peak x utilisation 0.4 (range 0.3-0.5)" in conv.basis
    # burden counts the peak operations of its day's hardware: not priced as if a chip of today did them
    assert compute_to_cost(1e24, "hardware_burden", CAT, P) is None
