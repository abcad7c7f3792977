"""Options shared by the commands (--db, --json) and checks of command-line values that fail before any
work, with one line naming the option."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from flows.settings import DASK_MISSING, Settings, dask_installed


def since_date(value: str | None) -> str | None:
    """``--since``: a real calendar date written YYYY-MM-DD."""
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"must be a date YYYY-MM-DD, got {value!r}") from None
    return value


def one_of(*allowed: str) -> Callable[[str | None], str | None]:
    """A callback accepting only ``allowed`` values (or no value)."""

    def check(value: str | None) -> str | None:
        if value is not None and value not in allowed:
            raise typer.BadParameter(f"must be {' or '.join(allowed)}, got {value!r}")
        return value

    return check


def task_runner_option(value: str | None) -> str | None:
    """--task-runner: threads or dask; dask only where its extra is installed."""
    value = one_of("threads", "dask")(value)
    if value == "dask" and not dask_installed():
        raise typer.BadParameter(DASK_MISSING)
    return value


DbOption = Annotated[Path | None, typer.Option("--db", help="warehouse file (env COMPUTE_LIMITS_DB)")]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table")]


def settings_for(db: Path | None) -> Settings:
    """The settings, with ``--db`` when given (else the environment's, else the default)."""
    return Settings(db=db) if db is not None else Settings()
