"""Benchmark results of the paper's own models, from table rows and from prose.

Tables: PDFium keeps a table row on one line ("CircleLoss (ours) 97.81 98.17 98.50"). A block of such
lines is a table; a row whose label names an own model (:mod:`extract.own_models`) or says "ours" /
"this paper" gives one result per score cell, and rows right below it without a citation continue it
("MoCo R50 24 60.6" / "R50w2x 94 65.4"). Dataset and metric come from the header lines above the block
(mapped to cells from the right when the counts allow), else from the table caption.

Prose: "achieves 28.4 BLEU on ...", "a top-5 error of 2.251%", "BLEU score of 41.0" in sentences about
the paper's own model.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from extract import names
from extract.facts import Result
from extract.nlp import CITATION, PageDoc, load_tools
from extract.own_models import mentions_own

logger = logging.getLogger(__name__)

MAX_RESULTS = 80
_CELL = re.compile(r"^(?P<v>\d{1,3}(?:\.\d+)?)(?P<pct>%)?[*†‡?∗]*(?:±[\d.]+)?(?:\([^)]*\)?)?[*†‡?∗]*[,;]?$")
_NOT_SCORE = re.compile(r"(?i)^[\d.,]+(?:[kmbgt]|ms|s|x|fps|h|gb|mb|k)\b|^[\d.,]+(?:[kmbgt]|ms|x|fps)$")
_NUMERIC = re.compile(r"^[(\[]?[-+~]?\d[\d.,]*")
_CAPTION = re.compile(r"(?i)^\s*table\s*\d+\s*[.:]")
_PROSE_WORD = re.compile(r"^[a-z]{4,}[,.;:]?$")
_MULTIPLIER = re.compile(r"^\d+(?:\.\d+)?x$")
_PLACEHOLDER = frozenset({"-", "--", "—", "–", "n/a", "N/A", "x", "X"})


@dataclass(frozen=True, slots=True)
class _Row:
    start: int
    end: int
    label: str
    cells: tuple[str, ...]  # every cell token after the label (placeholders included)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _parse_row(text: str, start: int, end: int) -> _Row | None:
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
    return _Row(start, end, " ".join(tokens[:cut]), cells)


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


@lru_cache(maxsize=4096)
def _entities(text: str) -> tuple[tuple[str, str, str], ...]:
    doc = load_tools().nlp(text)
    return tuple(
        (e.label_, e.ent_id_ or e.text, e.text)
        for e in doc.ents
        if e.label_ in (names.LABEL_DATASET, names.LABEL_METRIC)
    )


_ABLATION = re.compile(r"(?i)^(?:w/o|without|with|no|\+|-|\(|half|double|only)\b")
#: a table or sentence about ablations / variants / baselines: its numbers are not the headline results
_ABLATION_CONTEXT = re.compile(
    r"(?i)\bablations?\b|\bablative\b|\bablating\b|\bw/o\b|\bvariants? of\b|\bdesign choices\b"
)
_ABLATION_ROW = re.compile(r"(?i)\bw/o\b|\bwithout\b|\bbaseline\b")


_ERROR_WORD = re.compile(r"(?i)\berr(?:or|ors|\.)?\b|\berror\s+rates?\b")
_ACCURACY_WORD = re.compile(r"(?i)\bacc(?:uracy|\.)?\b")
_AS_ERROR = {"top-1 accuracy": "top-1 error", "top-5 accuracy": "top-5 error", "accuracy": "error"}


def error_footing(metric: str | None, context: str) -> str | None:
    """`metric` on the footing its context gives: a "top-1" column under a header or caption that speaks
    of error ("top-1/top-5 err.", "Error rates (%) on ImageNet") is the top-1 error, not the accuracy."""
    if metric in _AS_ERROR and _ERROR_WORD.search(context) and not _ACCURACY_WORD.search(context):
        return _AS_ERROR[metric]
    return metric


_TOPK_ERROR = re.compile(r"(?i)\btop-?\s?[15]\s+(?:(?:test|val|validation|single-crop|center-crop)\s+)?err")
_TOPK_ACCURACY = re.compile(r"(?i)\btop-?\s?[15]\s+(?:(?:test|val|validation|single-crop|center-crop)\s+)?acc")


def paper_footing(text: str) -> str:
    """"error" when the paper speaks of top-k error and never of top-k accuracy (its bare "top-1"
    columns are then error rates), else ""."""
    return "error" if _TOPK_ERROR.search(text) and not _TOPK_ACCURACY.search(text) else ""


def _most_specific(ents: tuple[tuple[str, str, str], ...], label: str) -> str | None:
    """The entity of ``label`` with the longest surface text ("WMT 2014 English-German" over "WMT")."""
    found = [e for e in ents if e[0] == label]
    return max(found, key=lambda e: len(e[2]))[1] if found else None


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


def _table_results(page: PageDoc, own: list[str], main_dataset: str | None, footing: str = "") -> list[Result]:
    spans = _line_spans(page.text)
    rows = [_parse_row(page.text, s, e) for s, e in spans]
    results: list[Result] = []
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
        caption = _nearest_caption(page.text, spans, block_start, k)
        results.extend(_block_results(page, block, header, caption, own, main_dataset, footing))
    return results


def _header_above(text: str, spans: list[tuple[int, int]], rows: list[_Row | None], first: int) -> str:
    """The header lines of the table whose first row is line ``first``: the non-row lines just above it
    (skipping stray rows such as a lone "BN*"), up to a caption, a prose line or four lines."""
    lines: list[str] = []
    for j in range(first - 1, max(-1, first - 12), -1):
        line = text[spans[j][0] : spans[j][1]]
        words = line.split()
        if _CAPTION.match(line) or sum(1 for w in words if _PROSE_WORD.match(w)) >= 4 or len(words) > 16:
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


def _block_results(
    page: PageDoc, block: list[_Row], header: str, caption: str, own: list[str], main_dataset: str | None,
    footing: str = "",
) -> list[Result]:
    head_ents = _entities(header) if header else ()
    cap_ents = _entities(caption) if caption else ()
    head_metrics = [e[1] for e in head_ents if e[0] == names.LABEL_METRIC]
    head_data = [e[1] for e in head_ents if e[0] == names.LABEL_DATASET]
    cap_metric = _most_specific(cap_ents, names.LABEL_METRIC)
    cap_data = _most_specific(cap_ents, names.LABEL_DATASET)
    scored_table = bool(head_metrics or cap_metric)
    ablation_table = bool(_ABLATION_CONTEXT.search(caption))
    # The footing of a bare "top-1" column: what the header or caption says, else the paper's convention.
    table_says = f"{header} {caption}" if _ERROR_WORD.search(f"{header} {caption}") or _ACCURACY_WORD.search(
        f"{header} {caption}") else ""
    out: list[Result] = []
    group: str | None = None  # label of the own row that later unlabelled rows continue
    for row in block:
        marked = mentions_own(row.label, own)
        if marked:
            group = row.label
        elif group is None or not _continues_group(row.label):
            group = None
            continue
        scores = _scores(row.cells)
        total = len(row.cells)
        quote = " ".join(page.text[row.start : row.end].split())
        for idx, value, _tok in scores:
            metric = error_footing(_pick(head_metrics, idx, total) or cap_metric, table_says or footing)
            dataset = _pick(head_data, idx, total) or cap_data or main_dataset
            confidence = 0.7 if marked else (0.4 if _ABLATION.match(row.label) else 0.5)
            if ablation_table or (marked and _ABLATION_ROW.search(row.label)):
                confidence = min(confidence, 0.5)  # an ablation / baseline row, not a headline result
            if metric is None:
                confidence -= 0.1
            if not scored_table:
                confidence = min(confidence, 0.45)  # a cost / speed table, not a results table
            out.append(
                Result(
                    dataset=dataset,
                    metric=metric,
                    value=value,
                    model=row.label if marked else f"{group} / {row.label}".strip(" /"),
                    page=page.number,
                    quote=quote,
                    char_start=row.start,
                    char_end=row.end,
                    confidence=round(confidence, 2),
                )
            )
    return out


_PROSE_VALUE = re.compile(r"(?<![\w.-])(?P<v>\d{1,3}(?:\.\d+)?)(?![\w-]|\.\d)\s*(?P<pct>%)?")
_PROSE_TRIGGER = re.compile(
    r"(?i)\b(?:top-?[15]|accuracy|error|bleu|f1|\bem\b|exact match|\bap\b|map|perplexity|bpc|bits per|miou|"
    r"score|glue)\b"
)
# Numbers that are not scores: a table, figure, section or equation number, a bound, a change.
_NOT_A_VALUE_BEFORE = re.compile(
    r"(?i)(?:\b(?:table|tab\.|figure|fig\.|section|sec\.|eq\.|equation|appendix|row|line)\s*|[<>≤≥]\s*"
    r"|\bby\s+(?:about\s+|nearly\s+|over\s+|up\s+to\s+)?|\b(?:than|over)\s+)$"
)
_DELTA_AFTER = re.compile(
    r"(?i)^\s*%?\s*(?:relative|absolute|points?|pp\b|improvement|gain|reduction|lower|higher|better|worse|fewer|"
    r"less|more|faster|slower|of\s+the\s+(?:gap|improvement))"
)
_CLAIM = re.compile(r"(?i)\b(?:achiev|obtain|reach|establish|improv|attain|set|reduc|yield|get|gets|score)")


def _prose_results(page: PageDoc, own: list[str], main_dataset: str | None) -> list[Result]:
    tools = load_tools()
    picked = []
    for i, s in enumerate(page.sentences):
        text = page.text[s.start : s.end]
        if page.bibliography[i] or not _PROSE_TRIGGER.search(text) or not _CLAIM.search(text):
            continue
        own_sentence = bool(re.search(r"(?i)\b(?:we|our)\b", text)) or mentions_own(text, own)
        if own_sentence and not re.search(r"(?i)\bet al\b", text):
            picked.append(i)
    out: list[Result] = []
    texts = [page.text[page.sentences[i].start : page.sentences[i].end].replace("\n", " ") for i in picked]
    for i, doc in zip(picked, tools.nlp.pipe(texts), strict=True):
        s = page.sentences[i]
        metrics = [(e.start_char, e.end_char, e.ent_id_) for e in doc.ents if e.label_ == names.LABEL_METRIC]
        datasets = [e.ent_id_ for e in doc.ents if e.label_ == names.LABEL_DATASET]
        if not metrics:
            continue
        sentence = doc.text
        for m in _PROSE_VALUE.finditer(sentence):
            value = float(m.group("v"))
            near = [mt for mt in metrics if -40 <= mt[0] - m.end() <= 25 or 0 <= m.start() - mt[1] <= 30]
            if not near or value <= 0 or value > 100:
                continue
            if re.match(
                r"\s*(?:x|times|layers?|epochs?|GPUs?|M\b|B\b|K\b|k\b)", sentence[m.end() : m.end() + 8]
            ):
                continue
            if _NOT_A_VALUE_BEFORE.search(sentence[max(0, m.start() - 12) : m.start()]) or _DELTA_AFTER.match(
                    sentence[m.end() : m.end() + 30]):
                continue  # "(Table 9)", "Figure 6", "by >3%", "a 26% relative improvement"
            nearest = min(near, key=lambda mt: min(abs(mt[0] - m.end()), abs(m.start() - mt[1])))
            metric = error_footing(nearest[2], sentence[nearest[0] : nearest[1] + 14])
            model = next(
                (m.group(0) for n in own if (m := re.search(rf"[\w-]*{re.escape(n)}[\w-]*", sentence))),
                own[0] if own else None,
            )
            out.append(
                Result(
                    dataset=datasets[0] if datasets else main_dataset,
                    metric=metric,
                    value=value,
                    model=model,
                    page=page.number,
                    quote=" ".join(page.text[s.start : s.end].split()),
                    char_start=s.start,
                    char_end=s.end,
                    confidence=0.5 if _ABLATION_CONTEXT.search(sentence) else 0.6,
                )
            )
    return out


def _main_dataset(docs: list[PageDoc]) -> str | None:
    counts: dict[str, int] = {}
    for d in docs[:2]:
        for ents in d.entities:
            for e in ents:
                if e.label == names.LABEL_DATASET:
                    counts[e.key] = counts.get(e.key, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def find_results(docs: list[PageDoc], own: list[str]) -> list[Result]:
    """The results of the paper's own models (``own``: their names), best-supported first, at most
    ``MAX_RESULTS``."""
    main = _main_dataset(docs)
    footing = paper_footing(" ".join(d.text for d in docs))
    results: list[Result] = []
    for d in docs:
        results.extend(_table_results(d, own, main, footing))
        results.extend(_prose_results(d, own, main))
    seen: set[tuple[object, ...]] = set()
    unique = []
    for r in sorted(results, key=lambda r: -r.confidence):
        key = (r.value, r.dataset, r.metric, r.model)
        if key not in seen:
            seen.add(key)
            unique.append(r)
    logger.debug("own models %s: %d results", own, len(unique))
    return unique[:MAX_RESULTS]
