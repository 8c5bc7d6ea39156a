"""Pweave's pass over the document, in order: each unit answered (`Answers`) and its output
assembled (`Processor`): placeholders replaced by document-wide tags, a LaTeX comment naming
the unit's template line before its output, its figures and warnings kept.
"""

from __future__ import annotations

import functools
import re
import signal
from pathlib import Path

from pweave.processors.base import PwebProcessorBase

from .. import markup, processes
from ..cache import write_atomic
from ..config import BuildConfig
from ..errors import SourceLine, Stopped
from ..incremental import Incremental, Result
from ..limits import TimeLimit
from ..progress import Progress
from . import units
from .kernel import Kernel, KernelError
from .numbering import Numbering, Ran, retag

_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")
_FRAME = re.compile(r"^File (\S.*?):(\d+), in ", re.MULTILINE)     # IPython's frame headers
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class Answers:
    """Each unit's result, and what it did (a `Ran`): from the cache, from a kernel that ran it
    earlier in this build (`elsewhere`, see `veritex.weave.parallel`), or from this pass's own
    kernel, started when the first unit has to run. A unit's error is a ChunkFailed at its own
    line."""

    def __init__(self, args: tuple, config: BuildConfig, incremental: Incremental, elsewhere,
                 locate, checker=None):
        self.config, self.incremental, self.elsewhere = config, incremental, elsewhere
        self.locate = locate                  # rendered line -> template Location
        # the check workers are forked just before this kernel starts: they then share the
        # imports (sympy...) with it, and no second interpreter has to make them
        self.kernel = Kernel(args, config,
                             starting=checker and functools.partial(checker.start, fork=True))

    def chunk(self, label: str, chunk: dict) -> tuple[Result, Ran, list[str]]:
        """(result, what it did, its claims' keys) for a code chunk."""
        unit = self.incremental.units.chunk(label, chunk["content"], chunk["options"])
        hit = self.incremental.units.result(unit)
        if hit is not None:
            _restore_figures(self.config, hit.figures)
            if unit.stores:
                self.kernel.pending.append(self.incremental.units.names(unit.key))
            # reused, or run in this build in another kernel (see `veritex.weave.parallel`)
            ran = Ran(label, unit.key in self.elsewhere.ran, self.elsewhere.ran.get(unit.key, ""),
                      hit.seconds)
            return hit, ran, self.incremental.checks.claim_keys(hit, unit.key)
        if unit.key in self.elsewhere.failed:        # it failed in another kernel: same error
            raise self.failure(self.elsewhere.failed[unit.key], chunk, label)
        processes.report("running", str(self.locate(chunk["first_line"], label)))
        limit = chunk.get("options", {}).get("timeout") or self.config.limits.chunk
        try:
            result, names = self.kernel.run_unit(label, chunk["first_line"], chunk["content"],
                                                 limit, unit.stores)
        except KernelError as error:
            raise self.failure(error.out, chunk, label) from None
        if names is not None:           # a variable that cannot be stored: run it again
            self.incremental.units.keep(unit, result, names or None)
        ran = Ran(label, True, self.incremental.units.why(unit), result.seconds)
        return result, ran, self.incremental.checks.claim_keys(result, unit.key)

    def inline(self, inline: units.Inline) -> tuple[Result, Ran, list[str]]:
        """The same for an inline unit (one that binds names always runs: they are not kept)."""
        unit = self.incremental.units.inline(inline.label, inline.code)
        result = self.incremental.units.result(unit) if not unit.stores else None
        if result is not None:
            ran = self.elsewhere.ran.get(unit.key)
            done = Ran(inline.label, ran is not None, ran or "", result.seconds)
        elif unit.key in self.elsewhere.failed:
            raise self.failure(self.elsewhere.failed[unit.key], {"first_line": inline.line})
        else:
            processes.report("running", str(self.locate(inline.line)))
            try:
                result, _ = self.kernel.run_unit(inline.label, inline.line, inline.runs,
                                                 self.config.limits.chunk, inline=True)
            except KernelError as error:
                raise self.failure(error.out, {"first_line": inline.line}) from None
            self.incremental.units.keep(unit, result)
            done = Ran(inline.label, True, self.incremental.units.why(unit), result.seconds)
        return result, done, self.incremental.checks.claim_keys(result, unit.key)

    def failure(self, out: dict, unit: dict, chunk: str | None = None) -> units.ChunkFailed:
        """The kernel's error as a ChunkFailed at the line the traceback names in `unit` (a
        chunk, or {"first_line": n} for an inline unit; `chunk`: a chunk's label); at the
        chunk's header when it names none. The kernel runs in
        this process: a signal that came during a unit comes back as its error (Stopped, see
        cli), and the build stops as it would have; a KeyboardInterrupt is the chunk's own."""
        if out["ename"] == Stopped.__name__:
            raise Stopped(signal.Signals[out["evalue"]])
        trace = _ANSI.sub("", "\n".join(out["traceback"]))
        lines = _CELL_LINE.findall(trace)
        line = unit["first_line"]
        at = line + int(lines[-1]) - 1 if lines else unit.get("header_line", line)
        message = f"{out['ename']}: {out['evalue']}" if out["evalue"] else out["ename"]
        if out["ename"] == TimeLimit.__name__:
            what = "chunk" if chunk is not None else "inline expression"
            message = (f"the {what} ran longer than its time limit of {out['evalue']} s "
                       "(stopped here; the chunk option timeout= or limits.chunk in the "
                       "project file sets it)")
        return units.ChunkFailed(at, chunk, message, _module_frame(self.config, trace))


