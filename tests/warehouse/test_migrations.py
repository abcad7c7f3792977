from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import warehouse
from warehouse.migrations import apply_migrations, available_migrations


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    con = warehouse.connect(db)
    versions = [m.version for m in available_migrations()]
    assert con.execute("select version from schema_migrations order by 1").fetchall() == [(v,) for v in versions]
    assert apply_migrations(con) == []  # nothing left to apply
    con.close()
    con = warehouse.connect(db)  # reopen: still one row per migration
    assert con.execute("select count(*) from schema_migrations").fetchone() == (len(versions),)


def test_schema_has_the_documented_tables_and_views(tmp_path: Path) -> None:
    con = warehouse.connect(tmp_path / "w.duckdb")
    names = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    for expected in ["papers", "documents", "facts", "training_runs", "results", "hardware",
                     "compute_estimates", "fits", "ingest_runs", "errors", "v_papers",
                     "v_training_compute", "v_benchmark_points", "prices", "overrides", "hardware_names",
                     "check_thompson_burden", "check_epoch_compute", "v_effective_runs", "v_paper_facts",
                     "v_overrides", "v_unresolved_hardware", "v_paper_compute", "v_source_comparison"]:
        assert expected in names


def test_hardware_catalog_is_seeded_with_peaks(tmp_path: Path) -> None:
    con = warehouse.connect(tmp_path / "w.duckdb")
    v100 = con.execute("select fp32_flops, thompson_flops from hardware where accelerator = 'nvidia-v100'")
    assert v100.fetchone() == (pytest.approx(14.13e12), pytest.approx(14.13e12))
    tpu = con.execute("select thompson_flops, thompson_unit, chips_per_device, tensor16_flops from hardware "
                      "where accelerator = 'google-tpu-v3'").fetchone()
    assert tpu == (pytest.approx(420e12), "device", 4.0, pytest.approx(123e12))  # 420 per 4-chip device
    assert con.execute("select count(*) from hardware").fetchone()[0] >= 40
    assert con.execute("select count(*) from hardware where source = ''").fetchone() == (0,)
    assert con.execute("select count(*) from prices").fetchone()[0] >= 10


def test_read_only_connection_refuses_writes(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    warehouse.connect(db).close()
    con = warehouse.connect_read_only(db)
    with pytest.raises(duckdb.Error):
        con.execute("delete from papers")


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(warehouse.WarehouseError, match="does not exist"):
        warehouse.connect_read_only(tmp_path / "absent.duckdb")
