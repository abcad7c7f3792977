"""Orchestration: the Prefect flow `ingest`, its stages, settings and the CLI.

Prefect reads its settings when it is first imported, so the defaults this project needs are set
here, before any module of this package imports it (an explicit environment variable still wins):
no telemetry (there is no network), and time for the ephemeral API server to create its database
on a fresh, busy 2-core machine (Prefect's default of 20 s is too short there).
"""

from __future__ import annotations

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
