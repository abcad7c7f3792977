"""The spaCy layer: a blank English pipeline with an EntityRuler and a cue Matcher, both from data files.

``patterns/accelerators.jsonl`` (and the dataset / metric files) feed one EntityRuler whose pattern ``id``
is the canonical name (``nvidia-v100``, ``google-tpu-v3``, ``gpu`` for a generic GPU). ``patterns/cues.jsonl``
feeds a PhraseMatcher that tags context words (training, pre-training, inference, related work,
acknowledgements, first person); matches may overlap, unlike entities. No model download is needed.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.util import compile_infix_regex, compile_suffix_regex

from extract.names import CUE_TRAIN
from extract.sentences import Sentence, split_sentences

logger = logging.getLogger(__name__)

#: A citation: "[12]", "[3, 7]", "(Smith et al., 2019)".
CITATION = re.compile(r"\[\d+(?:\s*[,-]\s*\d+)*\]|\(\w[\w\s.&]*?et al\.?,?\s*\d{4}\)")
_STRONG_TRAIN = re.compile(r"(?i)^(?:re)?train|^pre-?train|^fine-?tun")

ENTITY_PATTERN_FILES = ("accelerators.jsonl", "datasets.jsonl", "metrics.jsonl")
CUE_PATTERN_FILE = "cues.jsonl"


def load_patterns(name: str) -> list[dict[str, Any]]:
    """Read one ``extract/patterns/*.jsonl`` file (package data)."""
    text = resources.files("extract").joinpath("patterns", name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@dataclass(frozen=True, slots=True)
class Tools:
    nlp: Language
    cue_matcher: PhraseMatcher


@lru_cache(maxsize=1)
def load_tools() -> Tools:
    """Build (once per process) the blank pipeline with its EntityRuler and the cue Matcher."""
    nlp = spacy.blank("en")
    tokenizer: Any = nlp.tokenizer  # spaCy types it as a callable; it is a Tokenizer
    # "a single Titan X." must end in the token "X", not "X." (the default keeps an initial's period)
    suffixes = [*(nlp.Defaults.suffixes or ()), r"(?<=[A-Z])\."]
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    # "MBPP(Pass@1)": a bracket glued between words opens a new token, as in "MBPP (Pass@1)"
    infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[A-Za-z0-9])\((?=[A-Za-z])"]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "validate": True})
    for name in ENTITY_PATTERN_FILES:
        ruler.add_patterns(load_patterns(name))  # type: ignore[attr-defined]
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_label: dict[str, list[str]] = {}
    for row in load_patterns(CUE_PATTERN_FILE):
        by_label.setdefault(row["label"], []).append(row["pattern"])
    for label, phrases in by_label.items():
        matcher.add(label, list(tokenizer.pipe(phrases)))
    return Tools(nlp=nlp, cue_matcher=matcher)


@dataclass(frozen=True, slots=True)
class Entity:
    """An EntityRuler match: ``label`` (ACCELERATOR, DATASET, METRIC), canonical ``key``, char span."""

    label: str
    key: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class PageDoc:
    """One page with its sentences, entities and cue labels, all indexed by sentence."""

    number: int
    text: str
    sentences: list[Sentence]
    entities: list[list[Entity]] = field(default_factory=list)
    cues: list[set[str]] = field(default_factory=list)
    cue_spans: list[list[tuple[str, int, int]]] = field(default_factory=list)
    bibliography: list[bool] = field(default_factory=list)
    after_references: bool = False  # a page after the one the references start on: appendix, supplement

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.text[s.start : s.end]

    def is_strong_cue(self, label: str, start: int, end: int) -> bool:
        """A cue that says *training* itself ("trained", "pre-train", "fine-tuning", "search"), as opposed
        to words that merely go with training ("batch size", "took", "epochs")."""
        return label != CUE_TRAIN or bool(_STRONG_TRAIN.match(self.text[start:end]))


# Cheap prefilter: only sentences naming a device or a duration (and their neighbours, for context cues)
# go through spaCy; the patterns, not this regex, decide what is a mention.
TRIGGER = re.compile(
    r"(?i)gpu|tpu|cpu|titan|tesla|nvidia|nvdia|quadro|geforce|gtx|rtx|volta|xeon|graphics card"
    r"|\b[kmpvaht]\d0\d?|machine|server|node|workstation|laptop|desktop"
    r"|hour|\bhrs?\b|\d\s?h\b|day|week|month|minute|\bmins?\b"
)
CONTEXT = 2


def annotate_page(number: int, text: str, *, trigger: re.Pattern[str] = TRIGGER) -> PageDoc:
    """Split ``text`` into sentences and tag entities and cues in the sentences ``trigger`` selects."""
    tools = load_tools()
    sentences = split_sentences(text)
    page = PageDoc(
        number=number,
        text=text,
        sentences=sentences,
        entities=[[] for _ in sentences],
        cues=[set() for _ in sentences],
        cue_spans=[[] for _ in sentences],
        bibliography=[False for _ in sentences],
    )
    hits = [i for i, s in enumerate(sentences) if trigger.search(text, s.start, s.end)]
    chosen = sorted({j for i in hits for j in range(i - CONTEXT, i + CONTEXT + 1) if 0 <= j < len(sentences)})
    vocab = tools.nlp.vocab
    texts = (text[sentences[i].start : sentences[i].end].replace("\n", " ") for i in chosen)
    for i, doc in zip(chosen, tools.nlp.pipe(texts, batch_size=64), strict=True):
        offset = sentences[i].start
        for ent in doc.ents:
            page.entities[i].append(
                Entity(
                    ent.label_,
                    ent.ent_id_ or ent.text.lower(),
                    offset + ent.start_char,
                    offset + ent.end_char,
                    ent.text,
                )
            )
        matches = [(vocab.strings[m], start, end) for m, start, end in tools.cue_matcher(doc)]
        for label, start, end in matches:
            if any(s <= start and end <= e and (e - s) > (end - start) for _, s, e in matches):
                continue  # "speed" inside "speed up training" is not an inference cue
            span = doc[start:end]
            page.cues[i].add(label)
            page.cue_spans[i].append((label, offset + span.start_char, offset + span.end_char))
    return page


_REFERENCES_HEADING = re.compile(
    r"(?m)^\s*(?:\d+\.?\s*)?(?:References|REFERENCES|Bibliography|BIBLIOGRAPHY)\s*$"
)
_APPENDIX_HEADING = re.compile(
    r"(?m)^\s*(?:Appendix|APPENDIX|Appendices|APPENDICES|Supplementary|SUPPLEMENTARY|Supplemental)\b[^,\n]{0,60}$"
    r"|^\s*[A-H](?:\.\d+)*\.?\s+[A-Z][A-Za-z-]+(?:\s+[A-Za-z-]+){0,7}\s*$"
)
_BIB_ENTRY = re.compile(
    r"(?i)arxiv|preprint|\bproceedings\b|\bin\s+(?:advances|conference|international|nips|icml|cvpr|iclr|"
    r"eccv|iccv|neurips|acl|emnlp|aaai|ijcai)\b|\bjournal\b|\bpp\.\s*\d|\bvol\.\s*\d|\d+\(\d+\):\d+"
)


def mark_bibliography(pages: list[PageDoc]) -> None:
    """Flag sentences in the reference list (from a "References" heading to an appendix heading)."""
    in_refs = False
    refs_page: int | None = None
    for page in pages:
        page.after_references = refs_page is not None and page.number > refs_page
        start = 0 if in_refs else None
        if not in_refs and (m := _REFERENCES_HEADING.search(page.text)):
            start, in_refs, refs_page = m.start(), True, page.number
        end = len(page.text)
        if in_refs and (m := _APPENDIX_HEADING.search(page.text, start or 0)):
            end, in_refs = m.start(), False
        for i, s in enumerate(page.sentences):
            inside = start is not None and start <= s.start < end
            page.bibliography[i] = inside or bool(_BIB_ENTRY.search(page.text, s.start, s.end))
