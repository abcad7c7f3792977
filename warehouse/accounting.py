"""Turning hardware x time (or model facts) into FLOPs, dollars, kWh and CO2, with ranges.

Pure functions over catalog rows; `warehouse.estimates` applies them to the warehouse. The methods
and their conventions are in ../shared/docs/METHODOLOGY.md §2, §7, §9 and docs/ACCOUNTING.md:

* hardware burden (Thompson et al.): count x peak x seconds, no utilisation; GPUs at FP32 peak,
  TPUs at the bf16 device figure, CPUs at their FP32 figure: an upper bound on operations executed;
* hardware time (Epoch AI): chips x precision-appropriate peak x seconds x utilisation (0.4, 0.3 for
  large language models); unknown precision spans FP32 .. FP16/BF16 tensor peak;
* operation counting (Epoch AI): (1 + backward/forward) x forward FLOPs x epochs x examples, and
  (1 + backward/forward) x 2 x parameters x tokens (6ND at the usual ratio of 2);
* cost: chip-hours x dated cloud price per chip-hour; energy: chip-hours x TDP x PUE; CO2: energy x
  grid carbon intensity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from warehouse.catalog import Accelerator, Catalog, Price


@dataclass(frozen=True, slots=True)
class AccountingParams:
    """Every assumption of the estimates, each documented in docs/ACCOUNTING.md."""

    utilization: float = 0.4            # Epoch AI: other models
    utilization_llm: float = 0.3        # Epoch AI: large language models
    utilization_spread: float = 0.1     # the range is utilisation +- spread
    backward_forward: float = 2.0       # backward pass ~ 2x forward (Epoch AI); x3 in total
    backward_forward_low: float = 1.0
    backward_forward_high: float = 3.0
    pue: float = 1.58                   # data-centre overhead (Uptime Institute survey average)
    pue_low: float = 1.10               # hyperscale fleet average
    pue_high: float = 1.58
    grid_kg_per_kwh: float = 0.429      # carbon intensity of electricity (US average)
    grid_kg_per_kwh_low: float = 0.2
    grid_kg_per_kwh_high: float = 0.7

    def __post_init__(self) -> None:
        for name in ("utilization", "utilization_llm"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise ValueError(f"{name} must be in (0, 1], got {value}")
        if not 0 <= self.utilization_spread < min(self.utilization, self.utilization_llm):
            raise ValueError("utilization_spread must be >= 0 and below both utilisations")
        if not 0 < self.backward_forward_low <= self.backward_forward <= self.backward_forward_high:
            raise ValueError("backward/forward ratios must satisfy 0 < low <= value <= high")
        if not 1 <= self.pue_low <= self.pue <= self.pue_high:
            raise ValueError("PUE must satisfy 1 <= low <= value <= high")
        if not 0 <= self.grid_kg_per_kwh_low <= self.grid_kg_per_kwh <= self.grid_kg_per_kwh_high:
            raise ValueError("grid intensities must satisfy 0 <= low <= value <= high")

    def utilization_for(self, llm: bool) -> tuple[float, float, float]:
        u = self.utilization_llm if llm else self.utilization
        return u, max(u - self.utilization_spread, 0.01), min(u + self.utilization_spread, 1.0)


@dataclass(frozen=True, slots=True)
class Estimate:
    """One number with its range, the inputs that made it and the assumption in words."""

    method: str
    unit: str
    value: float
    low: float
    high: float
    assumptions: str
    inputs: dict[str, Any] = field(default_factory=dict)
    peak_flops: float | None = None
    peak_basis: str | None = None
    utilization: float | None = None


# Precision as papers and Epoch state it -> the catalog peak to use.
_PRECISION_PEAK = {
    "fp32": "fp32", "float32": "fp32", "single": "fp32",
    "tf32": "tf32",
    "fp16": "tensor16", "float16": "tensor16", "half-precision": "tensor16", "mixed-precision": "tensor16",
    "bf16": "tensor16", "bfloat16": "tensor16", "mixed": "tensor16",
    "fp8": "fp8",
}
_PEAK_LABEL = {"fp32": "FP32", "tf32": "TF32 tensor", "tensor16": "FP16/BF16 tensor", "fp8": "FP8"}


def precision_peak(precision: str | None) -> str | None:
    """The catalog peak ("fp32", "tf32", "tensor16", "fp8") a stated precision calls for, or None."""
    if not precision:
        return None
    tokens = [t.strip().lower() for t in precision.replace("/", ",").split(",") if t.strip()]
    picks = [_PRECISION_PEAK[t] for t in tokens if t in _PRECISION_PEAK]
    order = ["tensor16", "fp8", "tf32", "fp32"]  # "FP32,FP16" (mixed): the tensor peak does the work
    return min(picks, key=order.index) if picks else None


def _peaks(acc: Accelerator) -> dict[str, float]:
    return {k: v for k, v in (("fp32", acc.fp32), ("tf32", acc.tf32), ("tensor16", acc.tensor16),
                              ("fp8", acc.fp8)) if v}


def thompson_peak(acc: Accelerator) -> tuple[float, str] | None:
    """The per-chip peak under Thompson et al.'s conventions, and its basis."""
    if acc.thompson and acc.thompson_unit == "board":
        # "60 K80 GPUs": Thompson et al. credit each K80 a paper counts with a whole board's peak
        return acc.thompson, "Thompson et al.'s figure per board, for each one a paper counts"
    if acc.thompson:
        return acc.thompson / acc.thompson_chips, f"Thompson et al.'s figure per {acc.thompson_unit}"
    if acc.kind == "tpu" and acc.tensor16:
        return acc.tensor16, "bf16 matrix peak (their TPU convention)"
    if acc.fp32:
        return acc.fp32, "FP32 peak (their GPU/CPU convention)"
    if acc.tensor16:
        return acc.tensor16, "FP16/BF16 peak (no FP32 figure)"
    return None


