"""The shipped hardware catalog and price table (`warehouse/data/*.csv`), read with the csv module only.

These tests check the data files themselves, independently of the loader: the exact headers, the ids
the PDF extractor emits, numeric columns, per-row sources, alias uniqueness under the resolver's name
normalisation, and (with ../shared present) agreement with Epoch AI's chip data and Thompson et al.'s
per-processor figures.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

DATA = REPO_ROOT / "warehouse" / "data"

HARDWARE_HEADER = [
    "accelerator", "name", "vendor", "kind", "released", "fp32_tflops", "tf32_tflops", "tensor16_tflops",
    "fp8_tflops", "memory_gb", "tdp_w", "chips_per_device", "pod_chips", "thompson_tflops", "thompson_unit",
    "usual_precision", "aliases", "source",
]
PRICE_HEADER = ["accelerator", "effective_date", "usd_per_chip_hour", "provider", "offer", "source"]
PEAKS = ("fp32_tflops", "tf32_tflops", "tensor16_tflops", "fp8_tflops")
NUMERIC = (*PEAKS, "memory_gb", "tdp_w", "chips_per_device", "pod_chips", "thompson_tflops")

# Ids the PDF extractor emits, the pre-existing catalog ids and the rows the issue asks for.
REQUIRED_IDS = (
    "nvidia-k20", "nvidia-k40", "nvidia-k80", "nvidia-m40", "nvidia-p40", "nvidia-p100", "nvidia-v100", "nvidia-t4",
    "nvidia-a100", "nvidia-h100", "nvidia-h200", "nvidia-gtx-580", "nvidia-gtx-680", "nvidia-gtx-980",
    "nvidia-gtx-1080", "nvidia-gtx-1080-ti", "nvidia-rtx-2080-ti", "nvidia-rtx-3090", "nvidia-rtx-a6000",
    "nvidia-rtx-8000", "nvidia-titan-black", "nvidia-titan-x", "nvidia-titan-xp", "nvidia-titan-v",
    "nvidia-titan-rtx", "nvidia-quadro-k6000", "nvidia-quadro-p6000", "google-tpu-v2", "google-tpu-v3",
    "google-tpu-v4", "google-tpu-v5e", "google-tpu-v5p", "nvidia-titan-x-pascal", "nvidia-v100-sxm2", "nvidia-v100s",
    "nvidia-h100-pcie", "nvidia-h100-nvl", "nvidia-a800", "nvidia-h800", "nvidia-a30", "nvidia-a10", "nvidia-a40",
    "nvidia-l4", "nvidia-l40s", "nvidia-rtx-a5000", "nvidia-rtx-3090-ti", "nvidia-rtx-4090",
    "nvidia-quadro-rtx-5000", "nvidia-quadro-rtx-4000", "nvidia-quadro-gp100", "nvidia-quadro-p600",
    "nvidia-gtx-titan", "nvidia-gtx-285", "nvidia-tesla-c2075", "nvidia-b200", "google-tpu-v1", "google-tpu-v6e",
    "amd-mi250x", "amd-mi300x", "aws-trainium1", "huawei-ascend-910", "intel-xeon-platinum-8168",
    "intel-xeon-e5-2697-v4", "intel-xeon-e5-2690-v4", "intel-xeon-silver-4112", "intel-core-i7-4790",
)

# The resolver's comparison key (warehouse/catalog.py `name_key`), reimplemented here on purpose.
_VENDOR_WORDS = re.compile(r"\b(nvidia|geforce|tesla|google|cloud|amd|intel|amazon|aws|huawei)\b")
_MEMORY = re.compile(r"\b\d+\s*gb\b")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_FORM_FACTORS = re.compile(r"\b(pcie|sxm\d?|dgxs)\b")


def key(name: str) -> str:
    text = _VENDOR_WORDS.sub(" ", name.lower())
    text = _MEMORY.sub(" ", text)
    return _NON_ALNUM.sub("", text)


def loose_key(name: str) -> str:
    """The resolver's fallback key: also without form-factor words."""
    text = _FORM_FACTORS.sub(" ", _MEMORY.sub(" ", _VENDOR_WORDS.sub(" ", name.lower())))
    return _NON_ALNUM.sub("", text)


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


