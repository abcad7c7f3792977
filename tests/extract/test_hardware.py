"""Hardware phrasings the extractor must read, and the traps it must not report as training runs."""

from __future__ import annotations

import pytest

from tests.extract.conftest import extract_text, training_runs


def _hw(text: str) -> set[tuple[str | None, int | None, str | None]]:
    return {(r.accelerator, r.count, r.count_unit) for r in training_runs(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We trained our models on one machine with 8 NVIDIA V100 GPUs.", ("nvidia-v100", 8, "gpu")),
        ("All models were trained on 2 K80 GPUs using SGD.", ("nvidia-k80", 2, "gpu")),
        ("The network was trained on a single Titan X for two weeks.", ("nvidia-titan-x", 1, "gpu")),
        ("Each model is trained on four NVIDIA GeForce GTX 1080 Ti GPUs.", ("nvidia-gtx-1080-ti", 4, "gpu")),
        (
            "The model is trained with SGD on 4 GPUs (NVIDIA Tesla V100) with 16 images per GPU.",
            ("nvidia-v100", 4, "gpu"),
        ),
        ("On 8 GPUs of NVIDIA M40, training takes 0.95s per mini-batch.", ("nvidia-m40", 8, "gpu")),
        ("We pre-train the model on a TPUv3 pod with 512 cores.", ("google-tpu-v3", 512, "tpu_core")),
        ("We train XLNet-Large on 512 TPU v3 chips for 500K steps.", ("google-tpu-v3", 512, "tpu_chip")),
        ("Training used 16 Cloud TPU v3 devices.", ("google-tpu-v3", 16, "tpu_device")),
        ("The search was run on 64 TPUv2 devices.", ("google-tpu-v2", 64, "tpu_device")),
        ("Each model was trained on a TPUv3-8 slice.", ("google-tpu-v3", 8, "tpu_core")),
        (
            "Training of BERT-Large was performed on 16 Cloud TPUs (64 TPU chips total).",
            ("google-tpu", 16, "tpu_device"),
        ),
        ("We train on 4 machines with 8 GPUs each.", (None, 32, "gpu")),
        ("We train our models using 8 servers (64 GPUs in total) in parallel.", (None, 64, "gpu")),
        ("We train on an 8-GPU machine with a mini-batch of 64 clips.", (None, 8, "gpu")),
        ("These models are trained with a minibatch size of 128 on two GPUs.", (None, 2, "gpu")),
        ("We use 16 GPU asynchronous workers to train the network.", (None, 16, "gpu")),
        ("All networks were trained on 60 NVIDIA K80 GPUs each.", ("nvidia-k80", 60, "gpu")),
        ("Training was done on Cloud TPU V3.", ("google-tpu-v3", None, None)),
        ("Training of the final model used eight Quadro K-6000 cards.", ("nvidia-quadro-k6000", 8, "gpu")),
        ("We trained the network on a laptop with one GPU3 to overfit the training set.", (None, 1, "gpu")),
    ],
)
def test_phrasing_variants(text: str, expected: tuple[str | None, int | None, str | None]) -> None:
    assert expected in _hw(text)


def test_generic_count_takes_the_named_model_of_the_page() -> None:
    text = (
        "All experiments run on 8 NVIDIA Titan V GPUs. Batch indicates the batch size if training on 8 GPUs."
    )
    assert _hw(text) == {("nvidia-titan-v", 8, "gpu")}


def test_tpu_generation_is_inherited_within_the_paper() -> None:
    page = (
        "Training was done on Cloud TPU V3. The number of TPUs used for training ranged from 64 to 512, "
        "depending on model size."
    )
    assert {a for a, _, _ in _hw(page)} == {"google-tpu-v3"}


def test_phase_from_context() -> None:
    runs = training_runs(
        "We pre-train BERT on 16 Cloud TPUs for 4 days. We fine-tune on a single Cloud TPU in at most 1 hour."
    )
    phases = {(r.count, r.phase) for r in runs}
    assert (16, "pretraining") in phases
    assert (1, "finetuning") in phases
    search = training_runs("Each architecture search takes 4.5 days on 64 TPUv2 devices.")
    assert [r.phase for r in search] == ["search"]


@pytest.mark.parametrize(
    "text",
    [
        # inference / latency / speed benchmarks
        "Runtime is measured on a single NVIDIA TITAN RTX graphics card.",
        "SSD achieves 74.3% mAP on VOC2007 test at 59 FPS on a Nvidia Titan X.",
        "We measure the speed with batch size 8 using Titan X and cuDNN v4.",
        "Latency is measured with batch size 1 on a single core of Intel Xeon CPU E5-2690.",
        "Average inference latency is measured on a NVIDIA V100 GPU with a mini-batch of 16.",
        "A single pass forwards and backwards through ResNet-50 takes 190 ms, compared to 209 ms for "
        "SE-ResNet-50 with a training minibatch of 256 images (both timings are performed on a server "
        "with 8 NVIDIA Titan X GPUs).",
        "We have observed a 3.8x speedup using 4 GPUs, and a 6.0x speedup using 8 GPUs.",
        "We used values of 2.8, 3.7, 6.0 and 9.5 TFLOPS for K80, K40, M40 and P100, respectively.",
        # related work
        "The deepest model as of our work used up to 78 layers [27] and requires 256 GPUs for training.",
        "The motivation given by Krizhevsky et al. [24] is for distributing the model over two GPUs.",
        # acknowledgement without a model, vague devices, references
        "We thank NVIDIA for providing GPUs and acknowledge support from NSF.",
        "All results can be reproduced in a few hours on a GPU.",
        "Training on multiple GPUs is common for large models.",
        "Fast convolutional nets with fbfft: A gpu performance evaluation. arXiv preprint, 2014.",
        # table rows of other methods' speeds
        "SSD300* [25] VGG 43 (Titan X) 25.1 43.1 25.8 - - -",
    ],
)
def test_traps_are_not_training_runs(text: str) -> None:
    assert _hw(text) == set()


def test_inference_hardware_is_kept_as_an_other_hardware_fact() -> None:
    _, _, facts = extract_text("Runtime is measured on a single NVIDIA TITAN RTX graphics card.")
    other = [f for f in facts if f.kind == "other_hardware"]
    assert [(f.value, f.unit) for f in other] == [("nvidia-titan-rtx", "inference")]


def test_acknowledged_gpus_used_in_the_research_are_a_low_confidence_run() -> None:
    runs = training_runs(
        "We would like to thank NVIDIA Corporation for donating several TITAN X GPUs used in this research."
    )
    assert [(r.accelerator, r.count) for r in runs] == [("nvidia-titan-x", None)]
    assert runs[0].confidence < 0.7


def test_every_run_has_provenance_into_its_page() -> None:
    page = "Intro text.\nWe trained our models on one machine with 8 NVIDIA P100 GPUs. It took 3.5 days."
    runs, _, _ = extract_text(page)
    assert runs
    for r in runs:
        assert r.page == 1
        assert r.char_start is not None and r.char_end is not None
        assert " ".join(page[r.char_start : r.char_end].split()) == r.quote
