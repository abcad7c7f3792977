"""Results of the paper's own models from table rows and prose; which names are the paper's own."""

from __future__ import annotations

from extract.own_models import mentions_own, own_model_names
from tests.extract.conftest import extract_text

PAGE_1 = """ShuffleNet: An Extremely Efficient Convolutional Neural Network for Mobile Devices
Abstract
We introduce an extremely computation-efficient CNN architecture named ShuffleNet. ShuffleNet is fast.
1. Introduction
Building deeper and larger convolutional neural networks is a primary trend."""

TABLE_PAGE = """Model Complexity (MFLOPs) Cls err. (%)
VGG-16 [30] 15300 28.5
GoogleNet [33]* 1500 31.3
ShuffleNet 2x (g = 3) 524 26.3
ShuffleNet 1x (g = 8) 140 32.4
Table 5. ShuffleNet vs. popular models on ImageNet classification (top-1 error)."""


def test_own_names_from_title_acronyms_and_abstract() -> None:
    assert own_model_names([PAGE_1, "ShuffleNet again."])[0] == "ShuffleNet"
    gn = own_model_names(
        ["Group Normalization\nYuxin Wu\nAbstract\nWe present GN.", "GN works. GN is simple."]
    )
    assert "GN" in gn
    nl = own_model_names(["Non-local Neural Networks\nXiaolong Wang\nAbstract\n...", "NL I3D and NL blocks."])
    assert "NL" in nl


def test_own_names_of_todays_model_papers() -> None:
    """A title whose first line has commas, the name nearest "we present" (not the acronym after it), a
    name with a size ("Mixtral 8x7B"), a versioned name over its bare family, never a metric."""
    deepseek = own_model_names([
        "DeepSeek-V2: A Strong, Economical, and Efficient\nMixture-of-Experts Language Model\nDeepSeek-AI\n"
        "Abstract\nWe present DeepSeek-V2, a strong Mixture-of-Experts (MoE) language model.",
        "DeepSeek-V2 beats DeepSeek 67B. DeepSeek-V2 is cheap.",
    ])
    assert deepseek == ["DeepSeek-V2"]
    mixtral = own_model_names([
        "Mixtral of Experts\nAlbert Q. Jiang, Alexandre Sablayrolles\nAbstract\nWe introduce Mixtral 8x7B, "
        "a Sparse Mixture of Experts (SMoE) language model.", "Mixtral outperforms Llama 2 70B."])
    assert mixtral[0] == "Mixtral"
    whisper = own_model_names(["Robust Speech Recognition\nAlec Radford\nAbstract\nWe report WER.",
                               "WER on LibriSpeech. WER again. WER and WER."])
    assert "WER" not in whisper


def test_mentions_own() -> None:
    own = ["SE", "SENet"]
    assert mentions_own("SE-ResNet-50", own) and mentions_own("SENet-154", own)
    assert not mentions_own("ResNet-50 [10]", own) and not mentions_own("Search", own)
    assert mentions_own("CircleLoss (ours)", []) and mentions_own("This paper HN-AVE", [])
    assert mentions_own("MATCHA no", ["MATCHA"]) and mentions_own("Circle Loss", ["CircleLoss"])


def test_table_rows_of_own_model_only() -> None:
    _, results, _ = extract_text(PAGE_1, TABLE_PAGE)
    values = {r.value for r in results}
    assert {26.3, 32.4} <= values
    assert not values & {28.5, 31.3, 15300.0, 524.0, 140.0}
    best = next(r for r in results if r.value == 26.3)
    assert best.dataset == "ImageNet" and best.model.startswith("ShuffleNet 2x") and best.page == 2


def test_rows_continuing_an_own_row_and_marked_rows() -> None:
    page = """Method Top-1 acc.
BigBiGAN [16] R50 56.6
ShuffleNet R50 60.6
R50w4x 68.6
LocalAgg [66] R50 58.8
Ours (large) 71.2
Table 1. Linear classification on ImageNet."""
    values = {r.value for r in extract_text(PAGE_1, page)[1]}
    assert {60.6, 68.6, 71.2} <= values and not values & {56.6, 58.8}


def test_prose_results_need_an_own_claim() -> None:
    text = (
        "On the WMT 2014 English-to-German translation task, our big model achieves 28.4 BLEU. "
        "Gehring et al. report 25.2 BLEU with a convolutional model."
    )
    got = {(r.value, r.metric, r.dataset) for r in extract_text(text)[1]}
    assert (28.4, "BLEU", "WMT2014 English-German") in got
    assert 25.2 not in {v for v, _, _ in got}


def test_model_facts() -> None:
    text = (
        "Our model has 213M parameters and 11.3 billion FLOPs. We train it for 90 epochs with mixed "
        "precision, for a total of 300K steps, on a dataset of 4.5 million sentence pairs."
    )
    facts = {(f.kind, f.value) for f in extract_text(text)[2]}
    assert {
        ("parameters", 213e6),
        ("flops", 11.3e9),
        ("epochs", 90.0),
        ("training_steps", 300e3),
        ("training_set_size", 4.5e6),
        ("precision", "mixed-precision"),
    } <= facts


def test_results_after_the_references_are_kept_below_headline_confidence() -> None:
    """An appendix table breaks results down; the headline number is in the body (warehouse: >= 0.6)."""
    body = PAGE_1 + "\nShuffleNet achieves 73.7% top-1 accuracy on ImageNet, a new state of the art."
    refs = "References\n[1] A. Author. Some paper. In CVPR, 2017.\n[2] B. Author. Another. arXiv preprint, 2018."
    appendix = "A. Additional results\n" + TABLE_PAGE
    _, results, _ = extract_text(body, refs, appendix)
    by_page = {(r.page, r.value): r.confidence for r in results}
    assert by_page[(1, 73.7)] >= 0.6
    assert [c for (page, _), c in by_page.items() if page == 3] and all(
        c <= 0.55 for (page, _), c in by_page.items() if page == 3)
