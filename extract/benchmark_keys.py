"""Benchmark ids and metric keys of free-text dataset and metric names.

The extractor tags each result with them, and the warehouse uses the same functions for reference rows,
so a paper's "WMT 2014 English-German" and Papers with Code's "WMT2014 English-German" meet as
``wmt2014-en-de``. The benchmarks, their dataset names, tasks and headline metrics are the registry's
(``warehouse/data/benchmarks.csv``, read by :mod:`extract.registry`): nothing here names a benchmark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extract.registry import registry

# Splits and editions that leave a leaderboard on its benchmark ("COCO test-dev", "ImageNet val"); a
# registry pattern writes them as ``{splits}``.
_SPLITS = r"val|validation|test|dev|test ?dev|test ?std|minival|val ?20(?:14|17)|test ?20(?:15|17)|20(?:14|15|17)"


@dataclass(frozen=True, slots=True)
class BenchmarkRule:
    """What makes a result one of a benchmark's: its dataset name, once normalised (:func:`normalise`), is
    one of ``names`` (the registry's aliases and Papers with Code dataset names) or the whole of
    ``dataset`` (a base name and qualifiers: "10% labeled data", "ReaL", "V2", "-C" are not qualifiers, so
    those variants stay out), and its task, when known, is one of ``tasks``. ``metrics`` are the names the
    headline metric (``headline``) is printed under on this benchmark ("Average (%)" on MMLU)."""

    benchmark: str
    dataset: str
    tasks: frozenset[str]
    names: frozenset[str] = frozenset()
    metrics: frozenset[str] = frozenset()
    headline: str | None = None

    def matches(self, dataset: str, task: str | None) -> bool:
        name = normalise(dataset)
        if name not in self.names and re.fullmatch(self.dataset, name) is None:
            return False
        return not task or normalise(task) in self.tasks


@cache
def rules() -> tuple[BenchmarkRule, ...]:
    """One rule per registry row, in the registry's order (the first that matches wins)."""
    return tuple(
        BenchmarkRule(b.benchmark, b.dataset_pattern.replace("{splits}", _SPLITS),
                      frozenset(normalise(t) for t in b.pwc_tasks),
                      frozenset(normalise(n) for n in (*b.aliases, *b.pwc_datasets)),
                      frozenset(normalise(m) for m in b.metric_aliases), b.headline_metric)
        for b in registry()
    )


def normalise(name: str) -> str:
    """A dataset or task name lower-cased, with dashes, brackets and other punctuation as single spaces
    ("ImageNet - 10% labeled data" -> "imagenet 10% labeled data", "image-classification" ->
    "image classification"); dots and percent signs stay."""
    return " ".join(re.sub(r"[^\w.%+]+", " ", name.lower()).split())


# Generic metric names, tried in order once the benchmark's own names (BenchmarkRule.metrics) have not
# matched. Keys: the registry's headline_metric values, and a few more.
_METRICS: tuple[tuple[str, str], ...] = (
    (r"top[- ]?1|top 1|acc@1\b", "top1"),
    (r"top[- ]?5|top 5|acc@5\b", "top5"),
    (r"pass\s*@\s*1\b", "pass@1"),
    (r"\bm\s*iou\b|mean\s*iou|mean intersection over union", "miou"),
    (r"\bmrr\b|mean reciprocal rank", "mrr"),
    (r"box\s*ap|^ap$|bbox\s*ap|mAP", "box_ap"),
    (r"sacrebleu", "sacrebleu"),
    (r"bleu", "bleu"),
    (r"^em$|exact[- ]match|\bem\b", "em"),
    (r"\bf1\b|f1[- ]score|f-?measure", "f1"),
    (r"perplexity|\bppl\b", "perplexity"),
    (r"\baccuracy\b|\bacc\b|percentage correct", "acc"),
)
# Word error rate is the one error metric that is itself a headline (LibriSpeech): keyed before the guard.
_WER = re.compile(r"(?i)\bwer\b|word[- ]error[- ]rate")
# A score on the training or validation split, or on one difficulty of APPS, is not the headline score.
_NOT_HEADLINE = re.compile(r"(?i)\b(?:train(?:ing)?|validation|val|dev|introductory|interview|competition)\b")


def benchmark_of(dataset: str | None, task: str | None = None) -> str | None:
    """The benchmark id of a leaderboard's dataset ("ImageNet", "COCO test-dev", ...) and task, or None.

    A known task must be one of the benchmark's (COCO AP of keypoint detection or instance segmentation
    is not COCO box AP); an unknown one (None, as from a PDF) is judged by the dataset alone. Dataset
    variants (ImageNet ReaL / V2 / -C / "10% labeled data", CoNLL-2003 German) are never the benchmark."""
    if not dataset:
        return None
    for rule in rules():
        if rule.matches(dataset, task):
            return rule.benchmark
    return None


def _own_metric(metric: str, benchmark: str | None) -> str | None:
    """The benchmark's headline key when ``metric`` is a name the registry gives it on that benchmark."""
    if not benchmark:
        return None
    name = normalise(metric)
    return next((r.headline for r in rules() if r.benchmark == benchmark and name in r.metrics), None)


def metric_key(metric: str | None, benchmark: str | None = None) -> str | None:
    """The normalised metric ("Top 1 Accuracy" -> top1, "BLEU score" -> bleu), or None.

    With ``benchmark``, the names the registry lists for its headline metric come first ("Average (%)" on
    MMLU is acc, "Percentage error" on LibriSpeech is wer)."""
    if not metric:
        return None
    text = metric.strip()
    own = _own_metric(text, benchmark)
    if own is not None:
        return own
    if _NOT_HEADLINE.search(text):
        return None
    if _WER.search(text):
        return "wer"
    if re.search(r"(?i)error|\berr(?:\.|\b)", text):
        return None  # error rates ("Top-1 Error", "top-1 err.") are not the accuracy-like headline metrics
    if re.search(r"(?i)ap\s*[@_]?\s*(?:50|75|0?\.5|0?\.75|s\b|m\b|l\b|small|medium|large)", text):
        return None  # AP50, AP75, APs and mAP@0.5 are not COCO's headline AP
    for pattern, key in _METRICS:
        if re.search(pattern, text, re.IGNORECASE):
            return key
    return None


#: Error rates with an accuracy-like complement: "Top 1 Error" 20.3 is top-1 accuracy 79.7. A bare "Error
#: rate" (ILSVRC's is top-5, a paper's often top-1) has none.
_ERROR_COMPLEMENTS: tuple[tuple[str, str], ...] = (
    (r"(?i)\btop[- ]?1\b[\s-]*err(?:or|\.|\b)", "top1"),
    (r"(?i)\btop[- ]?5\b[\s-]*err(?:or|\.|\b)", "top5"),
)


def error_complement(metric: str | None) -> str | None:
    """The metric key an error metric is 100 minus ("Top-1 Error" -> top1, "Top 5 error rate" -> top5), or
    None. :func:`metric_key` never gives a key to an error metric: its value must be converted first."""
    for pattern, key in _ERROR_COMPLEMENTS:
        if re.search(pattern, metric or ""):
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

