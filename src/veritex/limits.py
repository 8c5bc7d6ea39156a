"""Time limits: how long a chunk, a check and a LaTeX run may take before the build gives up
on it with a located error. The defaults are far above what a real document needs (its
slowest chunk takes seconds); a document sets its own in the project file
(`limits = { chunk = 600 }`), a chunk with the option `timeout=`, a claim with `timeout=`.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    chunk: float = 300.0      # seconds a chunk or an inline expression may run
    check: float = 300.0      # seconds one claim's check may run
    latex: float = 300.0      # seconds latexmk may run, all its passes together

    def __post_init__(self):
        for name in ("chunk", "check", "latex"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"the time limit {name} must be a positive number of "
                                 f"seconds, not {value!r}")


class TimeLimit(BaseException):
    """The time given to a piece of work ran out. A BaseException, like KeyboardInterrupt,
    so that no `except Exception` in the user's code or in sympy swallows it."""

    def __init__(self, seconds: float):
        super().__init__(f"{seconds:g}")
        self.seconds = seconds


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise TimeLimit in this (main) thread if the block runs longer than `seconds`: the
    interval timer's signal interrupts Python code, and sleeps, wherever they are."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(number, frame):
        raise TimeLimit(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
