"""Names shared by the extract package: canonical accelerator ids, phases, units and fact kinds.

Every value the extractor emits for ``accelerator``, ``phase``, ``count_unit`` or ``kind`` is one of the
constants below; the pattern files in ``extract/patterns/`` refer to these ids (a test checks it).
"""

from __future__ import annotations

EXTRACTOR_VERSION = "0.7.0"  # 0.7.0: results and runs tagged by the benchmark registry (issue 16)


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``: keeps long word lists in the source compact."""
    return frozenset(text.split())


#: Canonical accelerator ids, lower-case ``vendor-model``; ``google-tpu``: a TPU of unstated generation.
ACCELERATORS: frozenset[str] = words(
    """
    nvidia-k20 nvidia-k40 nvidia-k80 nvidia-m40 nvidia-p40 nvidia-p100 nvidia-v100 nvidia-t4 nvidia-a100
    nvidia-h100 nvidia-h200 nvidia-gtx-580 nvidia-gtx-680 nvidia-gtx-980 nvidia-gtx-1080 nvidia-gtx-1080-ti
    nvidia-rtx-2080-ti nvidia-rtx-3090 nvidia-rtx-a6000 nvidia-rtx-8000 nvidia-titan-black nvidia-titan-x
    nvidia-titan-xp nvidia-titan-v nvidia-titan-rtx nvidia-quadro-k6000 nvidia-quadro-p6000 google-tpu-v2
    google-tpu-v3 google-tpu-v4 google-tpu-v5e google-tpu-v5p google-tpu cpu nvidia-h800 nvidia-a800
    nvidia-l40s nvidia-rtx-4090 amd-mi250x amd-mi250 amd-mi300x
    """
)
#: Pattern id of a device named only generically ("8 GPUs"): the run's ``accelerator`` is then null.
GENERIC_GPU = "gpu"

PHASES: tuple[str, ...] = ("training", "pretraining", "finetuning", "search")
COUNT_UNITS: tuple[str, ...] = ("gpu", "tpu_chip", "tpu_core", "tpu_device", "cpu", "machine")
FACT_KINDS: tuple[str, ...] = (
    "parameters",
    "flops",
    "multiply_adds",
    "epochs",
    "training_steps",
    "training_set_size",
    "precision",
    "other_hardware",
    "compute",
    "utilization",
)

# Entity labels of the spaCy pipeline (see ``extract/patterns/*.jsonl``).
LABEL_ACCELERATOR = "ACCELERATOR"
LABEL_DATASET = "DATASET"
LABEL_METRIC = "METRIC"

# Cue labels of the context matcher (``extract/patterns/cues.jsonl``).
CUE_TRAIN = "TRAIN"
CUE_PRETRAIN = "PRETRAIN"
CUE_FINETUNE = "FINETUNE"
CUE_SEARCH = "SEARCH"
CUE_INFERENCE = "INFERENCE"
CUE_RELATED = "RELATED"
CUE_THANKS = "THANKS"
CUE_OURS = "OURS"
CUES: tuple[str, ...] = (
    CUE_TRAIN,
    CUE_PRETRAIN,
    CUE_FINETUNE,
    CUE_SEARCH,
    CUE_INFERENCE,
    CUE_RELATED,
    CUE_THANKS,
    CUE_OURS,
)


def is_tpu(accelerator: str | None) -> bool:
    """True for any ``google-tpu*`` id."""
    return accelerator is not None and accelerator.startswith("google-tpu")
