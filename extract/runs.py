"""Link hardware mentions and durations into training runs, with phase, label and confidence.

A duration in the sentence of a training-hardware mention belongs to that hardware ("Training took 3.5
days on 8 P100 GPUs"); a duration in one of the next few sentences of the same paragraph belongs to the
last hardware mentioned ("We trained on 8 P100 GPUs. ... We trained the base models for 12 hours.");
a duration with a training cue but no hardware nearby is a run with unknown hardware.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from extract import names
from extract.facts import Fact, TrainingRun
from extract.hardware import HardwareMention, cites_near, not_a_run
from extract.names import words
from extract.nlp import PageDoc
from extract.run_datasets import run_dataset
from extract.sentences import looks_like_table_row
from extract.timing import Duration, find_durations

logger = logging.getLogger(__name__)

LINK_WINDOW = 4  # sentences after a hardware mention in which a duration still belongs to it
_TRAIN_LABELS = {names.CUE_TRAIN, names.CUE_PRETRAIN, names.CUE_FINETUNE, names.CUE_SEARCH}
_MODEL_NAME = re.compile(
    r"\b(?:[A-Z][A-Za-z]*[a-z][A-Z][A-Za-z0-9]*(?:[-/][A-Za-z0-9.]+)*|[A-Z]{2,}[A-Za-z]*(?:[-/][A-Za-z0-9.]+)+"
    r"|[A-Z][a-z]+(?:-[A-Z0-9][A-Za-z0-9.]*)+|[A-Z]{3,}[a-z]*)\b"
)
_NOT_MODEL = words(
    """
    Adam BLACK BLEU CIFAR CNN CNNs COCO CPU CPUs FLOPS FLOPs GLUE GPU GPUs ILSVRC ImageNet JFT LSTM MS-COCO
    NAS NLL NVIDIA PASCAL PyTorch RMSprop RNN RPN SGD SQuAD SVHN TensorFlow TITAN TPU TPUs VOC WMT
    NVDIA GeForce Tesla Quadro Cloud Right-Bottom Left-Top Right-Top Left-Bottom
    """
)


_HEADING = re.compile(r"^(?:[A-Z]?\d+(?:\.\d+)*\.?|[A-Z](?:\.\d+)*\.?)\s+[A-Z][\w /-]{2,60}$")
_HEADING_PHASES = (
    (re.compile(r"(?i)architecture search|\bNAS\b"), "search"),
    (re.compile(r"(?i)fine-?tun"), "finetuning"),
    (re.compile(r"(?i)pre-?train"), "pretraining"),
)


def _phase(page: PageDoc, sentences: list[int]) -> str:
    """The phase named in the run's sentences, the two before, or else the section heading above."""
    order = list(sentences) + [j for j in (sentences[0] - 1, sentences[0] - 2) if j >= 0]
    for i in order:
        cues = page.cues[i]
        if names.CUE_SEARCH in cues:
            return "search"
        if names.CUE_FINETUNE in cues:
            return "finetuning"
        if names.CUE_PRETRAIN in cues:
            return "pretraining"
    for i in range(sentences[0] - 1, -1, -1):
        text = " ".join(page.sentence_text(i).split())
        if page.sentences[i].para_end and _HEADING.match(text):
            return next((phase for pattern, phase in _HEADING_PHASES if pattern.search(text)), "training")
    return "training"


def _label(page: PageDoc, sentences: list[int], phase: str, own: Sequence[str]) -> str:
    """The model the run trains: a word naming an own model ("XLNet-Large"), else the first model-like
    word of the sentences, else the paper's own model."""
    text = " ".join(page.sentence_text(i) for i in sentences)
    for name in own:
        if m := re.search(rf"[\w-]*{re.escape(name)}[\w/-]*", text):
            return f"{m.group(0)} ({phase})"
    for i in sentences:
        for m in _MODEL_NAME.finditer(page.sentence_text(i)):
            word = m.group(0)
            if word not in _NOT_MODEL and not word.isdigit():
                return f"{word} ({phase})"
    return f"{own[0]} ({phase})" if own else f"{phase} run, page {page.number}"


def _paragraphs(page: PageDoc) -> list[int]:
    out, para = [], 0
    for s in page.sentences:
        out.append(para)
        para += int(s.para_end)
    return out