HW_FIELDS, HW = _read(DATA / "hardware.csv")
PRICE_FIELDS, PRICES = _read(DATA / "prices.csv")
BY_ID = {row["accelerator"]: row for row in HW}


def _num(text: str) -> float | None:
    return float(text) if text.strip() else None


def _names(row: dict[str, str]) -> list[str]:
    return [row["accelerator"], row["name"], *(a.strip() for a in row["aliases"].split("|") if a.strip())]


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for row in HW:
        for name in _names(row):
            index.setdefault(key(name), row["accelerator"])
    return index


INDEX = _index()

# ---------------------------------------------------------------------------------------------- structure


def test_headers_are_exact() -> None:
    assert HW_FIELDS == HARDWARE_HEADER
    assert PRICE_FIELDS == PRICE_HEADER


def test_rows_ids_and_required_ids() -> None:
    ids = [row["accelerator"] for row in HW]
    assert len(ids) >= 55
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert sorted(set(REQUIRED_IDS) - set(ids)) == []
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", i) for i in ids), "ids are lower-case vendor-model"


def test_every_row_is_complete_and_sourced() -> None:
    for row in HW:
        acc = row["accelerator"]
        assert None not in row and all(v is not None for v in row.values()), f"{acc}: wrong number of cells"
        assert row["name"].strip() and row["vendor"].strip(), acc
        assert row["source"].strip(), f"{acc}: no source"
        assert row["kind"] in {"gpu", "tpu", "cpu", "asic"}, acc
        assert date.fromisoformat(row["released"]).year >= 2008, acc
        assert acc.split("-")[0] in {"nvidia", "google", "amd", "aws", "huawei", "intel"}, acc


def test_numeric_columns_parse() -> None:
    for row in HW:
        acc = row["accelerator"]
        values = {col: _num(row[col]) for col in NUMERIC}  # raises ValueError on a bad cell
        assert all(v is None or v > 0 for v in values.values()), acc
        chips = values["chips_per_device"]
        assert chips is not None and chips >= 1 and chips == int(chips), acc
        assert values["pod_chips"] is None or row["kind"] == "tpu", f"{acc}: pod_chips only for TPUs"
        assert (values["thompson_tflops"] is None) == (row["thompson_unit"] == ""), acc
        assert row["thompson_unit"] in {"", "chip", "board", "device"}, acc
        if row["thompson_unit"] in {"board", "device"}:
            assert chips > 1, f"{acc}: a {row['thompson_unit']} of one chip"
        if row["kind"] != "cpu":  # every accelerator has some floating-point peak, except inference-only TPU v1
            assert any(values[p] for p in PEAKS) or acc == "google-tpu-v1", acc
        else:
            assert values["tensor16_tflops"] is None and values["memory_gb"] is None, acc


# Rows where the FP16/BF16 tensor peak may be below the FP32 peak, with the reason. None today: chips
# without a fast FP16 path (pre-Volta GPUs except P100/GP100, CPUs) leave tensor16 blank instead.
TENSOR_BELOW_FP32: dict[str, str] = {}


def test_peaks_are_ordered() -> None:
    for row in HW:
        acc = row["accelerator"]
        fp32, tf32, t16, fp8 = (_num(row[p]) for p in PEAKS)
        if fp32 and t16 and acc not in TENSOR_BELOW_FP32:
            assert t16 >= fp32, f"{acc}: tensor16 {t16} < fp32 {fp32}"
        if tf32 and t16:
            assert tf32 <= t16, acc
        if fp8 and t16:
            assert fp8 >= t16, acc


