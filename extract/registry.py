"""The benchmark registry: ``warehouse/data/benchmarks.csv``, one row per benchmark (issue 16).

The registry is the project's one vocabulary of benchmarks. Each row names a benchmark (its id, name, task
and domain), says which dataset names are it (printed aliases and a regular expression over normalised
names), which metric is its headline (a metric key and the names it is printed under), whether higher is
better, how a score becomes an error (``error_rule``, one of :data:`ERROR_RULES`), the Papers with Code task
and dataset names that map to it, and where its convention is documented (``source``).

Where this module lives, and why: the CSV ships with the warehouse package, beside ``hardware.csv``, because
the warehouse seeds it into the ``benchmarks`` table on connect (``warehouse/seed.py``). The vocabulary is
needed at the ground layer too: the extractor tags results with benchmark ids
(:mod:`extract.benchmark_keys`), and extract must not import warehouse code. So this loader sits in
extract, the lowest layer that needs the registry, and reads the file by path: it finds the warehouse
package's folder with :func:`importlib.util.find_spec`, which locates a package without running it. The
warehouse (seed), the extractor (``benchmark_keys``) and the analysis (``analysis.error_rates``,
``analysis.selection``) all read the registry through :func:`registry`.

Error rules (``error_rule``: a formula in the score's name, e.g. ``1 - top1/100``; its form names the rule):

* ``one_minus_percent`` ``1 - x/100``: accuracy-like scores printed in percent (top-1, AP, EM, F1, BLEU,
  mIoU, pass@1, MRR x 100): the error is the share missed, 79.7 -> 0.203;
* ``percent`` ``x/100``: error rates printed in percent (WER): the error is the rate as a fraction,
  WER 5.2 -> 0.052, on the same footing as ``1 - acc/100``;
* ``one_minus`` ``1 - x``: accuracy-like scores printed as fractions (OGB's leaderboards; pass@1 as
  0.288): 0.7426 -> 0.2574;
* ``log`` ``ln(x)``: perplexity becomes log perplexity (natural log, the cross-entropy in nats per
  token), so that its scaling is a power law like the others': 18.3 -> 2.907.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

COLUMNS = ("benchmark", "name", "task", "domain", "aliases", "dataset_pattern", "headline_metric",
           "metric_aliases", "higher_is_better", "error_rule", "pwc_tasks", "pwc_datasets", "source")
DOMAINS = ("vision", "language", "code", "speech", "graph", "multimodal", "games")


@dataclass(frozen=True, slots=True)
class ErrorRule:
    """A named way from a score to an error: ``formula`` in ``x`` (the score), and the score's direction."""

    name: str
    formula: str
    higher_is_better: bool
    description: str
    apply: Callable[[float], float]


def _log(value: float) -> float:
    return math.log(value) if value > 0 else math.nan


ERROR_RULES: dict[str, ErrorRule] = {rule.name: rule for rule in (
    ErrorRule("one_minus_percent", "1 - x/100", True, "an accuracy-like score in percent: the share missed",
              lambda x: 1 - x / 100),
    ErrorRule("percent", "x/100", False, "an error rate in percent (WER): the rate as a fraction", lambda x: x / 100),
    ErrorRule("one_minus", "1 - x", True, "an accuracy-like score as a fraction: the share missed", lambda x: 1 - x),
    ErrorRule("log", "ln(x)", False, "perplexity: its natural log, the cross-entropy in nats per token", _log),
)}

# The formulas as written in the CSV, in the score's own name ("1 - top1/100", "WER/100", "ln(perplexity)").
_SCORE = r"(?P<x>[^\s/()]+)"
_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("one_minus_percent", re.compile(rf"1 - {_SCORE}/100")),
    ("percent", re.compile(rf"{_SCORE}/100")),
    ("one_minus", re.compile(rf"1 - {_SCORE}")),
    ("log", re.compile(rf"ln\({_SCORE}\)")),
)


class RegistryError(ValueError):
    """A registry row that breaks the rules above (a missing field, an unknown domain or error rule)."""


