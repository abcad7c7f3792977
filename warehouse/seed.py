"""Reference rows shipped with the package: the hardware catalog and the price table."""

from __future__ import annotations

import duckdb

from warehouse.catalog import shipped_catalog
from warehouse.txn import rollback

_INSERT_HARDWARE = """
INSERT INTO hardware (accelerator, name, vendor, kind, released, fp32_flops, tf32_flops, tensor16_flops,
                      fp8_flops, memory_gb, tdp_w, chips_per_device, pod_chips, thompson_flops, thompson_unit,
                      aliases, source)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_PRICE = "INSERT INTO prices VALUES (?, ?, ?, ?, ?, ?)"


def seed_hardware(con: duckdb.DuckDBPyConnection) -> int:
    """Replace the catalog and price rows with the shipped files (idempotent); returns catalog rows."""
    catalog = shipped_catalog()
    rows = [(a.accelerator, a.name, a.vendor, a.kind, a.released, a.fp32, a.tf32, a.tensor16, a.fp8, a.memory_gb,
             a.tdp_w, a.chips_per_device, a.pod_chips, a.thompson, a.thompson_unit, list(a.aliases), a.source)
            for a in catalog.accelerators.values()]
    prices = [(p.accelerator, p.effective_date, p.usd_per_chip_hour, p.provider, p.offer, p.source)
              for p in catalog.prices]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM hardware")
        con.execute("DELETE FROM prices")
        con.executemany(_INSERT_HARDWARE, rows)
        if prices:
            con.executemany(_INSERT_PRICE, prices)
        con.execute("COMMIT")
    except Exception:
        rollback(con)
        raise
    return len(rows)