def test_documented_conventions() -> None:
    """Spot values the methodology fixes (METHODOLOGY §8, §9): dense peaks, units, base clocks."""
    a100 = BY_ID["nvidia-a100"]
    assert (a100["fp32_tflops"], a100["tf32_tflops"], a100["tensor16_tflops"]) == ("19.5", "156", "312")
    k80 = BY_ID["nvidia-k80"]
    assert (k80["fp32_tflops"], k80["chips_per_device"], k80["thompson_tflops"], k80["thompson_unit"]) == (
        "2.8", "2", "5.6", "board")
    assert (k80["memory_gb"], k80["tdp_w"]) == ("12", "150")
    for gen, pod, thompson in (("v2", "256", "180"), ("v3", "1024", "420"), ("v4", "4096", "1100")):
        tpu = BY_ID[f"google-tpu-{gen}"]
        assert (tpu["chips_per_device"], tpu["pod_chips"], tpu["thompson_tflops"], tpu["thompson_unit"]) == (
            "4", pod, thompson, "device")
    assert BY_ID["google-tpu-v5p"]["pod_chips"] == "8960"
    assert BY_ID["nvidia-v100"]["fp32_tflops"] == "14.13" and BY_ID["nvidia-v100-sxm2"]["tensor16_tflops"] == "125"
    assert BY_ID["nvidia-h100"]["tensor16_tflops"] == "989.4"  # not the sparse 1,979
    assert BY_ID["nvidia-titan-x"]["thompson_tflops"] == BY_ID["nvidia-titan-x-pascal"]["thompson_tflops"] == "11.0"
    for acc in ("nvidia-a800",):
        assert [BY_ID[acc][p] for p in PEAKS[:3]] == [a100[p] for p in PEAKS[:3]]
    assert [BY_ID["nvidia-h800"][p] for p in PEAKS] == [BY_ID["nvidia-h100"][p] for p in PEAKS]


# ---------------------------------------------------------------------------------------------- names


def test_aliases_do_not_collide_after_normalisation() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for row in HW:
        for name in _names(row):
            k = key(name)
            assert k, f"{row['accelerator']}: {name!r} normalises to nothing"
            owners[k].add(row["accelerator"])
    assert {k: sorted(v) for k, v in owners.items() if len(v) > 1} == {}


# Names without a form factor that several rows share under the resolver's fallback key: the first row
# in file order wins, and it must be the documented default (METHODOLOGY §9.5).
LOOSE_DEFAULTS = {"v100": "nvidia-v100", "h100": "nvidia-h100", "p100": "nvidia-p100"}


def test_form_factor_fallback_picks_the_documented_default() -> None:
    first: dict[str, str] = {}
    shared: dict[str, set[str]] = defaultdict(set)
    for row in HW:
        for name in _names(row)[1:]:
            k = loose_key(name)
            first.setdefault(k, row["accelerator"])
            shared[k].add(row["accelerator"])
    collisions = {k for k, v in shared.items() if len(v) > 1}
    assert collisions == set(LOOSE_DEFAULTS)
    assert {k: first[k] for k in collisions} == LOOSE_DEFAULTS


ISSUE_NAMES = {
    "Tesla V100-SXM2-16GB": "nvidia-v100-sxm2",
    "V100s": "nvidia-v100s",
    "TITAN X (Pascal)": "nvidia-titan-x-pascal",
    "2080Ti": "nvidia-rtx-2080-ti",
}

