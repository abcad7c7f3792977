"""Results read from table rows of the paper's own models.

PDFium keeps a table row on one line ("CircleLoss (ours) 97.81 98.17 98.50"). A block of such lines is a
table; a row whose label names an own model (:mod:`extract.own_models`) or says "ours" / "this paper"
gives one result per score cell, and rows right below it without a citation continue it ("MoCo R50 24
60.6" / "R50w2x 94 65.4").

Each cell's dataset and metric come from the header phrases stacked above it on the page
(:mod:`extract.layout`: "BLEU" over "EN-DE", "SQuAD2.0" over a side-by-side table's own label column);
cells under a cost column ("#Params", "FLOPs", "Latency") are not scores. Without word positions the
header entities are mapped to cells from the right when the counts allow, else the caption's are used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extract import names
from extract.benchmark_keys import default_metric, resolve_metric
from extract.facts import Result
from extract.layout import Layouts
from extract.nlp import CITATION, PageDoc
from extract.own_models import mentions_own
from extract.result_labels import (
    ABLATION,
    ABLATION_CONTEXT,
    ABLATION_ROW,
    ACCURACY_WORD,
    ERROR_WORD,
    entities,
    error_footing,
    most_specific,
)
from extract.table_cells import Row, Table, by_column, header_parts, place

_CELL = re.compile(r"^(?P<v>\d{1,3}(?:\.\d+)?)(?P<pct>%)?[*†‡?∗]*(?:±[\d.]+)?(?:\([^)]*\)?)?[*†‡?∗]*[,;]?$")
_NOT_SCORE = re.compile(r"(?i)^[\d.,]+(?:[kmbgt]|ms|s|x|fps|h|gb|mb|k)\b|^[\d.,]+(?:[kmbgt]|ms|x|fps)$")
_NUMERIC = re.compile(r"^[(\[]?[-+~]?\d[\d.,]*")
_CAPTION = re.compile(r"(?i)^\s*table\s*\d+\s*[.:]")
_PROSE_WORD = re.compile(r"^[a-z]{4,}[,.;:]?$")
_MULTIPLIER = re.compile(r"^\d+(?:\.\d+)?x$")
_PLACEHOLDER = frozenset({"-", "--", "—", "–", "n/a", "N/A", "x", "X"})


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _parse_row(text: str, start: int, end: int) -> Row | None:
    tokens = re.sub(r"(?<=\d)\s*/\s*(?=\d)", "/", text[start:end]).split()  # "22.15 / 20.80" is one cell
    if not tokens or sum(1 for t in tokens if _PROSE_WORD.match(t)) >= 4:
        return None
    depth, cut = 0, len(tokens)
    for k, tok in enumerate(tokens):
        nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
        # label parts that look numeric: "ShuffleNet 2x (g = 3)", "LocalAgg [66]"
        in_label = bool(_MULTIPLIER.match(tok) and (nxt.startswith("(") or nxt[:1].isalpha()))
        in_label = in_label or bool(CITATION.fullmatch(tok.rstrip("*†‡,")))
        value_like = _NUMERIC.match(tok) or tok in _PLACEHOLDER
        if depth == 0 and k > 0 and value_like and not tok.endswith(")") and not in_label:
            cut = k
            break
        depth += tok.count("(") + tok.count("[") - tok.count(")") - tok.count("]")
        depth = max(depth, 0)
    if cut == len(tokens) and tokens and (_NUMERIC.match(tokens[0])):
        cut = 0
    cells = tuple(tokens[cut:])
    numeric = sum(1 for t in cells if _NUMERIC.match(t))
    if cut == 0 or numeric == 0 or numeric < 0.5 * len(cells):
        return None  # no label ("5 Conclusion", a wrapped label's second line) or not a row of numbers
    return Row(start, end, " ".join(tokens[:cut]), cells)


def _scores(cells: tuple[str, ...]) -> list[tuple[int, float, str]]:
    """(cell index, value, token) of the cells that hold a score (not params, FLOPs, speed, deltas)."""
    out: list[tuple[int, float, str]] = []
    skip_next = False
    for k, tok in enumerate(cells):
        if skip_next:
            skip_next = False
            continue
        if tok in ("±", "+-"):
            skip_next = True
            continue
        if tok.startswith("(") or _NOT_SCORE.match(tok):
            continue
        for part in tok.split("/"):
            m = _CELL.match(part)
            if m and 0 < float(m.group("v")) <= 100:
                out.append((k, float(m.group("v")), part))
    decimals = [o for o in out if "." in o[2]]
    return decimals if decimals else out  # integer cells next to decimal scores are counts, not scores



def table_results(
    page: PageDoc, own: list[str], main_dataset: str | None, footing: str = "", layouts: Layouts | None = None
) -> list[Result]:
    """Results of the own-model rows of the tables on ``page``. ``layouts`` gives the page's word lines
    (read only when a table has an own row); without them header entities are mapped by count."""
    results: list[Result] = []
    for table, block, own_rows in own_tables(page, own, main_dataset, footing, layouts):
        results.extend(_block_results(table, block, own) if own_rows else _column_results(table, block, own))
    return results


def own_tables(
    page: PageDoc, own: list[str], main_dataset: str | None, footing: str = "", layouts: Layouts | None = None
) -> Iterator[tuple[Table, list[Row], bool]]:
    """The tables of ``page`` with an own-model row (third item True) or an own-model column (False)."""
    spans = _line_spans(page.text)
    rows = [_parse_row(page.text, s, e) for s, e in spans]
    k = 0
    while k < len(spans):
        if rows[k] is None:
            k += 1
            continue
        block_start = k
        while k < len(spans) and rows[k] is not None:
            k += 1
        block = [r for r in rows[block_start:k] if r is not None]
        if len(block) < 2 and not (block and mentions_own(block[0].label, own)):
            continue
        header = _header_above(page.text, spans, rows, block_start)
        own_rows = any(mentions_own(r.label, own) for r in block)
        if not own_rows and not (any(_benchmark_row(r) for r in block) and any(
                mentions_own(word, own) for word in _table_above(page.text, spans, block_start).split())):
            continue  # no own row and no own column: nothing of this table is kept
        lines = layouts.lines(page.number) if layouts is not None else None
        caption = _nearest_caption(page.text, spans, block_start, k)
        yield Table(page, header, caption, main_dataset, footing, place(page.text, block, lines)), block, own_rows


def _benchmark_row(row: Row) -> str | None:
    """The dataset a row of a models-as-columns table is about ("MMLU (Acc.)", "HumanEval"), or None."""
    return most_specific(entities(row.label), names.LABEL_DATASET)


def _column_results(table: Table, block: list[Row], own: list[str]) -> list[Result]:
    """A table whose columns are models and whose rows are benchmarks ("MMLU (Acc.) 5-shot 71.3 ... 78.5"
    under "... LLaMA 3 70B DeepSeek-V2"): the cells under a column headed by an own model. The row names
    the dataset and, if it says, the metric ("BBH (EM)"); else the dataset's conventional one."""
    out: list[Result] = []
    ablation = bool(ABLATION_CONTEXT.search(table.caption))
    for row in block:
        scores = _scores(row.cells)
        # the row's name runs up to its first score: "AIME 2024 (Pass@1) 16.0 ...", "MMLU (Acc.) 5-shot 71.3"
        name = " ".join([row.label, *row.cells[: scores[0][0] if scores else 0]])
        # the dataset nearest the scores is the evaluated one ("ImageNet CIFAR-10 98.13": pre-trained on
        # ImageNet, scored on CIFAR-10)
        ents = entities(name)
        found = [e[1] for e in ents if e[0] == names.LABEL_DATASET]
        if not found:
            continue
        dataset = found[-1]
        metric = most_specific(ents, names.LABEL_METRIC) or default_metric(dataset)
        metric = error_footing(metric, name)
        for idx, value, _tok in scores:
            parts = header_parts(table, row, idx)
            model = next((p for p in reversed(parts or []) if mentions_own(p, own)), None)
            if model is None:
                continue
            confidence = (0.5 if ablation else 0.65) - (0.1 if metric is None else 0.0)
            out.append(
                Result(
                    dataset=dataset,
                    metric=metric,
                    value=value,
                    model=model,
                    page=table.page.number,
                    quote=" ".join(table.page.text[row.start : row.end].split()),
                    char_start=row.start,
                    char_end=row.end,
                    confidence=round(confidence, 2),
                )
            )
    return out


