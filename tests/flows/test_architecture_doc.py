"""docs/ARCHITECTURE.md shows the commands as they run: each one of its "Commands" block runs here, in a
temporary folder with a warehouse of its own, against the bundled fixtures and ../shared, and exits 0."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "ARCHITECTURE.md"


def documented_commands() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Commands, as they run"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the Commands section has a sh block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_architecture_names_every_stage_contract() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in ("run_spider", "extract_pdf", "extract_many", "load_extraction", "update_compute_estimates",
                 "regression_points", "fit_records", "fitting.regress", "trend_fits", "write_report"):
        assert f"{name}(" in text, name
    assert "cli_" not in text and "python -m crawlers.run" not in text  # the old layout is gone


@pytest.mark.corpus
def test_every_documented_command_runs(tmp_path: Path, shared_dir: Path) -> None:
    commands = documented_commands()
    assert len(commands) >= 10
    env = {**os.environ, "COMPUTE_LIMITS_DB": str(tmp_path / "w.duckdb"), "PREFECT_LOGGING_LEVEL": "WARNING"}
    bin_dir = Path(sys.executable).parent
    for command in commands:
        words = shlex.split(command.replace("../shared", str(shared_dir)))
        extra = {}
        while "=" in words[0]:
            key, value = words.pop(0).split("=", 1)
            extra[key] = value
        if words[0] == "compute-limits":
            words = [sys.executable, "-c", "from flows.cli import entry; entry()", *words[1:]]
        elif words[0] == "python":
            words[0] = sys.executable
        words = [w.replace("fixtures/", str(REPO / "fixtures") + "/", 1) if w.startswith("fixtures/") else w
                 for w in words]
        done = subprocess.run(words, cwd=tmp_path, env={**env, **extra, "PATH": f"{bin_dir}:{env['PATH']}"},
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{command}: {done.stderr.strip()[-500:]}"
        assert done.stdout.strip(), command
    assert (tmp_path / "reports" / "index.html").is_file()
