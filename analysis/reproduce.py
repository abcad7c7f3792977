"""Thompson, Greenewald, Lee & Manso's published regressions, refitted from their six CSVs.

The rows, transforms and forms follow the authors' notebooks (repository
MIT-FutureTech/TheComputationalLimitsOfDeepLearning, ``notebooks/<csv stem>.ipynb``; cells named by
their execution count ``In [n]``). What those notebooks do, and so what is refitted here:

* Every file is read without its three sub-header rows; statsmodels drops rows with a NaN in a
  used column, so each fit uses the rows where its response and regressors are finite.
* The headline score is a percentage; error = 1 − score/100 (METHODOLOGY §4).
* SQuAD 1.1 (EM), CoNLL-2003 (F1), WMT 2014 en-fr and en-de (BLEU), ``In [7]`` and ``In [9]``:
  log10(1/error) ~ log10(hardware_burden) and 1/error ~ log10(hardware_burden).
* COCO (box AP): ``In [7]`` log10(AP/100) ~ log10(ops per forward pass) (the score, not the error);
  ``In [9]``/``In [11]`` log10(1/error) on hardware burden / network operations; ``In [13]``
  consolidates compute as hardware burden, else 10**(2.7580 + 0.8935·log10(network_operations))
  (constants typed into the notebook); ``In [14]``/``In [16]`` log10(1/error) and 1/error on it.
* ImageNet (top-1): log10(error) on ops per forward pass, network operations and hardware burden
  (``In [44]``/``[46]``/``[48]``) and the same over AlexNet's values (``In [51]``/``[53]``/``[57]``);
  ``In [55]`` error ~ log10(network_operations/AlexNet) (the notebook's exponential form);
  ``In [56]`` adds a (year − 2012) term; ``In [59]`` converts network operations into hardware
  burden by OLS and ``In [61]``/``[62]`` consolidate compute as hardware burden, else that
  prediction (unrounded coefficients; the CSV's ``computing_power`` column differs slightly);
  ``In [63]``/``[65]`` log10(1/error) and 1/error on it; ``In [66]`` the 10th-percentile quantile
  regression of log10(error) on log10(network_operations/AlexNet).
* Operations per forward pass are ``flops``, else 2 × ``multiadds`` (METHODOLOGY §2).

The ``relevant`` column is empty in the published ImageNet file and no notebook filters on it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.exceptions import AnalysisError
from analysis.forms import LOG10_ERROR, LOG10_INVERSE_ERROR, ReproducedFit, fit_form, fits_jsonl
from analysis.thompson import THOMPSON_FILES, parse_thompson_csv

__all__ = [
    "COCO_CONVERSION",
    "NOTEBOOK_REPO",
    "ReproducedFit",
    "reproduce_thompson",
    "reproduction_json",
]

logger = logging.getLogger(__name__)

NOTEBOOK_REPO = "MIT-FutureTech/TheComputationalLimitsOfDeepLearning"
COCO_CONVERSION = (2.7580, 0.8935)  # object-detection-on-coco.ipynb In [13]: log10 HB = a + b·log10 net ops
ALEXNET = "AlexNet"
HARDWARE_BURDEN = "hardware_burden"
NETWORK_OPERATIONS = "network_operations"
OPS_FORWARD_PASS = "ops_forward_pass"
CONSOLIDATED = "hardware_burden_consolidated"
POLYNOMIAL = "polynomial"
EXPONENTIAL = "exponential"
POLYNOMIAL_YEAR = "polynomial+year"
QUANTILE = "quantile"
CONVERSION = "conversion"
QUANTILE_Q = 0.1
YEAR_ORIGIN = 2012


def _log10(values: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log10(pd.to_numeric(values, errors="coerce").astype(float))


def _prepare(path: Path, headline: str) -> pd.DataFrame:
    """The typed CSV plus the columns the fits use: error forms, log10 compute, row ids."""
    frame = parse_thompson_csv(path).frame.copy()
    if headline not in frame.columns:
        raise AnalysisError("performance column missing", path=str(path), column=headline)
    frame["row_id"] = [f"{path.name}:L{line}" for line in frame["line"]]
    score = frame[headline] / 100.0
    error = 1.0 - score
    frame["error"] = error
    frame["log10_score"] = _log10(score)
    frame["log10_error"] = _log10(error)
    frame["log10_inverse_error"] = _log10(1.0 / error)
    frame["inverse_error"] = 1.0 / error
    if "flops" in frame.columns and "multiadds" in frame.columns:
        frame[OPS_FORWARD_PASS] = frame["flops"].combine_first(2.0 * frame["multiadds"])
    for column in (HARDWARE_BURDEN, NETWORK_OPERATIONS, OPS_FORWARD_PASS):
        if column in frame.columns:
            frame[f"log10_{column}"] = _log10(frame[column])
    if "year" in frame.columns:
        frame["year_since_2012"] = frame["year"].astype("Float64").astype(float) - YEAR_ORIGIN
    return frame


def _cell(path: Path, cell: int) -> str:
    return f"{NOTEBOOK_REPO} notebooks/{path.stem}.ipynb In [{cell}]"


def _fit(
    frame: pd.DataFrame,
    path: Path,
    benchmark: str,
    form: str,
    response: str,
    x: str,
    cell: int,
    *,
    y: str | None = None,
    log_x: str | None = None,
    extra: dict[str, str] | None = None,
    quantile: float | None = None,
) -> ReproducedFit:
    y_column = y or {
        LOG10_ERROR: "log10_error",
        LOG10_INVERSE_ERROR: "log10_inverse_error",
        "1/error": "inverse_error",
        "error": "error",
        "log10(score)": "log10_score",
    }[response]
    regressors = {f"log10({x})": log_x or f"log10_{x}", **(extra or {})}
    return fit_form(frame, benchmark=benchmark, form=form, response=response, x=x, y=y_column,
                    regressors=regressors, source=_cell(path, cell), quantile=quantile)


def _hardware_burden_pair(frame: pd.DataFrame, path: Path, benchmark: str, cells: tuple[int, int],
                          x: str = HARDWARE_BURDEN) -> list[ReproducedFit]:
    """log10(1/error) and 1/error on log10(x): the two fits of every NLP notebook."""
    return [
        _fit(frame, path, benchmark, POLYNOMIAL, LOG10_INVERSE_ERROR, x, cells[0]),
        _fit(frame, path, benchmark, EXPONENTIAL, "1/error", x, cells[1]),
    ]


def _coco(frame: pd.DataFrame, path: Path, benchmark: str) -> list[ReproducedFit]:
    fits = [
        _fit(frame, path, benchmark, POLYNOMIAL, "log10(score)", OPS_FORWARD_PASS, 7),
        _fit(frame, path, benchmark, POLYNOMIAL, LOG10_INVERSE_ERROR, HARDWARE_BURDEN, 9),
        _fit(frame, path, benchmark, POLYNOMIAL, LOG10_INVERSE_ERROR, NETWORK_OPERATIONS, 11),
    ]
    a, b = COCO_CONVERSION
    predicted = 10.0 ** (a + b * frame[f"log10_{NETWORK_OPERATIONS}"])
    frame[CONSOLIDATED] = frame[HARDWARE_BURDEN].combine_first(predicted)
    frame[f"log10_{CONSOLIDATED}"] = _log10(frame[CONSOLIDATED])
    return fits + _hardware_burden_pair(frame, path, benchmark, (14, 16), x=CONSOLIDATED)


def _alexnet(frame: pd.DataFrame, path: Path) -> pd.Series:
    rows = frame.loc[frame["name"] == ALEXNET]
    if len(rows) != 1:
        raise AnalysisError("expected exactly one AlexNet row", path=str(path), found=len(rows))
    return rows.iloc[0]


def _imagenet(frame: pd.DataFrame, path: Path, benchmark: str) -> list[ReproducedFit]:
    alexnet = _alexnet(frame, path)
    norm: dict[str, tuple[str, str]] = {}  # column -> (x label, log10 column) over AlexNet's value
    for column in (OPS_FORWARD_PASS, NETWORK_OPERATIONS, HARDWARE_BURDEN):
        frame[f"log10_{column}_alexnet"] = _log10(frame[column] / float(alexnet[column]))
        norm[column] = (f"{column}/{ALEXNET}", f"log10_{column}_alexnet")
    net_x, net_log = norm[NETWORK_OPERATIONS]
    fits = [
        _fit(frame, path, benchmark, POLYNOMIAL, LOG10_ERROR, OPS_FORWARD_PASS, 44),
        _fit(frame, path, benchmark, POLYNOMIAL, LOG10_ERROR, NETWORK_OPERATIONS, 46),
        _fit(frame, path, benchmark, POLYNOMIAL, LOG10_ERROR, HARDWARE_BURDEN, 48),
        _fit(frame, path, benchmark, POLYNOMIAL, LOG10_ERROR, norm[OPS_FORWARD_PASS][0], 51,
             log_x=norm[OPS_FORWARD_PASS][1]),
        _fit(frame, path, benchmark, POLYNOMIAL, LOG10_ERROR, net_x, 53, log_x=net_log),
        _fit(frame, path, benchmark, EXPONENTIAL, "error", net_x, 55, log_x=net_log),
        _fit(frame, path, benchmark, POLYNOMIAL_YEAR, LOG10_ERROR, net_x, 56, log_x=net_log,
             extra={f"year-{YEAR_ORIGIN}": "year_since_2012"}),
        _fit(frame, path, benchmark, POLYNOMIAL, LOG10_ERROR, norm[HARDWARE_BURDEN][0], 57,
             log_x=norm[HARDWARE_BURDEN][1]),
    ]
    conversion = _fit(frame, path, benchmark, CONVERSION, f"log10({HARDWARE_BURDEN})", NETWORK_OPERATIONS, 59,
                      y=f"log10_{HARDWARE_BURDEN}")
    predicted = 10.0 ** (conversion.intercept + conversion.slope * frame[f"log10_{NETWORK_OPERATIONS}"])
    frame[CONSOLIDATED] = frame[HARDWARE_BURDEN].combine_first(predicted)
    frame[f"log10_{CONSOLIDATED}"] = _log10(frame[CONSOLIDATED])
    fits.append(conversion)
    fits += _hardware_burden_pair(frame, path, benchmark, (63, 65), x=CONSOLIDATED)
    fits.append(_fit(frame, path, benchmark, QUANTILE, LOG10_ERROR, net_x, 66, log_x=net_log, quantile=QUANTILE_Q))
    return fits


def reproduce_thompson(directory: str | Path) -> list[ReproducedFit]:
    """Every published regression of the six notebooks, refitted from the CSVs in ``directory``.

    Files absent from ``directory`` are skipped with a warning; none present is an error. The
    order is that of ``THOMPSON_FILES``, then of the notebook cells.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise AnalysisError("not a directory of Thompson et al.'s CSVs", directory=str(directory))
    fits: list[ReproducedFit] = []
    found = 0
    for file_name, (benchmark, _dataset, headline) in THOMPSON_FILES.items():
        path = directory / file_name
        if not path.is_file():
            logger.warning("no %s in %s: its regressions are not reproduced", file_name, directory)
            continue
        found += 1
        frame = _prepare(path, headline)
        if benchmark == "imagenet":
            fits += _imagenet(frame, path, benchmark)
        elif benchmark == "coco":
            fits += _coco(frame, path, benchmark)
        else:
            fits += _hardware_burden_pair(frame, path, benchmark, (7, 9))
    if not found:
        raise AnalysisError("no Thompson CSV found", directory=str(directory), expected=sorted(THOMPSON_FILES))
    return fits


def reproduction_json(fits: Iterable[ReproducedFit]) -> str:
    """JSON Lines: one fit per line (``ReproducedFit.to_dict()``; non-finite floats as "inf"/"nan")."""
    return fits_jsonl(fits)
