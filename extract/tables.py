"""Training-time tables.

Two layouts are read:

* cells that carry their unit ("Constant Depth 20h 42m 20h 51m 33h 43m" under a caption "Training time
  comparison"): read from the PDFium text lines of pages whose caption or header mentions training time;
* a numeric "Hours" / "Days" column ("RNNenc-30 8.46 6.4 109 TITAN BLACK 28.1 53.0" under
  "Model Updates Epochs Hours GPU ..."): pdfplumber word boxes of that page give the column of each
  number; the PDFium line of the same row gives the device ("TITAN BLACK") and the provenance.

pdfplumber is ~40x slower than PDFium, so it only opens the few pages whose text has such a header.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

import pdfplumber

from extract import names
from extract.facts import TrainingRun
from extract.nlp import PageDoc, load_tools
from extract.pdf import normalise_text
from extract.timing import find_durations

logger = logging.getLogger(__name__)

_TIME_CAPTION = re.compile(
    r"(?im)^\s*table\s+\d+[.:][^\n]*(?:\b(?:training|train)[\s-]+(?:time|cost|hours|duration)\b|\btime\s+to\s+train\b)"
)
_PER_UNIT_HEADER = re.compile(r"(?i)(?:/|\bper\s+)(?:epoch|iteration|iter|step|batch|mini-?batch|image)\b")
_HEADER_WORD = re.compile(r"(?i)^(?:\((?:h|d|hrs?|hours?|days?)\)|hours?|hrs?|days?)[.:]?$")
_COUNT_HEADER = re.compile(r"(?i)^#?(?P<unit>gpus?|tpus?|chips?|cores?|devices?|machines?|nodes?)[.:]?$")
_COUNT_UNIT = {
    "gpu": "gpu",
    "tpu": "tpu_chip",
    "chip": "tpu_chip",
    "core": "tpu_core",
    "device": "tpu_device",
    "machine": "machine",
    "node": "machine",
}
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_PROSE_WORD = re.compile(r"^[a-z]{4,}[,.;:]?$")  # a lowercase word of running text, not a column name
_ROW_GAP = 30.0  # points: a gap this large below the previous row ends the table


def _lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def _numbers(text: str) -> list[str]:
    return [t for t in text.split() if _NUMBER.match(t)]


def _unit_cell_runs(page: PageDoc) -> list[TrainingRun]:
    caption = _TIME_CAPTION.search(page.text)
    if not caption or _PER_UNIT_HEADER.search(caption.group(0)):
        return []  # no training-time table here, or its times are per epoch / per step
    runs = []
    lines = list(_lines(page.text))
    for k, (start, end) in enumerate(lines):
        durations = find_durations(page.text, start, end)
        line = page.text[start:end]
        if len(durations) < 2 or len(line.split()) > 4 * len(durations) + 4:
            continue  # prose, not a row of duration cells
        header = page.text[lines[max(0, k - 3)][0] : start]
        if _PER_UNIT_HEADER.search(header):
            continue
        label = " ".join(page.text[start : durations[0].start].split()) or f"table row, page {page.number}"
        for d in durations:
            runs.append(
                TrainingRun(
                    label=label,
                    phase="training",
                    accelerator=None,
                    accelerator_text=None,
                    count=None,
                    count_unit=None,
                    hours=round(d.hours, 3),
                    hours_text=d.text,
                    page=page.number,
                    quote=" ".join(line.split()),
                    char_start=start,
                    char_end=end,
                    confidence=0.65,
                )
            )
    return runs


def _hours_headers(page: PageDoc) -> list[str]:
    """PDFium lines that look like the header of a table with an hours / days column."""
    lines = list(_lines(page.text))
    out = []
    for k, (start, end) in enumerate(lines[:-1]):
        words = page.text[start:end].split()
        below = page.text[lines[k + 1][0] : lines[k + 1][1]]
        heads = [k for k, w in enumerate(words) if _HEADER_WORD.match(w)]
        # "3 hours at 10 mph means ..." is a sentence with a duration, not a header with an hours column
        headed = [k for k in heads if not (k and _NUMBER.match(words[k - 1]))]
        prose = sum(1 for w in words if _PROSE_WORD.match(w) and not _HEADER_WORD.match(w))
        if 3 <= len(words) <= 14 and headed and prose < 3 and len(_numbers(below)) >= 2:
            out.append(page.text[start:end])
    return out


def _window(row: list[dict], target: str) -> list[dict] | None:
    """The words of ``row`` that spell the PDFium line ``target`` (spaces ignored): on a two-column page
    this keeps the table's words and drops the prose of the other column."""
    goal = "".join(target.split())
    joined, owner = "", []
    for k, w in enumerate(row):
        joined += w["text"]
        owner.extend([k] * len(w["text"]))
    at = joined.find(goal) if goal else -1
    if at < 0:
        return None
    return row[owner[at] : owner[at + len(goal) - 1] + 1]


def _rows(words: list[dict]) -> list[list[dict]]:
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - w["top"]) <= 3:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(r, key=lambda w: w["x0"]) for r in rows]


