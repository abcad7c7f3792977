"""Benchmark ids and metric keys of free-text dataset and metric names.

The extractor tags each result with them, and the warehouse uses the same functions for reference rows,
so a paper's "WMT 2014 English-German" and Papers with Code's "WMT2014 English-German" meet as
``wmt2014-en-de``.
"""

from __future__ import annotations

import re

# (pattern on the lower-cased dataset name, benchmark id); first match wins.
_BENCHMARKS: tuple[tuple[str, str], ...] = (
    (r"imagenet(?!.*(21k|22k|-v2|real|sketch|-a\b|-r\b|-c\b))", "imagenet"),
    (r"\bcoco\b|ms[- ]?coco", "coco"),
    (r"squad\s*(v?1\.1|1)\b|squad1\.1", "squad1.1"),
    (r"conll[- ]?2003", "conll2003"),
    (r"wmt\s*2014.*(english[- ]german|en[- ]de)", "wmt2014-en-de"),
    (r"wmt\s*2014.*(english[- ]french|en[- ]fr)", "wmt2014-en-fr"),
)

_METRICS: tuple[tuple[str, str], ...] = (
    (r"top[- ]?1|top 1", "top1"),
    (r"top[- ]?5|top 5", "top5"),
    (r"box\s*ap|^ap$|bbox\s*ap|mAP", "box_ap"),
    (r"sacrebleu", "sacrebleu"),
    (r"bleu", "bleu"),
    (r"^em$|exact[- ]match|\bem\b", "em"),
    (r"\bf1\b|f1[- ]score|f-?measure", "f1"),
    (r"perplexity|\bppl\b", "perplexity"),
)


def benchmark_of(dataset: str | None) -> str | None:
    """The benchmark id of a dataset name ("ImageNet", "COCO test-dev", ...), or None."""
    if not dataset:
        return None
    text = dataset.lower()
    for pattern, benchmark in _BENCHMARKS:
        if re.search(pattern, text):
            return benchmark
    return None


def metric_key(metric: str | None) -> str | None:
    """The normalised metric ("Top 1 Accuracy" -> top1, "BLEU score" -> bleu), or None."""
    if not metric:
        return None
    text = metric.strip()
    if re.search(r"error", text, re.IGNORECASE):
        return None  # error rates are not the accuracy-like headline metrics
    if re.search(r"(?i)ap\s*[@_]?\s*(?:50|75|0?\.5|0?\.75|s\b|m\b|l\b|small|medium|large)", text):
        return None  # AP50, AP75, APs and mAP@0.5 are not COCO's headline AP
    for pattern, key in _METRICS:
        if re.search(pattern, text, re.IGNORECASE):
            return key
    return None


def _each(metric: str, datasets: str) -> dict[str, str]:
    return {d.strip(): metric for d in datasets.split(";") if d.strip()}


#: The metric a dataset's results are conventionally reported in, for a column or sentence that names
#: the dataset and no metric ("MNLI 86.7", "HumanEval 28.8"). Datasets reported in several metrics
#: (MRPC and QQP: F1 or accuracy; STS-B: Pearson or Spearman; GLUE: an average) have none.
DEFAULT_METRIC: dict[str, str] = {
    **_each(
        "accuracy",
        "MNLI (MultiNLI); QNLI; RTE; WNLI; SST-2; SNLI; SWAG; RACE; Story Cloze; MR; TREC; AG News; Yelp; IMDB;"
        "Yahoo Answers; Amazon Reviews; DBpedia; CIFAR-10; CIFAR-100; MNIST; Fashion-MNIST; SVHN; STL-10; affNIST; LFW;"
        "Oxford Flowers-102; Oxford-IIIT Pets; Food-101; Caltech-101; LAMBADA; CBT;"
        "MMLU; ARC-Challenge; ARC-Easy; HellaSwag; WinoGrande; PIQA; BoolQ; SciQ; OpenBookQA; CommonsenseQA;"
        "StrategyQA; BBH (BIG-Bench Hard); GSM8K; GSM-Hard; SVAMP; ASDiv; MultiArith; MAWPS; AQuA; MATH; AIME; GPQA;"
        "TruthfulQA; ScienceQA; MMMU; MathVista",
    ),
    **_each(
        "top-1 accuracy",
        "ImageNet; ImageNet ReaL; ImageNet-V2; ImageNet-A; ImageNet-R; ImageNet-Sketch; ObjectNet; Kinetics; "
        "Places365; iNaturalist",
    ),
    **_each("pass@1", "HumanEval; HumanEval+; MBPP; APPS; CodeContests; LiveCodeBench; MultiPL-E; DS-1000"),
    **_each("AP", "COCO; COCO test-dev; COCO minival; COCO val2017; COCO test-std; LVIS; Objects365"),
    **_each("mAP", "PASCAL VOC"),
    **_each("mIoU", "ADE20K; Cityscapes"),
    **_each("F1", "SQuAD1.1; SQuAD2.0; CoQA; DROP; CoNLL-2003"),
    **_each("EM", "TriviaQA; Natural Questions (NQ)"),
    **_each("BLEU", "WMT; WMT2014 English-German; WMT2014 English-French; NIST Zh-En"),
    **_each("perplexity", "Penn Treebank; WikiText-103; WikiText-2; One Billion Word"),
    **_each("bits per character", "enwik8; text8"),
    **_each("WER", "LibriSpeech; Common Voice; FLEURS; TED-LIUM; CHiME-6; Switchboard; VoxPopuli; WSJ"),
    **_each("rank-1", "Market-1501; DukeMTMC-reID"),
    **_each("R@1", "Cars196; Stanford Online Products"),
    **_each("Matthews correlation", "CoLA"),
    **_each("relaxed accuracy", "ChartQA; PlotQA"),
    **_each("PSNR", "Set5; Set14; BSD100; Urban100; DIV2K"),
}


def default_metric(dataset: str | None) -> str | None:
    """The metric ``dataset`` (an entity id) is conventionally reported in, or None."""
    return DEFAULT_METRIC.get(dataset or "")


#: Abbreviations whose meaning is the dataset's task: "R1" over a summarisation column is ROUGE-1, over a
#: re-identification column rank-1.
_BY_TASK: dict[tuple[str, str], str] = {
    ("rank-1", dataset): "ROUGE-1" for dataset in ("SAMSum", "XSum", "CNN/DailyMail", "DART", "WebNLG", "E2E NLG")
}


def resolve_metric(metric: str | None, dataset: str | None) -> str | None:
    """``metric`` as the dataset's task reads it ("R1" on SAMSum is ROUGE-1)."""
    return _BY_TASK.get((metric or "", dataset or ""), metric)

