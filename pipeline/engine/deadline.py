"""A time limit around one block of work (one file's ingest, one document's NLP): `Deadline`.

On expiry `DocumentTimeout` is raised inside the block. In the main thread this uses SIGALRM; in any
other thread (Dask runs tasks in threads) a watchdog thread raises it asynchronously. `Deadline.message`
says in words what ran too long, for the row of the `errors` table.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time

REFIRE_SECONDS = 1.0  # after expiry the timeout is raised again this often until the guarded block exits


class DocumentTimeout(TimeoutError):
    """One file's ingest or one document's NLP ran past the per-document time limit."""


def _async_raise(thread_id: int, exc_type: type[BaseException] | None) -> None:
    """Raise exc_type in another thread at its next bytecode (None clears a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc_type) if exc_type else None
    )


class Deadline:
    """Run a block under a time limit; on expiry raise DocumentTimeout inside it, and again every second.

    In the main thread (the inline engine, and each local worker process) this is SIGALRM via
    signal.setitimer, which also interrupts blocking system calls. Elsewhere (Dask runs tasks in threads)
    a watchdog thread raises the exception asynchronously in the worker thread; that only interrupts
    Python code, not a single long call into C. The exception is raised again every second because
    library code with a broad `except Exception` (a PDF page loop, the HTML fallback parser) may swallow
    one; `expired` stays set, and a block that completes after expiring still ends in DocumentTimeout,
    so a half-done result is never used. `restart()` gives the next document a fresh limit.
    A limit of 0 or None turns the deadline off.
    """

    def __init__(self, seconds: float | None):
        self.seconds = float(seconds) if seconds else 0.0
        self.expired = False
        self._active = False
        self._uses_signal = False
        self._old_handler = None
        self._old_timer = (0.0, 0.0)
        self._thread_id = threading.get_ident()
        self._due = 0.0
        self._stop: threading.Event | None = None
        self._watchdog: threading.Thread | None = None

    @property
    def message(self) -> str:
        """What overran, in words: "took longer than the N s limit per document"."""
        return f"took longer than the {self.seconds:g} s limit per document"

    def _on_alarm(self, signum, frame):
        if self._active:
            self.expired = True
            raise DocumentTimeout(self.message)

    def _watch(self) -> None:
        assert self._stop is not None
        while not self._stop.wait(max(0.0, self._due - time.monotonic())):
            if time.monotonic() >= self._due:
                self.expired = True
                _async_raise(self._thread_id, DocumentTimeout)
                self._due = time.monotonic() + REFIRE_SECONDS

    def __enter__(self) -> Deadline:
        if self.seconds <= 0:
            return self
        self._thread_id = threading.get_ident()
        self._active = True
        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            self._uses_signal = True
            self._old_handler = signal.signal(signal.SIGALRM, self._on_alarm)
            self._old_timer = signal.setitimer(signal.ITIMER_REAL, self.seconds, REFIRE_SECONDS)
        else:
            self._due = time.monotonic() + self.seconds
            self._stop = threading.Event()
            self._watchdog = threading.Thread(target=self._watch, name="minutes-deadline", daemon=True)
            self._watchdog.start()
        return self

    def restart(self) -> None:
        """A fresh limit for the next document (raises if the current one already expired)."""
        if self.expired:
            raise DocumentTimeout(self.message)
        if not self._active:
            return
        if self._uses_signal:
            signal.setitimer(signal.ITIMER_REAL, self.seconds, REFIRE_SECONDS)
        else:
            self._due = time.monotonic() + self.seconds

    def _disarm(self) -> None:
        self._active = False
        if self._uses_signal:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old_handler if self._old_handler is not None else signal.SIG_DFL)
            if self._old_timer[0] > 0:  # give an outer timer (e.g. a test runner's) its remaining time back
                signal.setitimer(signal.ITIMER_REAL, *self._old_timer)
        elif self._watchdog is not None:
            assert self._stop is not None
            self._stop.set()
            while True:
                try:
                    self._watchdog.join()
                    _async_raise(self._thread_id, None)  # drop one injected just before the stop
                    break
                except DocumentTimeout:
                    self.expired = True

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self._active:
            self._disarm()
        if exc_type is None and self.expired:
            raise DocumentTimeout(self.message)
        return False
