"""InterruptWatch: a Ctrl-C that Python swallows (raised inside a finaliser) is not lost."""

import gc
import os
import signal
import sys

import pytest

from pipeline.engine.interrupt import InterruptWatch


@pytest.fixture(autouse=True)
def ctrl_c_raises():
    """Python's own SIGINT handler, as in a foreground run (a test run started with `&` or nohup inherits
    SIGINT ignored, and the watch then rightly leaves it so)."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, old)


class SignalsItselfWhenCollected:
    """Its finaliser sends SIGINT and runs Python code until the handler has run inside it."""

    def __init__(self, watch: InterruptWatch):
        self.watch = watch

    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(50_000_000):  # the handler runs at a bytecode boundary here, in the finaliser
            if self.watch.requested:
                break


def test_a_ctrl_c_raised_inside_a_finaliser_is_raised_again_at_the_next_check(monkeypatch):
    swallowed = []  # what Python reports as "Exception ignored in ..."
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: swallowed.append(unraisable.exc_type))
    with InterruptWatch() as watch:
        SignalsItselfWhenCollected(watch)  # collected at once: its KeyboardInterrupt is swallowed
        gc.collect()
        assert watch.requested and swallowed == [KeyboardInterrupt]
        with pytest.raises(KeyboardInterrupt):
            watch.check()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored (the fixture's)


def test_ctrl_c_still_raises_at_once_and_nothing_is_requested_without_it():
    with InterruptWatch() as watch:
        watch.check()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(10_000_000):  # the handler runs within a few bytecodes
                pass
        assert watch.requested


def test_an_ignored_sigint_stays_ignored():
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a run started under nohup
    try:
        with InterruptWatch():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, old)
