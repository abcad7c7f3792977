"""The README documents every command, every option and every analyst view (issue 14): a new one that
is not documented fails here, as sqlite-utils' documentation tests do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

import warehouse
from flows.cli import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands(command: Any, path: list[str]) -> Iterator[tuple[str, Any]]:
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name, sub in subcommands.items():
            yield from _commands(sub, [*path, name])
    else:
        yield "compute-limits " + " ".join(path), command


COMMANDS = list(_commands(get_command(app), []))


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_and_option_is_in_the_readme(name: str, command: Any) -> None:
    assert name in README
    options = {o for p in command.params for o in p.opts if o.startswith("--") and o != "--help"}
    assert sorted(o for o in options if o not in README) == []


def test_every_analyst_view_is_in_the_readme(tmp_path: Path) -> None:
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        views = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
    assert len(views) >= 10
    assert sorted(v for v in views if f"`{v}`" not in README) == []
