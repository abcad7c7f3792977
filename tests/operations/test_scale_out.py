"""Extraction on a real Dask cluster through prefect-dask gives the same warehouse as the default runner.

The baseline's two runs are repeated with `--task-runner dask`: the first on a temporary local cluster
the flow starts itself, the second on a `LocalCluster` with 2 worker processes started here and given
by address, whose task stream shows where the extraction batches ran.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pytest

from tests.operations.conftest import FIRST_LIMIT, Baseline, new_workspace
from tests.operations.procs import PrefectServer, differences, snapshot


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.worker.daemon": False}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc, \
            Client(lc) as client:
        yield client


@pytest.fixture(scope="module")
def on_dask(cluster: Any, prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from distributed import get_task_stream

    ws = new_workspace(tmp_path_factory.mktemp("dask"), prefect_server)
    first = ws.ingest("--limit", FIRST_LIMIT, "--task-runner", "dask")
    with get_task_stream(cluster) as stream:
        second = ws.ingest("--task-runner", "dask", "--dask-address", cluster.scheduler.address)
    return {"ws": ws, "first": first, "second": second, "stream": stream.data}


def test_dask_gives_the_same_warehouse_as_the_default_runner(on_dask: dict, baseline: Baseline) -> None:
    assert differences(snapshot(on_dask["ws"].db), baseline.snapshot) == []


def test_the_extraction_batches_ran_on_both_workers_of_the_cluster(on_dask: dict) -> None:
    tasks = [t for t in on_dask["stream"] if "extract-batch" in t["key"] or "extract_batch" in t["key"]]
    with duckdb.connect(str(on_dask["ws"].db), read_only=True) as con:
        batches = con.execute("SELECT json_extract(counts, '$.extract_batches')::INT FROM ingest_runs "
                              "ORDER BY started_at DESC LIMIT 1").fetchone()[0]
    assert batches >= 7  # 35 documents in batches of 5
    assert len(tasks) == batches, sorted({t["key"] for t in on_dask["stream"]})
    assert len({t["worker"] for t in tasks}) == 2


def test_the_runs_record_their_task_runner(on_dask: dict) -> None:
    with duckdb.connect(str(on_dask["ws"].db), read_only=True) as con:
        runners = [r[0] for r in con.execute("SELECT task_runner FROM ingest_runs ORDER BY started_at").fetchall()]
    assert runners[0] == "dask (temporary local cluster)"
    assert runners[1].startswith("dask (tcp://127.0.0.1:")
