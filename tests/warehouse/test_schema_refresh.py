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


def test_every_view_has_one_body_in_views_sql() -> None:
    """Issue 17: migrations hold tables, data and macros; each view is defined once, in views.sql."""
    import re

    from warehouse.migrations import VIEWS, available_migrations

    assert not [m.name for m in available_migrations() if re.search(r"(?i)\bCREATE\s+(OR\s+REPLACE\s+)?VIEW\b", m.sql)]
    names = re.findall(r"(?i)CREATE OR REPLACE VIEW (\w+) AS", VIEWS.read_text(encoding="utf-8"))
    assert len(names) == len(set(names)) >= 20


def test_views_are_recreated_only_when_views_sql_changes(tmp_path: Path) -> None:
    from warehouse.migrations import refresh_views

    with warehouse.connect(tmp_path / "w.duckdb") as con:
        assert refresh_views(con) is False
        con.execute("UPDATE schema_views SET digest = 'older views'")
        con.execute("CREATE OR REPLACE VIEW v_papers AS SELECT 1 AS stale")
        assert refresh_views(con) is True
        assert "paper_id" in [d[0] for d in con.execute("DESCRIBE v_papers").fetchall()]
