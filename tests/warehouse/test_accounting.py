"""Compute accounting on the shipped catalog: name resolution, each method, ranges and prices."""

from __future__ import annotations

from datetime import date

import pytest

from warehouse.accounting import (
    AccountingParams,
    hardware_burden,
    hardware_time,
    operation_count,
    parameter_tokens,
    precision_peak,
    run_estimates,
)
from warehouse.catalog import shipped_catalog

CAT = shipped_catalog()


@pytest.mark.parametrize(("name", "accelerator", "chips", "status"), [
    ("Tesla V100-SXM2-16GB", "nvidia-v100-sxm2", 1, "resolved"),
    ("V100s", "nvidia-v100s", 1, "resolved"),
    ("TITAN X (Pascal)", "nvidia-titan-x-pascal", 1, "resolved"),
    ("Cloud TPU v3 Pod", "google-tpu-v3", 1024, "resolved"),
    ("TPUv3-8", "google-tpu-v3", 4, "resolved"),
    ("TPU v4-128", "google-tpu-v4", 64, "resolved"),
    ("v5e-16", "google-tpu-v5e", 16, "resolved"),
    ("Cloud TPU v3", "google-tpu-v3", 4, "resolved"),   # Thompson et al.'s unit: a 4-chip device
    ("Google TPU v3", "google-tpu-v3", 1, "resolved"),  # Epoch AI counts chips
    ("2080Ti", "nvidia-rtx-2080-ti", 1, "resolved"),
    ("Geforce RTX 2080 Ti", "nvidia-rtx-2080-ti", 1, "resolved"),
    ("Tesla V100 PCIe 32 GB", "nvidia-v100", 1, "resolved"),
    ("NVIDIA Tesla V100 DGXS 32 GB", "nvidia-v100-sxm2", 1, "resolved"),
    ("NVIDIA H100 SXM5 80GB", "nvidia-h100", 1, "resolved"),
    ("NVIDIA H100 PCIe", "nvidia-h100-pcie", 1, "resolved"),
    ("NVIDIA A100 SXM4 40 GB", "nvidia-a100", 1, "resolved"),
    ("Tesla K80", "nvidia-k80", 1, "resolved"),
    ("Intel Xeon Platinum 8168", "intel-xeon-platinum-8168", 1, "resolved"),
    ("Titan X", "nvidia-titan-x", 1, "ambiguous"),
    ("V100", "nvidia-v100-sxm2", 1, "ambiguous"),
])
def test_names_papers_use_resolve(name: str, accelerator: str, chips: float, status: str) -> None:
    res = CAT.resolve(name)
    assert (res.accelerator, res.chips_per_unit, res.status) == (accelerator, chips, status), res.rule


@pytest.mark.parametrize("name", ["Quantum Annealer 9000", "Radeon 7", "", "GPU", "TPU v9"])
def test_unknown_names_are_reported_not_guessed(name: str) -> None:
    res = CAT.resolve(name)
    assert (res.accelerator, res.status) == (None, "unknown")


def test_catalog_covers_the_field() -> None:
    assert len(CAT.accelerators) >= 40
    assert all(a.source for a in CAT.accelerators.values())
    a100 = CAT["nvidia-a100"]
    assert (a100.fp32, a100.tf32, a100.tensor16) == (19.5e12, 156e12, 312e12)  # dense, not the sparse 624
    assert CAT["nvidia-k80"].chips_per_device == 2 and CAT["google-tpu-v3"].chips_per_device == 4


def test_hardware_burden_uses_thompson_conventions() -> None:
    # GPUs at FP32 (V100 PCIe 14.13, not its 112 tensor peak); TPUs at 420 TFLOPS per 4-chip device
    v100 = hardware_burden(CAT["nvidia-v100"], chips=8, seconds=72 * 3600)
    assert v100 is not None and v100.value == pytest.approx(8 * 14.13e12 * 72 * 3600)
    assert v100.low == v100.high == v100.value and v100.utilization == 1.0
    tpu = hardware_burden(CAT["google-tpu-v3"], chips=4, seconds=3600)
    assert tpu is not None and tpu.value == pytest.approx(420e12 * 3600)
    # Xception's "60 NVIDIA K80 GPUs" for 3 days: Thompson et al. credit each K80 counted with a board's
    # 5.6 TFLOPS (their row: 8.7e19 FLOPs); extraction counts the same 60, so both agree (issue 15)
    k80 = hardware_burden(CAT["nvidia-k80"], chips=60, seconds=3 * 86400)
    assert k80 is not None and k80.value == pytest.approx(8.7e19, rel=0.01)


