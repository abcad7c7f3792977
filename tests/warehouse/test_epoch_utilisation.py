"""Epoch AI's own utilisation for a row, read from their MFU column or stated in their compute notes
(issue 15: the check compares their hardware-method rows like with like)."""

from __future__ import annotations

import pytest

from warehouse.checks import epoch_utilization, stated_utilization


@pytest.mark.parametrize(("notes", "expected"), [
    ("512 GPUs * 989500000000000 FLOP / sec * 552 hours * 3600 sec / hour * 0.3 [assumed utilization]", 0.3),
    ("3. Utilization rate: 40%  4. Final calculation: 3.12e14 FLOP/s x 864,000s x 0.4 x 8 GPUs", 0.4),
    ("From Table 1: 5 days of training on 32 TPUv4. Assuming 30% utilization, 16-bit precision.", 0.3),
    ("Trained for 3 months on 96 A100s. Let's say 0.4 utilization rate.", 0.4),
    ("the model reaches an MFU of 46.2% on 6144 chips", 0.462),
    ("hardware utilization of 0.35 as reported", 0.35),
    ("312000000000000*8*168*3600*0.3 = 4.5287424e+20", 0.3),             # the method as a bare product
    ("312000000000000*420*32*3600*.3 = 4528742400000000000000 FLOP", 0.3),
    ("12*3.1e+14*0.4*1209600s=1.8e+21", 0.4),
])
def test_a_stated_utilisation_is_read(notes: str, expected: float) -> None:
    assert stated_utilization(notes) == pytest.approx(expected)


@pytest.mark.parametrize("notes", [
    None, "",
    "6 * 1.5e9 * 2e11 = 1.8e21",                                  # operation counting: no fraction
    "x * 0.30 utilization for pretraining, 40% utilization for fine-tuning",  # two: not one to pick
    "(8) * (1215 * 10**10) * (20 * 3600) * 3 // 10",               # a legend-style formula: not guessed
    "utilization: 3*10^5 tokens per second",                       # a number that is not a fraction
    "2 x 3 x 4 x 0.5",                                            # no peak among the factors
])
def test_no_or_several_utilisations_give_none(notes: str | None) -> None:
    assert stated_utilization(notes) is None


def test_their_column_comes_first() -> None:
    assert epoch_utilization(0.462, "0.3 [assumed utilization]") == (0.462, "column")
    assert epoch_utilization(None, "0.3 [assumed utilization]") == (0.3, "notes")
    assert epoch_utilization(float("nan"), "nothing") == (None, None)
    assert epoch_utilization(46.2, None) == (None, None)  # a percentage in a ratio column is not trusted
