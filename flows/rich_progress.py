"""Rich progress bars for the pipeline's long stages."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import TaskID as BarId


class RichReporter:
    """One bar per stage; a stage without a known total shows a spinner and a count."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                  MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=False)
        self._bar: BarId | None = None

    def __enter__(self) -> RichReporter:
        self._progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._finish_current()
        self._progress.stop()

    def _finish_current(self) -> None:
        if self._bar is not None:
            task = self._progress.tasks[-1]
            if task.total is None:
                self._progress.update(self._bar, total=task.completed)
            self._bar = None

    def stage(self, name: str, total: int | None = None) -> None:
        self._finish_current()
        self._bar = self._progress.add_task(name, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._bar is not None:
            self._progress.advance(self._bar, amount)
