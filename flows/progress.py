"""A small hook through which long stages report progress (the CLI shows rich bars)."""

from __future__ import annotations

from typing import Protocol


class Reporter(Protocol):
    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, amount: int = 1) -> None: ...


class _Silent:
    def stage(self, name: str, total: int | None = None) -> None:
        return None

    def advance(self, amount: int = 1) -> None:
        return None


_current: Reporter = _Silent()


def current() -> Reporter:
    return _current


def install(reporter: Reporter | None) -> None:
    """Install a reporter (None restores the silent one)."""
    global _current
    _current = reporter if reporter is not None else _Silent()
