"""The catalog and methods checked against the reference sources, row by row.

* Thompson et al.: their `hardware_burden` recomputed from their processor names resolved through this
  catalog (never their `*_ptp_gflops` columns), under their conventions: amounts in the units they
  count (Cloud TPU devices, K80 boards), TPU core-days converted at 8 cores per device.
* Epoch AI: for rows with hardware, quantity and hours, the hardware-time estimate beside their
  `Training compute (FLOP)`, and re-run at Epoch's own utilisation for the row (their MFU column, else
  the one their compute notes state) so that their hardware-method rows compare like with like.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb

from warehouse import sql_accounting as sql
from warehouse.accounting import AccountingParams, Estimate, hardware_burden, hardware_time, thompson_peak
from warehouse.bulk import bounded_memory, insert_spooled, spool
from warehouse.catalog import Accelerator, Catalog, shipped_catalog
from warehouse.load import transaction

PHASES = ("training", "pretraining", "finetuning")
PROCESSORS = ("gpu", "tpu", "cpu")
CORES_PER_DEVICE = 8  # Cloud TPU v2/v3 device: 4 chips, 8 cores (METHODOLOGY §2)


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


@dataclass(frozen=True, slots=True)
class CheckSummary:
    thompson_rows: int
    thompson_within_10pct: int
    epoch_rows: int
    epoch_compared: int
    epoch_median_ratio: float | None
    epoch_hardware_rows: int = 0        # Epoch's hardware-method rows with no base model
    epoch_hardware_within_2x: int = 0   # ... whose estimate at their utilisation is within 2x of theirs
    epoch_hardware_within_25pct: int = 0
    epoch_hardware_only_rows: int = 0   # ... whose figure is from the hardware method alone (not also counted)
    epoch_hardware_only_within_2x: int = 0
    epoch_hardware_only_within_25pct: int = 0


# "0.3 [assumed utilization]", "40% utilization", "Utilization rate: 40%", "assuming 30% utilisation",
# "utilization of 0.35", "MFU of 45%": a utilisation Epoch's compute notes state, next to the word.
_NUMBER = r"(\d{1,3}(?:\.\d+)?|\.\d+)(?![\d.eE×*^])\s*(%|percent)?"
_BEFORE = re.compile(_NUMBER + r"\s*[\[(]?\s*(?:assumed\s+|estimated\s+)?(?:hardware\s+|model\s+flops\s+)?"
                     r"(?:utili[sz]ation|mfu)\b", re.IGNORECASE)
_AFTER = re.compile(r"\b(?:utili[sz]ation|mfu)(?:\s+rate)?\s*(?:of|is|=|:|at)?\s*(?:~|about\s+|approx\.?\s+)?"
                    + _NUMBER, re.IGNORECASE)


# "312000000000000*8*168*3600*0.3 = 4.5e20": Epoch's hardware method written out as a product of plain
# numbers; its one factor below 1 is the utilisation.
_FACTOR = r"\(?\s*(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?\s*\)?"
_PRODUCT = re.compile(rf"{_FACTOR}(?:\s*[*×x]\s*{_FACTOR}){{3,}}", re.IGNORECASE)


def _product_utilization(notes: str) -> set[float]:
    found = set()
    for m in _PRODUCT.finditer(notes):
        factors = [float(f.strip("() ").replace(",", "")) for f in re.split(r"\s*[*×x]\s*", m.group(0).lower())]
        small = [f for f in factors if 0 < f < 1]
        if len(small) == 1 and max(factors) >= 1e11:  # one fraction beside a peak in FLOP/s
            found.add(round(small[0], 4))
    return found


def stated_utilization(notes: str | None) -> float | None:
    """The one utilisation a free-text note states (a fraction), or None when it states none or several."""
    found = set()
    for pattern in (_BEFORE, _AFTER):
        for m in pattern.finditer(notes or ""):
            value = float(m.group(1)) / (100 if m.group(2) or float(m.group(1)) > 1 else 1)
            if 0 < value <= 1:
                found.add(round(value, 4))
    if not found:
        found = _product_utilization(notes or "")
    return found.pop() if len(found) == 1 else None


def epoch_utilization(column: Any, notes: str | None) -> tuple[float | None, str | None]:
    """Epoch's own utilisation for a row: their MFU column, else the one their compute notes state."""
    value = _num(column)
    if value is not None and 0 < value <= 1:
        return value, "column"
    stated = stated_utilization(notes)
    return (stated, "notes") if stated is not None else (None, None)