def test_hardware_time_picks_the_precision_and_brackets_the_unknown() -> None:
    p = AccountingParams()
    acc = CAT["nvidia-a100"]
    fp32 = hardware_time(acc, 8, 3600, precision="fp32", llm=False, params=p)
    mixed = hardware_time(acc, 8, 3600, precision="mixed-precision", llm=False, params=p)
    unknown = hardware_time(acc, 8, 3600, precision=None, llm=False, params=p)
    llm = hardware_time(acc, 8, 3600, precision="bf16", llm=True, params=p)
    assert fp32 and mixed and unknown and llm
    assert fp32.value == pytest.approx(8 * 3600 * 19.5e12 * 0.4)
    assert (fp32.low, fp32.high) == (pytest.approx(8 * 3600 * 19.5e12 * 0.3), pytest.approx(8 * 3600 * 19.5e12 * 0.5))
    assert mixed.value == pytest.approx(8 * 3600 * 312e12 * 0.4)
    assert unknown.value == mixed.value  # Epoch's order: the FP16/BF16 tensor peak
    assert unknown.low == pytest.approx(8 * 3600 * 19.5e12 * 0.3) and unknown.high == pytest.approx(
        8 * 3600 * 312e12 * 0.5)
    assert llm.utilization == 0.3 and llm.value == pytest.approx(8 * 3600 * 312e12 * 0.3)
    assert "0.3" in llm.assumptions and "large language model" in llm.assumptions
    assert precision_peak("FP32,FP16") == "tensor16" and precision_peak("int4") is None


def test_consumer_cards_train_at_fp32_unless_the_paper_says_otherwise() -> None:
    """Issue 15: an RTX 3090 of unknown precision is counted at its 35.6 TFLOPS FP32 peak (as Epoch AI
    does), mixed precision at 71 (FP16 tensor with FP32 accumulate), never the 142 FP16-accumulate peak."""
    p = AccountingParams()
    acc = CAT["nvidia-rtx-3090"]
    unknown = hardware_time(acc, 1, 3600, precision=None, llm=False, params=p)
    mixed = hardware_time(acc, 1, 3600, precision="FP16", llm=False, params=p)
    assert unknown and mixed
    assert unknown.peak_flops == pytest.approx(35.58e12) and "usual training precision" in unknown.assumptions
    assert unknown.high == pytest.approx(3600 * 71e12 * 0.5)  # the range still reaches mixed precision
    assert mixed.peak_flops == pytest.approx(71e12)
    assert all(a.tensor16 is None or a.tensor16 < 200e12 for a in CAT.accelerators.values() if "GeForce" in a.name
               and a.released and a.released.year < 2022)
    # a data-centre part keeps Epoch's order: the tensor peak
    v100 = hardware_time(CAT["nvidia-v100-sxm2"], 1, 3600, precision=None, llm=False, params=p)
    assert v100 and v100.peak_flops == pytest.approx(125e12)


def test_a_bare_v100_is_the_sxm2_part_but_burden_keeps_thompsons_figure() -> None:
    res = CAT.resolve("8 V100 GPUs".replace("8 ", ""))
    assert (res.accelerator, res.status) == ("nvidia-v100-sxm2", "ambiguous") and "SXM2 assumed" in res.rule
    assert CAT.resolve("Tesla V100-PCIE-16GB").accelerator == "nvidia-v100"
    burden = hardware_burden(CAT["nvidia-v100-sxm2"], chips=1, seconds=1)
    assert burden is not None and burden.value == pytest.approx(14.13e12)  # Thompson et al.'s V100 figure


def test_operation_counts() -> None:
    p = AccountingParams()
    # CvT-W24 (METHODOLOGY §2): 1.93e11 x 3 x 300 x 1.28e6 = 2.22e20
    cvt = operation_count(1.93e11, 300, 1.28e6, p, {})
    assert cvt.value == pytest.approx(2.22e20, rel=0.01)
    assert cvt.low == pytest.approx(cvt.value * 2 / 3) and cvt.high == pytest.approx(cvt.value * 4 / 3)
    assert parameter_tokens(175e9, 300e9, p, {}).value == pytest.approx(6 * 175e9 * 300e9)


def test_cost_energy_and_co2_of_a_run() -> None:
    p = AccountingParams()
    ests = {e.method: e for e in run_estimates(CAT, "nvidia-v100", 8, 72, precision=None, llm=False,
                                               on=date(2019, 6, 1), params=p)}
    assert set(ests) == {"hardware_burden", "hardware_time", "cost", "energy", "co2"}
    cost = ests["cost"]
    price = cost.inputs["usd_per_chip_hour"]
    assert cost.value == pytest.approx(8 * 72 * price) and cost.low <= cost.value <= cost.high
    assert date.fromisoformat(cost.inputs["price_date"]) <= date(2019, 6, 1) and cost.inputs["price_source"]
    tdp = CAT["nvidia-v100"].tdp_w
    assert tdp and ests["energy"].value == pytest.approx(8 * 72 * tdp / 1000 * 1.58)
    assert ests["co2"].value == pytest.approx(ests["energy"].value * 0.429)
    assert ests["co2"].low < ests["co2"].value < ests["co2"].high
    # a consumer GPU nobody rents: no cost, rather than a guess
    gtx = {e.method for e in run_estimates(CAT, "nvidia-gtx-580", 2, 144, precision=None, llm=False,
                                           on=date(2012, 6, 1), params=p)}
    assert "cost" not in gtx and "hardware_burden" in gtx


def test_parameters_are_validated() -> None:
    with pytest.raises(ValueError, match="PUE"):
        AccountingParams(pue=0.9, pue_low=0.9)
    with pytest.raises(ValueError, match="utilization"):
        AccountingParams(utilization=1.5)


def test_every_accelerator_the_extractor_names_is_in_the_catalog() -> None:
    from extract.names import ACCELERATORS

    generic = {"google-tpu", "cpu"}  # a TPU of unstated generation, an unnamed CPU: reported as unresolved
    assert sorted(ACCELERATORS - generic - set(CAT.accelerators)) == []
