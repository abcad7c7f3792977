"""The pattern files are package data, valid, and use only ids the rest of the package knows."""

from __future__ import annotations

from extract import names
from extract.nlp import CUE_PATTERN_FILE, ENTITY_PATTERN_FILES, load_patterns, load_tools


def test_accelerator_ids_are_canonical() -> None:
    ids = {row["id"] for row in load_patterns("accelerators.jsonl")}
    assert ids <= names.ACCELERATORS | {names.GENERIC_GPU}
    assert {"nvidia-v100", "nvidia-titan-x", "nvidia-gtx-1080-ti", "google-tpu-v3", "google-tpu"} <= ids


def test_labels_are_known() -> None:
    labels = {row["label"] for name in ENTITY_PATTERN_FILES for row in load_patterns(name)}
    assert labels == {names.LABEL_ACCELERATOR, names.LABEL_DATASET, names.LABEL_METRIC}
    assert {row["label"] for row in load_patterns(CUE_PATTERN_FILE)} <= set(names.CUES)


def test_pipeline_is_blank_english_with_rules_only() -> None:
    nlp = load_tools().nlp
    assert nlp.lang == "en" and nlp.pipe_names == ["entity_ruler"]
    ents = [
        (e.text, e.ent_id_) for e in nlp("trained on 8 NVIDIA Tesla V100 GPUs and a single Titan X.").ents
    ]
    assert ("V100", "nvidia-v100") in ents and ("Titan X", "nvidia-titan-x") in ents