def _training_duration(page: PageDoc, i: int, d: Duration, *, linked: bool) -> bool:
    """Is ``d`` the duration of a training run? Next to training hardware any training cue will do
    ("The experiments took 3 days each"); alone, the sentence must be about training ("trained",
    "pre-train", "fine-tune", "search"), not about inference, annotation or someone else's work."""
    cues = page.cues[i]
    spans = [
        (s, e)
        for lab, s, e in page.cue_spans[i]
        if lab in _TRAIN_LABELS and (linked or page.is_strong_cue(lab, s, e))
    ]
    if not spans or names.CUE_THANKS in cues:
        return False
    if (names.CUE_RELATED in cues or cites_near(page, i, (d.start + d.end) // 2)) and names.CUE_OURS not in cues:
        return False  # another work's time ("can be trained in 67 minutes on 1024 GPUs [26]")
    if not_a_run(page.sentence_text(i)):
        return False  # "could be trained in about a week", "For example, ..."
    if names.CUE_INFERENCE in cues:
        mid = (d.start + d.end) // 2
        inf = min(
            (abs(s - mid) for lab, s, _ in page.cue_spans[i] if lab == names.CUE_INFERENCE), default=None
        )
        tr = min((abs(s - mid) for s, _ in spans), default=None)
        if inf is not None and (tr is None or inf < tr):
            return False
    return True


def _run(
    page: PageDoc,
    sents: list[int],
    hw: HardwareMention | None,
    dur: Duration | None,
    confidence: float,
    own: Sequence[str],
) -> TrainingRun:
    if hw is not None and hw.count_source == "article" and hw.accelerator is None:
        confidence = min(confidence, 0.45)  # "or a few hours on a GPU": not a run we can vouch for
    first, last = page.sentences[min(sents)], page.sentences[max(sents)]
    quote = " ".join(page.text[first.start : last.end].split())
    phase = _phase(page, sorted(sents))
    return TrainingRun(
        label=_label(page, sorted(sents), phase, own),
        phase=phase,
        accelerator=hw.accelerator if hw else None,
        accelerator_text=hw.text if hw else None,
        count=hw.count if hw else None,
        count_unit=hw.count_unit if hw and hw.count is not None else None,
        hours=round(dur.hours, 3) if dur else None,
        hours_text=dur.text if dur else None,
        page=page.number,
        quote=quote,
        char_start=first.start,
        char_end=last.end,
        confidence=round(max(0.0, min(confidence, 0.95)), 2),
        dataset=run_dataset(page.text, dur.start, dur.end) if dur else None,
    )


def _pair(hws: list[HardwareMention], durs: list[Duration]) -> list[tuple[HardwareMention, Duration]]:
    if len(hws) == len(durs):
        return list(zip(hws, durs, strict=True))
    return [(h, d) for h in hws for d in durs]


def link_page(page: PageDoc, mentions: list[HardwareMention], own: Sequence[str] = ()) -> list[TrainingRun]:
    """Training runs of one page from its training hardware mentions and durations; ``own`` (the paper's
    model names) labels runs whose sentences name no model."""
    paras = _paragraphs(page)
    by_sentence: dict[int, list[HardwareMention]] = {}
    for m in mentions:
        if m.context == "training":
            by_sentence.setdefault(m.sentence, []).append(m)
    runs: list[TrainingRun] = []
    last: tuple[int, list[HardwareMention]] | None = None
    linked: set[int] = set()  # sentences whose hardware got a duration
    for i, sent in enumerate(page.sentences):
        hws = by_sentence.get(i, [])
        if page.bibliography[i] or looks_like_table_row(page.sentence_text(i)):
            continue
        if hws:
            last = (i, hws)
        near = last is not None and paras[last[0]] == paras[i] and i - last[0] <= LINK_WINDOW
        durs = [
            d
            for d in find_durations(page.text, sent.start, sent.end)
            if hws or _training_duration(page, i, d, linked=near)
        ]
        if hws and durs:
            for h, d in _pair(hws, durs):
                runs.append(_run(page, [i], h, d, h.confidence + 0.05, own))
            linked.add(i)
        elif durs and last and near:
            for h, d in _pair(last[1], durs):
                runs.append(_run(page, list(range(last[0], i + 1)), h, d, h.confidence - 0.05, own))
            linked.add(last[0])
        elif durs:
            for d in durs:
                runs.append(_run(page, [i], None, d, 0.65, own))
    for i, hws in by_sentence.items():
        if i not in linked:
            runs.extend(_run(page, [i], h, None, h.confidence, own) for h in hws)
    return runs


def other_hardware_facts(page: PageDoc, mentions: list[HardwareMention]) -> list[Fact]:
    """Named hardware that is not training hardware (inference, benchmarks, related work, thanks)."""
    facts = []
    for m in mentions:
        if m.context == "training" or not m.accelerator:
            continue
        s = page.sentences[m.sentence]
        facts.append(
            Fact(
                kind="other_hardware",
                value=m.accelerator,
                unit=m.context,
                page=page.number,
                quote=" ".join(page.sentence_text(m.sentence).split()),
                char_start=s.start,
                char_end=s.end,
                confidence=0.7 if m.context in ("inference", "related") else 0.4,
            )
        )
    return facts


def harmonise(mentions: list[HardwareMention]) -> list[HardwareMention]:
    """Paper-level clean-up of training mentions before linking.

    * a TPU of unstated generation takes the paper's only stated generation ("Cloud TPU V3" ... "TPUs");
    * a generic "8 GPUs" takes the model of a named "8 P100 GPUs" on the same page when that mention's
      sentence claims the paper's own training ("We trained our models on one machine with 8 NVIDIA P100
      GPUs", "All experiments run on 8 Titan V GPUs"); a named device in a side remark ("the largest
      mini-batch a high-end machine (8 Volta GPUs) can afford") does not rename the paper's runs;
    * any other generic GPU count takes the model of the paper's one GPU model named in a statement of
      its own training ("We trained ... on 512 NVIDIA V100 GPUs" names the "64 GPUs" of a table note).
    """
    training = [m for m in mentions if m.context == "training"]
    generations = {
        m.accelerator for m in training if names.is_tpu(m.accelerator) and m.accelerator != "google-tpu"
    }
    named: dict[tuple[int, int | None], set[str]] = {}
    for m in training:
        own_named = m.accelerator and not names.is_tpu(m.accelerator) and m.accelerator != "cpu"
        if m.accelerator and own_named and m.count and m.claims_training:
            named.setdefault((m.page, m.count), set()).add(m.accelerator)
    gpus = {m.accelerator for m in training if m.accelerator and m.states_own and not names.is_tpu(m.accelerator)}
    gpus -= {"cpu"}
    out = []
    for m in mentions:
        if m.context == "training" and m.accelerator == "google-tpu" and len(generations) == 1:
            m = replace(m, accelerator=next(iter(generations)))
        elif m.context == "training" and m.accelerator is None and m.count_unit == "gpu":
            models = named.get((m.page, m.count), set())
            if len(models) == 1:
                m = replace(m, accelerator=next(iter(models)))
            elif len(gpus) == 1:
                m = replace(m, accelerator=next(iter(gpus)))
        out.append(m)
    return out


def deduplicate(runs: list[TrainingRun]) -> list[TrainingRun]:
    """One run per (phase, hardware, hours); a hardware-only run is dropped when that hardware has a time,
    and a run of "eight GPUs" for 3.5 days when "8 P100 GPUs" for 3.5 days is stated too."""
    best: dict[tuple[object, ...], TrainingRun] = {}
    for r in runs:
        key = (r.phase, r.accelerator, r.count, r.count_unit, r.hours)
        if key not in best or r.confidence > best[key].confidence:
            best[key] = r
    timed = {(r.accelerator, r.count, r.count_unit) for r in best.values() if r.hours is not None}
    # the same count for the same time is the same run, told again without the model (abstract vs. setup)
    named_timed = {(r.count, r.count_unit, r.hours) for r in best.values() if r.accelerator and r.hours}
    out = [
        r
        for r in best.values()
        if (r.hours is not None or (r.accelerator, r.count, r.count_unit) not in timed)
        and not (r.accelerator is None and r.count and (r.count, r.count_unit, r.hours) in named_timed)
    ]
    return sorted(out, key=lambda r: (r.page, r.char_start or 0))
