"""Reference rows shipped with the package: the hardware catalog, the price table and the benchmark registry."""

from __future__ import annotations

import duckdb

from extract.registry import registry
from warehouse.catalog import shipped_catalog
from warehouse.txn import rollback

_INSERT_HARDWARE = """
INSERT INTO hardware (accelerator, name, vendor, kind, released, fp32_flops, tf32_flops, tensor16_flops,
                      fp8_flops, memory_gb, tdp_w, chips_per_device, pod_chips, thompson_flops, thompson_unit,
                      aliases, source)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_PRICE = "INSERT INTO prices VALUES (?, ?, ?, ?, ?, ?)"
_INSERT_BENCHMARK = """
INSERT INTO benchmarks (benchmark, name, headline_metric, higher_is_better, error_rule, task, domain, aliases,
                        dataset_pattern, metric_aliases, error_kind, pwc_tasks, pwc_datasets, source)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


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


def seed_benchmarks(con: duckdb.DuckDBPyConnection) -> int:
    """Replace the `benchmarks` rows with the registry (warehouse/data/benchmarks.csv, read by
    extract.registry; idempotent); returns the rows."""
    rows = [(b.benchmark, b.name, b.headline_metric, b.higher_is_better, b.error_rule, b.task, b.domain,
             list(b.aliases), b.dataset_pattern, list(b.metric_aliases), b.error_kind, list(b.pwc_tasks),
             list(b.pwc_datasets), b.source) for b in registry()]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM benchmarks")
        con.executemany(_INSERT_BENCHMARK, rows)
        con.execute("COMMIT")
    except Exception:
        rollback(con)
        raise
    return len(rows)
