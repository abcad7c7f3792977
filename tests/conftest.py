"""Shared test fixtures: paths, the `corpus` marker, the fixture server, Prefect's harness."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no network in tests

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
FIXTURES = REPO_ROOT / "fixtures"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`corpus` tests need ../shared; they are skipped, with that reason, only where it is absent."""
    if SHARED.is_dir():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI must have ../shared beside the repository ({SHARED})")
    skip = pytest.mark.skip(reason=f"../shared is absent ({SHARED}): real corpus and reference data")
    for item in items:
        if "corpus" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture()
def fixture_server() -> Iterator[object]:
    from crawlers.fixture_server import FixtureServer

    with FixtureServer(FIXTURES) as server:
        yield server


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One Prefect test harness (a temporary API and database) for the whole run."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
