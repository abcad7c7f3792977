"""Reference rows shipped with the package: the hardware catalog, the price table and the benchmark registry."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


def _hardware_rows() -> list[tuple[str, str, list[tuple[Any, ...]]]]:
    """(table, insert statement, rows) of the shipped catalog and price table."""
    catalog = shipped_catalog()
    rows = [(a.accelerator, a.name, a.vendor, a.kind, a.released, a.fp32, a.tf32, a.tensor16, a.fp8, a.memory_gb,
             a.tdp_w, a.chips_per_device, a.pod_chips, a.thompson, a.thompson_unit, list(a.aliases), a.source)
            for a in catalog.accelerators.values()]
    prices = [(p.accelerator, p.effective_date, p.usd_per_chip_hour, p.provider, p.offer, p.source)
              for p in catalog.prices]
    return [("hardware", _INSERT_HARDWARE, rows), ("prices", _INSERT_PRICE, prices)]


def _benchmark_rows() -> list[tuple[str, str, list[tuple[Any, ...]]]]:
    """(table, insert statement, rows) of the benchmark registry (warehouse/data/benchmarks.csv, read by
    extract.registry)."""
    rows = [(b.benchmark, b.name, b.headline_metric, b.higher_is_better, b.error_rule, b.task, b.domain,
             list(b.aliases), b.dataset_pattern, list(b.metric_aliases), b.error_kind, list(b.pwc_tasks),
             list(b.pwc_datasets), b.source) for b in registry()]
    return [("benchmarks", _INSERT_BENCHMARK, rows)]


_SHIPPED = tuple(Path(__file__).with_name("data") / name for name in ("hardware.csv", "prices.csv", "benchmarks.csv"))
_GET = "SELECT digest FROM reference_seed"
_CLEAR = "DELETE FROM reference_seed"
_SET = "INSERT INTO reference_seed VALUES (?, ?)"


def shipped_digest() -> str:
    """sha256 of the shipped catalog, prices and benchmark registry (and of this seeding code)."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in _SHIPPED:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def seed_reference_data(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> bool:
    """Seed the catalog, prices and registry when the shipped files changed since the last seed (or
    ``force``); an open of an up-to-date warehouse reads one row and writes nothing. Returns whether
    it seeded."""
    digest = shipped_digest()
    row = con.execute(_GET).fetchone()
    if not force and row is not None and row[0] == digest:
        return False
    con.execute("BEGIN TRANSACTION")
    try:  # every table and the digest in one transaction: a killed seed leaves the old rows and digest
        for table, insert, rows in (*_hardware_rows(), *_benchmark_rows()):
            con.execute(f"DELETE FROM {table}")
            if rows:
                con.executemany(insert, rows)
        con.execute(_CLEAR)
        con.execute(_SET, [digest, datetime.now(UTC).replace(tzinfo=None)])
        con.execute("COMMIT")
    except Exception:
        rollback(con)
        raise
    return True