EPOCH_NAMES = {
    "NVIDIA A100": "nvidia-a100",
    "NVIDIA V100": "nvidia-v100",
    "NVIDIA H100 SXM5 80GB": "nvidia-h100",
    "Google TPU v3": "google-tpu-v3",
    "NVIDIA A100 SXM4 80 GB": "nvidia-a100",
    "Google TPU v4": "google-tpu-v4",
    "NVIDIA A100 SXM4 40 GB": "nvidia-a100",
    "NVIDIA Tesla V100 DGXS 32 GB": "nvidia-v100-sxm2",
    "NVIDIA GeForce GTX 1080 Ti": "nvidia-gtx-1080-ti",
    "NVIDIA GeForce RTX 3090": "nvidia-rtx-3090",
    "NVIDIA GeForce GTX TITAN X": "nvidia-titan-x",
    "NVIDIA P100": "nvidia-p100",
    "NVIDIA Tesla K80": "nvidia-k80",
    "Google TPU v2": "google-tpu-v2",
    "NVIDIA A800 PCIe 40 GB": "nvidia-a800",
    "NVIDIA Tesla V100 SXM2": "nvidia-v100-sxm2",
    "NVIDIA Titan V": "nvidia-titan-v",
    "NVIDIA RTX A6000": "nvidia-rtx-a6000",
    "NVIDIA TITAN Xp": "nvidia-titan-xp",
    "Google TPU v5e": "google-tpu-v5e",
    "NVIDIA Tesla V100 DGXS 16 GB": "nvidia-v100-sxm2",
    "NVIDIA GeForce RTX 2080 Ti 11GB": "nvidia-rtx-2080-ti",
    "NVIDIA Tesla K40s": "nvidia-k40",
    "Google TPU v1": "google-tpu-v1",
    "NVIDIA Tesla K40t": "nvidia-k40",
    "NVIDIA GTX Titan Black": "nvidia-titan-black",
    "Amazon Trainium1": "aws-trainium1",
    "NVIDIA H100 PCIe": "nvidia-h100-pcie",
    "NVIDIA Quadro GP100": "nvidia-quadro-gp100",
    "NVIDIA Tesla T4": "nvidia-t4",
    "NVIDIA Quadro RTX 5000": "nvidia-quadro-rtx-5000",
    "NVIDIA Quadro RTX 4000": "nvidia-quadro-rtx-4000",
    "Huawei Ascend 910": "huawei-ascend-910",
    "NVIDIA GeForce RTX 3090 Ti": "nvidia-rtx-3090-ti",
    "NVIDIA A800 SXM": "nvidia-a800",
    "NVIDIA A800 PCIe 80 GB": "nvidia-a800",
    "NVIDIA H100 NVL": "nvidia-h100-nvl",
    "NVIDIA RTX A5000": "nvidia-rtx-a5000",
    "NVIDIA H800 SXM5": "nvidia-h800",
    "NVIDIA A30 PCIe": "nvidia-a30",
    "NVIDIA GeForce GTX 285": "nvidia-gtx-285",
    "NVIDIA Quadro P600": "nvidia-quadro-p600",
    "NVIDIA M40": "nvidia-m40",
    "NVIDIA Tesla C2075": "nvidia-tesla-c2075",
    "NVIDIA Tesla K20c": "nvidia-k20",
    "NVIDIA Tesla V100S PCIe 32 GB": "nvidia-v100s",
}

THOMPSON_NAMES = {
    "Tesla V100 PCIe 32 GB": "nvidia-v100",
    "Tesla V100 PCIe 16 GB": "nvidia-v100",
    "GeForce Titan X": "nvidia-titan-x",
    "GeForce GTX Titan X": "nvidia-titan-x",
    "GeForce GTX 1080 Ti": "nvidia-gtx-1080-ti",
    "Tesla P100 PCIe 16 GB": "nvidia-p100",
    "Tesla M40": "nvidia-m40",
    "GeForce RTX 2080 Ti": "nvidia-rtx-2080-ti",
    "Geforce RTX 2080 Ti": "nvidia-rtx-2080-ti",
    "Tesla K40": "nvidia-k40",
    "GeForce GTX 580": "nvidia-gtx-580",
    "Tesla K80": "nvidia-k80",
    "GeForce Titan V": "nvidia-titan-v",
    "A100 SXM4 40 GB": "nvidia-a100",
    "GeForce GTX Titan": "nvidia-gtx-titan",
    "GeForce GTX Titan Black": "nvidia-titan-black",
    "GeForce Titan Xp": "nvidia-titan-xp",
    "GeForce GTX Titan Xp": "nvidia-titan-xp",
    "GeForce GTX 1080": "nvidia-gtx-1080",
    "GeForce RTX 3090": "nvidia-rtx-3090",
    "Cloud TPU v2": "google-tpu-v2",
    "Cloud TPU v3": "google-tpu-v3",
    "Cloud TPU v4": "google-tpu-v4",
    "Intel Xeon Platinum 8168": "intel-xeon-platinum-8168",
    "Intel Xeon E5-2697 v4": "intel-xeon-e5-2697-v4",
}


@pytest.mark.parametrize(("name", "accelerator"), [*ISSUE_NAMES.items(), *EPOCH_NAMES.items(),
                                                   *THOMPSON_NAMES.items()])
def test_names_from_the_issue_epoch_and_thompson_normalise_to_a_row(name: str, accelerator: str) -> None:
    assert INDEX.get(key(name)) == accelerator, f"{name!r} -> key {key(name)!r}"


def test_tpu_generations_have_the_alias_the_slice_rule_looks_up() -> None:
    # "TPUv3-8", "v5e-16", "Cloud TPU v4 Pod" are resolved by generation: key("TPU <gen>") must exist.
    for gen in ("v1", "v2", "v3", "v4", "v5e", "v5p", "v6e"):
        assert INDEX.get(key(f"TPU {gen}")) == f"google-tpu-{gen}"
    assert key("TPU v5") not in INDEX, "a bare 'TPU v5' is v5e or v5p: it must not resolve"


