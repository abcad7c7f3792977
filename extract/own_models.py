"""Which model names are the paper's own: from the title, the abstract and "(ours)" markers.

Results tables list baselines next to the paper's models; only rows naming an own model (or marked
"ours" / "this paper") are reported as the paper's results. Names come from

* model-like words of the title ("ShuffleNet: ...", "XLNet: ...", "Gaussian Error Linear Units (GELUs)"),
* acronyms of the title's capitalised words ("Group Normalization" -> GN, "Squeeze-and-Excitation Networks"
  -> SEN / SE), kept only when the body uses them,
* parenthesised acronyms and named models of "we propose / present / introduce / call" sentences of page 1,
* failing all of these, the paper's most frequent model-like word.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from extract.names import words
from extract.nlp import load_patterns

_MODEL_WORD = re.compile(
    r"(?<![\w-])(?:[A-Z][a-z]+[A-Z][A-Za-z0-9]*|[A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*|[A-Z]{2,}[a-z]*)(?:-?[vV]?\d+)?(?![\w])"
)
_GENERIC = words(
    """
    AAAI ACL Adam AI AP API ArXiv arXiv BatchNorm BLEU CIFAR CNN CNNs COCO CPU CUDA cuDNN CVPR DE DNN DNNs
    ECCV EMNLP EN FC FLOPS FLOPs FPS FR GAN GANs GB GFLOPs GLUE GPU GPUs HTTP ICCV ICLR ICML ID IEEE II III
    ILSVRC ImageNet IoU IV JFT LM LR LSTM LSTMs MAdd MAdds mAP MB MFLOP MFLOPs ML MLP MLPs MNIST MS MT NAS
    NeurIPS NIPS NLL NLP NVIDIA PASCAL PDF PyTorch RAM ReLU ReLUs RGB RNN RNNs SGD SOTA SQuAD SVHN
    TensorFlow TPU TPUs TPUv3 UK URL USA VOC WMT LLM LLMs VLM VLMs ASR RLHF SFT MoE SMoE
    """
)
_GENERIC_TITLE_WORDS = words(
    """
    Convolutional Deep Function Functions Layer Layers Learning Loss Model Models Module Net Nets Network
    Networks Neural Unit Units
    """
)
_STOP = frozenset(
    {"and", "for", "of", "the", "a", "an", "with", "to", "in", "on", "by", "via", "at", "is", "all"}
)
_PROPOSE = re.compile(
    r"(?i)\bwe\s+(?:propose|present|introduce|call|name|dub|term|develop|design)\b|\b(?:called|named|dubbed|termed)\b"
)
_PAREN_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*?)s?\)")
_NAMED_SIZE = re.compile(r"\b([A-Z][A-Za-z]+)\s+\d+(?:\.\d+)?(?:x\d+)?[BMK]\b")  # "Mixtral 8x7B", "LLaMA 65B"
_THE_NAME = re.compile(r"\b(?:the|called|named|dubbed|termed)\s+([A-Z][A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)")
MARKERS = re.compile(
    r"(?i)\(ours\)|\[ours\]|\bours\b|\bthis\s+(?:paper|work)\b|\bour\s+(?:method|model|approach)\b"
)


def _title(first_page: str) -> str:
    lines: list[str] = []
    for line in first_page.split("\n")[:12]:
        s = re.sub(r"^\d+\s+", "", line.strip())
        if (
            not s
            or s.isdigit()
            or re.search(r"(?i)conference|proceedings|arxiv|workshop|published|preprint|copyright", s)
        ):
            continue
        if "@" in s or re.match(r"(?i)abstract", s) or (lines and sum(1 for c in s if c in ",*[") >= 2):
            break  # an author line ("A Strong, Economical, and Efficient" is still the title's first line)
        lines.append(s)
        if len(lines) == 3:
            break
    return " ".join(lines)


def _initials(title: str) -> list[tuple[str, str]]:
    """(initial, word) of the title's content words; hyphenated parts count ("Non-local" -> N, L)."""
    out: list[tuple[str, str]] = []
    for token in re.findall(r"[A-Za-z][A-Za-z-]*", title):
        parts = [p for p in token.split("-") if p and p.lower() not in _STOP]
        if not parts or not token[0].isupper():
            continue
        out.extend((p[0].upper(), p) for p in parts)
    return out