def _module_frame(config: BuildConfig, trace: str) -> SourceLine | None:
    """The innermost frame of the traceback in the project's own modules (src/...:line),
    where the fix of an error raised there usually is; None if none is."""
    src = config.src_dir.resolve()
    for path, line in reversed(_FRAME.findall(trace)):
        try:
            relative = Path(path).resolve().relative_to(src)
        except ValueError:
            continue
        if relative.parts and relative.parts[0] != "veritex":
            return SourceLine(config.shown(Path(path)), int(line))
    return None


class Processor(PwebProcessorBase):
    """Pweave's processor: each unit answered by `Answers`, in document order, its claims
    numbered in the order its output shows them; fails fast on the first error."""

    def __init__(self, *args, config: BuildConfig, incremental: Incremental,
                 numbering: Numbering, progress: Progress, locate, elsewhere):
        super().__init__(*args)
        self.numbering, self.locate = numbering, locate
        self.answers = Answers(args, config, incremental, elsewhere, locate, numbering.checker)
        chunks = sum(chunk["type"] == "code" for chunk in self.parsed)
        self.bar = progress.bar("chunks", total=chunks, unit="chunk")
        self.prose_line = 1                   # where the prose whose inline code runs starts
        self.answered = None                  # the code chunk's answer, until it is finished

    def run(self):
        try:
            super().run()            # ends with self.close()
        except BaseException:
            self.close()
            raise

    def close(self):
        self.bar.close()
        self.answers.kernel.close()

    def pre_run_hook(self, chunk):
        chunk["first_line"] = units.first_line(chunk["header_line"], chunk["content"])
        self.bar.set_postfix_str(units.label(chunk), refresh=False)
        self.answered = self.answers.chunk(units.label(chunk), chunk)

    def loadstring(self, code, chunk=None, **kwargs):
        return [dict(out) for out in self.answered[0].outputs]

    def _runcode(self, chunk):
        if chunk["type"] == "doc":
            self.prose_line = chunk["first_line"]
        chunk = super()._runcode(chunk)
        if chunk.get("type") == "code" and self.answered is not None:
            self._finish(chunk, *self.answered)
        return chunk

    def _finish(self, chunk: dict, result: Result, ran: Ran, keys: list[str]) -> None:
        """Keep a chunk's warnings; number its claims; name its template line before its
        output (for LaTeX's errors, and readers)."""
        label = units.label(chunk)
        self.numbering.log.append(ran)
        self.numbering.warnings.extend((chunk["first_line"], label, text)
                                       for text in result.warnings)
        printed = "".join(out.get("text", "") for out in chunk["result"])
        unclosed = _unbalanced(printed)
        if unclosed:      # LaTeX would blame the prose after it, lines away: say it here
            raise units.ChunkFailed(chunk["header_line"], label, unclosed)
        tags = self.numbering.number(result, printed, chunk["first_line"], label, keys)
        where = self.locate(chunk["header_line"], label)
        chunk["result"] = [{"output_type": "stream", "name": "stdout",
                            "text": markup.printed_by(where)},
                           *(retag(out, tags) for out in chunk["result"])]
        self.answered = None
        self.bar.update()

    def loadinline(self, content):
        """`<%= expr %>` prints str(expr) (Pweave would print its repr, quotes and all);
        `<% statements %>` run and print whatever they print. A claim an inline unit shows
        (`inline(...)`) is numbered and checked like a displayed one, at its own line."""
        parts, inlines = units.inline_units(content, self.prose_line)
        for inline in inlines:
            result, ran, keys = self.answers.inline(inline)
            self.numbering.log.append(ran)
            tags = self.numbering.number(result, result.text, inline.line, None, keys)
            parts[inline.index] = retag({"text": result.text}, tags)["text"].strip()
        return "".join(parts)


def _restore_figures(config: BuildConfig, figures: dict) -> None:
    folder = config.layout.figures
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in figures.items():
        path = folder / name
        if not path.exists() or path.read_bytes() != data:
            write_atomic(path, data)


_ENVIRONMENT = re.compile(r"\\(begin|end)\s*\{([^{}]*)\}")
_TEX_COMMENT = re.compile(r"(?<!\\)%.*$", re.MULTILINE)


def _unbalanced(printed: str) -> str:
    """Why the environments a chunk printed do not close in its own output; "" if they do."""
    open_ = []
    for kind, name in _ENVIRONMENT.findall(_TEX_COMMENT.sub("", printed)):
        if (kind, name) == ("end", "document"):
            return ("the chunk printed \\end{document}: the PDF would stop there, without "
                    "what follows")
        if kind == "begin":
            open_.append(name)
        elif not open_ or open_[-1] != name:
            inner = f"\\begin{{{open_[-1]}}}" if open_ else "no \\begin"
            return f"the chunk printed \\end{{{name}}} after {inner}"
        else:
            open_.pop()
    if open_:
        return (f"the chunk printed \\begin{{{open_[-1]}}} without its \\end{{{open_[-1]}}}: "
                "a chunk's environments must close in its own output")
    return ""