# ---------------------------------------------------------------------------------------------- prices


def test_prices_are_positive_dated_and_sourced() -> None:
    assert len(PRICES) >= 20
    for p in PRICES:
        assert p["accelerator"] in BY_ID, p["accelerator"]
        assert float(p["usd_per_chip_hour"]) > 0, p
        assert date(2010, 1, 1) <= date.fromisoformat(p["effective_date"]) <= date(2026, 12, 31), p
        assert p["provider"].strip() and p["offer"].strip() and p["source"].strip(), p
    assert len({(p["accelerator"], p["effective_date"], p["provider"], p["offer"]) for p in PRICES}) == len(PRICES)


def test_prices_cover_the_rented_accelerators() -> None:
    priced = {p["accelerator"] for p in PRICES}
    rented = {"nvidia-k80", "nvidia-p100", "nvidia-v100", "nvidia-t4", "nvidia-a100", "nvidia-h100",
              "google-tpu-v2", "google-tpu-v3", "google-tpu-v4", "google-tpu-v5e", "google-tpu-v5p"}
    assert sorted(rented - priced) == []
    assert not priced & {"nvidia-gtx-580", "nvidia-gtx-1080-ti", "nvidia-titan-x"}, "consumer GPUs were not rented"
    # a price in force for a V100 paper of mid-2019
    assert any(p["accelerator"] == "nvidia-v100" and p["effective_date"] <= "2019-06-01" for p in PRICES)


# ---------------------------------------------------------------------------------------------- corpus

# Epoch chip_dataset.csv rows -> our id, for the common chips.
EPOCH_CHIPS = {
    "NVIDIA GeForce GTX 580": "nvidia-gtx-580",
    "NVIDIA Tesla K40s": "nvidia-k40",
    "NVIDIA Tesla K80": "nvidia-k80",
    "NVIDIA GeForce GTX TITAN X": "nvidia-titan-x",
    "NVIDIA GTX Titan Black": "nvidia-titan-black",
    "NVIDIA M40": "nvidia-m40",
    "NVIDIA P100": "nvidia-p100",
    "NVIDIA GeForce GTX 1080 Ti": "nvidia-gtx-1080-ti",
    "NVIDIA TITAN Xp": "nvidia-titan-xp",
    "NVIDIA Tesla V100 PCIe 16 GB": "nvidia-v100",
    "NVIDIA Tesla V100 SXM2": "nvidia-v100-sxm2",
    "NVIDIA Tesla V100S PCIe 32 GB": "nvidia-v100s",
    "NVIDIA Tesla T4": "nvidia-t4",
    "NVIDIA GeForce RTX 2080 Ti 11GB": "nvidia-rtx-2080-ti",
    "NVIDIA GeForce RTX 3090": "nvidia-rtx-3090",
    "NVIDIA GeForce RTX 3090 Ti": "nvidia-rtx-3090-ti",
    "NVIDIA GeForce RTX 4090": "nvidia-rtx-4090",
    "NVIDIA RTX A6000": "nvidia-rtx-a6000",
    "NVIDIA A100 SXM4 40 GB": "nvidia-a100",
    "NVIDIA A40 PCIe": "nvidia-a40",
    "NVIDIA H100 SXM5 80GB": "nvidia-h100",
    "NVIDIA H100 PCIe": "nvidia-h100-pcie",
    "NVIDIA H800 SXM5": "nvidia-h800",
    "NVIDIA H200 SXM": "nvidia-h200",
    "NVIDIA B200": "nvidia-b200",
    "Google TPU v2": "google-tpu-v2",
    "Google TPU v3": "google-tpu-v3",
    "Google TPU v4": "google-tpu-v4",
    "Google TPU v5e": "google-tpu-v5e",
    "Google TPU v5p": "google-tpu-v5p",
    "AMD Radeon Instinct MI250X": "amd-mi250x",
    "AMD Instinct MI300X": "amd-mi300x",
    "Amazon Trainium1": "aws-trainium1",
}
EPOCH_COLUMNS = {
    "fp32_tflops": "FP32 (single precision) performance (FLOP/s)",
    "tensor16_tflops": "Tensor-FP16/BF16 performance (FLOP/s)",
}
# (Epoch row, our column): why we deliberately differ by more than 15%.
EPOCH_EXCEPTIONS = {
    ("NVIDIA Tesla K40s", "fp32_tflops"): "base clock 4.29 (METHODOLOGY §9.4, as Thompson et al.); Epoch: boost 5.05",
    ("NVIDIA Tesla K80", "fp32_tflops"): "per GPU at base clock (2.8); Epoch: the 2-GPU board at boost (8.13)",
    **{(name, "tensor16_tflops"): "GeForce: the FP32-accumulate tensor rate mixed-precision training runs at, "
       "half Epoch's FP16-accumulate figure (issue 15)" for name in (
        "NVIDIA GeForce RTX 2080 Ti 11GB", "NVIDIA GeForce RTX 3090 Ti", "NVIDIA GeForce RTX 4090")},
}  # within 15% but deliberate: B200 FP32 62.1 (Epoch's, unconfirmed); H800 FP32 66.9 vs Epoch 59.3 (H100 SXM5 value)
TOLERANCE = 0.15


