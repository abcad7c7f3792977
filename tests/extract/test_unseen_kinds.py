"""Kinds of statement that read as training runs on papers the rules were not built on (issue 13), each
checked on synthetic sentences of the kind and on the real sentence that showed it
(../shared/corpus/recent)."""

from __future__ import annotations

import pytest

from extract.timing import find_durations
from tests.extract.conftest import training_runs


def _hours(text: str) -> list[float]:
    return [d.hours for d in find_durations(text)]


def _runs(text: str) -> set[tuple[str | None, int | None, float | None]]:
    return {(r.accelerator, r.count, r.hours) for r in training_runs(text)}


@pytest.mark.parametrize("text", [
    "All of our experiments use up to 32 DGX-2H servers (a total of 512 Tesla V100 SXM3 32GB GPUs).",  # real
    "We compare with facebook/wav2vec2-large-960h-lv60-self and whisper-base-100h.",  # real
    "Nodes are DGX-1H or HGX-8H boxes.",
    "the checkpoint model-24h-v2 is used",
])
def test_numbers_glued_to_names_are_not_durations(text: str) -> None:
    assert _hours(text) == []


@pytest.mark.parametrize("text", [
    "This model is trained on our internal dataset consisting of 6000 hours of English speech.",  # real
    "The Mandarin model was trained on 2600 hours of our internal training set.",  # real
    "We pre-train on 680,000 hours of multilingual audio.",
    "fine-tuned on 10 hours of labelled data",
    "trained on 300 hours of noisy transcribed conversations",
])
def test_amounts_of_data_in_hours_are_not_durations(text: str) -> None:
    assert _hours(text) == []


@pytest.mark.parametrize(("text", "hours"), [
    ("We trained the model for 12h on 8 GPUs.", 12.0),
    ("The model was trained for 100 hours of wall-clock time.", 100.0),
    ("Pre-training takes 2-3 days.", 60.0),
])
def test_durations_of_runs_still_read(text: str, hours: float) -> None:
    assert _hours(text) == [hours]


@pytest.mark.parametrize("text", [
    "Bert-Large can be trained in 67 minutes on a 1024 GPU DGX-2H cluster [26].",  # real (ZeRO)
    "ResNet-50 can be trained on ImageNet in one hour with 256 GPUs (Goyal et al., 2017).",
    "A GPT-3 sized model takes 34 days on 1024 A100 GPUs [12].",
])
def test_another_works_run_carrying_a_citation_is_not_ours(text: str) -> None:
    assert _runs(text) == set()


def test_a_citation_elsewhere_in_a_long_sentence_does_not_hide_our_run() -> None:
    text = ("(e) Label smoothing regularisation (as introduced in [20]) was used during training. (f) The "
            "parameters of all BN layers were frozen for the last few training epochs to ensure consistency "
            "between training and testing. (g) Training was performed with 8 servers (64 GPUs) in parallel.")
    assert (None, 64, None) in _runs(text)
    assert (None, 8, None) in _runs("Following prior work [19], we train our models on 8 GPUs.")


@pytest.mark.parametrize("text", [
    "The configuration with 1.2 billion parameters fits on a single GPU whereas the 8 billion parameter model "
    "requires 8-way model parallelism (8 GPUs).",  # real (Megatron-LM)
    "This memory footprint is within 24GB VRAM capacity of a single GPU such as NVIDIA RTX 4090.",  # real
    "Training a model with more than 16 billion parameters will demand more memory than is available "
    "within 16 GPUs of a DGX-2H box.",  # real
    "A 7B model in 16-bit precision does not fit on one 24GB GPU during training.",
])
def test_what_a_device_can_hold_is_not_a_run(text: str) -> None:
    assert _runs(text) == set()


def test_stated_runs_beside_memory_words_still_read() -> None:
    assert ("google-tpu-v3", None, None) in _runs(
        "We next trained Transformer models using Cloud TPUv3s with 16GB memory per accelerator core.")
    assert ("nvidia-a100", 64, None) in _runs(
        "We train the model for 150K steps using 8-node training in parallel with a total of 64 A100 GPUs.")