def hardware_burden(acc: Accelerator, chips: float, seconds: float) -> Estimate | None:
    peak = thompson_peak(acc)
    if peak is None:
        return None
    flops = chips * peak[0] * seconds
    return Estimate("hardware_burden", "FLOP", flops, flops, flops,
                    f"Thompson et al. hardware burden: chips x peak ({peak[1]}) x seconds; no utilisation "
                    "(an upper bound on operations executed, no range)",
                    {"chips": chips, "seconds": seconds, "peak_flops": peak[0]}, peak[0], peak[1], 1.0)


def hardware_time(acc: Accelerator, chips: float, seconds: float, *, precision: str | None, llm: bool,
                  params: AccountingParams, utilization: float | None = None) -> Estimate | None:
    """Epoch AI's hardware time; `utilization` is the paper's own (its MFU), used alone when stated."""
    peaks = _peaks(acc)
    if not peaks:
        return None
    u, u_low, u_high = (utilization,) * 3 if utilization else params.utilization_for(llm)
    kind = "stated by the paper" if utilization else ("large language model" if llm else "default")
    wanted = precision_peak(precision)
    if wanted and wanted in peaks:
        basis = wanted
        low_peak = high_peak = peaks[basis]
        why = f"stated precision {precision}"
    else:  # the chip's usual training precision, else Epoch's order: FP16/BF16 tensor, TF32, FP32
        usual = acc.usual_precision if acc.usual_precision in peaks else None
        basis = usual or next(k for k in ("tensor16", "tf32", "fp32", "fp8") if k in peaks)
        top = max((k for k in peaks if k != "fp8"), key=peaks.__getitem__) if usual else basis
        bottom = min(peaks, key=peaks.__getitem__)
        low_peak, high_peak = peaks[bottom], peaks[top]
        why = (f"precision {precision or 'not stated'}: {_PEAK_LABEL[basis]} peak"
               f"{' (the usual training precision on this card)' if usual else ''}, range "
               f"{_PEAK_LABEL[bottom]} to {_PEAK_LABEL[top]} peak")
    base = chips * seconds
    return Estimate(
        "hardware_time", "FLOP", base * peaks[basis] * u, base * low_peak * u_low, base * high_peak * u_high,
        f"Epoch hardware time: chips x {_PEAK_LABEL[basis]} peak x seconds x utilisation {u:g} "
        f"({kind}; range {u_low:g}-{u_high:g}); {why}",
        {"chips": chips, "seconds": seconds, "peak_flops": peaks[basis], "utilization": u,
         "utilization_range": [u_low, u_high], "precision": precision, "llm": llm},
        peaks[basis], _PEAK_LABEL[basis], u)


