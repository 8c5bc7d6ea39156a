"""The errors a user can cause, each printed as one line that names its source.

`VeritexError` and its subclasses are the user's mistakes (a template, a chunk, a false claim,
LaTeX): `build.py` prints them as `file:line [chunk]: message` and exits 1, without a traceback.
Anything else escaping the engine is a bug of the engine and keeps its traceback.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceLine:
    """A line of a project's module, `src/notes/logistic.py:35`, relative to the project."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Location:
    """A place in a template, `templates/notes.tex.j2:42 [logistic]`, and, when the code
    that made what is there lives in a module, that line too:
    `templates/notes.tex.j2:42 [logistic], made at src/notes/logistic.py:35`."""

    template: str
    line: int
    chunk: str | None = None
    origin: SourceLine | None = None      # the module line, when a module made it

    def __str__(self) -> str:
        where = f"{self.template}:{self.line}"
        where = f"{where} [{self.chunk}]" if self.chunk else where
        return f"{where}, made at {self.origin}" if self.origin else where


class VeritexError(Exception):
    """A problem in the user's input; printed as one line, no traceback."""

    def __init__(self, message: str, where: Location | None = None):
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class TemplateError(VeritexError):
    """Jinja could not load or render a template."""


class ChunkError(VeritexError):
    """A chunk's options are malformed, or its code raised."""


class ClaimError(VeritexError):
    """A claim made by a chunk is false, or its check is malformed."""


class LatexError(VeritexError):
    """LaTeX could not typeset the woven document."""


class ToolMissing(VeritexError):
    """A program the build needs (latexmk, pdflatex) is not installed."""


class Stopped(KeyboardInterrupt):
    """The build was stopped by a signal: Ctrl-C (SIGINT) or SIGTERM. It unwinds like Ctrl-C,
    so the kernel, the check workers and LaTeX stop and nothing half-made is published."""

    def __init__(self, number: int = signal.SIGINT):
        super().__init__(signal.Signals(number).name)
        self.signal = signal.Signals(number)
