"""Ctrl-C that cannot be lost: `InterruptWatch`.

Python turns SIGINT into KeyboardInterrupt at whatever bytecode the main thread runs next. When that
happens inside a finaliser (`__del__`, a weakref callback, a generator being closed) the interpreter
prints "Exception ignored in ..." and carries on: the Ctrl-C is lost and the run completes as if it
had never been pressed (seen under load, with many short batches). The watch keeps the default
behaviour (KeyboardInterrupt at once) and also remembers that the signal came, so the runner's
checkpoints between batches (`check()`) raise it again if it was swallowed.
"""

from __future__ import annotations

import signal
import threading


class InterruptWatch:
    """Within the block, SIGINT raises KeyboardInterrupt as usual and sets `requested`; `check()` raises
    KeyboardInterrupt whenever it is set. Outside the main thread (no signals there) it only checks."""

    def __init__(self) -> None:
        self.requested = False
        self._old_handler = None
        self._installed = False

    def _on_sigint(self, signum, frame) -> None:
        self.requested = True
        raise KeyboardInterrupt

    def check(self) -> None:
        """Raise KeyboardInterrupt if Ctrl-C came since the block began (also when it was swallowed)."""
        if self.requested:
            raise KeyboardInterrupt

    def __enter__(self) -> InterruptWatch:
        # only where Ctrl-C would raise anyway: a run started with SIGINT ignored (nohup, `&`) stays so
        if threading.current_thread() is threading.main_thread() and (
            signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            self._old_handler = signal.signal(signal.SIGINT, self._on_sigint)
            self._installed = True
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self._installed:
            signal.signal(signal.SIGINT, self._old_handler)
            self._installed = False
        return False
