"""Other stated quantities: parameters, FLOPs, multiply-adds, epochs, training steps, training-set size,
stated compute and numeric precision ("213M parameters", "11.3 billion FLOPs", "300M Mult-Adds",
"trained for 120 epochs", "for 500K steps", "a dataset of 4.5 million sentence pairs", "500K GPU hours",
"2.5k TPUv3-core-days", "60 petaflop/s-days", "mixed-precision training")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from extract.facts import Fact
from extract.hardware import cites_near
from extract.nlp import PageDoc

_SCALE = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "million": 1e6,
    "mn": 1e6,
    "b": 1e9,
    "g": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "trillion": 1e12,
    "p": 1e15,
}
_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_MULT = r"\s*(?P<s>[kKmMbBgGtT](?![a-z])|thousand|million|billion|trillion)?"
_PATTERNS: list[tuple[str, str, re.Pattern[str]]] = [
    ("parameters", "parameters", re.compile(rf"{_NUM}{_MULT}\s+(?:trainable\s+)?(?:param(?:eter)?s)\b")),
    ("flops", "FLOPs", re.compile(rf"{_NUM}{_MULT}\s*(?:FLOPs|FLOPS|flops)\b")),
    (
        "multiply_adds",
        "multiply-adds",
        re.compile(rf"(?i){_NUM}{_MULT}\s*(?:mult-adds|multiply-adds|multiply-accumulates|madds|macs)\b"),
    ),
    (
        "epochs",
        "epochs",
        re.compile(rf"(?i)\b(?:for|of|train(?:ed|ing)?\s+for)\s+{_NUM}\s+(?:training\s+)?epochs\b"),
    ),
    (
        "training_steps",
        "steps",
        re.compile(
            rf"(?i)\b(?:for|of|total\s+of)\s+{_NUM}{_MULT}\s+(?:training\s+)?(?:steps|iterations|updates)\b"
        ),
    ),
    (
        "training_set_size",
        "examples",
        re.compile(
            r"(?i)(?<!vocabulary )\b(?:of|contains|containing|with)\s+"
            rf"(?:about\s+|approximately\s+|roughly\s+)?{_NUM}{_MULT}\s+(?:training\s+)?"
            r"(?P<u>images|sentence pairs|sentences|tokens|words|examples|videos|documents)\b"
        ),
    ),
]
# Compute the paper states as an amount of accelerator time or work, not wall-clock time: "500K GPU hours",
# "2.5k TPUv3-core-days", "60 petaflops/s-days". The unit says which; figure axes ("Compute (TPUv3 core
# days)") carry no number and are not read.
_COMPUTE = re.compile(
    rf"(?i)(?<![\w.]){_NUM}{_MULT}(?:\s+|\s*-\s*)(?P<u>(?:(?P<dev>[A-Z]\d{{2,3}}|GPU|TPU\s*v?\d?[a-z]?|chip|accelerator)"
    r"(?:\s*GPU)?[- ]?(?P<core>core[- ]?)?(?P<t>hours?|days?))|(?P<pf>peta-?flop(?:s)?(?:/s)?[- ]?s?-?days?"
    r"|pf(?:/s)?[- ]?days?))\b"
)
# A utilisation the paper states for its own training: "a model FLOPs utilization (MFU) of 46.2%",
# "57.8% MFU", "hardware FLOPs utilization of 0.6", "utilization of 45%". The number is a percentage
# (or a fraction below 1) next to the word. Read as the utilisation of the paper's training (the
# estimates use it in place of Epoch's default; an analyst's override corrects a misread one).
_MFU_WORD = r"(?:model\s+flops\s+utili[sz]ation|hardware\s+flops\s+utili[sz]ation|mfu|hfu)"
_UTIL_WORD = rf"(?:{_MFU_WORD}|utili[sz]ation)"
_UTIL_NUM = r"(?P<n>\d{1,2}(?:\.\d+)?\s*%|0?\.\d+)"
_UTILIZATION = re.compile(
    rf"(?i)\b{_UTIL_WORD}(?:\s*\((?:mfu|hfu)\))?(?:\s+rate)?\s*(?:of|is|was|=|:|at|reaches|reached)?\s*"
    rf"(?:about\s+|around\s+|approximately\s+|~\s*)?{_UTIL_NUM}(?![\d.])"
    rf"|(?<![\d.]){_UTIL_NUM.replace('?P<n>', '?P<n2>')}\s+{_MFU_WORD}\b"
)
_PRECISION = re.compile(
    r"(?i)\b(mixed[- ]precision|half[- ]precision|fp16|float16|bfloat16|bf16|fp32|float32|int8|8-bit)\b"
)


def _value(m: re.Match[str]) -> float | None:
    try:
        n = float(m.group("n").replace(",", ""))
    except ValueError:
        return None
    scale = m.groupdict().get("s")
    if scale:
        n *= _SCALE.get(scale.lower(), 1.0)
    return n


def compute_unit_match(label: str) -> re.Match[str] | None:
    """The compute unit a table row's label is ("TPUv3-core-days", "Compute (GPU hours)"), as a match of
    the compute pattern (for :func:`compute_unit`), or None."""
    for text in (label, *re.findall(r"\(([^)]*)\)", label)):
        m = _COMPUTE.fullmatch("1 " + text.strip())
        if m is not None:
            return m
    return None


def compute_unit(m: re.Match[str]) -> str:
    """pf_days, or <device>_[core_]<hours|days>: gpu_hours, tpu_core_days, chip_hours, ..."""
    if m.group("pf"):
        return "pf_days"
    dev = m.group("dev").lower().replace(" ", "")
    device = "tpu" if dev.startswith("tpu") else ("chip" if dev in ("chip", "accelerator") else "gpu")
    period = "days" if m.group("t").lower().startswith("d") else "hours"
    return f"{device}_{'core_' if m.group('core') else ''}{period}"


def utilization_share(text: str) -> float | None:
    """ "46.2%" -> 0.462, ".35" -> 0.35; None outside (0, 1]."""
    m = re.search(r"(\d*\.?\d+)\s*(%)?", text)
    if not m:
        return None
    value = float(m.group(1)) / (100 if m.group(2) else 1)
    return round(value, 4) if 0 < value <= 1 else None


def _facts(page: PageDoc) -> Iterator[Fact]:
    for i, s in enumerate(page.sentences):
        if page.bibliography[i]:
            continue
        quote = " ".join(page.text[s.start : s.end].split())
        for kind, unit, pattern in _PATTERNS:
            for m in pattern.finditer(page.text, s.start, s.end):
                value = _value(m)
                if value and value > 0:
                    yield Fact(
                        kind=kind,
                        value=value,
                        unit=m.groupdict().get("u") or unit,
                        page=page.number,
                        quote=quote,
                        char_start=s.start,
                        char_end=s.end,
                        confidence=0.6,
                    )
        for m in _COMPUTE.finditer(page.text, s.start, s.end):
            value = _value(m)
            if value and value > 0:
                yield Fact(kind="compute", value=value, unit=compute_unit(m), page=page.number, quote=quote,
                           char_start=s.start, char_end=s.end,
                           confidence=0.3 if cites_near(page, i, m.end(), reach=45) else 0.6)
        for m in _UTILIZATION.finditer(page.text, s.start, s.end):
            share = utilization_share(m.group("n") or m.group("n2"))
            if share is not None:
                yield Fact(kind="utilization", value=share, unit="fraction", page=page.number, quote=quote,
                           char_start=s.start, char_end=s.end, confidence=0.6)
        for m in _PRECISION.finditer(page.text, s.start, s.end):
            yield Fact(
                kind="precision",
                value=m.group(1).lower().replace(" ", "-"),
                unit=None,
                page=page.number,
                quote=quote,
                char_start=s.start,
                char_end=s.end,
                confidence=0.5,
            )


def find_facts(docs: list[PageDoc]) -> list[Fact]:
    """Model and training-set facts of the paper, one per (kind, value)."""
    seen: set[tuple[str, object]] = set()
    out = []
    for d in docs:
        for f in _facts(d):
            if (f.kind, f.value) not in seen:
                seen.add((f.kind, f.value))
                out.append(f)
    return out
