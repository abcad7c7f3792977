"""The hardware catalog and price table shipped in `warehouse/data/`, and name resolution.

`hardware.csv` holds one row per accelerator: peaks per chip in TFLOP/s (dense, no sparsity), memory,
TDP, chips per board/device, chips per pod, the peak Thompson et al. credit per unit they count, the
precision training usually ran at on the chip when a paper does not say (`usual_precision`: fp32 on
consumer and workstation cards; blank: the tensor peak), aliases and sources. `prices.csv` holds
dated cloud prices per chip-hour with their sources.

`Catalog.resolve(name)` turns the names papers and reference datasets use ("Tesla V100-SXM2-16GB",
"V100s", "TITAN X (Pascal)", "Cloud TPU v3 Pod", "TPUv3-8", "2080Ti") into a catalog id and the number
of chips the name stands for. Unknown names resolve to ``status="unknown"``: reported, never guessed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

HARDWARE_COLUMNS = (
    "accelerator", "name", "vendor", "kind", "released", "fp32_tflops", "tf32_tflops", "tensor16_tflops",
    "fp8_tflops", "memory_gb", "tdp_w", "chips_per_device", "pod_chips", "thompson_tflops", "thompson_unit",
    "usual_precision", "aliases", "source",
)
PRICE_COLUMNS = ("accelerator", "effective_date", "usd_per_chip_hour", "provider", "offer", "source")

_VENDOR_WORDS = re.compile(r"\b(nvidia|geforce|tesla|google|cloud|amd|intel|amazon|aws|huawei)\b")
_MEMORY = re.compile(r"\b\d+\s*gb\b")
_FORM_FACTORS = re.compile(r"\b(pcie|sxm\d?|dgxs)\b")
_GPU_WORDS = re.compile(r"\b(gpus?|graphics cards?|cards?)\b")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# "TPUv3-8", "TPU v4-128", "v3-32 TPU", "v5litepod-16", "v5e-8": a TPU slice named by cores or chips
_TPU_SLICE = re.compile(r"\b(?:tpu\s*-?\s*)?(v[2-6])\s*(e|p|lite(?:pod)?)?\s*-\s*(\d+)\b")
_TPU_GENERATION = re.compile(r"\btpu\s*-?\s*(v[1-6])\s*(e|p)?\b|\b(v[1-6])\s*(e|p)?\s*-?\s*tpus?\b")
_TPU_POD = re.compile(r"\bpods?\b")
_TPU_DEVICE = re.compile(r"\b(cloud\s+tpu|device|board|host)s?\b")
# Slice suffixes count TensorCores for these generations (2 per chip); v5e/v6e count chips.
_SLICE_COUNTS_CORES = frozenset({"v2", "v3", "v4", "v5p"})

# Names that stand for two products with different peaks: resolved to the default, flagged.
AMBIGUOUS: dict[str, str] = {
    "titanx": "Titan X is the Maxwell GTX Titan X (6.7 TFLOPS) or the Pascal Titan X (11.0); Maxwell assumed",
    "v100": "V100 comes as SXM2 (15.7 TFLOPS FP32, 125 tensor) or PCIe (14.1, 112); SXM2 assumed",
    "h100": "H100 comes as SXM5 (66.9 TFLOPS FP32) or PCIe (51.2); SXM5 assumed",
    "p100": "P100 comes as PCIe (9.5 TFLOPS FP32) or SXM2 (10.6); PCIe assumed",
}
# The row an ambiguous name resolves to when it is not its alias owner (issue 15: most V100 training ran on
# SXM2 boards, DGX-1 and cloud; Epoch AI's "NVIDIA V100" is the SXM2 part).
AMBIGUOUS_DEFAULTS: dict[str, str] = {"v100": "nvidia-v100-sxm2"}


def _num(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


@dataclass(frozen=True, slots=True)
class Accelerator:
    """One catalog row; peaks in FLOP/s per chip (dense)."""

    accelerator: str
    name: str
    vendor: str
    kind: str
    released: date | None
    fp32: float | None
    tf32: float | None
    tensor16: float | None
    fp8: float | None
    memory_gb: float | None
    tdp_w: float | None
    chips_per_device: float
    pod_chips: float | None
    thompson: float | None          # FLOP/s per unit Thompson et al. count
    thompson_unit: str | None       # chip | board | device
    usual_precision: str | None     # the peak training used when a paper does not say (fp32 on consumer cards)
    aliases: tuple[str, ...]
    source: str

    @property
    def thompson_chips(self) -> float:
        """Chips in the unit Thompson et al. count (a board or a Cloud TPU device holds several)."""
        return self.chips_per_device if self.thompson_unit in ("board", "device") else 1.0


@dataclass(frozen=True, slots=True)
class Price:
    accelerator: str
    effective_date: date
    usd_per_chip_hour: float
    provider: str
    offer: str
    source: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a hardware name stands for: a catalog id and chips per named unit, or why not."""

    name: str
    accelerator: str | None
    chips_per_unit: float | None
    status: str                     # resolved | ambiguous | unknown
    rule: str

    @property
    def known(self) -> bool:
        return self.accelerator is not None


