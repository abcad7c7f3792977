"""Results stated in prose take the dataset named nearest to the value and the footing of the words
right after the metric."""

from __future__ import annotations

import pytest

from tests.extract.conftest import extract_text

INTRO = """NovaNet: A Model
Abstract
We propose NovaNet, a new network for language understanding and image classification."""


def _labels(sentence: str) -> dict[float, tuple[str | None, str | None]]:
    return {r.value: (r.metric, r.dataset) for r in extract_text(INTRO, sentence)[1]}


def test_each_value_in_a_list_of_claims_takes_its_own_dataset() -> None:
    got = _labels("Specifically, we push the RACE accuracy to 89.4%, the GLUE benchmark score to 89.2, and the "
                  "SQuAD 2.0 F1 score to 92.2.")
    assert got[89.4][1] == "RACE"
    assert got[92.2] == ("F1", "SQuAD2.0")


@pytest.mark.parametrize(("sentence", "metric"), [
    ("Our NovaNet ensemble reaches 4.9% top-5 validation error on ImageNet.", "top-5 error"),
    ("Our NovaNet achieves 21.2% top-1 test error on ImageNet, a new record.", "top-1 error"),
    ("Our NovaNet achieves 79.3% top-1 accuracy on ImageNet, and is faster.", "top-1 accuracy"),
])
def test_the_words_after_a_topk_metric_set_its_footing(sentence: str, metric: str) -> None:
    assert any(m == metric for m, _d in _labels(sentence).values())


@pytest.mark.parametrize("sentence", [
    "Our MnasNet model achieves comparable mAP quality (23.0 vs 23.2) as SSD300 on COCO.",  # real
    "Our MnasNet model achieves 23.0 mAP on COCO versus 23.2 mAP of SSD300.",
    "We obtain 23.0% mAP on COCO vs. 23.2% for the previous best detector.",
])
def test_the_other_side_of_a_comparison_is_not_our_value(sentence: str) -> None:
    _, results, _ = extract_text("We propose MnasNet, a mobile network.\n\n" + sentence)
    assert sorted({r.value for r in results}) == [23.0]
