"""Sentence splitting of PDF text and text normalisation."""

from __future__ import annotations

from extract.pdf import normalise_text
from extract.sentences import looks_like_table_row, split_sentences


def _texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_abbreviations_and_decimals_do_not_split() -> None:
    text = "As in Fig. 3 and Eq. 2, He et al. report 3.57% error, e.g. on ImageNet. We then train it."
    assert _texts(text) == [
        "As in Fig. 3 and Eq. 2, He et al. report 3.57% error, e.g. on ImageNet.",
        "We then train it.",
    ]


def test_footnote_marker_after_a_period_splits() -> None:
    text = "on 4 Cloud TPUs (16 TPU chips total).13 Training of BERT-Large was performed on 16 Cloud TPUs."
    assert len(_texts(text)) == 2


def test_short_lines_are_hard_breaks_but_wrapped_lines_continue() -> None:
    long = "We trained our models on one machine with eight GPUs, and we then trained"
    text = f"5.2 Hardware and Schedule\n{long}\nthe models for 3 days.\n{long}\nthem again.\nTable 1: Results"
    parts = _texts(text)
    assert parts[0] == "5.2 Hardware and Schedule"
    assert parts[1].startswith("We trained") and parts[1].endswith("for 3 days.")
    assert parts[-1] == "Table 1: Results"


def test_spans_index_the_text() -> None:
    text = "First one. Second one!\nThird?"
    for s in split_sentences(text):
        assert text[s.start : s.end].strip() == text[s.start : s.end]


def test_normalise_joins_hyphenation_and_maps_symbols() -> None:
    raw = "imple-\r\nmentation of ResNet-\r\n50 on 8\u00d7 V100, 3\u20134 weeks, pre\ufffetraining, \ufb01ne"
    assert normalise_text(raw) == "implementation of ResNet-50 on 8x V100, 3-4 weeks, pretraining, fine"


def test_table_rows_are_recognised() -> None:
    assert looks_like_table_row("RNNenc-30 8.46 6.4 109 TITAN BLACK 28.1 53.0")
    assert not looks_like_table_row("We trained for 3 days on 8 GPUs with a batch size of 256.")