def _effective(acc: Accelerator, amount: float, seconds: float | None, core_days: float | None,
               params: AccountingParams) -> Estimate | None:
    """One term's effective compute: chips x usual-precision peak x seconds x default utilisation.

    Counted as the extraction counts a paper's words, so that both sources' points of one regression
    agree: a Cloud TPU device (Thompson et al.'s TPU unit) is its chips; "60 K80 GPUs" are 60 GPUs at a
    GPU's own peak (half a board; their burden credits each a whole board). TPU core-days become
    chip-seconds at the device's cores per chip."""
    if core_days and not seconds and acc.kind == "tpu":
        chips, seconds = 1.0, core_days * 86400 / (CORES_PER_DEVICE / acc.chips_per_device)
    elif seconds:
        chips = amount * (acc.chips_per_device if acc.kind == "tpu" else 1.0)
    else:
        return None
    return hardware_time(acc, chips, seconds, precision=None, llm=False, params=params)


def thompson_terms(row: dict[str, Any], catalog: Catalog, params: AccountingParams | None = None
                   ) -> tuple[float | None, list[dict[str, Any]], str | None]:
    """Their burden recomputed: the sum over phases and processors of amount x unit peak x seconds.

    Each term also carries its effective compute (`_effective`) when the catalog has a peak for it."""
    params = params or AccountingParams()
    total, terms, problems = 0.0, [], []
    for phase in PHASES:
        seconds = _num(row.get(f"{phase}_time_total_sec"))
        core_days = _num(row.get(f"{phase}_time_tpu_core_days"))
        for proc in PROCESSORS:
            name = row.get(f"{phase}_{proc}_model")
            if not name:
                continue
            res = catalog.resolve(name)
            term: dict[str, Any] = {"phase": phase, "processor": proc, "name": name, "accelerator": res.accelerator,
                                    "their_gflops": _num(row.get(f"{phase}_{proc}_ptp_gflops"))}
            acc = catalog.get(res.accelerator)
            if acc is None:
                problems.append(f"unknown hardware name {name!r}")
                terms.append(term)
                continue
            peak = thompson_peak(acc)
            unit_peak = acc.thompson if acc.thompson else (peak[0] * acc.chips_per_device if peak and
                                                           acc.kind == "tpu" else (peak[0] if peak else None))
            amount = _num(row.get(f"{phase}_{proc}_amount")) or 1.0
            term.update(unit_peak_gflops=unit_peak / 1e9 if unit_peak else None, amount=amount)
            eff = _effective(acc, amount, seconds, core_days, params)
            if eff is not None:
                term.update(effective=eff.value, effective_low=eff.low, effective_high=eff.high,
                            effective_basis=eff.peak_basis, effective_utilization=eff.utilization)
            if unit_peak is None:
                problems.append(f"no peak for {acc.accelerator}")
            elif proc == "tpu" and core_days and not seconds:
                device_seconds = core_days / CORES_PER_DEVICE * 86400
                term.update(device_seconds=device_seconds)
                total += unit_peak * device_seconds
            elif seconds:
                term.update(seconds=seconds)
                total += amount * unit_peak * seconds
            else:
                problems.append(f"no time for {phase}")
            if term["their_gflops"] and unit_peak and abs(unit_peak / 1e9 / term["their_gflops"] - 1) > 0.1:
                problems.append(f"{name!r}: they credit {term['their_gflops']:g} GFLOPS, catalog "
                                f"{unit_peak / 1e9:g} ({acc.accelerator})")
            terms.append(term)
    return (total or None), terms, "; ".join(problems) or None


def _fetched(cursor: duckdb.DuckDBPyConnection, batch: int = 5000) -> Iterator[tuple[Any, ...]]:
    while chunk := cursor.fetchmany(batch):
        yield from chunk


def _effective_total(terms: list[dict[str, Any]]) -> dict[str, Any]:
    """The row's effective compute: the sum of its terms', when every term with hardware has one."""
    with_hw = [t for t in terms if t.get("accelerator")]
    if not with_hw or any("effective" not in t for t in with_hw):
        return {"effective_compute": None, "effective_compute_low": None, "effective_compute_high": None,
                "effective_basis": None}
    bases = sorted({f"{t['effective_basis']} x {t['effective_utilization']:g}" for t in with_hw})
    return {"effective_compute": sum(t["effective"] for t in with_hw),
            "effective_compute_low": sum(t["effective_low"] for t in with_hw),
            "effective_compute_high": sum(t["effective_high"] for t in with_hw),
            "effective_basis": "; ".join(bases)}


def _thompson_rows(con: duckdb.DuckDBPyConnection, catalog: Catalog,
                   params: AccountingParams) -> Iterator[dict[str, Any]]:
    for model_id, source_file, source_row, benchmark, name, published, record in _fetched(
            con.execute(sql.THOMPSON_ROWS)):
        total, terms, problems = thompson_terms(json.loads(record), catalog, params)
        ratio = total / published if total and published else None
        within = ratio is not None and abs(ratio - 1) <= 0.10
        reason = None if within else (problems or "same peaks; their amount or time differs from the CSV's")
        yield {"model_id": model_id, "source_file": source_file, "source_row": source_row, "benchmark": benchmark,
               "name": name, "published": published, "recomputed": total, "ratio": ratio, "within_10pct": within,
               "terms": terms, "reason": reason, **_effective_total(terms)}


