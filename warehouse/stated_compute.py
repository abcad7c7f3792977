"""Compute a paper states, as FLOPs: "2.5k TPUv3-core-days", "500K GPU hours", "60 petaflop/s-days".

Epoch AI use a compute the paper states before any estimate of their own; so does this warehouse
(`stated_compute` heads the paper's estimates). The extractor reads the amount and its unit
(`extract.model_facts.compute_unit`: pf_days, or <device>_[core_]<hours|days>); here it becomes FLOPs:

* petaflop/s-days are work already counted: amount x 1e15 FLOP/s x 86,400 s, no utilisation;
* accelerator time is chip-time x the chip's peak at the paper's precision x utilisation, as Epoch's
  hardware-time method (the paper's own MFU when it states one). The chip is the one the sentence names
  ("TPUv3-core-days", "V100 GPU hours"), else the paper's main training accelerator when it is of the
  same kind. TPU core-time becomes chip-time at the chip's TensorCores (two per TPU v2/v3/v4 chip).
  A stated amount with no chip to price it gives no estimate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from warehouse.accounting import AccountingParams, Estimate, hardware_time
from warehouse.catalog import Accelerator, Catalog

PF_DAY_FLOP = 1e15 * 86400
PERIOD_SECONDS = {"hours": 3600.0, "days": 86400.0}
TENSORCORES_PER_CHIP = {"google-tpu-v2": 2, "google-tpu-v3": 2, "google-tpu-v4": 2}

# A chip named in the sentence: "TPUv3", "TPU v4", "V100", "A100", "H100", "P100", "RTX 3090" ...
_TPU = re.compile(r"(?i)\bTPU\s*-?\s*(v\d[a-z]?)")
_GPU = re.compile(r"(?i)\b((?:Tesla\s+)?[AHVPKT]\d{2,3}[A-Za-z]?|RTX\s*\d{4}(?:\s*Ti)?|GTX\s*\d{3,4}(?:\s*Ti)?"
                  r"|Titan\s*(?:X[pP]?|V|RTX))\b")


@dataclass(frozen=True, slots=True)
class StatedCompute:
    """One compute statement as the extractor recorded it."""

    amount: float
    unit: str          # pf_days | <device>_[core_]<hours|days>
    quote: str
    page: int | None
    fact_id: str


def _device(unit: str) -> tuple[str, bool, str] | None:
    """("tpu", True, "days") of "tpu_core_days"; None when the unit is not accelerator time."""
    parts = unit.split("_")
    if len(parts) not in (2, 3) or parts[-1] not in PERIOD_SECONDS:
        return None
    return parts[0], len(parts) == 3 and parts[1] == "core", parts[-1]


def named_chip(quote: str, device: str, catalog: Catalog) -> Accelerator | None:
    """The accelerator of the device kind the quote names, when it names one the catalog knows."""
    pattern = _TPU if device == "tpu" else _GPU
    for m in pattern.finditer(quote):
        name = f"TPU {m.group(1)}" if device == "tpu" else m.group(1)
        acc = catalog.get(catalog.resolve(name).accelerator)
        if acc is not None and (device == "chip" or acc.kind == device):
            return acc
    return None


def stated_estimate(stated: StatedCompute, catalog: Catalog, main: Accelerator | None, *, precision: str | None,
                    llm: bool, utilization: float | None, params: AccountingParams) -> Estimate | None:
    """FLOPs of one compute statement, or None when it cannot be priced."""
    inputs = {"amount": stated.amount, "unit": stated.unit, "fact_id": stated.fact_id, "page": stated.page}
    if stated.unit == "pf_days":
        flops = stated.amount * PF_DAY_FLOP
        return Estimate("stated_compute", "FLOP", flops, flops, flops,
                        f"compute stated by the paper: {stated.amount:g} petaflop/s-days x 1e15 FLOP/s x 86400 s "
                        "(work counted by the authors; no utilisation, no range)", inputs)
    device = _device(stated.unit)
    if device is None:
        return None
    kind, core, period = device
    acc = named_chip(stated.quote, kind, catalog)
    if acc is None and main is not None and (kind == "chip" or main.kind == kind):
        acc = main
    if acc is None:
        return None
    chip_seconds = stated.amount * PERIOD_SECONDS[period] / (TENSORCORES_PER_CHIP.get(acc.accelerator, 1)
                                                             if core else 1)
    est = hardware_time(acc, 1.0, chip_seconds, precision=precision, llm=llm, params=params,
                        utilization=utilization)
    if est is None:
        return None
    per = f" / {TENSORCORES_PER_CHIP.get(acc.accelerator, 1)} cores per chip" if core else ""
    return Estimate("stated_compute", "FLOP", est.value, est.low, est.high,
                    f"compute stated by the paper: {stated.amount:g} {stated.unit.replace('_', '-')} on {acc.name}"
                    f"{per} = {chip_seconds / 3600:.4g} chip-hours; {est.assumptions}",
                    {**inputs, **est.inputs, "accelerator": acc.accelerator}, est.peak_flops, est.peak_basis,
                    est.utilization)


def largest_stated(statements: list[StatedCompute], catalog: Catalog, main: Accelerator | None, *,
                   precision: str | None, llm: bool, utilization: float | None,
                   params: AccountingParams) -> Estimate | None:
    """The largest of a paper's priced compute statements: its biggest model's training, as a paper's
    largest run is (smaller statements are ablations or smaller models of the same paper)."""
    estimates = [e for s in statements
                 if (e := stated_estimate(s, catalog, main, precision=precision, llm=llm, utilization=utilization,
                                          params=params)) is not None]
    return max(estimates, key=lambda e: e.value, default=None)
