"""What a build tells its user while it runs: one log line per event, a bar on long steps.

Log lines (`[  3.2s] wrote report/notes.pdf`) go to stdout, unless quiet. Bars (tqdm) go
to stderr, and only when stderr is a terminal and the build is not quiet: a CI log gets the
lines and never the bars' carriage returns. A bar appears only once its step has lasted a
second, and is wiped when the step ends.
"""

from __future__ import annotations

import sys
import time

SHOW_AFTER = 1.0      # seconds a step runs before its bar appears


class Progress:
    def __init__(self, quiet: bool = False, stream=None):
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.bars = not quiet and self.stream.isatty()
        self.started = time.perf_counter()

    def say(self, message: str) -> None:
        if not self.quiet:
            print(f"[{time.perf_counter() - self.started:5.1f}s] {message}", flush=True)

    def bar(self, what: str, total: int | None = None, unit: str = ""):
        """A bar for one step: `with progress.bar("checks", total=n) as bar: bar.update()`."""
        from tqdm import tqdm           # not needed by a build that has nothing to do
        return tqdm(total=total, desc=what, unit=unit, file=self.stream, leave=False,
                    delay=SHOW_AFTER, disable=not self.bars, dynamic_ncols=True)


QUIET = Progress(quiet=True)