@pytest.mark.parametrize("text", [
    "With all three stages enabled, ZeRO can train a trillion-parameter model on just 1024 NVIDIA GPUs.",  # real
    "This method allows for fine-tuning large models even on a single GPU.",  # real (Medusa)
    "For example, if we split the parameters of a linear layer across two GPUs, each GPU requires the input.",
    "Using two GPUs makes training 64% faster.",  # real (Megatron-LM)
    "The pipeline lets one fine-tune a 65B model even on a single 48GB GPU in a day.",
    "Training on 8 V100 GPUs is 5.2 times faster than on one.",
])
def test_what_could_be_done_examples_and_speed_comparisons_are_not_runs(text: str) -> None:
    assert _runs(text) == set()


@pytest.mark.parametrize(("text", "run"), [
    ("We can train BERT-Large on 1024 TPU v3 chips.", ("google-tpu-v3", 1024, None)),
    ("Finally, the ViT-L/16 model could be trained using a standard cloud TPUv3 with 8 cores in approximately "
     "30 days.", ("google-tpu-v3", 8, 720.0)),  # real: a modal about the paper's own model is its run
    ("We trained the model on 8 V100 GPUs, which is 2x faster than our previous setup.", ("nvidia-v100", 8, None)),
])
def test_own_statements_with_such_words_still_read(text: str, run: tuple[str, int, None]) -> None:
    assert run in _runs(text)


# --- results: which footing a score is on, and numbers that are never scores ------------------------

RESULTS_PAGE_1 = """PReLU-nets: Delving Deep into Rectifiers
Abstract
We propose PReLU-nets. PReLU-nets are deep rectifier networks for ImageNet classification.
1. Introduction
Rectifier networks are widely used."""


def _results(*pages: str) -> set[tuple[str | None, float]]:
    from tests.extract.conftest import extract_text

    return {(r.metric, r.value) for r in extract_text(*pages)[1]}


def test_a_top1_column_under_an_error_header_is_an_error() -> None:
    table = """model top-1 top-5
PReLU-nets A 25.59 8.23
PReLU-nets B 24.27 7.38
Table 3. Single-model error rates (%) on the ImageNet 2012 validation set."""
    got = _results(RESULTS_PAGE_1, table)
    assert ("top-1 error", 24.27) in got and ("top-5 error", 7.38) in got
    assert not {m for m, _ in got} & {"top-1 accuracy", "top-5 accuracy"}


def test_an_accuracy_table_stays_accuracy() -> None:
    table = """model top-1 acc. top-5 acc.
PReLU-nets A 74.41 91.77
PReLU-nets B 75.73 92.62
Table 4. Accuracy (%) on ImageNet, with error bars over 3 runs."""
    assert ("top-1 accuracy", 75.73) in _results(RESULTS_PAGE_1, table)


def test_the_word_after_a_metric_in_prose_sets_its_footing() -> None:
    prose = "Based on our PReLU-nets, we achieve 4.94% top-5 test error on the ImageNet 2012 dataset."
    assert ("top-5 error", 4.94) in _results(RESULTS_PAGE_1, prose)


@pytest.mark.parametrize("sentence", [
    "With the single model our PReLU-nets reach 55.7% mAP (Table 9), a gain on COCO.",
    "Our PReLU-nets improve the mAP by >3% over VGG-16 on COCO.",
    "Our PReLU-nets achieve a 26% relative improvement in top-5 error over the ImageNet 2014 winner.",
    "Figure 6 shows the top-5 error our PReLU-nets achieve per class on ImageNet.",
])
def test_table_numbers_bounds_and_changes_are_not_scores(sentence: str) -> None:
    values = {v for _, v in _results(RESULTS_PAGE_1, sentence)}
    assert not values & {9.0, 3.0, 26.0, 6.0}, values


def test_a_bare_top1_column_takes_the_papers_convention() -> None:
    """Caption and header silent ("The single-model 10-view results"): the paper speaks of top-5 error only."""
    prose = "Our PReLU-nets reach 4.94% top-5 error on the ImageNet 2012 test set."
    table = """model top-1 top-5
A, PReLU-nets 25.59 8.23
C, PReLU-nets 24.27 7.38
Table 5. The single-model 10-view results for ImageNet 2012 val set."""
    assert ("top-1 error", 24.27) in _results(RESULTS_PAGE_1, prose, table)
    accuracy_paper = "Our PReLU-nets reach 75.7% top-1 accuracy on ImageNet."
    assert ("top-1 accuracy", 75.73) in _results(RESULTS_PAGE_1, accuracy_paper, table.replace("24.27", "75.73"))