def operation_count(forward_flops: float, epochs: float, examples: float, params: AccountingParams,
                    inputs: dict[str, Any]) -> Estimate:
    base = forward_flops * epochs * examples
    r = params
    return Estimate("operation_count", "FLOP", base * (1 + r.backward_forward), base * (1 + r.backward_forward_low),
                    base * (1 + r.backward_forward_high),
                    f"Epoch operation counting: forward FLOPs x (1 + {r.backward_forward:g} backward) x epochs x "
                    f"examples (backward/forward {r.backward_forward_low:g}-{r.backward_forward_high:g})",
                    {**inputs, "forward_flops": forward_flops, "epochs": epochs, "examples": examples})


def parameter_tokens(parameters: float, tokens: float, params: AccountingParams, inputs: dict[str, Any]) -> Estimate:
    base = 2 * parameters * tokens
    r = params
    return Estimate("parameter_tokens", "FLOP", base * (1 + r.backward_forward), base * (1 + r.backward_forward_low),
                    base * (1 + r.backward_forward_high),
                    f"dense transformer: 2 x parameters x tokens x (1 + {r.backward_forward:g}) = 6ND "
                    f"(backward/forward {r.backward_forward_low:g}-{r.backward_forward_high:g})",
                    {**inputs, "parameters": parameters, "tokens": tokens})


def cost(price: tuple[Price, float, float], chip_hours: float) -> Estimate:
    central, low, high = price
    return Estimate("cost", "USD", chip_hours * central.usd_per_chip_hour, chip_hours * low, chip_hours * high,
                    f"chip-hours x {central.usd_per_chip_hour:g} USD per chip-hour ({central.provider} "
                    f"{central.offer}, list price of {central.effective_date}; range over the offers then listed)",
                    {"chip_hours": chip_hours, "usd_per_chip_hour": central.usd_per_chip_hour,
                     "range_usd_per_chip_hour": [low, high], "price_date": str(central.effective_date),
                     "provider": central.provider, "price_source": central.source})


def energy_and_co2(acc: Accelerator, chip_hours: float, params: AccountingParams) -> tuple[Estimate, Estimate] | None:
    if not acc.tdp_w:
        return None
    p = params
    kwh = chip_hours * acc.tdp_w / 1000
    energy = Estimate("energy", "kWh", kwh * p.pue, kwh * p.pue_low, kwh * p.pue_high,
                      f"chip-hours x TDP {acc.tdp_w:g} W x PUE {p.pue:g} (range {p.pue_low:g}-{p.pue_high:g}); "
                      "accelerators only, at TDP",
                      {"chip_hours": chip_hours, "tdp_w": acc.tdp_w, "pue": p.pue})
    co2 = Estimate("co2", "kgCO2e", energy.value * p.grid_kg_per_kwh, energy.low * p.grid_kg_per_kwh_low,
                   energy.high * p.grid_kg_per_kwh_high,
                   f"energy x grid intensity {p.grid_kg_per_kwh:g} kgCO2e/kWh "
                   f"(range {p.grid_kg_per_kwh_low:g}-{p.grid_kg_per_kwh_high:g})",
                   {"kwh": energy.value, "grid_kg_per_kwh": p.grid_kg_per_kwh})
    return energy, co2