def _acronyms(title: str) -> set[str]:
    """Acronyms of a title segment, or of its part before the first stop word, minus trailing generic
    words: "Non-local Neural Networks" -> NLNN, NLN, NL; "Squeeze-and-Excitation Networks" -> SEN, SE."""
    out: set[str] = set()
    for segment in title.split(":")[:2]:
        head = re.split(r"\s(?:for|of|with|via|by|in|on|to)\s", segment, maxsplit=1)[0]
        initials = _initials(segment)
        runs = [_initials(head), initials]
        # a prefix ending in a generic word: "Non-local Neural Networks <authors on the same line>"
        runs += [initials[:k] for k in range(2, len(initials)) if initials[k - 1][1] in _GENERIC_TITLE_WORDS]
        for run in runs:
            while len(run) >= 2:
                out.add("".join(c for c, _ in run))
                if run[-1][1] not in _GENERIC_TITLE_WORDS:
                    break
                run = run[:-1]
    return out


def _strip_plural(word: str) -> str:
    return word[:-1] if word.endswith("s") and word[:-1].isupper() and len(word) > 2 else word


@lru_cache(maxsize=1)
def dataset_words() -> frozenset[str]:
    """Lower-cased dataset and metric names of ``patterns/`` (a dataset or a metric such as "WER" is
    never a model name)."""
    rows = [*load_patterns("datasets.jsonl"), *load_patterns("metrics.jsonl")]
    names = {str(row["pattern"]).lower() for row in rows if isinstance(row["pattern"], str)}
    return frozenset(names | {str(row["id"]).lower() for row in rows})


def own_model_names(pages: list[str]) -> list[str]:
    """The paper's own model names, most specific first (possibly empty)."""
    if not pages:
        return []
    mixed_lines = "\n".join(line for p in pages for line in p.split("\n") if not line.isupper())
    counts = Counter(m.group(0) for m in _MODEL_WORD.finditer(mixed_lines))
    first = pages[0]
    abstract_end = re.search(r"(?im)^\s*(?:1\.?\s+)?introduction\s*$", first)
    abstract = first[: abstract_end.start()] if abstract_end else first[:3000]
    title = _title(first)
    names: dict[str, int] = {}

    def add(word: str, weight: int, min_count: int = 2) -> None:
        word = _strip_plural(word.strip("-"))
        if word.lower() in dataset_words():
            return
        seen = counts.get(word, 0) + counts.get(word + "s", 0)
        if word and word not in _GENERIC and (seen >= min_count or mixed_lines.count(word) >= min_count + 1):
            names[word] = max(names.get(word, 0), weight)

    head = title.split(":")[0].strip()
    if ":" in title and 1 <= len(head.split()) <= 3:
        add(head.replace(" ", ""), 3, min_count=1)  # "Circle Loss: ..." -> rows say "CircleLoss (ours)"
        add(head, 3, min_count=1)
    for m in _MODEL_WORD.finditer(title):
        add(m.group(0), 3)
    for acro in _acronyms(title):
        if re.search(rf"(?<![A-Za-z]){re.escape(acro)}(?![a-z])", "\n".join(pages)[len(title) :]):
            add(acro, 2, min_count=1)
    for sentence in re.split(r"(?<=[.!?])\s+", abstract):
        verb = _PROPOSE.search(sentence)
        if not verb:
            continue
        tail = sentence[verb.end() : verb.end() + 120]
        # the name nearest the verb: "We present DeepSeek-V2, a ... (MoE) model", "We introduce Mixtral
        # 8x7B, a Sparse Mixture of Experts (SMoE)", "We present Group Normalization (GN)"
        hits = [h for pattern in (_NAMED_SIZE, _PAREN_ACRONYM, _MODEL_WORD, _THE_NAME) if (h := pattern.search(tail))]
        if hits:
            m = min(hits, key=lambda h: h.start())
            add(m.group(1) if m.re.groups else m.group(0), 1, min_count=1 if m.re is _NAMED_SIZE else 2)
    if not names:
        frequent = [
            w
            for w, n in counts.most_common(30)
            if w not in _GENERIC and n >= 10 and not re.search(r"\d", w) and w.lower() not in dataset_words()
        ]
        if frequent:
            names[frequent[0]] = 0
    # a versioned name makes the bare one its predecessor: "DeepSeek-V2" drops "DeepSeek" (DeepSeek 67B)
    versioned = [w for w in names if any(re.fullmatch(rf"{re.escape(w)}-?[vV]?\d+(?:\.\d+)?", o) for o in names)]
    return sorted((w for w in names if w not in versioned), key=lambda w: (-names[w], -len(w)))


def mentions_own(label: str, own: list[str]) -> bool:
    """True when a table-row label names an own model ("SE-ResNet-50", "SENet-154", "XLNet") or "ours"."""
    if MARKERS.search(label):
        return True
    squashed = label.replace(" ", "")  # "Circle Loss (ours)" rows may read "CircleLoss"
    return any(
        re.search(rf"(?<![A-Za-z]){re.escape(name.replace(' ', ''))}(?![a-z])", text)
        for name in own
        for text in (squashed, label)  # "MATCHA no" is MATCHA's row though "MATCHAno" runs on
    )