def _table_above(text: str, spans: list[tuple[int, int]], first: int) -> str:
    """The lines above line ``first`` up to a caption or prose: the header of a table, with its earlier
    sections ("Code" under "English") and model names that read as a row ("DeepSeek-V2 67B 72B")."""
    lines: list[str] = []
    for j in range(first - 1, max(-1, first - 40), -1):
        line = text[spans[j][0] : spans[j][1]]
        if _ends_header(line):
            break
        lines.append(line)
    return " ".join(reversed(lines))


def _ends_header(line: str) -> bool:
    """A caption or a line of prose: what lies above a table's header."""
    words = line.split()
    return bool(_CAPTION.match(line)) or sum(1 for w in words if _PROSE_WORD.match(w)) >= 4 or len(words) > 16


def _header_above(text: str, spans: list[tuple[int, int]], rows: list[Row | None], first: int) -> str:
    """The header lines of the table whose first row is line ``first``: the non-row lines just above it
    (skipping stray rows such as a lone "BN*"), up to a caption, a prose line or four lines."""
    lines: list[str] = []
    for j in range(first - 1, max(-1, first - 12), -1):
        line = text[spans[j][0] : spans[j][1]]
        if _ends_header(line):
            break
        if rows[j] is None:
            lines.append(line)
            if len(lines) == 4:
                break
    return " ".join(reversed(lines))