# --- compute the paper states (accelerator time or work), not wall-clock time -------------------------

def _compute(text: str) -> list[tuple[float, str | None, float]]:
    from tests.extract.conftest import extract_text

    return [(f.value, f.unit, f.confidence) for f in extract_text(text)[2] if f.kind == "compute"]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("In aggregate, training all models reported in the paper required around 500K GPU hours of computation.",
     500_000.0, "gpu_hours"),  # real (multi-token prediction)
    ("ViT-H/14 2.5k TPUv3-core-days 79.7", 2_500.0, "tpu_core_days"),  # real (ViT, a table row)
    ("DeepSeek-V2 needs only 172.8K GPU hours per trillion tokens.", 172_800.0, "gpu_hours"),  # real
    ("Training our 175B PPO-ptx model requires 60 petaflops/s-days.", 60.0, "pf_days"),  # real (InstructGPT)
    ("Pre-training took 184,320 A100 GPU hours.", 184_320.0, "gpu_hours"),
    ("The search cost 3,150 GPU-days.", 3_150.0, "gpu_days"),
])
def test_stated_compute_is_a_compute_fact_with_its_unit(text: str, value: float, unit: str) -> None:
    assert (value, unit, 0.6) in _compute(text)
    assert all(r.hours is None for r in training_runs(text))  # accelerator time is not wall-clock time


def test_compute_of_a_cited_work_is_marked_and_axes_are_not_read() -> None:
    got = _compute("Ours requires 60 petaflops/s-days, compared to 3,640 petaflops/s-days for GPT-3 "
                   "(Brown et al., 2020).")
    assert (60.0, "pf_days", 0.6) in got and (3640.0, "pf_days", 0.3) in got
    assert _compute("Compute (TPUv3 core days) 20 30 40 50") == []
    assert _compute("consumed hundreds of petaflop/s-days of compute") == []
    for text in ("For audio, we use a 100-hour subset of LibriSpeech.",  # real (CPC): data, not compute
                 "This model is trained on our internal dataset consisting of 6000 hours of English speech.",
                 "So she works 1750 + 450 = 2200 hours."):  # real (chain-of-thought exemplar)
        assert _compute(text) == [], text


# --- composite hardware wording: nodes times the devices each holds ------------------------------------

@pytest.mark.parametrize(("text", "run"), [
    ("We train on 768 DGX H100 nodes; each node contains 8 H100 GPUs.", ("nvidia-h100", 6144, None)),
    ("All experiments were performed on 16x NVIDIA DGX A100 nodes (8x A100 80GB).", ("nvidia-a100", 128, None)),
    ("Training was done on 2 nodes, each with 8 A100 GPUs.", ("nvidia-a100", 16, None)),
    ("We trained on 256 nodes, where each node consists of 4x AMD MI250X GPUs.", ("amd-mi250x", 1024, None)),
    ("We trained the model on a DGX-2 machine with 16 V100 GPUs.", ("nvidia-v100", 16, None)),
    ("We train on 4 machines with 8 V100 GPUs each.", ("nvidia-v100", 32, None)),
])
def test_nodes_times_the_devices_each_node_holds(text: str, run: tuple[str, int, None]) -> None:
    assert run in _runs(text)


@pytest.mark.parametrize(("text", "run"), [
    ("We train our models using 8 servers (64 GPUs in total) in parallel.", (None, 64, None)),
    ("Training was performed with 8 servers (64 GPUs) in parallel.", (None, 64, None)),  # real (SENet)
    ("All of our experiments use up to 32 DGX-2H servers (a total of 512 Tesla V100 SXM3 32GB GPUs) for "
     "training.", ("nvidia-v100", 512, None)),  # real (Megatron-LM)
])
def test_a_total_beside_the_nodes_is_not_multiplied(text: str, run: tuple[str | None, int, None]) -> None:
    assert run in _runs(text)


def test_todays_accelerators_are_named() -> None:
    assert ("nvidia-h800", None, None) in _runs("We trained all models on a cluster equipped with NVIDIA H800 GPUs.")
    assert ("nvidia-a800", 64, None) in _runs("Pre-training used 64 A800 GPUs.")


