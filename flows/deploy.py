"""The deployment `ingest/nightly`: the flow `ingest` served on a cron schedule (default 02:00 UTC).

`compute-limits serve` calls `serve_nightly`; `prefect.yaml` at the repository root describes the same
deployment for `prefect deploy` with a process work pool. Paths are made absolute when serving, so
scheduled runs do not depend on the directory the runner was started from.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flows.settings import Settings

FLOW_NAME = "ingest"
DEPLOYMENT_NAME = "nightly"
SCHEDULE_SLUG = "nightly-cron"
TASK_RUNNERS = ("threads", "dask")


@dataclass(frozen=True)
class NightlyPlan:
    """What `serve_nightly` registers: schedule, default parameters and the API it talks to."""

    cron: str
    timezone: str
    parameters: dict[str, Any]
    api_url: str | None  # None: an ephemeral API inside this process

    @property
    def name(self) -> str:
        return f"{FLOW_NAME}/{DEPLOYMENT_NAME}"

    def describe(self) -> str:
        api = self.api_url or "an ephemeral API in this process (PREFECT_API_URL unset)"
        mode = "live" if self.parameters.get("live") else "offline"
        return (f"serving deployment {self.name}: cron '{self.cron}' ({self.timezone}), {mode}, "
                f"warehouse {self.parameters['db']}, API {api}")


def _flow_parameters() -> set[str]:
    from flows.ingest import ingest

    return set(inspect.signature(ingest.fn).parameters)


def validate_schedule(cron: str, timezone: str) -> None:
    """Raise ValueError (one clear line) for a cron string or timezone Prefect would not accept."""
    from prefect.schedules import validate_cron_string

    try:
        validate_cron_string(cron)
    except ValueError as exc:
        raise ValueError(f"invalid cron {cron!r}: {' '.join(str(exc).split())}") from None
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone {timezone!r}: use an IANA name such as UTC or Europe/Berlin") from None


def deployment_parameters(settings: Settings, *, task_runner: str | None = None,
                          dask_address: str | None = None) -> dict[str, Any]:
    """The flow run parameters of `ingest/nightly`, with absolute paths resolved now."""
    params: dict[str, Any] = {
        "live": settings.live,
        "db": str(settings.db.expanduser().resolve()),
        "data_dir": str(settings.data_dir.expanduser().resolve()),
        "reports_dir": str(settings.reports_dir.expanduser().resolve()),
        "source": settings.crawl_source,
    }
    accepted = _flow_parameters()
    runner = task_runner or settings.task_runner
    address = dask_address or settings.dask_address
    if runner not in TASK_RUNNERS:
        raise ValueError(f"unknown task runner {runner!r}: use threads or dask")
    if address and runner != "dask":
        raise ValueError("--dask-address needs --task-runner dask")
    if "task_runner" in accepted:
        params["task_runner"] = runner
    elif task_runner:
        raise ValueError("this version of the flow ingest has no task_runner parameter")
    if address:
        if "dask_address" not in accepted:
            raise ValueError("this version of the flow ingest has no dask_address parameter")
        params["dask_address"] = address
    unknown = set(params) - accepted
    if unknown:
        raise ValueError(f"the flow ingest does not take {', '.join(sorted(unknown))}")
    return params


def current_api_url() -> str | None:
    """The Prefect API this process talks to (env or profile), or None for an ephemeral one."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def plan_nightly(settings: Settings, *, task_runner: str | None = None,
                 dask_address: str | None = None) -> NightlyPlan:
    """Everything `serve_nightly` needs, validated, without touching Prefect's API."""
    validate_schedule(settings.schedule_cron, settings.schedule_timezone)
    return NightlyPlan(cron=settings.schedule_cron, timezone=settings.schedule_timezone,
                       parameters=deployment_parameters(settings, task_runner=task_runner,
                                                        dask_address=dask_address),
                       api_url=current_api_url())


def serve_nightly(plan: NightlyPlan) -> None:
    """Register `ingest/nightly` and execute its runs until interrupted (SIGINT or SIGTERM).

    The schedule stays active when this process stops (`pause_on_shutdown=False`): a restart or a
    redeploy does not pause the nightly run. At most one run executes at a time in this process.
    """
    from prefect.schedules import Cron
    from prefect.types.entrypoint import EntrypointType

    from flows.ingest import ingest

    ingest.serve(
        name=DEPLOYMENT_NAME,
        schedules=[Cron(plan.cron, timezone=plan.timezone, slug=SCHEDULE_SLUG)],
        parameters=plan.parameters,
        description="compute-limits: the nightly ingest (crawl, download, extract, load, regress, report)",
        tags=["compute-limits"],
        pause_on_shutdown=False,
        print_starting_message=False,
        limit=1,
        # entrypoint `flows.ingest.ingest`: importable wherever the package is installed, whatever the cwd
        entrypoint_type=EntrypointType.MODULE_PATH,
    )

