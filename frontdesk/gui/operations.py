"""Run service calls for the windows; slow ones off the GUI thread (Anki ``CollectionOp``).

A window never calls a slow service (a device read, a face comparison) on the GUI
thread: it hands the call to :meth:`OperationRunner.run` with a success callback and,
optionally, a failure callback. The call runs on a worker thread; its result or its
exception comes back **on the GUI thread** through a queued signal, so callbacks may
touch widgets. Quick calls (a database write of one row) may run inline with
``background=False`` and still go through the same success/failure path, so every
window handles errors the same way: no traceback ever reaches the clerk.

``busy_changed`` lets a window grey out its buttons while an operation is running,
and :attr:`OperationRunner.idle` lets tests wait for the background work to finish.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable
from typing import Any, TypeVar

from .qt import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

T = TypeVar("T")
Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues, the slot runs here."""

    finished = Signal(object, object)  # result, exception

    def __init__(self, on_success: Success, on_failure: Failure, done: Callable[[], None]):
        super().__init__()
        self._on_success = on_success
        self._on_failure = on_failure
        self._done = done
        self.finished.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, result: object, exc: object) -> None:
        try:
            if isinstance(exc, BaseException):
                self._on_failure(exc)
            else:
                self._on_success(result)
        finally:
            self._done()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result, exc = self._fn(), None
        except BaseException as caught:  # handed to the GUI thread, never lost
            result, exc = None, caught
        # when the application is closing the window that asked is gone: nothing to tell
        with contextlib.suppress(RuntimeError):
            self._relay.finished.emit(result, exc)


class OperationRunner(QObject):
    """One per window tree; counts running operations and reports failures uniformly."""

    busy_changed = Signal(bool)
    failed = Signal(object)  # the exception of an operation without its own handler

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._running = 0
        self._relays: set[_Relay] = set()

    @property
    def idle(self) -> bool:
        return self._running == 0

    #: operations running in every runner of the process (tests and benches wait on it)
    total_running = 0

    #: whether the cyclic collector was on when the first running operation paused it
    _gc_was_enabled = False

    def _started(self) -> None:
        if OperationRunner.total_running == 0:
            _pause_collector()
        OperationRunner.total_running += 1
        self._running += 1
        if self._running == 1:
            self.busy_changed.emit(True)

    def _finished(self) -> None:
        OperationRunner.total_running -= 1
        if OperationRunner.total_running == 0:
            _resume_collector()
        self._running -= 1
        if self._running == 0:
            # a read still running when its window closed: nobody is left to tell
            with contextlib.suppress(RuntimeError):
                self.busy_changed.emit(False)

    def run(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Failure | None = None,
        *,
        background: bool = True,
    ) -> None:
        """Run ``fn``; call ``on_success(result)`` or ``on_failure(exc)`` on the GUI thread."""
        success: Success = on_success or (lambda _result: None)
        failure: Failure = on_failure or self.failed.emit
        if not background:
            self._started()
            try:
                result = fn()
            except Exception as exc:
                failure(exc)
            else:
                success(result)
            finally:
                self._finished()
            return
        relay: _Relay

        def done() -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            self._finished()

        relay = _Relay(success, failure, done)
        self._relays.add(relay)
        self._started()
        self._pool.start(_Job(fn, relay))


# Python's cyclic garbage collector runs in whichever thread happens to allocate when a
# threshold is crossed. On a worker thread it may free the last reference to a Qt object
# of a closed window, and Qt objects must be destroyed on the GUI thread: the process
# dies with a segmentation fault (seen in the suite while a poll of the card reader ran).
# So automatic collection is paused while any operation runs on a worker, and resumed on
# the GUI thread when the last one has reported back; the next collection then happens
# where Qt expects it. Only cyclic garbage waits; reference counting frees the rest.


def _pause_collector() -> None:
    OperationRunner._gc_was_enabled = gc.isenabled()
    gc.disable()


def _resume_collector() -> None:
    # the application's own collector owns the switch while it runs: never turn it back on
    if OperationRunner._gc_was_enabled and not GuiThreadCollector.active:
        gc.enable()


class GuiThreadCollector(QObject):
    """The running application collects cyclic garbage on the GUI thread only.

    Pausing collection during operations covers the runner's workers, but the sync agent
    and the queue client have threads of their own. So the application turns automatic
    collection off and collects here, on a timer of the GUI thread: the young
    generations every ``young_ms``, everything every ``full_every``-th time (Anki, an
    anchor project, does the same for the same crash).
    """

    #: a collector is running: operations ending leave automatic collection off
    active = False

    def __init__(
        self, parent: QObject | None = None, *, young_ms: int = 2000, full_every: int = 30
    ) -> None:
        super().__init__(parent)
        GuiThreadCollector.active = True
        gc.disable()
        self._ticks = 0
        self._full_every = full_every
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self.timer.start(young_ms)

    def collect(self) -> int:
        """One collection now; returns what it found unreachable."""
        self._ticks += 1
        return gc.collect() if self._ticks % self._full_every == 0 else gc.collect(1)

    def stop(self) -> None:
        """The application is closing: automatic collection as Python has it by default."""
        self.timer.stop()
        GuiThreadCollector.active = False
        gc.enable()