@pytest.mark.parametrize(("text", "run"), [
    ("We pre-train on 512 v4 TPU chips.", ("google-tpu-v4", 512, None)),
    ("The experiments in the main paper are all conducted on TPU (v3-256) pods.",
     ("google-tpu-v3", 256, None)),  # real (ConvNeXt V2): 256 cores
    ("Our models are trained on v3 TPUs.", ("google-tpu-v3", None, None)),
])
def test_tpu_generation_written_before_or_beside_the_word(text: str, run: tuple[str, int | None, None]) -> None:
    assert run in _runs(text)


@pytest.mark.parametrize("text", [
    "In this work, we surpassed the limitations posed by traditional single-GPU-per-model training.",  # real
    "This could allow us to fit a trillion parameter model on 1024 GPUs with 16-way model parallelism.",  # real
    "A 1.5B parameter GPT-2 model requires 3GB of memory, yet it cannot be trained on a single GPU with 32GB.",  # real
    "Hardware constraints on accelerators (GPU or TPU) force users to divide larger models.",  # real (GPipe)
    "Such models are trained on GPUs and TPUs alike.",
])
def test_compound_words_capacity_and_generic_alternatives_are_not_runs(text: str) -> None:
    assert _runs(text) == set()


def test_devices_per_node_still_read() -> None:
    assert (None, 8, None) in _runs("We trained on 8 GPUs per node.")


@pytest.mark.parametrize("text", [
    "Training 1,000 batches of data costs 600 minutes with MLM objective, 120 minutes with RTD objective.",  # real
    "So she drives 20 / 4 = 5 hours. The answer is 5.",  # a worked example (chain-of-thought exemplars)
])
def test_the_time_of_part_of_a_run_or_of_arithmetic_is_not_a_duration(text: str) -> None:
    assert _hours(text) == []


@pytest.mark.parametrize("text", [
    "Model parallel (blue): up to 8-way model parallel weak scaling with approximately 1 billion parameters "
    "per GPU (e.g. 2 billion for 2 GPUs and 4 billion for 4 GPUs).",  # real (Megatron-LM, figure 1)
    "For example, the 8.3 billion parameters case with 8-way (8 GPU) model parallelism achieves 77% of "
    "linear scaling.",  # real
    "Training throughput shows strong scaling from 16 to 256 GPUs.",
])
def test_scaling_studies_are_not_runs(text: str) -> None:
    assert {r.count for r in training_runs(text)} == set()


@pytest.mark.parametrize("text", [
    "Each node in the H800 cluster contains 8 GPUs connected using NVLink and NVSwitch within nodes.",  # real
    "During training each machine has 4 GPUs and a 100 Gb/s interconnect.",
])
def test_one_nodes_make_up_is_not_the_runs_size(text: str) -> None:
    assert [r.count for r in training_runs(text) if r.count is not None] == []


def test_nodes_times_gpus_per_node_is_still_the_total() -> None:
    runs = training_runs("We train on 16 nodes, each node with 8 A100 GPUs.")
    assert {(r.accelerator, r.count) for r in runs} == {("nvidia-a100", 128)}


def test_a_generic_gpu_count_takes_the_model_of_the_papers_own_training_statement() -> None:
    runs = training_runs(
        "Scaling the model to 8.3 billion parameters on 512 GPUs, we achieve 15.1 PetaFLOPs.\n\n"
        "We efficiently trained transformer models on 512 NVIDIA V100 GPUs with 8-way model parallelism.",
        "The 355M model still uses 64 GPUs to train, leading to a lower time per epoch.",
    )
    assert {(r.accelerator, r.count) for r in runs} == {("nvidia-v100", 512), ("nvidia-v100", 64)}


def test_a_named_device_in_a_side_remark_does_not_name_the_runs() -> None:
    runs = training_runs(
        "We train with a mini-batch size of 256 in 8 GPUs for 200 epochs.",
        "Here the largest mini-batch a high-end machine (8 Volta 32GB GPUs) can afford is 1024.",
    )
    assert [(r.accelerator, r.count) for r in runs if r.page == 1] == [(None, 8)]
