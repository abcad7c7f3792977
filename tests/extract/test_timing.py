"""Training durations: units, ranges, bounds, and the per-epoch / per-step traps."""

from __future__ import annotations

import pytest

from extract.timing import find_durations
from tests.extract.conftest import training_runs


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("Training took 3.5 days on 8 P100 GPUs.", 84.0),
        ("taking about 53 hours training ResNet-50", 53.0),
        ("taking ~6 days for ResNet-50", 144.0),
        ("training takes about 2-3 weeks", 420.0),
        ("Training A/B on four K20 GPUs takes about 3-4 weeks.", 588.0),
        ("It takes 1 or 2 days to train a model", 36.0),
        ("the run finished after 12h of training", 12.0),
        ("Constant Depth 20h 42m", 20.7),
        ("less than a day for CIFAR10", 24.0),
        ("the JFT experiments took over one month each", 720.0),
        ("which took 40 minutes for constellation experiments", 2 / 3),
        ("can be trained in around 30 minutes on a single Cloud TPU", 0.5),
        ("Training large models takes about a day on 64 V100 GPUs.", 24.0),
        ("We trained the base models for a total of 100,000 steps or 12 hours.", 12.0),
        ("in approximately 30 days", 720.0),
        ("half a day", 12.0),
    ],
)
def test_duration_phrasings(text: str, hours: float) -> None:
    found = find_durations(text)
    assert len(found) == 1
    assert found[0].hours == pytest.approx(hours, rel=1e-3)


@pytest.mark.parametrize(
    "text",
    [
        "each training step took about 0.4 seconds",
        "each epoch takes 2 hours on 8 GPUs",
        "training takes 1.7s per mini-batch",
        "it needs 2 hours per epoch",
        "we use the 100 hour subset of Librispeech",
        "2.5k TPUv3-core-days",
        "which would have taken over three month per experiment",
        "which would have\ntaken over three month per experiment",
        "a 3D model of the scene",
    ],
)
def test_not_a_run_duration(text: str) -> None:
    assert find_durations(text) == []


def test_per_step_time_is_not_turned_into_a_total() -> None:
    runs = training_runs(
        "We trained our models on one machine with 8 NVIDIA P100 GPUs. Each training step took "
        "about 0.4 seconds. We trained the base models for a total of 100,000 steps or 12 hours."
    )
    assert sorted(r.hours for r in runs if r.hours) == [12.0]


def test_duration_links_to_hardware_of_the_same_paragraph() -> None:
    runs = training_runs(
        "All networks were trained on 60 NVIDIA K80 GPUs each. For the ImageNet experiments, we used "
        "data parallelism. The ImageNet experiments took approximately 3 days each, while the JFT "
        "experiments took over one month each."
    )
    assert {(r.accelerator, r.count, r.hours) for r in runs} == {
        ("nvidia-k80", 60, 72.0),
        ("nvidia-k80", 60, 720.0),
    }


def test_one_duration_for_two_hardware_setups() -> None:
    runs = training_runs(
        "Training A/B on four K20 GPUs, or training C on eight K40 GPUs, takes about 3-4 weeks."
    )
    assert {(r.accelerator, r.count, r.hours) for r in runs} == {
        ("nvidia-k20", 4, 588.0),
        ("nvidia-k40", 8, 588.0),
    }


def test_duration_without_hardware_is_a_run_with_unknown_hardware() -> None:
    runs = training_runs("We trained each model for approximately 5 days.")
    assert [(r.accelerator, r.accelerator_text, r.count, r.hours) for r in runs] == [
        (None, None, None, 120.0)
    ]


def test_durations_in_references_and_inference_are_ignored() -> None:
    refs = (
        "References\n[12] P. Goyal et al. Accurate, large minibatch SGD: training ImageNet in 1 hour. "
        "arXiv preprint arXiv:1706.02677, 2017."
    )
    assert training_runs("Our method works well.", refs) == []
    assert training_runs("Inference on the test set takes 2 hours on a V100.") == []