def name_key(name: str) -> str:
    """The comparison key of a hardware name: lower case, no vendor words, sizes or punctuation."""
    text = _VENDOR_WORDS.sub(" ", name.lower())
    text = _MEMORY.sub(" ", text)
    return _NON_ALNUM.sub("", text)


def _without_form_factor(name: str) -> str:
    text = _FORM_FACTORS.sub(" ", _MEMORY.sub(" ", _VENDOR_WORDS.sub(" ", name.lower())))
    return _NON_ALNUM.sub("", _GPU_WORDS.sub(" ", text))


def _read(path: str) -> list[dict[str, str]]:
    text = resources.files("warehouse").joinpath(path).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _accelerator(rec: dict[str, str]) -> Accelerator:
    def flops(col: str) -> float | None:
        value = _num(rec[col])
        return None if value is None else value * 1e12

    return Accelerator(
        accelerator=rec["accelerator"], name=rec["name"], vendor=rec["vendor"], kind=rec["kind"],
        released=date.fromisoformat(rec["released"]) if rec["released"].strip() else None,
        fp32=flops("fp32_tflops"), tf32=flops("tf32_tflops"), tensor16=flops("tensor16_tflops"),
        fp8=flops("fp8_tflops"), memory_gb=_num(rec["memory_gb"]), tdp_w=_num(rec["tdp_w"]),
        chips_per_device=_num(rec["chips_per_device"]) or 1.0, pod_chips=_num(rec["pod_chips"]),
        thompson=flops("thompson_tflops"), thompson_unit=rec["thompson_unit"].strip() or None,
        usual_precision=rec["usual_precision"].strip() or None,
        aliases=tuple(a.strip() for a in rec["aliases"].split("|") if a.strip()), source=rec["source"].strip(),
    )