@pytest.fixture(scope="module")
def epoch_chips(shared_dir: Path) -> dict[str, dict[str, str]]:
    with (shared_dir / "reference" / "epoch" / "chip_dataset.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {row["Hardware name"]: row for row in csv.DictReader(fh) if row.get("Hardware name")}


@pytest.mark.corpus
def test_peaks_agree_with_epoch_chip_data(epoch_chips: dict[str, dict[str, str]]) -> None:
    compared = 0
    problems = []
    for epoch_name, acc in EPOCH_CHIPS.items():
        assert epoch_name in epoch_chips, epoch_name
        assert INDEX.get(key(epoch_name)) == acc, f"{epoch_name!r} does not normalise to {acc}"
        for ours_col, epoch_col in EPOCH_COLUMNS.items():
            ours, theirs = _num(BY_ID[acc][ours_col]), _num(epoch_chips[epoch_name][epoch_col] or "")
            if ours is None or theirs is None:
                continue
            compared += 1
            gap = abs(ours - theirs / 1e12) / (theirs / 1e12)
            documented = (epoch_name, ours_col) in EPOCH_EXCEPTIONS
            if (gap > TOLERANCE and not documented) or (documented and gap < 0.05):
                problems.append(f"{acc} {ours_col}: ours {ours}, Epoch {theirs / 1e12:.4g} ({epoch_name})")
    assert problems == [], "differ without a documented exception (or a stale exception)"
    assert compared >= 40


# Epoch training-hardware names the catalog does not carry (rare in the reference data).
EPOCH_NOT_IN_CATALOG = {
    "Cerebras CS-2", "Intel Core 2 Quad Q9450", "AMD EPYC 7413", "Intel Core i5-11600K", "NVIDIA Quadro K1200",
    "NVIDIA GeForce RTX 4060 Ti", "NVIDIA RTX A1000", "NVIDIA A10G",
}


@pytest.mark.corpus
def test_epoch_training_hardware_names_normalise_to_a_row(shared_dir: Path) -> None:
    names: Counter[str] = Counter()
    for path in sorted((shared_dir / "reference" / "epoch").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if "Training hardware" not in (reader.fieldnames or []):
                continue
            for row in reader:
                names.update(n.strip() for n in (row["Training hardware"] or "").split(",") if n.strip())
    assert len(names) > 50
    missing = sorted(n for n in names if key(n) not in INDEX and n not in EPOCH_NOT_IN_CATALOG)
    assert missing == []


def _thompson_figures(shared_dir: Path) -> dict[str, Counter[float]]:
    """Processor name -> Counter of the peak GFLOPS Thompson et al. credit it with (their *_ptp_gflops)."""
    figures: dict[str, Counter[float]] = defaultdict(Counter)
    for path in sorted((shared_dir / "reference" / "thompson").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))[3:]  # three sub-header rows (METHODOLOGY §3)
        for row in rows:
            for phase in ("training_", "pretraining_", "finetuning_"):
                for proc in ("gpu", "tpu", "cpu"):
                    model = (row.get(f"{phase}{proc}_model") or "").strip()
                    value = (row.get(f"{phase}{proc}_ptp_gflops") or "").strip()
                    if not model or re.fullmatch(r"[\d.eE+-]+", model):  # empty, or a number in the wrong column
                        continue
                    figures[model]  # noqa: B018 - record the name even without a figure
                    if value:
                        figures[model][float(value)] += 1
    return figures


# Thompson rows whose figure differs from the one we record for that processor, with the reason.
THOMPSON_OUTLIERS = {
    "Tesla K40c": "one row credits the K40c's boost-clock 5.05 TFLOPS; the K40 rows use the base-clock 4.29",
}


@pytest.mark.corpus
def test_thompson_figures_match_their_csvs(shared_dir: Path) -> None:
    figures = _thompson_figures(shared_dir)
    assert len(figures) > 20
    problems = []
    for model, counts in sorted(figures.items()):
        acc = INDEX.get(key(model))
        if acc is None:
            problems.append(f"{model!r} does not normalise to a row")
            continue
        if not counts or model in THOMPSON_OUTLIERS:
            continue
        ours = _num(BY_ID[acc]["thompson_tflops"])
        modal = max(counts.values())
        theirs = [v for v, n in counts.items() if n == modal]
        if ours is None or not any(abs(ours * 1000 - v) <= 0.01 * v for v in theirs):
            problems.append(f"{model} -> {acc}: ours {ours}, theirs {sorted(counts.items())}")
    assert problems == []


# Our price rows at list prices Epoch did not observe (before or after its snapshots), with the change.
PRICE_CHANGES = {
    ("google-tpu-v2", "2018-02-12"): "beta launch price $6.50 per device, cut to $4.50 before Epoch's 2018-10 snapshot",
    ("nvidia-k80", "2017-11-20"): "Google's Nov 2017 GPU price cut ($0.70 -> $0.45 per GPU), after Epoch's snapshots",
}


@pytest.mark.corpus
def test_prices_agree_with_epoch_where_both_list_them(shared_dir: Path) -> None:
    """Our dated prices against Epoch's on-demand prices for the same chip and provider, where Epoch has some."""
    providers = {"AWS": "Amazon Web Services", "Google Cloud": "Google Cloud", "Microsoft Azure": "Microsoft Azure",
                 "Lambda": "Lambda Labs"}
    epoch_models = defaultdict(set)
    for name, acc in {**EPOCH_NAMES, **EPOCH_CHIPS, "NVIDIA A100 PCIe": "nvidia-a100",
                      "NVIDIA Tesla V100 DGXS 16 GB": "nvidia-v100-sxm2", "NVIDIA P40": "nvidia-p40",
                      "Google TPU v6e Trillium": "google-tpu-v6e", "NVIDIA Tesla V100 SXM2 16 GB": "nvidia-v100-sxm2",
                      "NVIDIA Tesla V100 PCIe 16 GB": "nvidia-v100"}.items():
        epoch_models[acc].add(name)
    epoch_models["nvidia-v100-sxm2"].add("NVIDIA V100")  # Epoch's generic V100 rows price AWS/GCP SXM2 parts
    with (shared_dir / "reference" / "epoch" / "hardware_prices.csv").open(encoding="utf-8-sig", newline="") as fh:
        epoch = [r for r in csv.DictReader(fh) if (r["Price per chip-hour (on-demand)"] or "").strip()
                 and "the-full-stack" not in r["Price source"]]  # a third-party table, some with the VM included
    # Epoch counts a K80 board as the chip on Google Cloud (1.40 = 2 x 0.70 per GPU).
    per_board = {("nvidia-k80", "Google Cloud")}
    checked, problems = 0, []
    for p in PRICES:
        vendor = providers.get(p["provider"])
        theirs = [float(r["Price per chip-hour (on-demand)"]) for r in epoch
                  if r["Hardware model"] in epoch_models[p["accelerator"]] and r["Vendor"] == vendor]
        if not theirs:
            continue
        ours = float(p["usd_per_chip_hour"]) * (2 if (p["accelerator"], vendor) in per_board else 1)
        checked += 1
        agrees = min(theirs) * 0.75 <= ours <= max(theirs) * 1.25
        if agrees == ((p["accelerator"], p["effective_date"]) in PRICE_CHANGES):
            problems.append(f"{p['accelerator']} {p['effective_date']} {p['provider']}: {ours} vs Epoch {theirs}")
    assert problems == []
    assert checked >= 20
