"""Console logging for the CLI: one line per record, tracebacks kept for Prefect's API only."""

from __future__ import annotations

import logging


class OneLineFormatter(logging.Formatter):
    """Formats with the wrapped formatter but without exception tracebacks or stacks."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return " ".join(self.inner.format(record).split())
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def quiet_tracebacks() -> None:
    """Wrap every console handler (root, prefect.*) so that users see no traceback."""
    names = ["", *[n for n in logging.root.manager.loggerDict if n.startswith("prefect")]]
    for name in names:
        for handler in logging.getLogger(name).handlers:
            is_console = isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler)
            if is_console and not isinstance(handler.formatter, OneLineFormatter):
                handler.setFormatter(OneLineFormatter(handler.formatter))
