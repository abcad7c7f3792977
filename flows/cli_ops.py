"""`compute-limits serve`: run the deployment `ingest/nightly` (flows/deploy.py) until stopped."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.settings import Settings

DbOption = Annotated[Path | None, typer.Option("--db", help="warehouse file (env COMPUTE_LIMITS_DB)")]

EPHEMERAL_HINT = (
    "hint: PREFECT_API_URL is unset, so Prefect runs an ephemeral API inside this process: it runs no scheduler "
    "(the cron will not fire) and other shells cannot reach it. For the nightly schedule and "
    "`prefect deployment run ingest/nightly`, start a server with `prefect server start --host 127.0.0.1` and "
    "`export PREFECT_API_URL=http://127.0.0.1:4200/api` in this shell and the others."
)


def serve(
    cron: Annotated[str | None, typer.Option(
        help="schedule as a cron string (env COMPUTE_LIMITS_SCHEDULE_CRON; default '0 2 * * *')")] = None,
    timezone: Annotated[str | None, typer.Option(
        help="timezone of the cron (env COMPUTE_LIMITS_SCHEDULE_TIMEZONE; default UTC)")] = None,
    live: Annotated[bool | None, typer.Option(
        "--live/--offline", help="scheduled runs talk to arXiv, or replay fixtures/ (default: env, else offline)")
    ] = None,
    db: DbOption = None,
    task_runner: Annotated[str | None, typer.Option(
        help="where extraction runs: threads (local worker processes) or dask")] = None,
    dask_address: Annotated[str | None, typer.Option(
        help="with --task-runner dask: tcp://scheduler:8786 (default: a temporary local cluster)")] = None,
) -> None:
    """Serve the deployment `ingest/nightly` on its cron schedule and run what it schedules.

    Blocks until Ctrl-C or SIGTERM; the schedule stays active after it stops. Trigger a run now from
    another shell with `prefect deployment run ingest/nightly` (needs a Prefect server: PREFECT_API_URL).
    Example: compute-limits serve --live --cron "30 1 * * *" --timezone Europe/Berlin
    """
    from flows.deploy import plan_nightly, serve_nightly

    overrides: dict[str, Any] = {}
    for key, value in (("schedule_cron", cron), ("schedule_timezone", timezone), ("live", live), ("db", db)):
        if value is not None:
            overrides[key] = value
    plan = plan_nightly(Settings(**overrides), task_runner=task_runner, dask_address=dask_address)
    sys.stdout.write(plan.describe() + "\n")
    if plan.api_url is None:
        sys.stderr.write(EPHEMERAL_HINT + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    serve_nightly(plan)


def register(app: typer.Typer) -> None:
    app.command()(serve)
