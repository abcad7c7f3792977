"""Run one spider in a subprocess (Twisted's reactor cannot restart inside one process)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawlers.errors import CrawlError

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SpiderRun:
    """What a crawl produced: its records (split by kind) and where its log is."""

    spider: str
    records: list[dict[str, Any]] = field(default_factory=list)
    log_path: Path | None = None

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [r for r in self.records if r.get("kind") == kind]


def run_spider(
    spider: str, *, out: Path, args: dict[str, object] | None = None,
    settings: dict[str, object] | None = None, timeout: float = 3600.0,
) -> SpiderRun:
    """`scrapy crawl SPIDER -O OUT` in a child process; raises CrawlError if it fails."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    log_path = out.with_suffix(".log")
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, "-O", f"{out}:jsonlines",
           "-s", f"LOG_FILE={log_path}"]
    for key, value in (args or {}).items():
        if value is not None:
            cmd += ["-a", f"{key}={value}"]
    for key, value in (settings or {}).items():
        cmd += ["-s", f"{key}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawlers.settings"}
    logger.info("running spider %s -> %s", spider, out)
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise CrawlError(f"spider {spider} timed out after {timeout:.0f} s", retryable=True) from exc
    if proc.returncode != 0:
        tail = (proc.stderr or "").strip().splitlines()[-1:] or ["no output"]
        raise CrawlError(f"spider {spider} exited with {proc.returncode}: {tail[0]}", retryable=True)
    records = []
    if out.exists():
        for line in out.read_text("utf-8").splitlines():
            if line.strip():
                records.append(json.loads(line))
    return SpiderRun(spider, records, log_path)