def _cell(row: list[dict], header: dict) -> str | None:
    center = (header["x0"] + header["x1"]) / 2
    cell = min(row, key=lambda w: abs((w["x0"] + w["x1"]) / 2 - center))
    if _NUMBER.match(cell["text"]) and cell["x0"] - 8 <= center <= cell["x1"] + 8:
        return str(cell["text"])
    return None


def _column_runs(page: PageDoc, plumber_page: pdfplumber.page.Page, headers: list[str]) -> list[TrainingRun]:
    words = [{**w, "text": normalise_text(w["text"])} for w in plumber_page.extract_words()]
    rows = _rows(words)
    runs: list[TrainingRun] = []
    lines = list(_lines(page.text))
    for h, full_header in enumerate(rows):
        header = next((w for t in headers if (w := _window(full_header, t))), None)
        cols = [w for w in header or () if _HEADER_WORD.match(w["text"])]
        if header is None or not cols:
            continue
        col = cols[0]
        k = header.index(col)
        if col["text"].startswith("(") and k > 0 and col["x0"] - header[k - 1]["x1"] < 6:
            col = {**col, "x0": header[k - 1]["x0"]}  # "Time (h)": the column is under both words
        left, right = header[0]["x0"] - 12, header[-1]["x1"] + 12
        unit = cols[0]["text"].lower().strip("():.")
        per_unit = 24.0 if unit.startswith("d") else 1.0
        count_col = next((w for w in header if _COUNT_HEADER.match(w["text"])), None)
        last_top = header[0]["top"]
        for full_row in rows[h + 1 :]:
            row = [w for w in full_row if w["x0"] >= left and w["x1"] <= right]
            if not row:
                continue
            if row[0]["top"] - last_top > _ROW_GAP:
                break
            last_top = row[0]["top"]
            value = _cell(row, col)
            numbers = [w["text"] for w in row if _NUMBER.match(w["text"])]
            match = next(((s, e) for s, e in lines if _numbers(page.text[s:e]) == numbers), None)
            if value is None or match is None or float(value) <= 0:
                continue
            s, e = match
            runs.append(_column_run(page, row, s, e, value, col, count_col, per_unit))
        if runs:
            break
    return runs


def _column_run(page: PageDoc, row: list[dict], s: int, e: int, value: str, col: dict, count_col: dict | None,
                per_unit: float) -> TrainingRun:
    """One table row's run: its time cell, the accelerator its line names, its count cell if any."""
    line = page.text[s:e]
    nlp = load_tools().nlp
    accel = next((ent for ent in nlp(line).ents
                  if ent.label_ == names.LABEL_ACCELERATOR and ent.ent_id_ in names.ACCELERATORS), None)
    count = _cell(row, count_col) if count_col else None
    count_unit = None
    if count is not None and count_col is not None:
        m = _COUNT_HEADER.match(count_col["text"])
        count_unit = _COUNT_UNIT[m.group("unit").lower().rstrip("s")] if m else None
    counted = bool(count and float(count) >= 1)
    return TrainingRun(
        label=row[0]["text"], phase="training",
        accelerator=accel.ent_id_ if accel else None, accelerator_text=accel.text if accel else None,
        count=int(float(count)) if counted and count else None, count_unit=count_unit if counted else None,
        hours=float(value) * per_unit, hours_text=f"{value} ({col['text']})", page=page.number,
        quote=" ".join(line.split()), char_start=s, char_end=e, confidence=0.7)


def _prefer_own(runs: list[TrainingRun], own: Sequence[str]) -> list[TrainingRun]:
    """In a table whose rows include the paper's own model ("ConvNeXt block 83.7 7.7"), the other rows
    ("UNet w/ skip", "Transformer [31]") are the alternatives it was compared with: kept, below 0.5."""
    mine = [r for r in runs if any(name.lower() in r.label.lower() for name in own)]
    if not mine or len(mine) == len(runs):
        return runs
    return [r if r in mine else replace(r, confidence=min(r.confidence, 0.45)) for r in runs]


def time_table_runs(data: bytes, docs: list[PageDoc], own: Sequence[str] = ()) -> list[TrainingRun]:
    """Runs read from training-time tables of the paper whose PDF bytes are ``data``; ``own`` (the
    paper's model names) tells its own rows from the alternatives'."""
    runs: list[TrainingRun] = []
    for d in docs:
        runs.extend(_unit_cell_runs(d))
    candidates = [(d, headers) for d in docs if (headers := _hours_headers(d))]
    if not candidates:
        return runs
    try:
        with pdfplumber.open(io.BytesIO(data), pages=[d.number for d, _ in candidates]) as pdf:
            for (d, headers), plumber_page in zip(candidates, pdf.pages, strict=True):
                runs.extend(_prefer_own(_column_runs(d, plumber_page, headers), own))
                plumber_page.close()
    except Exception as exc:  # pdfminer chokes on PDFs PDFium reads; the text facts still stand
        logger.warning("time tables skipped: pdfplumber failed: %s", exc)
    return runs
