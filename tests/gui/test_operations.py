"""Background operations and Python's garbage collector (gui/operations.py).

A cycle of Qt objects left by a closed window must be freed on the GUI thread: freed by
a collection that happened to run on a worker thread, it crashed the whole process
(segmentation fault in the suite, while a card-reader poll ran). The runner pauses
automatic collection while any operation runs on a worker and resumes it on the GUI
thread when the last one has reported back.
"""

from __future__ import annotations

import gc
import threading

from frontdesk.gui.operations import OperationRunner


def test_no_collection_runs_on_a_worker_and_it_resumes_on_the_gui_thread(qtbot):
    runner = OperationRunner()
    seen: list[tuple[bool, bool]] = []
    release = threading.Event()

    def job() -> tuple[bool, bool]:
        release.wait(5)
        return gc.isenabled(), threading.current_thread() is threading.main_thread()

    assert gc.isenabled()
    runner.run(job, seen.append)
    runner.run(lambda: gc.isenabled(), lambda enabled: seen.append((enabled, True)))
    assert not gc.isenabled()  # paused from the first start, on the GUI thread
    release.set()
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    assert seen and all(enabled is False for enabled, _ in seen)
    assert (False, False) in seen  # the slow job ran on a worker, with collection paused
    assert gc.isenabled()  # resumed once the last operation reported back


def test_a_failed_operation_resumes_collection_too(qtbot):
    runner = OperationRunner()
    errors: list[BaseException] = []

    def broken() -> None:
        raise OSError("reader unplugged")

    runner.run(broken, on_failure=errors.append)
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    assert [str(e) for e in errors] == ["reader unplugged"]
    assert gc.isenabled()


def test_the_application_collects_cyclic_garbage_on_the_gui_thread_only(qtbot):
    from frontdesk.gui.operations import GuiThreadCollector

    class Node:
        pass

    runner = OperationRunner()
    release = threading.Event()
    runner.run(lambda: release.wait(5))  # started before the collector, ends after it
    collector = GuiThreadCollector(young_ms=60_000, full_every=2)
    try:
        assert not gc.isenabled()  # no collection can start on another thread
        release.set()
        runner.run(lambda: None)
        qtbot.waitUntil(lambda: runner.idle, timeout=5000)
        assert not gc.isenabled()  # operations ending do not switch it back on
        node = Node()
        node.me = node
        del node
        assert collector.collect() + collector.collect() >= 1  # young, then full
    finally:
        collector.stop()
    assert gc.isenabled()