def run_estimates(catalog: Catalog, accelerator: str, chips: float, hours: float, *, precision: str | None,
                  llm: bool, on: Any, params: AccountingParams, utilization: float | None = None) -> list[Estimate]:
    """Every hardware-based estimate of one run: burden, hardware time, cost, energy, CO2."""
    acc = catalog.get(accelerator)
    if acc is None or chips <= 0 or hours <= 0:
        return []
    seconds = hours * 3600
    out = [e for e in (hardware_burden(acc, chips, seconds),
                       hardware_time(acc, chips, seconds, precision=precision, llm=llm, params=params,
                                     utilization=utilization)) if e]
    price = catalog.price(accelerator, on)
    if price:
        out.append(cost(price, chips * hours))
    power = energy_and_co2(acc, chips * hours, params)
    if power:
        out.extend(power)
    return out


@dataclass(frozen=True, slots=True)
class Conversion:
    """What a quantity of effective compute costs on a reference accelerator at its latest list price,
    with the range the utilisation spans (low: at the high utilisation; high: at the low one)."""

    accelerator: str
    chip_hours: float
    usd: float | None
    kwh: float | None
    kg_co2e: float | None
    basis: str
    usd_low: float | None = None
    usd_high: float | None = None
    kg_co2e_low: float | None = None
    kg_co2e_high: float | None = None


PRICED_KINDS = ("estimated_compute",)


def compute_to_cost(flops: float, compute_kind: str, catalog: Catalog, params: AccountingParams,
                    accelerator: str = "nvidia-h100") -> Conversion | None:
    """Chip-hours, dollars, kWh and CO2 for `flops` of effective compute on `accelerator` (newest price).

    Effective compute is priced at the chip's FP16/BF16 tensor peak x the default utilisation, over the
    utilisation range. Hardware burden and network operations are not priced (None): they count peak
    operations of the hardware of their day, not work a chip of today would do; the effective-compute
    fit of the same benchmark prices the same target."""
    acc = catalog.get(accelerator)
    if acc is None or compute_kind not in PRICED_KINDS:
        return None
    peak = acc.tensor16 or acc.fp32
    if not peak:
        return None
    u, u_low, u_high = params.utilization_for(False)
    hours = {k: flops / (peak * v) / 3600 for k, v in (("mid", u), ("low", u_high), ("high", u_low))}
    price = catalog.price(accelerator, None)
    rate = price[0].usd_per_chip_hour if price else None
    kw = acc.tdp_w / 1000 * params.pue if acc.tdp_w else None
    usd = {k: h * rate if rate else None for k, h in hours.items()}
    kg = {k: h * kw * params.grid_kg_per_kwh if kw else None for k, h in hours.items()}
    basis = (f"{acc.name} FP16/BF16 tensor peak x utilisation {u:g} (range {u_low:g}-{u_high:g})"
             + (f"; {rate:g} USD/chip-hour ({price[0].provider}, {price[0].effective_date})" if price else ""))
    return Conversion(accelerator, hours["mid"], usd["mid"], hours["mid"] * kw if kw else None, kg["mid"], basis,
                      usd["low"], usd["high"], kg["low"], kg["high"])


def cost_converter(params: AccountingParams, catalog: Catalog | None = None
                   ) -> Callable[[float, str], dict[str, Any] | None]:
    """flops, compute kind -> what that compute costs on today's reference accelerator (`compute_to_cost`),
    as the plain dict an extrapolation row keeps."""
    from warehouse.catalog import shipped_catalog

    cat = catalog or shipped_catalog()

    def convert(flops: float, kind: str) -> dict[str, Any] | None:
        c = compute_to_cost(flops, kind, cat, params)
        return None if c is None else {"usd": c.usd, "kg_co2e": c.kg_co2e, "chip_hours": c.chip_hours,
                                       "basis": c.basis, "usd_low": c.usd_low, "usd_high": c.usd_high,
                                       "kg_co2e_low": c.kg_co2e_low, "kg_co2e_high": c.kg_co2e_high}

    return convert
