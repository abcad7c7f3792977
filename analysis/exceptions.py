"""Exceptions of the analysis package: one base class carrying a context mapping."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class AnalysisError(Exception):
    """A fit, a metric or an input frame that the analysis cannot use.

    ``context`` holds what the caller needs to find the cause (benchmark, metric, n, ...).
    Instances pickle and unpickle with their context (``args`` is ``(message, context)``),
    so they survive process pools and Prefect result persistence.
    """

    def __init__(self, message: str, context: Mapping[str, Any] | None = None, **extra: Any) -> None:
        merged: dict[str, Any] = dict(context or {})
        merged.update(extra)
        super().__init__(message, merged)
        self.message = message
        self.context = merged

    def __str__(self) -> str:
        if not self.context:
            return self.message
        details = ", ".join(f"{key}={value!r}" for key, value in self.context.items())
        return f"{self.message} ({details})"


class UnknownMetricError(AnalysisError):
    """A metric name that no rule of METHODOLOGY §4 covers."""


class InsufficientDataError(AnalysisError):
    """Too few usable points (or no spread in compute) to fit a regression."""