class Catalog:
    """Accelerators by id, an alias index, and the price table."""

    def __init__(self, accelerators: list[Accelerator], prices: list[Price]) -> None:
        self.accelerators = {a.accelerator: a for a in accelerators}
        self.prices = sorted(prices, key=lambda p: (p.accelerator, p.effective_date, p.usd_per_chip_hour))
        self._keys: dict[str, str] = {}
        self._loose: dict[str, str] = {}
        for a in accelerators:
            for alias in (a.accelerator, a.name, *a.aliases):
                self._keys.setdefault(name_key(alias), a.accelerator)
        for a in accelerators:  # looser keys (no form factor) only where they do not collide
            for alias in (a.name, *a.aliases):
                self._loose.setdefault(_without_form_factor(alias), a.accelerator)

    def __getitem__(self, accelerator: str) -> Accelerator:
        return self.accelerators[accelerator]

    def get(self, accelerator: str | None) -> Accelerator | None:
        return self.accelerators.get(accelerator) if accelerator else None

    def _tpu(self, text: str, name: str) -> Resolution | None:
        slice_ = _TPU_SLICE.search(text)
        gen_match = _TPU_GENERATION.search(text)
        if slice_ and ("tpu" in text or slice_.group(2)):
            gen, variant, n = slice_.group(1), (slice_.group(2) or "")[:1], int(slice_.group(3))
            key = gen + variant
            acc = self._keys.get(name_key(f"tpu {key}")) or self._keys.get(name_key(f"tpu {gen}"))
            if acc:
                chips = n / 2 if key in _SLICE_COUNTS_CORES else float(n)
                return Resolution(name, acc, chips, "resolved", f"TPU slice {key}-{n}: {chips:g} chips")
        if not gen_match:
            return None
        gen = gen_match.group(1) or gen_match.group(3)
        variant = gen_match.group(2) or gen_match.group(4) or ""
        acc = self._keys.get(name_key(f"tpu {gen}{variant}")) or self._keys.get(name_key(f"tpu {gen}"))
        if not acc:
            return None
        row = self.accelerators[acc]
        if _TPU_POD.search(text):
            if row.pod_chips:
                return Resolution(name, acc, row.pod_chips, "resolved", f"full {gen}{variant} pod")
            return Resolution(name, acc, None, "ambiguous", f"pod size of {gen}{variant} unknown")
        if _TPU_DEVICE.search(text):
            return Resolution(name, acc, row.chips_per_device, "resolved", "Cloud TPU device")
        return Resolution(name, acc, 1.0, "resolved", "TPU chip")

    def resolve(self, name: str | None) -> Resolution:
        """Resolve a hardware name as printed; never guesses beyond the documented rules."""
        raw = (name or "").strip()
        if not raw:
            return Resolution(raw, None, None, "unknown", "empty name")
        text = raw.lower()
        if "tpu" in text or _TPU_SLICE.search(text):
            tpu = self._tpu(text, raw)
            if tpu:
                return tpu
        for key, rule in ((name_key(raw), "alias"), (_without_form_factor(raw), "alias without form factor")):
            acc = self._keys.get(key) or (self._loose.get(key) if rule != "alias" else None)
            if acc:
                note = AMBIGUOUS.get(key)  # a GPU name counts GPUs (a K80 board's two GPUs count as two)
                acc = AMBIGUOUS_DEFAULTS.get(key, acc) if note else acc
                return Resolution(raw, acc, 1.0, "ambiguous" if note else "resolved", note or rule)
        return Resolution(raw, None, None, "unknown", "no catalog alias matches")

    def price(self, accelerator: str, on: date | None) -> tuple[Price, float, float] | None:
        """The price in force on a date (the newest list price dated on or before it, else the earliest):
        (the central price: the median of the providers' offers then in force, low, high)."""
        rows = [p for p in self.prices if p.accelerator == accelerator]
        if not rows:
            return None
        day = on or date.today()
        before = [p for p in rows if p.effective_date <= day] or [min(rows, key=lambda p: p.effective_date)]
        latest: dict[tuple[str, str], Price] = {}
        for p in sorted(before, key=lambda p: p.effective_date):
            latest[(p.provider, p.offer)] = p
        offers = sorted(latest.values(), key=lambda p: p.usd_per_chip_hour)
        central = offers[(len(offers) - 1) // 2]
        return central, offers[0].usd_per_chip_hour, offers[-1].usd_per_chip_hour


def accelerators_from_file() -> list[Accelerator]:
    return [_accelerator(rec) for rec in _read("data/hardware.csv")]


def prices_from_file() -> list[Price]:
    return [
        Price(rec["accelerator"], date.fromisoformat(rec["effective_date"]), float(rec["usd_per_chip_hour"]),
              rec["provider"], rec["offer"], rec["source"])
        for rec in _read("data/prices.csv")
    ]


@cache
def shipped_catalog() -> Catalog:
    """The catalog as shipped in `warehouse/data/` (read once per process)."""
    return Catalog(accelerators_from_file(), prices_from_file())