def _nearest_caption(text: str, spans: list[tuple[int, int]], first: int, last: int) -> str:
    best: tuple[int, str] | None = None
    for j in range(max(0, first - 25), min(len(spans), last + 25)):
        s, e = spans[j]
        if _CAPTION.match(text[s:e]):
            d = first - j if j < first else j - last
            nxt = text[spans[j + 1][0] : spans[j + 1][1]] if j + 1 < len(spans) else ""
            if best is None or d < best[0]:
                best = (d, text[s:e] + " " + nxt)
    return best[1] if best else ""


def _continues_group(label: str) -> bool:
    """Does a row right below an own row still belong to it? Not when it cites another work or names
    another method ("R50w4x", "+ mixup", "(b) deeper" continue; "Exemplar [17]", "Relative Position Net"
    do not)."""
    if CITATION.search(label):
        return False
    other_method = label[:1].isupper() and len(label.split()) > 2 and not re.match(r"^[A-Z]?\d|^[+(]", label)
    return not other_method



def _block_results(table: Table, block: list[Row], own: list[str]) -> list[Result]:
    header, caption = table.header, table.caption
    head_ents = entities(header) if header else ()
    cap_ents = entities(caption) if caption else ()
    head_metrics = [e[1] for e in head_ents if e[0] == names.LABEL_METRIC]
    head_data = [e[1] for e in head_ents if e[0] == names.LABEL_DATASET]
    cap_metric = most_specific(cap_ents, names.LABEL_METRIC)
    cap_data = most_specific(cap_ents, names.LABEL_DATASET)
    scored_table = bool(head_metrics or cap_metric)
    ablation_table = bool(ABLATION_CONTEXT.search(caption))
    # The footing of a bare "top-1" column: what the header or caption says, else the paper's convention.
    says = f"{header} {caption}"
    table_says = says if ERROR_WORD.search(says) or ACCURACY_WORD.search(says) else ""
    out: list[Result] = []
    group: str | None = None  # label of the own row that later unlabelled rows continue
    for row in block:
        marked = mentions_own(row.label, own)
        if marked:
            group = row.label
        elif group is None or not _continues_group(row.label):
            group = None
            continue
        total = len(row.cells)
        quote = " ".join(table.page.text[row.start : row.end].split())
        for idx, value, _tok in _scores(row.cells):
            column = by_column(table, row, idx)
            if column is not None and column.cost:
                continue  # a parameter count, FLOPs, latency or time column
            metric = error_footing(_pick(head_metrics, idx, total) or cap_metric, table_says or table.footing)
            dataset = _pick(head_data, idx, total) or cap_data or table.main_dataset
            shared = cap_metric or (head_metrics[0] if len(set(head_metrics)) == 1 else None)
            if column is not None and column.average and not column.dataset:
                # "Avg.": the mean over the table's tasks, not a score on one of them
                metric = f"average {shared}" if shared else "average score"
                dataset = f"{cap_data} (average)" if cap_data else "average over the table's tasks"
            elif column is not None:
                metric = error_footing(column.metric or shared, column.footing or table_says or table.footing)
                dataset = column.dataset or cap_data or table.main_dataset
            metric = resolve_metric(metric, dataset)
            if metric is None and (metric := default_metric(dataset)):
                # "MNLI 86.7": the dataset's conventional metric, on the table's error / accuracy footing
                metric = error_footing(metric, (column.footing if column else "") or table_says or table.footing)
            confidence = _row_confidence(row.label, marked, ablation_table, metric is not None,
                                         scored_table or bool(column and column.metric))
            out.append(
                Result(
                    dataset=dataset,
                    metric=metric,
                    value=value,
                    model=row.label if marked else f"{group} / {row.label}".strip(" /"),
                    page=table.page.number,
                    quote=quote,
                    char_start=row.start,
                    char_end=row.end,
                    confidence=round(confidence, 2),
                )
            )
    return out


def _row_confidence(label: str, marked: bool, ablation_table: bool, has_metric: bool, scored: bool) -> float:
    """How much a table cell is the paper's headline result: an own row's, not an ablation's or a cost's."""
    confidence = 0.7 if marked else (0.4 if ABLATION.match(label) else 0.5)
    if ablation_table or (marked and ABLATION_ROW.search(label)):
        confidence = min(confidence, 0.5)  # an ablation / baseline row, not a headline result
    if not has_metric:
        confidence -= 0.1
    if not scored:
        confidence = min(confidence, 0.45)  # a cost / speed table, not a results table
    return confidence


def _pick(ents: list[str], k: int, n: int) -> str | None:
    """The header entity over cell ``k`` of ``n``: by position when there is one per cell, else aligned
    from the right (label columns such as "#params" sit on the left); a lone entity covers all cells."""
    if not ents:
        return None
    if len(ents) == n:
        return ents[k]
    j = len(ents) - (n - k)
    if 0 <= j < len(ents):
        return ents[j]
    return ents[0] if len(ents) == 1 else None
