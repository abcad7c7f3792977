"""The `compute-limits` command as a user runs it: real processes, real files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"


def _cli(*args: str, env_extra: dict[str, str] | None = None, cwd: Path | None = None,
         timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "PREFECT_LOGGING_LEVEL"))}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-c", "from flows.cli import entry; entry()", *args],
                          capture_output=True, text=True, env=env, cwd=cwd or REPO, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("cli")
    env = {"COMPUTE_LIMITS_DATA_DIR": str(base / "data"), "COMPUTE_LIMITS_REPORTS_DIR": str(base / "reports"),
           "PREFECT_HOME": str(base / "prefect"), "COMPUTE_LIMITS_DB": str(base / "w.duckdb")}
    proc = _cli("ingest", "--offline", "--include-synthetic", env_extra=env)
    return {"base": base, "env": env, "proc": proc}


def test_ingest_offline_prints_a_summary_and_leaves_warehouse_and_report(demo: dict) -> None:
    proc = demo["proc"]
    assert proc.returncode == 0, proc.stderr[-2000:]
    for label in ("papers crawled", "PDFs parsed", "facts extracted", "fits made", "warehouse:", "report:"):
        assert label in proc.stdout
    assert (demo["base"] / "w.duckdb").exists()
    assert (demo["base"] / "reports" / "report.md").exists()
    html = (demo["base"] / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Comparison of sources" in html and "out-of-sample" in html
    assert all((demo["base"] / "reports" / src).exists() for src in re.findall(r'<img src="([^"]+)"', html))


def test_a_run_in_a_pipe_is_quiet_unless_asked(demo: dict) -> None:
    """Issue 14: stderr is a pipe here, so Prefect's INFO lines are off without -v (the crash tests run
    `compute-limits -v ingest` and follow the stage lines, so -v keeps them)."""
    proc = demo["proc"]
    assert proc.returncode == 0
    assert not [line for line in proc.stderr.splitlines() if " | INFO " in line or line.startswith("INFO")]


def test_sql_answers_from_the_env_configured_warehouse(demo: dict) -> None:
    proc = _cli("sql", "select count(*) as n from papers", "--format", "json", env_extra=demo["env"])
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["n"] >= 40
    csv_out = _cli("sql", "select paper_id from papers order by 1 limit 2", "--format", "csv",
                   env_extra=demo["env"]).stdout.splitlines()
    assert csv_out[0] == "paper_id" and len(csv_out) == 3


def test_sql_is_read_only_and_errors_are_one_line(demo: dict) -> None:
    for args in (("sql", "delete from papers"), ("sql", "select * from no_such_table"),
                 ("sql", "select 1", "--db", str(demo["base"] / "absent.duckdb"))):
        proc = _cli(*args, env_extra=demo["env"])
        assert proc.returncode == 1
        assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    still = _cli("sql", "select count(*) as n from papers", "--format", "json", env_extra=demo["env"])
    assert json.loads(still.stdout)["n"] >= 40


def test_regress_json_prints_stored_fits(demo: dict) -> None:
    real_only = _cli("regress", env_extra=demo["env"])
    assert real_only.returncode == 0, real_only.stderr
    assert "no benchmark has 3 or more usable points" in real_only.stdout
    assert "--include-synthetic" in real_only.stdout
    proc = _cli("regress", "--json", "--include-synthetic", env_extra=demo["env"])
    assert proc.returncode == 0, proc.stderr
    fits = [json.loads(line) for line in proc.stdout.splitlines()]
    assert fits and all(f["selection"]["synthetic"] for f in fits)
    assert {"benchmark", "form", "n", "slope", "se", "ci_low", "ci_high", "r2", "row_ids"} <= set(fits[0])
    assert len({f["benchmark"] for f in fits}) >= 3


def test_extract_json_prints_the_documented_format_for_every_pdf() -> None:
    pdfs = sorted(str(p) for p in (FIXTURES / "pdfs").glob("*.pdf"))
    proc = _cli("extract", *pdfs, "--json")
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["pdf"] for o in lines] == pdfs
    for obj in lines:
        assert {"pdf", "sha256", "pages", "training_runs", "results", "facts", "error"} <= set(obj)
    failed = sum(1 for o in lines if o["error"])
    assert failed >= 2  # the corrupt and the encrypted fixture
    # every PDF is printed, and the exit code says some could not be read, in one line
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == f"error: {failed} of {len(pdfs)} PDFs could not be read (see their error)"


def test_extract_runs_in_limited_workers_and_fails_fast_on_a_missing_file(tmp_path: Path) -> None:
    """Issue 14, item 4: a PDF past the worker's time limit is killed in its worker and reported; a
    missing file stops before any work."""
    pdf = sorted((FIXTURES / "pdfs").glob("*.pdf"))[0]
    slow = _cli("extract", str(pdf), "--json", env_extra={"COMPUTE_LIMITS_EXTRACT_TIMEOUT_S": "0.001"})
    assert slow.returncode == 1 and "timed out" in json.loads(slow.stdout)["error"]
    missing = _cli("extract", str(tmp_path / "absent.pdf"))
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.startswith("error: ") and "no such file" in missing.stderr


def test_a_failing_ingest_is_one_line_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "not-a-file.duckdb").mkdir()
    proc = _cli("ingest", "--offline", "--db", str(tmp_path / "not-a-file.duckdb"),
                env_extra={"PREFECT_HOME": str(tmp_path / "prefect")})
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "cannot open warehouse" in errors[0]


@pytest.mark.parametrize(("args", "option"), [
    (("ingest", "--since", "notadate"), "--since"),
    (("ingest", "--since", "2025-13-45"), "--since"),
    (("crawl", "arxiv", "--since", "2025-02-30"), "--since"),
    (("ingest", "--limit", "-1"), "--limit"),
    (("crawl", "arxiv", "--limit", "-1"), "--limit"),
    (("ingest", "--source", "foo"), "--source"),
    (("crawl", "arxiv", "--source", "foo"), "--source"),
    (("ingest", "--task-runner", "foo"), "--task-runner"),
    (("ingest", "--pwc-dump", "missing.json"), "--pwc-dump"),
    (("override", "1706.03762", "hours", "10"), "--note"),
])
def test_bad_options_fail_before_any_work_in_one_line_naming_the_option(
        tmp_path: Path, args: tuple[str, ...], option: str) -> None:
    """Issue 14: each fails at once (no crawl, no warehouse), one line, the option named, no class name."""
    db = tmp_path / "w.duckdb"
    proc = _cli(*args, env_extra={"COMPUTE_LIMITS_DB": str(db), "PREFECT_HOME": str(tmp_path / "prefect")},
                cwd=tmp_path, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and option in lines[0]
    assert not re.search(r"\b(?:BadParameter|NoSuchOption|MissingParameter)\b", lines[0])
    assert not db.exists()


@pytest.mark.parametrize(("variable", "value"), [
    ("COMPUTE_LIMITS_IMPORT_MAX_BYTES", "abc"), ("COMPUTE_LIMITS_LIVE", "maybe"),
    ("COMPUTE_LIMITS_QUARANTINE_AFTER", "0"),
])
def test_a_bad_environment_setting_is_one_line_naming_the_variable(tmp_path: Path, variable: str, value: str) -> None:
    """Issue 14: the variable as the operator typed it, with its value, not pydantic's field wording."""
    proc = _cli("status", env_extra={variable: value, "COMPUTE_LIMITS_DB": str(tmp_path / "w.duckdb")},
                cwd=tmp_path, timeout=60)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: invalid setting: {variable}={value!r}: ")
    assert "pydantic" not in lines[0] and "validation error for" not in lines[0]