def _epoch_rows(con: duckdb.DuckDBPyConnection, catalog: Catalog,
                params: AccountingParams) -> Iterator[dict[str, Any]]:
    for (model_id, source_file, source_row, model, hardware_text, hardware, quantity, hours, precision, domain,
         compute, method, base_model, mfu, notes) in _fetched(con.execute(sql.EPOCH_ROWS)):
        names = sorted({h.strip() for h in (hardware or []) if h and h.strip()})
        acc_id = basis = reason = None
        utilization = estimate = low = high = burden = None
        llm = "language" in (domain or "").lower()
        chips_of = {catalog.resolve(n).accelerator for n in names}  # "A100 SXM4 40 GB,A100 SXM4 80 GB": one
        if len(names) != 1 and (len(chips_of) != 1 or None in chips_of):
            reason = "several hardware types: the quantity is not split between them"
        else:
            res = catalog.resolve(names[0])
            acc = catalog.get(res.accelerator)
            if acc is None:
                reason = f"unknown hardware name {names[0]!r}"
            else:
                acc_id = acc.accelerator
                # Epoch's hardware rows are boards where a board holds several GPUs ("NVIDIA Tesla K80")
                board = acc.chips_per_device if acc.thompson_unit == "board" else 1.0
                chips = quantity * (res.chips_per_unit or 1) * board
                est = hardware_time(acc, chips, hours * 3600, precision=precision, llm=llm, params=params)
                hb = hardware_burden(acc, chips, hours * 3600)
                burden = hb.value if hb else None
                if est is None:
                    reason = f"no peak for {acc.accelerator}"
                else:
                    estimate, low, high = est.value, est.low, est.high
                    basis, utilization = est.peak_basis, est.utilization
        ratio = estimate / compute if estimate and compute else None
        theirs, theirs_from = epoch_utilization(mfu, notes)
        matched = ratio * theirs / utilization if ratio and utilization and theirs else ratio
        if ratio and utilization and not 1 / 3 <= ratio <= 3:
            reason = _epoch_reason(ratio, utilization, method, base_model)
        yield {"model_id": model_id, "source_file": source_file, "source_row": source_row, "model": model,
               "hardware": hardware_text, "accelerator": acc_id, "quantity": quantity, "hours": hours,
               "precision": precision, "peak_basis": basis, "utilization": utilization, "estimate": estimate,
               "estimate_low": low, "estimate_high": high, "epoch_compute": compute, "epoch_method": method,
               "ratio": ratio, "reason": reason, "hardware_burden": burden, "epoch_utilization": theirs,
               "epoch_utilization_source": theirs_from, "ratio_at_their_utilization": matched,
               "base_model": base_model}


def _epoch_reason(ratio: float, utilization: float, method: str | None, base_model: str | None) -> str:
    """Why an Epoch row is far off: what utilisation would reconcile it, and what Epoch counted."""
    parts = [f"their compute implies utilisation {utilization / ratio:.2g} of the peak used"]
    if base_model and ratio < 1:
        parts.append(f"Epoch's figure includes the base model's pretraining ({base_model})")
    if method:
        parts.append(f"Epoch method: {method}")
    return "; ".join(parts)


def refresh_reference_checks(con: duckdb.DuckDBPyConnection, params: AccountingParams | None = None,
                             catalog: Catalog | None = None) -> CheckSummary:
    """Recompute both checks from whatever Thompson and Epoch rows the warehouse holds.

    Rows are read in batches and spooled (warehouse.bulk), so a million reference rows cost no more
    memory than a hundred."""
    cat = catalog or shipped_catalog()
    with spool(con) as thompson, spool(con) as epoch, bounded_memory(con):
        p = params or AccountingParams()
        thompson.write_all(_thompson_rows(con, cat, p))
        epoch.write_all(_epoch_rows(con, cat, p))
        with transaction(con):
            con.execute(sql.DELETE_CHECKS[0])
            con.execute(sql.DELETE_CHECKS[1])
            insert_spooled(con, "check_thompson_burden", thompson)
            insert_spooled(con, "check_epoch_compute", epoch)
    row = con.execute(sql.CHECK_SUMMARY).fetchone()
    assert row is not None  # an aggregate query returns one row
    thompson_rows, within, epoch_rows, compared, median, *hardware = row
    return CheckSummary(int(thompson_rows), int(within or 0), int(epoch_rows), int(compared or 0),
                        None if median is None else float(median), *(int(n or 0) for n in hardware))
