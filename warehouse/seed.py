"""Reference rows shipped with the package: the hardware catalog."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources

import duckdb

_UPSERT_HARDWARE = """
INSERT INTO hardware (accelerator, name, vendor, kind, released, fp32_flops, tensor_flops,
                      thompson_flops, aliases, source)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (accelerator) DO UPDATE SET
    name = excluded.name, vendor = excluded.vendor, kind = excluded.kind,
    released = excluded.released, fp32_flops = excluded.fp32_flops,
    tensor_flops = excluded.tensor_flops, thompson_flops = excluded.thompson_flops,
    aliases = excluded.aliases, source = excluded.source
"""


def _tflops(text: str) -> float | None:
    return float(text) * 1e12 if text.strip() else None


def hardware_rows() -> list[tuple[object, ...]]:
    """The catalog from `warehouse/data/hardware.csv` (peaks in TFLOP/s per chip, dense)."""
    text = resources.files("warehouse").joinpath("data/hardware.csv").read_text("utf-8")
    rows = []
    for rec in csv.DictReader(text.splitlines()):
        rows.append((
            rec["accelerator"], rec["name"], rec["vendor"], rec["kind"],
            date.fromisoformat(rec["released"]) if rec["released"] else None,
            _tflops(rec["fp32_tflops"]), _tflops(rec["tensor_tflops"]), _tflops(rec["thompson_tflops"]),
            [a for a in rec["aliases"].split("|") if a], rec["source"],
        ))
    return rows


def seed_hardware(con: duckdb.DuckDBPyConnection) -> int:
    """Upsert the shipped catalog (idempotent); returns the number of rows."""
    rows = hardware_rows()
    con.executemany(_UPSERT_HARDWARE, rows)
    return len(rows)
