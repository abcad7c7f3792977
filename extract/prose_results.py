"""Results stated in prose about the paper's own model: "achieves 28.4 BLEU on ...", "a top-5 error of
2.251%", "BLEU score of 41.0". Table, figure and section numbers, bounds ("by >3%") and changes ("a 26%
relative improvement") are not values.
"""

from __future__ import annotations

import re

from extract import names
from extract.facts import Result
from extract.nlp import PageDoc, load_tools
from extract.own_models import mentions_own
from extract.result_labels import ABLATION_CONTEXT, error_footing

_PROSE_VALUE = re.compile(r"(?<![\w.-])(?P<v>\d{1,3}(?:\.\d+)?)(?![\w-]|\.\d)\s*(?P<pct>%)?")
_PROSE_TRIGGER = re.compile(
    r"(?i)\b(?:top-?[15]|accuracy|error|bleu|f1|\bem\b|exact match|\bap\b|map|perplexity|bpc|bits per|miou|"
    r"score|glue)\b"
)
# Numbers that are not scores: a table, figure, section or equation number, a bound, a change, the
# other side of a comparison ("comparable mAP (23.0 vs 23.2) as SSD300").
_NOT_A_VALUE_BEFORE = re.compile(
    r"(?i)(?:\b(?:table|tab\.|figure|fig\.|section|sec\.|eq\.|equation|appendix|row|line)\s*|[<>≤≥]\s*"
    r"|\b(?:vs\.?|versus)\s*"
    r"|\bby\s+(?:about\s+|nearly\s+|over\s+|up\s+to\s+)?|\b(?:than|over)\s+)$"
)
_DELTA_AFTER = re.compile(
    r"(?i)^\s*%?\s*(?:relative|absolute|points?|pp\b|improvement|gain|reduction|lower|higher|better|worse|fewer|"
    r"less|more|faster|slower|of\s+the\s+(?:gap|improvement))"
)
_CLAIM = re.compile(r"(?i)\b(?:achiev|obtain|reach|establish|improv|attain|set|reduc|yield|get|gets|score)")


def _clause(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the clause around ``start``..``end``: up to the nearest comma or semicolon."""
    lo = max(sentence.rfind(",", 0, start), sentence.rfind(";", 0, start)) + 1
    ends = [i for i in (sentence.find(",", end), sentence.find(";", end)) if i >= 0]
    return lo, min(ends) if ends else len(sentence)


def _nearest(spans: list[tuple[int, int, str]], start: int, end: int, clause: tuple[int, int]) -> str | None:
    """The entity nearest to the characters ``start``..``end``, one in the same clause first ("RACE
    accuracy to 89.4%, the GLUE score to 89.2, and the SQuAD 2.0 F1 to 92.2": each value its own)."""
    inside = [e for e in spans if e[0] >= clause[0] and e[1] <= clause[1]]
    pool = inside or spans
    if not pool:
        return None
    return min(pool, key=lambda e: max(e[0] - end, start - e[1], 0))[2]


def prose_results(page: PageDoc, own: list[str], main_dataset: str | None) -> list[Result]:
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
        datasets = [(e.start_char, e.end_char, e.ent_id_) for e in doc.ents if e.label_ == names.LABEL_DATASET]
        if not metrics:
            continue
        sentence = doc.text
        for m in _PROSE_VALUE.finditer(sentence):
            value = float(m.group("v"))
            near = [mt for mt in metrics if -40 <= mt[0] - m.end() <= 25 or 0 <= m.start() - mt[1] <= 30]
            if not near or value <= 0 or value > 100:
                continue
            if any(d[0] <= m.start() < d[1] for d in datasets):
                continue  # the "2.0" of "SQuAD 2.0"
            if re.match(
                r"\s*(?:x|times|layers?|epochs?|GPUs?|M\b|B\b|K\b|k\b)", sentence[m.end() : m.end() + 8]
            ):
                continue
            if _NOT_A_VALUE_BEFORE.search(sentence[max(0, m.start() - 12) : m.start()]) or _DELTA_AFTER.match(
                    sentence[m.end() : m.end() + 30]):
                continue  # "(Table 9)", "Figure 6", "by >3%", "a 26% relative improvement"
            lo, hi = _clause(sentence, m.start(), m.end())
            near = [mt for mt in near if mt[0] >= lo and mt[1] <= hi] or near
            nearest = min(near, key=lambda mt: min(abs(mt[0] - m.end()), abs(m.start() - mt[1])))
            after = re.split(r"[,;()]", sentence[nearest[1] : nearest[1] + 30])[0]
            metric = error_footing(nearest[2], sentence[nearest[0] : nearest[1]] + after)
            dataset = _nearest(datasets, m.start(), m.end(), _clause(sentence, m.start(), m.end())) or main_dataset
            model = next(
                (hit.group(0) for n in own if (hit := re.search(rf"[\w-]*{re.escape(n)}[\w-]*", sentence))),
                own[0] if own else None,
            )
            out.append(
                Result(
                    dataset=dataset,
                    metric=metric,
                    value=value,
                    model=model,
                    page=page.number,
                    quote=" ".join(page.text[s.start : s.end].split()),
                    char_start=s.start,
                    char_end=s.end,
                    confidence=0.5 if ABLATION_CONTEXT.search(sentence) else 0.6,
                )
            )
    return out