def error_rule_of(text: str) -> ErrorRule:
    """The named rule a formula is written in ("1 - top1/100" -> one_minus_percent); RegistryError if none."""
    for name, form in _FORMS:
        if form.fullmatch(text.strip()):
            return ERROR_RULES[name]
    raise RegistryError(f"unknown error rule {text!r}: write one of "
                        + ", ".join(r.formula for r in ERROR_RULES.values()) + " with the score's name for x")


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


@dataclass(frozen=True, slots=True)
class Benchmark:
    """One registry row. ``aliases``, ``metric_aliases``, ``pwc_tasks`` and ``pwc_datasets`` are the
    |-separated names as printed; ``dataset_pattern`` a regular expression over normalised dataset names
    (``{splits}`` stands for the shared split qualifiers, see :mod:`extract.benchmark_keys`)."""

    benchmark: str
    name: str
    task: str
    domain: str
    aliases: tuple[str, ...]
    dataset_pattern: str
    headline_metric: str
    metric_aliases: tuple[str, ...]
    higher_is_better: bool
    error_rule: str
    pwc_tasks: tuple[str, ...]
    pwc_datasets: tuple[str, ...]
    source: str

    @property
    def rule(self) -> ErrorRule:
        return error_rule_of(self.error_rule)

    @property
    def error_kind(self) -> str:
        """The rule's name (``benchmarks.error_kind``, the SQL macro ``benchmark_error``'s first argument)."""
        return self.rule.name

    def error(self, score: float) -> float:
        """The error of a headline score by this benchmark's rule."""
        return self.rule.apply(float(score))


def _row(line: int, rec: dict[str, str]) -> Benchmark:
    empty = [c for c in COLUMNS if not (rec.get(c) or "").strip()]
    if empty:
        raise RegistryError(f"benchmarks.csv line {line}: empty {', '.join(empty)}")
    if rec["domain"] not in DOMAINS:
        raise RegistryError(f"benchmarks.csv line {line}: domain {rec['domain']!r} is not one of {DOMAINS}")
    if rec["higher_is_better"] not in ("true", "false"):
        raise RegistryError(f"benchmarks.csv line {line}: higher_is_better must be true or false")
    row = Benchmark(
        benchmark=rec["benchmark"].strip(), name=rec["name"].strip(), task=rec["task"].strip(),
        domain=rec["domain"], aliases=_split(rec["aliases"]), dataset_pattern=rec["dataset_pattern"].strip(),
        headline_metric=rec["headline_metric"].strip(), metric_aliases=_split(rec["metric_aliases"]),
        higher_is_better=rec["higher_is_better"] == "true", error_rule=rec["error_rule"].strip(),
        pwc_tasks=_split(rec["pwc_tasks"]), pwc_datasets=_split(rec["pwc_datasets"]), source=rec["source"].strip(),
    )
    if row.rule.higher_is_better != row.higher_is_better:
        raise RegistryError(f"benchmarks.csv line {line}: rule {row.error_rule!r} is for scores where higher is "
                            f"{'better' if row.rule.higher_is_better else 'worse'}")
    return row


def registry_path() -> Path:
    """``warehouse/data/benchmarks.csv``, found without importing the warehouse package."""
    spec = find_spec("warehouse")
    if spec is None or not spec.submodule_search_locations:
        raise RegistryError("the warehouse package (which ships data/benchmarks.csv) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "benchmarks.csv"


def read_registry(path: Path) -> tuple[Benchmark, ...]:
    """The rows of a registry file, checked; RegistryError on the first bad row or a repeated id."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise RegistryError(f"{path.name}: columns must be {', '.join(COLUMNS)}")
        rows = tuple(_row(line, rec) for line, rec in enumerate(reader, start=2))
    seen: set[str] = set()
    for row in rows:
        if row.benchmark in seen:
            raise RegistryError(f"{path.name}: benchmark {row.benchmark!r} twice")
        seen.add(row.benchmark)
    return rows


@cache
def registry() -> tuple[Benchmark, ...]:
    """The shipped registry, read once per process."""
    return read_registry(registry_path())


def benchmark(benchmark_id: str | None) -> Benchmark | None:
    """The registry row of an id, or None."""
    return next((b for b in registry() if b.benchmark == benchmark_id), None)


def benchmark_ids() -> tuple[str, ...]:
    return tuple(b.benchmark for b in registry())
