"""Fixtures of the reference-source tests: a fresh warehouse file and the shared reference folders."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import warehouse


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = warehouse.connect(tmp_path / "w.duckdb")
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def reference_dir(shared_dir: Path) -> Path:
    return shared_dir / "reference"
