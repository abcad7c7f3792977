"""How much of the corpus can reach a fit: papers per benchmark and year with a score, compute, both.

Input: the frame of the warehouse view `v_coverage` (benchmark, year, papers, with_score,
with_compute, with_both). Pure: renders markdown lines, never queries.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ("papers", "with_score", "with_compute", "with_both")


def _row(label: str, year: str, values: pd.Series) -> str:
    return f"| {label} | {year} | " + " | ".join(str(int(values[c])) for c in COLUMNS) + " |"


def coverage_lines(coverage: pd.DataFrame | None) -> list[str]:
    """The report's coverage section: a total per benchmark, then per benchmark and year."""
    lines = ["## Coverage of the corpus", ""]
    if coverage is None or coverage.empty:
        return [*lines, "No paper is tied to a benchmark yet.", ""]
    frame = coverage.copy()
    frame["year"] = frame["year"].astype("Int64")
    totals = frame.groupby("benchmark", sort=True)[list(COLUMNS)].sum()
    lines += [
        "Papers a source ties to a benchmark (Thompson et al.'s rows, results from Papers with Code or the "
        "extraction, the backfill queue), and how many have a headline score, training compute (extracted, "
        "Thompson et al.'s or Epoch AI's), or both: only those with both can be points of a fit.",
        "",
        "| benchmark | years | papers | with a score | with compute | with both |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for benchmark, values in totals.iterrows():
        years = frame.loc[frame["benchmark"] == benchmark, "year"].dropna()
        span = f"{int(years.min())}–{int(years.max())}" if len(years) else "?"
        lines.append(_row(str(benchmark), span, values))
    lines += ["", "| benchmark | year | papers | with a score | with compute | with both |",
              "|---|---|---:|---:|---:|---:|"]
    for _, row in frame.sort_values(["benchmark", "year"], na_position="last").iterrows():
        year = "?" if pd.isna(row["year"]) else str(int(row["year"]))
        lines.append(_row(str(row["benchmark"]), year, row))
    return [*lines, ""]
