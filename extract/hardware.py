"""Hardware mentions: accelerator + count + unit, and whether they describe the paper's own training.

Entities come from the spaCy EntityRuler (``patterns/accelerators.jsonl``); this module groups adjacent
ones ("4 GPUs (NVIDIA Tesla V100)", "8 GPUs of NVIDIA M40", "P100 GPUs"), reads the count around them
("8 NVIDIA V100 GPUs", "a single Titan X", "TPUv3 pod with 512 cores", "TPUv3-8", "4 machines with 8 GPUs
each", "8 servers (64 GPUs in total)") and classifies the context with the cue labels: training, or
inference / timing benchmark / related work / acknowledgement (not training runs).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from extract import names
from extract.nlp import CITATION, Entity, PageDoc
from extract.sentences import looks_like_table_row
from extract.timing import NUMBER_WORDS

logger = logging.getLogger(__name__)

_COUNT_WORDS = {k: int(v) for k, v in NUMBER_WORDS.items() if v >= 1 and " " not in k} | {
    "sixty-four": 64,
    "thirty-two": 32,
    "hundred": 100,
    "dozen": 12,
    "twenty-four": 24,
    "sixteen": 16,
}
_NUM = r"\d{1,5}(?:,\d{3})?|" + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True))
_VENDOR = (
    r"(?:NVIDIA|Nvidia|nvidia|NVDIA|Tesla|tesla|GeForce|Geforce|GTX|Quadro|Cloud|cloud|Google|Intel|AMD)"
)
_FILLER = r"(?:same|identical|high-end|modern|local|separate|standard|parallel|dedicated|additional|total|of)"
_LEFT_VENDORS = re.compile(rf"(?:{_VENDOR}\s+)+$")
_LEFT_RANGE = re.compile(rf"(?i)(?<![\w.,-])(?:{_NUM})\s*(?:-|to|or|and)\s*(?:{_NUM})\s*(?:{_FILLER}\s+)*$")
_LEFT_COUNT = re.compile(rf"(?i)(?<![\w.,-])(?P<num>{_NUM})(?P<sep>\s*-\s*|\s*x\s*|\s+)(?:{_FILLER}\s+)*$")
_LEFT_SINGLE = re.compile(r"(?i)\b(?P<art>a|an|one)?\s*single\s+$")
_LEFT_PER = re.compile(r"(?i)(?:\bper|\beach|\bevery|/)\s*-?\s*$")
_LEFT_VAGUE = re.compile(r"(?i)(?:\bmulti|\bmultiple|\bseveral|\bmany|\bmore|\bfewer|\bless)\s*-?\s*$")
_RIGHT_NOT_DEVICE = re.compile(
    r"(?i)^\s*(?:-per-|-?\s*(?:memory|hours?|days?|time|kernels?|utili[sz]ation|friendly|efficient|based|speed|"
    r"throughput|version|code|programming|acceleration|accelerated|support|ram|core-?days|core-?hours|"
    r"chip-?days|chip-?hours)\b)"
)
_RIGHT_GPU_NOUN = re.compile(r"(?i)^\s*(?:GPUs?|graphics cards?|cards?)\b")
_RIGHT_TPU_UNIT = re.compile(r"(?i)^\s*(?P<unit>chips?|cores?|devices?|boards?|pods?|slices?)\b")
_RIGHT_TPU_WITH = re.compile(
    rf"(?i)^\s*(?:pods?|slices?|accelerators?|hardware|devices?)?\s*(?:,\s*)?(?:with|of|containing|using)\s+"
    rf"(?P<num>{_NUM})\s+(?:TPU\s*(?:v\d\s*)?)?(?P<unit>cores?|chips?|devices?)\b"
)
_RIGHT_TPU_PAREN = re.compile(r"(?i)^\s*\(\s*v(?P<gen>[2-5][ep]?)\s*-\s*(?P<num>\d{1,4})\s*\)")
_RIGHT_TPU_SLICE = re.compile(r"^-(?P<num>\d{1,4})\b")
_MACHINES = re.compile(
    rf"(?i)(?<![\w.,-])(?P<m>{_NUM}|a|single)\s+(?:machines?|servers?|nodes?|hosts?|workstations?)\s*,?\s*"
    r"(?:\(\s*)?(?:each\s+)?(?:with|of|having|containing|equipped\s+with)?\s*(?:each\s+)?$"
)
# A per-node count after a count of nodes: "768 DGX H100 nodes; each node contains 8 H100 GPUs", "16x DGX
# A100 nodes (8x A100 80GB)", "2 nodes, each with 8 A100 GPUs", "256 nodes ..., where each node consists of 4x".
_PER_NODE = re.compile(
    rf"(?i)(?<![\w.,-])(?P<m>{_NUM})\s*[x×]?\s+(?:[\w-]+\s+){{0,3}}?(?:nodes?|machines?|servers?|hosts?|systems?)\b"
    r"(?:[^.]{0,60}?\beach\b[^.]{0,40}|[^.]{0,40}?\bper\s+(?:node|machine|server|host)\b[^.]{0,15}|\s*\(\s*)$"
)
_EACH_NODE = re.compile(r"(?i)\beach\s+(?:node|machine|server|host)\b[^.;]{0,60}$")
_TOTAL_AFTER = re.compile(r"(?i)^[^.()]{0,20}\b(?:in\s+total|total)\b")
_EACH_AFTER = re.compile(r"(?i)^\s*(?:GPUs?|cards?)?\s*(?:each|per\s+(?:machine|server|node|host))\b")
_GAP_JOIN = re.compile(rf"^\s*(?:each|in\s+total|total)?\s*(?:\(|of|,)?\s*(?:{_VENDOR}\s+)*$")
_MACHINE_ONLY = re.compile(
    r"(?i)\b(?:on|using|with)\s+(?P<m>a|one|a\s+single|single|\d+)\s+(?:(?:desktop|local|commodity|standard|"
    r"consumer|single)\s+)?(?P<noun>machine|server|workstation|laptop|computer)s?\b(?!\s+(?:learning|translation))"
)
_OWN_STATEMENT = re.compile(
    r"(?i)\bwe\s+(?:\w+\s+){0,3}?(?:train|trained|use|used|pre-?train|fine-?tune|run|ran|adopt|employ|perform)"
    r"|\b(?:our|these|the|all)\s+(?:\w+\s+){0,3}?(?:models?|networks?|experiments?)\s+(?:are|were|is|was)\s+"
    r"(?:\w+\s+)?(?:trained|run|performed|implemented|conducted)"
)
_EXPERIMENTS_RUN = re.compile(
    r"(?i)\b(?:all|our|the)\s+(?:\w+\s+)?experiments\s+(?:are\s+|were\s+)?(?:run|conducted|performed|done)\b"
)
# What a device can hold, not what a run used: "fits on a single GPU", "more memory than is available
# within 16 GPUs", "within the 24GB VRAM capacity of a single GPU".
_CAPACITY = re.compile(
    r"(?i)\bfits?\s+(?:\w+\s+){0,5}?(?:on|in|into|within)\b|\bnot\s+fit\b|\bmemory\s+(?:capacity|footprint)\b"
    r"|\bcapacity\s+of\b|\bmore\s+memory\s+than\b|\bcannot\s+(?:be\s+)?(?:trained|fit|run)\b"
    r"|\b(?:GPUs?\s+(?:or|and|/)\s+TPUs?|TPUs?\s+(?:or|and|/)\s+GPUs?)\b"
)
# What a method makes possible, a conditional example, or a speed comparison, not a run the paper made:
# "can train a trillion-parameter model on just 1024 GPUs", "allows fine-tuning even on a single GPU",
# "For example, if we split ... across two GPUs", "Using two GPUs makes training 64% faster". (A modal
# alone is not enough: "it could be trained on a TPUv3 with 8 cores in approximately 30 days" states the
# paper's own model's cost.)
_HYPOTHETICAL = re.compile(
    r"(?i)\b(?:even|just)\s+(?:on|with|using)\b|\b(?:on|with|using)\s+just\b|\ballows?\s+(?:for\s+)?(?:\w+\s+){0,3}?(?:training|fine-?tuning)\b"
    r"|^\W*(?:for\s+example|for\s+instance|e\.g\.)[\s,]+if\b|\b\d+(?:\.\d+)?\s*%\s+(?:faster|slower)\b"
    r"|\b(?:faster|slower)\s+than\b|\bspeed-?ups?\s+of\b|\b(?:weak|strong)\s+scaling\b|\bof\s+linear\s+scaling\b"
)
_FOOTNOTE_MARK = re.compile(r"(?i)(GPUs?|TPUs?|CPUs?)\d+$")


@dataclass(frozen=True, slots=True)
class HardwareMention:
    """A device mention in one sentence, with its reading and context.

    ``context`` is ``training`` (the paper's own run), or ``inference`` (latency / speed benchmark),
    ``related`` (someone else's work), ``thanks`` (acknowledgement), ``unclear`` (no training cue).
    """

    page: int
    sentence: int
    start: int
    end: int
    accelerator: str | None
    text: str
    count: int | None
    count_unit: str | None
    count_source: str
    context: str
    confidence: float
    claims_training: bool = False  # a training cue at the mention, or a statement of the paper's own run
    states_own: bool = False  # the sentence states the paper's own run ("We trained ...", "All experiments run")


def _count_value(word: str) -> int | None:
    w = word.lower().replace(",", "")
    if w in _COUNT_WORDS:
        return _COUNT_WORDS[w]
    return int(w) if w.isdigit() else None


def _groups(ents: list[Entity], text: str) -> list[list[Entity]]:
    groups: list[list[Entity]] = []
    for ent in ents:
        if groups and _GAP_JOIN.match(text[groups[-1][-1].end : ent.start]):
            last = groups[-1][-1]
            same_kind = (last.key == names.GENERIC_GPU) != (ent.key == names.GENERIC_GPU) or (
                last.key.startswith("google-tpu") and ent.key.startswith("google-tpu")
            )
            if same_kind:
                groups[-1].append(ent)
                continue
        groups.append([ent])
    return groups


def _read_group(page: PageDoc, i: int, group: list[Entity]) -> HardwareMention | None:
    text = page.text
    sent = page.sentences[i]
    keys = [e.key for e in group]
    named = [k for k in keys if k not in (names.GENERIC_GPU, "google-tpu")]
    accelerator = named[0] if named else ("google-tpu" if "google-tpu" in keys else None)
    if "cpu" in keys and accelerator in (None, "cpu"):
        accelerator = "cpu"
    start, end = group[0].start, group[-1].end
    vend = _LEFT_VENDORS.search(text, sent.start, start)
    if vend:
        start = vend.start()
    right = text[end : min(sent.end, end + 80)]
    if _RIGHT_NOT_DEVICE.match(right):
        return None
    if group[-1].key != names.GENERIC_GPU and (m := _RIGHT_GPU_NOUN.match(right)):
        end += m.end()
        right = text[end : min(sent.end, end + 80)]
    if _LEFT_PER.search(text, sent.start, start):
        return None
    tpu = names.is_tpu(accelerator)
    unit = "tpu_chip" if tpu else ("cpu" if accelerator == "cpu" else "gpu")
    if tpu and "cloud" in text[start:end].lower():
        unit = "tpu_device"
    accelerator, count, unit, source, end = _tpu_count(right, accelerator, tpu, unit, end)
    vague = _LEFT_RANGE.search(text, sent.start, start) or _LEFT_VAGUE.search(text, sent.start, start)
    if count is None and not vague:
        count, source, start = _left_count(text, sent.start, start)
    if count is not None:
        count, source = _scaled_count(text, sent.start, start, end, group, count, source)
    if text.count("(", start, end) > text.count(")", start, end) and text[end : end + 1] == ")":
        end += 1
    if accelerator in (None, "cpu") and count is None:
        return None  # "GPUs" / "CPU" without a number says nothing about a run
    context, confidence = _classify(page, i, start, end, accelerator, source)
    train_labels = {names.CUE_TRAIN, names.CUE_PRETRAIN, names.CUE_FINETUNE, names.CUE_SEARCH}
    own = bool(_OWN_STATEMENT.search(page.sentence_text(i)) or _EXPERIMENTS_RUN.search(page.sentence_text(i)))
    claims = own or _nearest(page, i, train_labels, (start + end) // 2, strong=True) is not None
    return HardwareMention(
        page=page.number,
        sentence=i,
        start=start,
        end=end,
        accelerator=accelerator,
        text=_FOOTNOTE_MARK.sub(r"\1", " ".join(text[start:end].split())),
        count=count,
        count_unit=unit,
        count_source=source,
        context=context,
        confidence=confidence,
        claims_training=claims,
        states_own=own,
    )


def _tpu_count(right: str, accelerator: str | None, tpu: bool, unit: str, end: int
               ) -> tuple[str | None, int | None, str, str, int]:
    """A TPU's count and unit from the words after it: "TPU v3 with 128 cores", "TPU (v3-256)", "v3-512"."""
    if tpu and (m := _RIGHT_TPU_WITH.match(right)):
        return accelerator, _count_value(m.group("num")), _tpu_unit(m.group("unit")), "with", end + m.end()
    if accelerator == "google-tpu" and (m := _RIGHT_TPU_PAREN.match(right)):
        # "TPU (v3-256) pods": generation and cores
        return f"google-tpu-v{m.group('gen').lower()}", int(m.group("num")), "tpu_core", "slice", end + m.end()
    if tpu and (m := _RIGHT_TPU_SLICE.match(right)):
        return accelerator, int(m.group("num")), "tpu_core", "slice", end + m.end()
    if tpu and (m := _RIGHT_TPU_UNIT.match(right)):
        return accelerator, None, _tpu_unit(m.group("unit")), "none", end + m.end()
    return accelerator, None, unit, "none", end


def _left_count(text: str, sent_start: int, start: int) -> tuple[int | None, str, int]:
    """The count before the device ("8 V100", "a single GPU", "an A100"), its kind, and where it starts."""
    if (m := _LEFT_COUNT.search(text, sent_start, start)) and (value := _count_value(m.group("num"))):
        if m.group("num").lower() in ("a", "an"):
            return (None, "none", m.start("num")) if m.group("sep").strip() else (value, "article", m.start("num"))
        return value, "number", m.start("num")
    if m := _LEFT_SINGLE.search(text, sent_start, start):
        return 1, "single", m.start() if m.group("art") is None else m.start("art")
    return None, "none", start


def _scaled_count(text: str, sent_start: int, start: int, end: int, group: list[Entity], count: int,
                  source: str) -> tuple[int | None, str]:
    """The count over machines or nodes: "4 machines with 8 GPUs each" is 32; a node's make-up is none."""
    if mm := _MACHINES.search(text, sent_start, start):
        machines = _count_value(mm.group("m")) or 1
        each_inside = re.search(r"\beach\b", text[group[0].end : group[-1].start])
        if machines > 1 and (each_inside or _EACH_AFTER.match(text[end : end + 30])):
            count, source = count * machines, "machines"
    if source not in ("machines", "slice") and (pn := _PER_NODE.search(text, sent_start, start)):
        nodes = _count_value(pn.group("m")) or 1
        # in parentheses only "8x A100" is per node; "8 servers (64 GPUs)" is the total
        paren_total = pn.group(0).rstrip().endswith("(") and not re.match(r"\d+\s*[x×]", text[start : start + 8])
        if nodes > 1 and not paren_total and not _TOTAL_AFTER.match(text[end : end + 30]):
            count, source = count * nodes, "machines"  # "256 nodes, where each node consists of 4x MI250X GPUs"
    if source not in ("machines", "slice") and _EACH_NODE.search(text, sent_start, start):
        return None, source  # "Each node in the H800 cluster contains 8 GPUs": one node's make-up, not the run's
    return count, source


def _tpu_unit(word: str) -> str:
    w = word.lower()
    if w.startswith("core"):
        return "tpu_core"
    if w.startswith(("device", "board")):
        return "tpu_device"
    return "tpu_chip"


def _nearest(page: PageDoc, i: int, labels: set[str], pos: int, strong: bool = False) -> int | None:
    best: int | None = None
    for label, s, e in page.cue_spans[i]:
        if label not in labels:
            continue
        if strong and not page.is_strong_cue(label, s, e):
            continue
        d = 0 if s <= pos < e else min(abs(s - pos), abs(e - pos))
        best = d if best is None else min(best, d)
    return best


def _classify(
    page: PageDoc, i: int, start: int, end: int, accelerator: str | None, source: str
) -> tuple[str, float]:
    cues = page.cues[i]
    sentence = page.sentence_text(i)
    mid = (start + end) // 2
    train_labels = {names.CUE_TRAIN, names.CUE_PRETRAIN, names.CUE_FINETUNE, names.CUE_SEARCH}
    if names.CUE_THANKS in cues:
        used = re.search(r"(?i)\bused\b|\bthis (?:research|work)\b", sentence)
        return ("training", 0.55) if accelerator and used else ("thanks", 0.3)
    if looks_like_table_row(sentence):
        return "table", 0.3  # a device column of a table: read by extract.tables, not here
    related = (
        names.CUE_RELATED in cues
        and not _OWN_STATEMENT.search(sentence)
        and (CITATION.search(sentence) or "et al" in sentence or names.CUE_OURS not in cues)
    )
    # A statement carrying a citation and no word of the authors' own is another work's ("BERT can be
    # trained in 67 minutes on 1024 GPUs [26].").
    cited = cites_near(page, i, mid) and names.CUE_OURS not in cues and not _OWN_STATEMENT.search(sentence)
    if related or cited:
        return "related", 0.2
    if not_a_run(sentence):
        return "hypothetical", 0.25
    strong = _nearest(page, i, train_labels, mid, strong=True)
    if names.CUE_INFERENCE in cues:
        inf = _nearest(page, i, {names.CUE_INFERENCE}, mid)
        if strong is None or (inf is not None and inf < strong):
            return "inference", 0.25
    confidence = 0.0
    if strong is not None or cues & train_labels:
        confidence = 0.8 if strong is not None else 0.7
    else:
        para = _paragraph_neighbours(page, i)
        if any(page.cues[j] & train_labels and names.CUE_INFERENCE not in page.cues[j] for j in para):
            confidence = 0.55
    if not confidence:
        return "unclear", 0.3
    if accelerator:
        confidence += 0.05
    if source in ("number", "single", "with", "slice", "machines"):
        confidence += 0.05
    elif source == "article" and accelerator is None:
        confidence = min(confidence, 0.45)  # "a few hours on a GPU": too vague to report
    return "training", round(min(confidence, 0.95), 2)


def not_a_run(sentence: str) -> bool:
    """What a device can hold, what could be done, an example or a speed comparison, with no statement
    of the authors' own run in the sentence."""
    return not _OWN_STATEMENT.search(sentence) and bool(_CAPACITY.search(sentence) or _HYPOTHETICAL.search(sentence))


def cites_near(page: PageDoc, i: int, pos: int, reach: int = 100) -> bool:
    """A citation ("[26]", "(Goyal et al., 2017)") within `reach` characters of `pos` in sentence `i`
    (a long sentence may list several statements: only the nearby citation speaks for this one)."""
    sent = page.sentences[i]
    return any(abs((m.start() + m.end()) // 2 - pos) <= reach
               for m in CITATION.finditer(page.text, sent.start, sent.end))


def _paragraph_neighbours(page: PageDoc, i: int) -> list[int]:
    out: list[int] = []
    if i > 0 and not page.sentences[i - 1].para_end:
        out.append(i - 1)
    if i + 1 < len(page.sentences) and not page.sentences[i].para_end:
        out.append(i + 1)
    return out


def find_hardware(page: PageDoc) -> list[HardwareMention]:
    """Every device mention on the page with its count, unit and context."""
    mentions: list[HardwareMention] = []
    for i, ents in enumerate(page.entities):
        if page.bibliography[i]:
            continue
        accel = [e for e in ents if e.label == names.LABEL_ACCELERATOR]
        found = [m for g in _groups(accel, page.text) if (m := _read_group(page, i, g))]
        if not found and any(page.cues[i] & {names.CUE_TRAIN}):
            found.extend(_machine_only(page, i))
        mentions.extend(_drop_redundant(found))
    return mentions


def _machine_only(page: PageDoc, i: int) -> list[HardwareMention]:
    s = page.sentences[i]
    out = []
    for m in _MACHINE_ONLY.finditer(page.text, s.start, s.end):
        count = _count_value(m.group("m").split()[-1]) or 1
        context, conf = _classify(page, i, m.start(), m.end(), None, "number")
        if context == "training":
            out.append(
                HardwareMention(
                    page.number,
                    i,
                    m.start("m"),
                    m.end(),
                    None,
                    " ".join(page.text[m.start("m") : m.end()].split()),
                    count,
                    "machine",
                    "number",
                    context,
                    min(conf, 0.55),
                )
            )
    return out


def _drop_redundant(found: list[HardwareMention]) -> list[HardwareMention]:
    """A generic "four-GPU" next to "four K20 GPUs" in one sentence is the same hardware."""
    named_counts = {(m.count, m.count_unit) for m in found if m.accelerator}
    return [m for m in found if m.accelerator or (m.count, m.count_unit) not in named_counts]
