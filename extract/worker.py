"""Extraction in worker processes with a wall-clock timeout and a hard memory limit per document.

``extract_many(paths, workers=2, timeout_s=120, memory_mb=1024)`` parses each PDF in a spawned child
process and returns one ``Extraction.to_dict()`` per path, in input order. Each child

* imports the extractor once, then caps its own address space (``RLIMIT_AS`` = ``memory_mb``);
* parses documents one at a time; a document that runs past ``timeout_s`` gets its child killed;
* is retired after ``docs_per_child`` documents (or once its resident memory passes half the limit), so
  memory that pdfplumber / pdfminer retain between documents cannot accumulate.

A timeout, a memory-limit hit or a child that dies (a crash in a PDF library) becomes an error dict for
that PDF only; the other documents complete. ``concurrent.futures.ProcessPoolExecutor`` with
``max_tasks_per_child`` can deadlock on Python 3.11, so the children are plain ``multiprocessing``
processes with a pipe each, driven by :func:`multiprocessing.connection.wait`.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import resource
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from extract.names import EXTRACTOR_VERSION

logger = logging.getLogger(__name__)

DIED = "extraction worker died"
START_TIMEOUT_S = 120.0  # importing spaCy in a fresh child on a loaded machine


def timeout_message(timeout_s: float) -> str:
    return f"extraction timed out after {timeout_s:g} s"


def memory_message(memory_mb: int) -> str:
    return f"extraction exceeded the {memory_mb} MB memory limit"


def error_dict(path: str, message: str) -> dict[str, Any]:
    """The ``Extraction.to_dict()`` shape for a document the worker could not finish."""
    return {
        "pdf": path,
        "sha256": None,
        "pages": 0,
        "training_runs": [],
        "results": [],
        "facts": [],
        "error": message,
        "extractor_version": EXTRACTOR_VERSION,
    }


@dataclass(slots=True)
class WorkerStats:
    """What the children reported: peak resident memory (MB) of each child, documents, restarts."""

    peak_rss_mb: list[float] = field(default_factory=list)
    start_vm_mb: float = 0.0  # address space of a warm child (imports done) when its limit is set
    documents: int = 0
    children: int = 0
    timeouts: int = 0
    memory_errors: int = 0
    deaths: int = 0

    @property
    def max_peak_rss_mb(self) -> float:
        return max(self.peak_rss_mb, default=0.0)


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux), in MB; 0 where unavailable."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next((int(line.split()[1]) / 1024.0 for line in f if line.startswith(field + ":")), 0.0)
    except OSError:
        return 0.0


def _peak_rss_mb() -> float:
    """Peak resident memory of this process. VmHWM, not ``ru_maxrss``: a spawned child inherits its parent's
    ``ru_maxrss`` across fork + exec, while VmHWM belongs to the child's own address space."""
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _vm_size_mb() -> float:
    return _status_mb("VmSize")


