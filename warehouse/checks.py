"""The catalog and methods checked against the reference sources, row by row.

* Thompson et al.: their `hardware_burden` recomputed from their processor names resolved through this
  catalog (never their `*_ptp_gflops` columns), under their conventions: amounts in the units they
  count (Cloud TPU devices, K80 boards), TPU core-days converted at 8 cores per device.
* Epoch AI: for rows with hardware, quantity and hours, the hardware-time estimate beside their
  `Training compute (FLOP)`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb

from warehouse import sql_accounting as sql
from warehouse.accounting import AccountingParams, hardware_burden, hardware_time, thompson_peak
from warehouse.bulk import bounded_memory, insert_spooled, spool
from warehouse.catalog import Catalog, shipped_catalog
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


def thompson_terms(row: dict[str, Any], catalog: Catalog) -> tuple[float | None, list[dict[str, Any]], str | None]:
    """Their burden recomputed: the sum over phases and processors of amount x unit peak x seconds."""
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


def _thompson_rows(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> Iterator[dict[str, Any]]:
    for model_id, source_file, source_row, benchmark, name, published, record in _fetched(
            con.execute(sql.THOMPSON_ROWS)):
        total, terms, problems = thompson_terms(json.loads(record), catalog)
        ratio = total / published if total and published else None
        within = ratio is not None and abs(ratio - 1) <= 0.10
        reason = None if within else (problems or "same peaks; their amount or time differs from the CSV's")
        yield {"model_id": model_id, "source_file": source_file, "source_row": source_row, "benchmark": benchmark,
               "name": name, "published": published, "recomputed": total, "ratio": ratio, "within_10pct": within,
               "terms": terms, "reason": reason}


def _epoch_rows(con: duckdb.DuckDBPyConnection, catalog: Catalog,
                params: AccountingParams) -> Iterator[dict[str, Any]]:
    for (model_id, source_file, source_row, model, hardware_text, hardware, quantity, hours, precision, domain,
         compute, method, base_model) in _fetched(con.execute(sql.EPOCH_ROWS)):
        names = sorted({h.strip() for h in (hardware or []) if h and h.strip()})
        acc_id = basis = reason = None
        utilization = estimate = low = high = burden = None
        llm = "language" in (domain or "").lower()
        if len(names) != 1:
            reason = "several hardware types: the quantity is not split between them"
        else:
            res = catalog.resolve(names[0])
            acc = catalog.get(res.accelerator)
            if acc is None:
                reason = f"unknown hardware name {names[0]!r}"
            else:
                acc_id = acc.accelerator
                chips = quantity * (res.chips_per_unit or 1)
                est = hardware_time(acc, chips, hours * 3600, precision=precision, llm=llm, params=params)
                hb = hardware_burden(acc, chips, hours * 3600)
                burden = hb.value if hb else None
                if est is None:
                    reason = f"no peak for {acc.accelerator}"
                else:
                    estimate, low, high = est.value, est.low, est.high
                    basis, utilization = est.peak_basis, est.utilization
        ratio = estimate / compute if estimate and compute else None
        if ratio and utilization and not 1 / 3 <= ratio <= 3:
            reason = _epoch_reason(ratio, utilization, method, base_model)
        yield {"model_id": model_id, "source_file": source_file, "source_row": source_row, "model": model,
               "hardware": hardware_text, "accelerator": acc_id, "quantity": quantity, "hours": hours,
               "precision": precision, "peak_basis": basis, "utilization": utilization, "estimate": estimate,
               "estimate_low": low, "estimate_high": high, "epoch_compute": compute, "epoch_method": method,
               "ratio": ratio, "reason": reason, "hardware_burden": burden}


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
        thompson.write_all(_thompson_rows(con, cat))
        epoch.write_all(_epoch_rows(con, cat, params or AccountingParams()))
        with transaction(con):
            con.execute(sql.DELETE_CHECKS[0])
            con.execute(sql.DELETE_CHECKS[1])
            insert_spooled(con, "check_thompson_burden", thompson)
            insert_spooled(con, "check_epoch_compute", epoch)
    thompson_rows, within, epoch_rows, compared, median = con.execute(sql.CHECK_SUMMARY).fetchone() or (0,) * 5
    return CheckSummary(int(thompson_rows), int(within or 0), int(epoch_rows), int(compared or 0),
                        None if median is None else float(median))
