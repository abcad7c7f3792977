"""The shipped reference data (catalog, prices, benchmark registry) is seeded when it changed, not on
every open: an open of an up-to-date warehouse writes nothing (issue 17)."""

from __future__ import annotations

from pathlib import Path

import warehouse
from warehouse.seed import seed_reference_data, shipped_digest


def test_a_second_open_does_not_reseed(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with warehouse.connect(path) as con:
        rows = con.execute("SELECT count(*) FROM hardware").fetchone()[0]
        stamp = con.execute("SELECT digest, seeded_at FROM reference_seed").fetchone()
    assert rows > 50 and stamp[0] == shipped_digest()
    with warehouse.connect(path) as con:
        assert seed_reference_data(con) is False  # up to date: nothing written
        again = con.execute("SELECT digest, seeded_at FROM reference_seed").fetchone()
        assert again == stamp
        assert con.execute("SELECT count(*) FROM benchmarks").fetchone()[0] >= 30


def test_changed_shipped_data_is_seeded_again(tmp_path: Path) -> None:
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        con.execute("UPDATE reference_seed SET digest = 'an older catalog'")
        con.execute("DELETE FROM hardware")
        assert seed_reference_data(con) is True
        assert con.execute("SELECT count(*) FROM hardware").fetchone()[0] > 50