def _child_main(conn: Connection, memory_mb: int) -> None:
    """Body of a child: warm up, cap the address space, then parse paths until told to stop (None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from extract.nlp import load_tools
    from extract.pipeline import OUT_OF_MEMORY, extract_pdf

    load_tools()
    conn.send(("ready", _vm_size_mb(), _peak_rss_mb()))
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # a limit below the current size fails every job
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        try:
            out = extract_pdf(path).to_dict()
            if out["error"] == OUT_OF_MEMORY:
                conn.send(("oom", None, _peak_rss_mb()))
                return
            conn.send(("done", out, _peak_rss_mb()))
        except MemoryError:  # while building or pickling the result
            conn.send(("oom", None, _peak_rss_mb()))
            return


@dataclass(slots=True)
class _Child:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    job: int | None = None
    deadline: float = 0.0
    done: int = 0
    peak_mb: float = 0.0
    started: float = field(default_factory=time.monotonic)


class _Pool:
    def __init__(self, paths: list[str], workers: int, timeout_s: float, memory_mb: int, docs_per_child: int,
                 stats: WorkerStats, emit: Callable[[str, dict[str, Any]], None] | None = None) -> None:
        self.paths = paths
        self.emit = emit
        self.emitted = 0  # results handed to ``emit`` so far, in path order
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.docs_per_child = docs_per_child
        self.stats = stats
        self.ctx = multiprocessing.get_context("spawn")
        self.queue: deque[int] = deque(range(len(paths)))
        self.results: list[dict[str, Any] | None] = [None] * len(paths)
        self.children: list[_Child] = []
        self.workers = max(1, min(workers, len(paths)))

    def _start(self) -> None:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_child_main, args=(child, self.memory_mb), daemon=True)
        proc.start()
        child.close()
        self.children.append(_Child(proc, parent))
        self.stats.children += 1

    def _retire(self, c: _Child, *, kill: bool) -> None:
        if kill:
            c.process.kill()
        else:
            with contextlib.suppress(OSError):
                c.conn.send(None)
        c.process.join(timeout=5)
        if c.process.is_alive():
            c.process.kill()
            c.process.join()
        c.conn.close()
        self.children.remove(c)
        self.stats.peak_rss_mb.append(round(c.peak_mb, 1))

    def _finish(self, c: _Child, out: dict[str, Any]) -> None:
        assert c.job is not None
        self.results[c.job] = out
        self.stats.documents += 1
        c.job = None
        c.done += 1
        while self.emit is not None and self.emitted < len(self.results) and self.results[self.emitted] is not None:
            self.emit(self.paths[self.emitted], self.results[self.emitted])  # type: ignore[arg-type]
            self.emitted += 1

    def run(self) -> list[dict[str, Any]]:
        try:
            while self.queue or any(c.job is not None for c in self.children):
                while len(self.children) < min(self.workers, len(self.queue) + self._busy()):
                    self._start()
                self._assign()
                self._wait()
        finally:
            for c in list(self.children):
                self._retire(c, kill=c.job is not None or not c.ready)
        return [r if r is not None else error_dict(p, DIED) for r, p in zip(self.results, self.paths, strict=True)]

    def _busy(self) -> int:
        return sum(1 for c in self.children if c.job is not None)

    def _assign(self) -> None:
        for c in self.children:
            if c.ready and c.job is None and self.queue:
                c.job = self.queue.popleft()
                c.conn.send(self.paths[c.job])
                c.deadline = time.monotonic() + self.timeout_s

    def _wait(self) -> None:
        now = time.monotonic()
        deadlines = [c.deadline for c in self.children if c.job is not None]
        deadlines += [c.started + START_TIMEOUT_S for c in self.children if not c.ready]
        timeout = max(0.0, min(deadlines) - now) if deadlines else None
        handles: list[Any] = [c.conn for c in self.children] + [c.process.sentinel for c in self.children]
        ready = set(wait(handles, timeout=timeout))
        for c in list(self.children):
            if c.conn in ready or c.process.sentinel in ready:
                self._receive(c)
        now = time.monotonic()
        for c in list(self.children):
            if c.job is not None and now >= c.deadline:
                logger.warning("%s: %s", self.paths[c.job], timeout_message(self.timeout_s))
                self.stats.timeouts += 1
                self._finish(c, error_dict(self.paths[c.job], timeout_message(self.timeout_s)))
                self._retire(c, kill=True)
            elif not c.ready and now >= c.started + START_TIMEOUT_S:
                raise RuntimeError(f"extraction worker did not start within {START_TIMEOUT_S:g} s")

    def _receive(self, c: _Child) -> None:
        try:
            kind, out, peak = c.conn.recv() if c.conn.poll() else (None, None, c.peak_mb)
        except (EOFError, OSError):
            kind, out, peak = None, None, c.peak_mb
        c.peak_mb = max(c.peak_mb, peak)
        if kind == "ready":
            c.ready = True
            self.stats.start_vm_mb = max(self.stats.start_vm_mb, round(float(out or 0.0), 1))
        elif kind == "done" and out is not None:
            self._finish(c, out)
            if c.done >= self.docs_per_child or c.peak_mb > self.memory_mb / 2:
                self._retire(c, kill=False)
        elif kind == "oom" and c.job is not None:
            logger.warning("%s: %s", self.paths[c.job], memory_message(self.memory_mb))
            self.stats.memory_errors += 1
            self._finish(c, error_dict(self.paths[c.job], memory_message(self.memory_mb)))
            self._retire(c, kill=False)
        else:  # the pipe closed: the child is gone
            c.process.join(timeout=5)
            code = c.process.exitcode
            if c.job is None and not c.ready:
                raise RuntimeError(f"extraction worker failed to start (exit code {code})")
            if c.job is not None:
                how = f"killed by {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit {code}"
                logger.warning("%s: %s (%s)", self.paths[c.job], DIED, how)
                self.stats.deaths += 1
                self._finish(c, error_dict(self.paths[c.job], f"{DIED} ({how})"))
            self._retire(c, kill=True)


def extract_many(
    paths: list[str],
    *,
    workers: int = 2,
    timeout_s: float = 120.0,
    memory_mb: int = 1024,
    docs_per_child: int = 25,
    stats: WorkerStats | None = None,
    emit: Callable[[str, dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Extract every PDF of ``paths`` in child processes; one ``Extraction.to_dict()`` per path, in order.

    ``workers`` children run at once (default 2: both cores of the reference machine); each document
    may take ``timeout_s`` seconds of wall-clock time and its child ``memory_mb`` MB of address space.
    A child is replaced after ``docs_per_child`` documents. ``stats``, if given, receives the peak
    resident memory of every child and the counts of timeouts, memory-limit hits and deaths. ``emit``, if
    given, receives each (path, result) in path order as soon as it and every one before it are done.
    """
    if workers < 1 or timeout_s <= 0 or memory_mb < 1 or docs_per_child < 1:
        raise ValueError("workers, memory_mb and docs_per_child must be >= 1 and timeout_s > 0")
    paths = [str(p) for p in paths]
    if not paths:
        return []
    return _Pool(paths, workers, timeout_s, memory_mb, docs_per_child, stats or WorkerStats(), emit).run()
