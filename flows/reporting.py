"""The report stage: render the stored fits (never refitting) with the points each used, the coverage,
and the trends page and source-code section; reuse the report when nothing it is made of changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import warehouse
from flows.settings import Settings
from warehouse import records
from warehouse.publish import replace_directory

EXTRA_KEYS = ("bootstrap", "influence", "comparison", "extrapolations", "points_by_source", "ingest_run_id",
              "created_at")
REMADE_KEYS = ("ingest_run_id", "created_at")  # change when the same fit is made again: not a new report
SYNTHETIC_TITLE = ("compute-limits report: synthetic fixture papers only (the bundled offline corpus, made up to "
                   "exercise the pipeline; not evidence about deep learning)")


def _report_fits(stored: list[dict[str, Any]], *, include_synthetic: bool) -> tuple[list[dict[str, Any]], str]:
    """The fits a report shows, and its title: fits on real points; fits on synthetic fixture papers
    only when asked for and no real fit exists, under a title that says so (never the two mixed)."""
    real = [f for f in stored if not (f.get("selection") or {}).get("synthetic")]
    if real or not include_synthetic:
        return real, "compute-limits report"
    return [f for f in stored if (f.get("selection") or {}).get("synthetic")], SYNTHETIC_TITLE


def report(settings: Settings) -> dict[str, Any]:
    """Render the stored fits (never refits) into the reports directory, with the points each used."""
    import pandas as pd

    from analysis import trends_report
    from analysis.report import write_report
    from analysis.scaling import ScalingFit
    from analysis.selection import Selection, select_points
    from warehouse.trends import TREND_SOURCES, code_benchmarks, trend_rows

    with warehouse.connect_read_only(settings.db) as con:
        candidates = records.regression_points(con)
        stored = records.latest_fits(con)
        coverage = records.coverage(con)
        dated = trend_rows(con, TREND_SOURCES, include_synthetic=settings.include_synthetic)
        code = code_benchmarks(con)
    stored, title = _report_fits(stored, include_synthetic=settings.include_synthetic)
    fits = [ScalingFit.from_dict(f) for f in stored]
    extras = {f"{f['benchmark']}/{f['form']}/{f['x']}": {k: f.get(k) for k in EXTRA_KEYS} for f in stored}
    frames, seen = [], set()
    for f in stored:
        sel = f.get("selection")
        if not sel or repr(sorted(sel.items())) in seen:
            continue
        seen.add(repr(sorted(sel.items())))
        selection = Selection.from_dict(sel)
        chosen = select_points(candidates, selection)
        frames.append(chosen.assign(**{selection.x: chosen["compute"]}))
    points = pd.concat(frames, ignore_index=True) if frames else candidates.iloc[0:0]
    out = settings.reports_dir
    digest = _report_digest(stored, points, coverage, dated) + title
    stamp = out / REPORT_STAMP
    if stamp.is_file() and stamp.read_text("utf-8") == digest and all((out / f).is_file() for f in REPORT_FILES):
        return {"report": str(out / "report.md"), "report_reused": True}
    trends = trends_report.build(dated, candidates, fits, code)
    with replace_directory(out) as tmp:
        write_report(fits, points, tmp, extras=extras, coverage=coverage, title=title, trends=trends)
        (tmp / REPORT_STAMP).write_text(digest, "utf-8")
    return {"report": str(out / "report.md"), "report_reused": False}


REPORT_STAMP = ".inputs.sha256"
REPORT_FILES = ("report.md", "index.html", "fits.json")
REPORT_CODE = ("report.py", "report_format.py", "html_report.py", "plots.py", "coverage.py", "trends.py",
               "trends_report.py")


def _report_digest(stored: list[dict[str, Any]], points: Any, coverage: Any, dated: Any) -> str:
    """What the report is made of: the stored fits, their points, the coverage, the dated compute rows
    of the trends page and the report code."""
    import hashlib

    from flows.cached import frame_fingerprint

    fits = [{k: v for k, v in f.items() if k not in REMADE_KEYS} for f in stored]
    digest = hashlib.sha256(json.dumps(fits, sort_keys=True, default=str).encode("utf-8"))
    digest.update(frame_fingerprint(points).encode("utf-8"))
    digest.update(frame_fingerprint(coverage).encode("utf-8"))
    digest.update(frame_fingerprint(dated).encode("utf-8"))
    analysis_dir = Path(__file__).resolve().parents[1] / "analysis"
    for name in REPORT_CODE:
        digest.update((analysis_dir / name).read_bytes())
    return digest.hexdigest()