def test_version_and_a_warehouse_elsewhere_keeps_its_data_and_report_beside_it(tmp_path: Path) -> None:
    from flows.settings import Settings

    proc = _cli("--version")
    assert proc.returncode == 0 and re.fullmatch(r"compute-limits \d+\.\d+\.\d+\n", proc.stdout)
    elsewhere = Settings(db=tmp_path / "project" / "w.duckdb")
    assert (elsewhere.data_dir, elsewhere.reports_dir) == (tmp_path / "project", tmp_path / "project" / "reports")
    default = Settings(_env_file=None)
    if "COMPUTE_LIMITS_DB" not in os.environ:
        assert (default.data_dir, default.reports_dir) == (Path("data"), Path("reports"))
    chosen = Settings(db=tmp_path / "w.duckdb", data_dir=tmp_path / "d", reports_dir=tmp_path / "r")
    assert (chosen.data_dir, chosen.reports_dir) == (tmp_path / "d", tmp_path / "r")


def test_regress_multipliers_print_in_engineering_notation() -> None:
    """Issue 15: a 26-digit factor to halve the error is one short cell, not four lines of digits."""
    from flows.cli.regress import eng

    assert eng(512.4) == "512" and eng(9999) == "9,999"
    assert eng(8.6e86) == "860e84" and eng(1.234e25) == "12.3e24" and eng(4.2e4) == "42e3"
    assert eng(999_999.9) == "1e6" and eng(None) == "–" and eng(float("inf")) == "–"
    assert len(eng(123456789012345678901234567.0)) <= 8
