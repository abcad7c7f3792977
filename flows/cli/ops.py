"""`compute-limits serve`: run the deployment `ingest/nightly` (flows/deploy.py) until stopped."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from flows.cli.options import DbOption, task_runner_option
from flows.settings import Settings

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
        callback=task_runner_option, help="where extraction runs: threads (local worker processes) or dask")
    ] = None,
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


def status(
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
    runs: Annotated[int, typer.Option(help="how many recent runs")] = 5,
    db: DbOption = None,
) -> None:
    """Is a run writing now, is an unfinished one waiting to be resumed, what did the last runs do, and
    which errors are open. Reads only the published warehouse.

    Example: compute-limits status
    """
    import json

    from rich.console import Console
    from rich.table import Table

    import warehouse
    from warehouse.publish import writer_status

    settings = Settings(db=db) if db is not None else Settings()
    state: dict[str, Any] = writer_status(settings.db) | {"runs": [], "open_errors": {}, "backfill_queue": {}}
    if state["published"]:
        with warehouse.connect_read_only(settings.db) as con:
            from warehouse import reads
            from warehouse.backfill import queue_counts

            state["runs"] = reads.recent_runs(con, runs)
            state["open_errors"] = reads.open_errors_by_stage(con)
            state["quarantined"] = reads.quarantined(con)

            state["backfill_queue"] = queue_counts(con)
    if as_json:
        sys.stdout.write(json.dumps(state, default=str) + "\n")
        return
    out = Console()
    out.print(f"warehouse: {state['published'] or '(not published yet)'}"
              + (f" ({state['published_bytes'] / 1e6:.1f} MB, {state['published_modified']})"
                 if state["published"] else ""))
    out.print(f"writer:    {state['writer'] or 'none'}")
    if state["staging"]:
        out.print(f"staging:   {state['staging']} (an unfinished write; the next writer resumes it)")
    table = Table(title="recent runs")
    for col in ("run_id", "status", "started_at", "seconds", "papers_crawled", "pdfs_parsed", "fits_made", "errors"):
        table.add_column(col)
    for run in state["runs"]:
        table.add_row(*(str(run[c]) for c in ("run_id", "status", "started_at", "seconds", "papers_crawled",
                                              "pdfs_parsed", "fits_made", "errors")))
    out.print(table)
    queue = state.get("backfill_queue") or {}
    out.print("backfill queue: " + (", ".join(f"{k.replace('_', ' ')} {v}" for k, v in queue.items()) or "empty")
              + " (backfill_queue)")
    errors = ", ".join(f"{stage} {n}" for stage, n in state["open_errors"].items()) or "none"
    out.print(f"open errors: {errors} (v_open_errors)")
    for line in state.get("quarantined") or []:
        out.print(f"quarantined: {line}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(status)
