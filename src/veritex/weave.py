"""Stage 2, weave: Pweave runs the chunks of the rendered source and writes the LaTeX.

This is the only module that knows Pweave. It mends Pweave's weak spots:
- chunk options are parsed (`ast.literal_eval`), never executed;
- a chunk that raises stops the build with `template:line [chunk]: Error: message`, instead of
  Pweave's habit of weaving the traceback into the document and carrying on;
- only what a chunk prints to stdout reaches the document; stderr comes back as warnings;
- a LaTeX comment before each chunk's output names the chunk and its template line, which
  is how a LaTeX error in that output is traced back (see `concordance.woven_origin`);
- chunks whose result is in the cache (see `veritex.plan` for their keys) do not run, and
  when none has to, no kernel starts.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import os
import pickle
import re
import signal
import time
from dataclasses import dataclass, replace
from pathlib import Path

os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # ipykernel's debugger chatter
import pweave  # noqa: E402
from pweave.processors import IPythonProcessor  # noqa: E402
from pweave.processors.base import PwebProcessorBase  # noqa: E402
from pweave.readers import PwebReader  # noqa: E402

from . import concordance, parallel, supervise
from .cache import write_atomic, write_if_changed
from .config import BuildConfig
from .errors import ChunkError, ClaimError, Location, Stopped
from .incremental import Incremental
from .limits import TimeLimit, time_limit
from .progress import QUIET, Progress
from .render import Rendered
from .verify import Claim, Pickled

_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")
_FRAME = re.compile(r"^File (\S.*?):(\d+), in ", re.MULTILINE)     # IPython's frame headers
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_INLINE = re.compile(r"(<%.*?%>)", re.DOTALL)


@dataclass(frozen=True)
class Woven:
    tex_path: object                # the LaTeX document, in the build folder
    claims: tuple[Claim, ...]       # every displayed equation, in document order
    warnings: tuple[str, ...]       # what chunks wrote to stderr, one located line each
    log: tuple                      # Ran, per chunk and inline expression: did it run, why
    texts: tuple = ()               # (Location, LaTeX) of text typed in code that is shown
    kernels: int = 0                # kernels that ran units at once (see `veritex.parallel`)


class _ChunkFailed(Exception):
    """Raised inside the processor; turned into a located ChunkError by `weave`."""

    def __init__(self, line: int, chunk: str | None, message: str, origin: str = ""):
        super().__init__(message)
        self.line, self.chunk, self.message, self.origin = line, chunk, message, origin


def parse_options(option_string: str, line: int, defaults) -> dict:
    """`label, echo=True, width='3in'` -> options; values are Python literals only."""
    options = dict(defaults)
    label, _, rest = option_string.partition(",")
    if "=" in label:
        label, rest = "", option_string
    try:
        call = ast.parse(f"f({rest})", mode="eval").body
        if call.args:
            raise ValueError("options after the label must be name=value")
        for keyword in call.keywords:
            options[keyword.arg] = ast.literal_eval(keyword.value)
        timeout = options.get("timeout")
        if timeout is not None and (isinstance(timeout, bool) or
                                    not isinstance(timeout, (int, float)) or timeout <= 0):
            raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    except (SyntaxError, ValueError) as error:
        raise _ChunkFailed(line, label.strip() or None,
                           f"malformed chunk options {option_string.strip()!r}: {error}")
    options["name"] = label.strip() or None
    options["header_line"] = line
    options["option_string"] = option_string
    return options


class _Reader(PwebReader):
    """Pweave's noweb reader with safe options and the chunk's header line kept."""

    defaults: dict = {}

    def getoptions(self, line):
        option_string = re.findall(self.code_begin, line)[0]
        return parse_options(option_string, self.lineNo, self.defaults)

    def parse(self):
        """Also give each prose chunk its first line, which locates its inline code."""
        super().parse()
        total = len(self.rawtext.splitlines())
        for chunk in self.parsed:
            if chunk["type"] == "doc":        # it ends before the next chunk's header
                end = chunk.get("start_line", total + 1)
                chunk["first_line"] = end - chunk["content"].count("\n")


@dataclass
class Ran:
    """What one unit (chunk or inline expression) did in this build, and why."""

    label: str
    ran: bool
    why: str = ""
    seconds: float = 0.0        # how long it ran (in this build, or when it last ran)


class _IPython(IPythonProcessor):
    def init_matplotlib(self):
        """Figures go through veritex.runtime.figure, not through Pweave's capture."""


class _Kernel:
    """Pweave's in-process IPython kernel, started when the first unit has to run. Before each
    run it loads the variables of the reused chunks before it; every error a unit raises comes
    back through `failed`, which turns it into a located _ChunkFailed."""

    def __init__(self, args: tuple, config: BuildConfig, failed, work: Path | None = None,
                 starting=None):
        self._args, self.config, self.failed = args, config, failed
        self._processor = None
        self.starting = starting              # called once, just before the kernel starts
        self.pending: list[bytes] = []        # variables of reused chunks, not yet loaded
        self.work = work or config.build_dir / "cache-work"   # where it hands files over
        self.work.mkdir(parents=True, exist_ok=True)

    def run(self, code: str, limit: float | None = None) -> tuple[list, list]:
        """Run code, for at most `limit` seconds; (its stdout outputs, what it wrote to
        stderr)."""
        if self._processor is None:
            if self.starting is not None:
                self.starting()
            self._processor = _IPython(*self._args)
            figures = (self.config.build_dir / "figures").as_posix()
            self._execute("import sys\n"
                          f"sys.path.insert(0, {str(self.config.src_dir)!r})\n"
                          "import veritex.runtime as _vtx\n"
                          f"_vtx.start({figures!r}, {str(self.config.root)!r})\n"
                          "from veritex.runtime import show, inline, math, figure\n"
                          "from veritex.claims import claim, define, given, inequality\n"
                          "from veritex.values import rounded\n"
                          "from veritex.latex import Notation")
        for stored in self.pending:
            names = self.work / "names.pickle"
            names.write_bytes(stored)
            self._execute(f"_vtx.load_names({str(names)!r})")
        self.pending = []
        with time_limit(limit):
            return self._execute(code)

    def _execute(self, code: str) -> tuple[list, list]:
        printed, said = [], []
        for out in self._processor.loadstring(code):
            if out["output_type"] == "error":
                raise self.failed(out)
            if out["output_type"] == "stream":
                (said if out["name"] == "stderr" else printed).append(out)
        return printed, [out["text"] for out in said]

    def run_unit(self, label: str, first_line: int, code: str, limit: float | None,
                 stores=(), inline: bool = False) -> tuple[dict, bytes | None]:
        """Run one unit (a chunk's code, or an inline unit's statement) as the build stores
        it: (its result, its variables pickled: b"" if it binds none, None if one of them
        cannot be pickled). An inline unit's result also holds the text it printed."""
        started = time.perf_counter()
        self.run(f"_vtx.enter_chunk({label!r}, {first_line})")
        printed, said = self.run(code, limit)
        made = self.ledger()
        if made.get("removed"):                          # the unit removed or moved it
            raise self.failed({"output_type": "error", "traceback": [],
                               "ename": "it removed the build's own folder",
                               "evalue": f"{made['removed']} (a chunk may read it, not "
                                         "delete or move it)"})
        folder = self.config.build_dir / "figures"
        left = [f"this chunk left a process running, which the build stops at its end: {what}\n"
                for what in made.get("left", ())]
        result = {"outputs": printed, "warnings": said + left,
                  "figures": {name: (folder / name).read_bytes() for name in made["figures"]},
                  # the steps stay pickled until a check needs them: reading them imports
                  # the document's modules (scipy, matplotlib...), which a reused unit avoids
                  "claims": made["claims"], "steps": made["steps"], "texts": made["texts"],
                  "contents": made["contents"],
                  "seconds": round(time.perf_counter() - started, 3)}
        if inline:
            result["text"] = "".join(out["text"] for out in printed)
        return result, (self.names(sorted(stores)) if stores else b"")

    def ledger(self) -> dict:
        """What the unit that just ran showed, saved and typed (runtime.end_chunk)."""
        self.work.mkdir(parents=True, exist_ok=True)     # even if the build folder went
        path = self.work / "entries.pickle"
        self.run(f"_vtx.end_chunk({str(path)!r})")
        return pickle.loads(path.read_bytes())

    def names(self, stores: list) -> bytes | None:
        """The variables a chunk bound, pickled; None if one of them cannot be pickled."""
        self.work.mkdir(parents=True, exist_ok=True)
        path = self.work / "names.pickle"
        path.unlink(missing_ok=True)
        printed, _ = self.run(f"_vtx.save_names({str(path)!r}, {stores!r})")
        return None if printed else path.read_bytes()

    def close(self) -> None:
        if self._processor is not None:
            processor, self._processor = self._processor, None
            processor.close()


def kernel_for(config: BuildConfig, failed, work: Path) -> _Kernel:
    """A kernel of its own, outside Pweave's pass (see `veritex.parallel`), handing its files
    over in a folder of its own."""
    source = str(config.build_dir / f"{config.name}.texw")
    return _Kernel(([], "python3", source, False, "figures", str(config.build_dir)), config,
                   failed, work)


class _Numbering:
    """Tags shown steps across the document (C1, C2... per kind), in the order each unit
    printed them, hands each to the checker as soon as it is numbered, and collects what the
    weave returns: claims, typed texts, warnings, and what each unit did."""

    def __init__(self, checker):
        self.checker = checker
        self.counts = {"C": 0, "D": 0, "G": 0, "E": 0}
        self.claims: list[tuple] = []         # (numbered Claim, unit label): see `placed`
        self.texts: list[tuple] = []          # (origin, rendered line, unit label, LaTeX)
        self.warnings: list[tuple] = []       # (rendered line, unit label, stderr text)
        self.log: list[Ran] = []
        self.unprinted: list[tuple] = []      # (Claim, unit label, rendered line)

    def number(self, result: dict, printed: str, first_line: int, label: str | None,
               keys: list[str]) -> dict:
        """Number a unit's claims in the order `printed` shows them (a claim shown inline in a
        justification is made before the equation it justifies, but printed after its text);
        returns placeholder -> tag."""
        tags = {}
        claims = sorted(enumerate(result["claims"]),
                        key=lambda item: printed.find(item[1].tag) % (len(printed) + 1))
        for index, claim in claims:
            if claim.tag not in printed:          # made here, printed by another unit
                self.unprinted.append((claim, label, first_line + claim.offset))
            self.counts[claim.kind] += 1
            tag = tags[claim.tag] = f"{claim.kind}{self.counts[claim.kind]}"
            numbered = replace(claim, tag=tag, step=Pickled(result["steps"][index]),
                               key=keys[index], offset=first_line + claim.offset)
            if self.checker is not None:          # checking starts while later units run
                self.checker.submit(numbered)
            self.claims.append((numbered, label))
        self.texts.extend((origin, first_line + offset, label, text)
                          for origin, offset, text in result["texts"])
        return tags

    def placed(self, rendered: Rendered) -> tuple[Claim, ...]:
        """The claims with their template locations (their offset is now a rendered line) and
        the section each one is shown in."""
        sections = rendered.sections()

        def section(line: int) -> str:
            return next((title for start, title in reversed(sections) if start <= line), "")
        if self.unprinted:
            claim, label, line = self.unprinted[0]
            raise ClaimError(f"a statement made here by inline() is not printed here (kind "
                             f"{claim.kind}): inline() numbers it in the unit that calls it, so "
                             "print its text in the same chunk (build the text where it is "
                             "shown, not in an earlier chunk)",
                             rendered.location(line, label, claim.origin))
        return tuple(replace(claim, where=rendered.location(claim.offset, label, claim.origin),
                             section=section(claim.offset))
                     for claim, label in self.claims)


class _Processor(PwebProcessorBase):
    """Pweave's processor, with each unit (chunk or inline expression) answered from the
    cache when it can be, and run in the kernel when it cannot; fails fast on the first error.

    For each code chunk, in document order: plan its key; on a hit reuse its output, claims,
    warnings and figures; else run it and store the same. Then number its claims.
    """

    def __init__(self, *args, config: BuildConfig, incremental: Incremental,
                 numbering: _Numbering, progress: Progress, locate, elsewhere):
        super().__init__(*args)
        self.config, self.incremental, self.numbering = config, incremental, numbering
        self.locate = locate                  # rendered line -> template Location
        # the check workers are forked just before this kernel starts: they then share the
        # imports (sympy...) with it, and no second interpreter has to make them
        checker = numbering.checker
        self.kernel = _Kernel(args, config, self._failure,
                              starting=checker and functools.partial(checker.start, fork=True))
        chunks = sum(chunk["type"] == "code" for chunk in self.parsed)
        self.bar = progress.bar("chunks", total=chunks, unit="chunk")
        self.current: dict = {}               # the chunk (or inline unit) running: for errors
        self.prose = {"first_line": 1}        # the prose chunk whose inline code runs
        self.unit = self.hit = None           # the code chunk between pre_run_hook and _finish
        self.ran = None                       # its result, when it ran in this build
        self.elsewhere = elsewhere            # the units run (or failed) in other kernels

    def run(self):
        try:
            super().run()            # ends with self.close()
        except BaseException:
            self.close()
            raise

    def close(self):
        self.bar.close()
        self.kernel.close()

    # -- code chunks -----------------------------------------------------------------------------
    def pre_run_hook(self, chunk):
        body = chunk["content"][1:]
        blank = body[: len(body) - len(body.lstrip())].count("\n")
        chunk["first_line"] = chunk["header_line"] + 1 + blank
        label = _label(chunk)
        self.bar.set_postfix_str(label, refresh=False)
        self.current = chunk
        self.unit = self.incremental.chunk(label, chunk["content"], chunk["options"])
        self.hit = self.incremental.result(self.unit)
        self.ran = None

    def loadstring(self, code, chunk=None, **kwargs):
        if self.hit is None:
            failed = self.elsewhere.failed.get(self.unit.key)
            if failed is not None:                   # it failed in another kernel: same error
                raise self._failure(failed)
            label, first_line = _label(self.current), self.current["first_line"]
            supervise.report("running", str(self.locate(first_line, label)))
            limit = self.current.get("options", {}).get("timeout") or self.config.limits.chunk
            self.ran, names = self.kernel.run_unit(label, first_line, code, limit,
                                                   self.unit.stores)
            if names is not None:           # a variable that cannot be stored: run it again
                self.incremental.keep(self.unit, self.ran, names or None)
            return self.ran["outputs"]
        return [dict(out) for out in self.hit["outputs"]]

    def _runcode(self, chunk):
        if chunk["type"] == "doc":
            self.prose = chunk
        chunk = super()._runcode(chunk)
        if chunk.get("type") == "code" and self.unit is not None:
            self._finish(chunk)
        return chunk

    def _finish(self, chunk):
        """Store a chunk that ran (or reuse one that did not); number its claims."""
        unit, label = self.unit, _label(chunk)
        if self.hit is None:
            result = self.ran
            self.numbering.log.append(Ran(label, True, self.incremental.why(unit),
                                          result["seconds"]))
        else:
            result = self.hit
            _restore_figures(self.config, result["figures"])
            if unit.stores:
                self.kernel.pending.append(self.incremental.names(unit))
            # reused, or run in this build in another kernel (see `veritex.parallel`)
            self.numbering.log.append(Ran(label, unit.key in self.elsewhere.ran,
                                          self.elsewhere.ran.get(unit.key, ""),
                                          result.get("seconds", 0.0)))
        self.numbering.warnings.extend((chunk["first_line"], label, text)
                                       for text in result["warnings"])
        printed = "".join(out.get("text", "") for out in chunk["result"])
        unclosed = _unbalanced(printed)
        if unclosed:      # LaTeX would blame the prose after it, lines away: say it here
            raise _ChunkFailed(chunk["header_line"], label, unclosed)
        tags = self.numbering.number(result, printed, chunk["first_line"], label,
                                     self.incremental.claim_keys(result, unit.key))
        where = self.locate(chunk["header_line"], label)      # for LaTeX's errors, and readers
        chunk["result"] = [{"output_type": "stream", "name": "stdout",
                            "text": f"{concordance.PRINTED_BY}{where}\n"},
                           *(_retag(out, tags) for out in chunk["result"])]
        self.unit = self.hit = self.ran = None
        self.bar.update()

    def _failure(self, out) -> _ChunkFailed:
        # the kernel runs in this process: a signal that came during a chunk comes back
        # as the chunk's error (Stopped, see cli); the build stops as it would have. A
        # KeyboardInterrupt is the chunk's own doing, and an error at its line.
        if out["ename"] == Stopped.__name__:
            raise Stopped(signal.Signals[out["evalue"]])
        chunk = self.current
        trace = _ANSI.sub("", "\n".join(out["traceback"]))
        lines = _CELL_LINE.findall(trace)
        if "first_line" in chunk and lines:
            line = chunk["first_line"] + int(lines[-1]) - 1
        else:
            line = chunk.get("header_line", chunk.get("start_line", 1))
        message = f"{out['ename']}: {out['evalue']}" if out["evalue"] else out["ename"]
        if out["ename"] == TimeLimit.__name__:
            what = "chunk" if chunk.get("type") == "code" else "inline expression"
            message = (f"the {what} ran longer than its time limit of {out['evalue']} s "
                       "(stopped here; the chunk option timeout= or limits.chunk in the "
                       "project file sets it)")
        return _ChunkFailed(line, _label(chunk) if chunk.get("type") == "code" else None,
                            message, self._module_frame(trace))

    def _module_frame(self, trace: str) -> str:
        """The innermost frame of the traceback in the project's own modules (src/...:line),
        where the fix of an error raised there usually is; "" if none is."""
        src = self.config.src_dir.resolve()
        for path, line in reversed(_FRAME.findall(trace)):
            try:
                relative = Path(path).resolve().relative_to(src)
            except ValueError:
                continue
            if relative.parts and relative.parts[0] != "veritex":
                return f"{self.config.shown(Path(path))}:{line}"
        return ""

    # -- inline expressions ----------------------------------------------------------------------
    def loadinline(self, content):
        """`<%= expr %>` prints str(expr) (Pweave would print its repr, quotes and all);
        `<% statements %>` run and print whatever they print. Cached like chunks."""
        parts = _INLINE.split(content)
        for i, part in enumerate(parts):
            if not part.startswith("<%"):
                continue
            line = self.prose["first_line"] + "".join(parts[:i]).count("\n")
            self.current = {"type": "inline", "first_line": line}   # where its errors go
            expression = part.startswith("<%=")
            code = part[3 if expression else 2:-2].strip()
            parts[i] = self._inline(code, expression, line).strip()
        return "".join(parts)

    def _inline(self, code: str, expression: bool, line: int) -> str:
        """Run (or reuse) one inline unit; a claim it shows (`inline(...)`) is numbered and
        checked like a displayed one, located at its own line."""
        label = inline_label(code, expression)
        unit = self.incremental.inline(label, code)
        result = self.incremental.result(unit) if not unit.stores else None
        if result is not None and unit.key in self.elsewhere.ran:
            self.numbering.log.append(Ran(label, True, self.elsewhere.ran[unit.key],
                                          result.get("seconds", 0.0)))
        elif result is not None:
            self.numbering.log.append(Ran(label, False, "", result.get("seconds", 0.0)))
        elif unit.key in self.elsewhere.failed:
            raise self._failure(self.elsewhere.failed[unit.key])
        else:
            supervise.report("running", str(self.locate(line)))
            result, _ = self.kernel.run_unit(label, line, inline_code(code, expression),
                                             self.config.limits.chunk, inline=True)
            self.incremental.keep(unit, result)
            self.numbering.log.append(Ran(label, True, self.incremental.why(unit),
                                          result["seconds"]))
        tags = self.numbering.number(result, result["text"], line, None,
                                     self.incremental.claim_keys(result, unit.key))
        return _retag({"text": result["text"]}, tags)["text"]


def inline_label(code: str, expression: bool) -> str:
    return f"<%{'=' if expression else ''} {code[:40]} %>"


def inline_code(code: str, expression: bool) -> str:
    """What an inline unit runs: `<%= expr %>` prints str(expr), not Pweave's repr."""
    return f"print(({code}), end='')" if expression else code


def _restore_figures(config: BuildConfig, figures: dict) -> None:
    folder = config.build_dir / "figures"
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


def _one_line(text: str) -> str:
    """A warning's message line (Python's warnings print the source line after it)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return next((line for line in lines if "Warning" in line), lines[0] if lines else "")


def _label(chunk) -> str:
    return chunk.get("name") or f"chunk {chunk.get('number', '?')}"


def _retag(out: dict, tags: dict) -> dict:
    """Put the document-wide tags where the chunk printed placeholders (also in ActualText,
    which carries them as UTF-16 hex)."""
    text = out.get("text", "")
    for placeholder, tag in tags.items():
        text = text.replace(placeholder, tag).replace(_hex(placeholder), _hex(tag))
    return {**out, "text": text} if "text" in out else out


def _hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def weave(rendered: Rendered, config: BuildConfig, incremental: Incremental, checker=None,
          progress: Progress = QUIET) -> Woven:
    """Run the units the cache cannot answer; write `<name>.tex` (only if it changed);
    return it with the claims of every unit, in document order."""
    config.build_dir.mkdir(parents=True, exist_ok=True)
    source = config.build_dir / f"{config.name}.texw"
    tex = config.build_dir / f"{config.name}.tex"
    woven = config.build_dir / f"{config.name}.woven"
    source.write_text(rendered.text, encoding="utf-8")
    numbering = _Numbering(checker)
    reader = type("Reader", (_Reader,), {"defaults": dict(config.chunk_defaults)})
    # the units the cache cannot answer, independent ones at once in kernels of their own
    elsewhere = parallel.prerun(rendered.text, config, incremental, reader, checker, progress)
    if not source.exists():            # a unit removed the build folder: its error is told
        config.build_dir.mkdir(parents=True, exist_ok=True)      # at its line, below
        source.write_text(rendered.text, encoding="utf-8")
    processor = functools.partial(_Processor, config=config, incremental=incremental,
                                  numbering=numbering, progress=progress,
                                  locate=rendered.location, elsewhere=elsewhere)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            document = pweave.Pweb(str(source), doctype="tex", informat=reader,
                                   output=str(woven), figdir="figures")
            document.run(Processor=processor)
            document.format()
            config.build_dir.mkdir(parents=True, exist_ok=True)   # even if it went meanwhile
            document.write()
    except _ChunkFailed as failure:
        raise ChunkError(failure.message, rendered.location(failure.line, failure.chunk,
                                                            failure.origin))
    write_if_changed(tex, woven.read_text(encoding="utf-8"))
    incremental.woven()
    shown = tuple(f"{rendered.location(line, label)}: warning: {_one_line(text)}"
                  for line, label, text in numbering.warnings)
    texts = tuple((_origin(origin) or rendered.location(line, label), text)
                  for origin, line, label, text in numbering.texts)
    return Woven(tex, numbering.placed(rendered), shown, tuple(numbering.log), texts,
                 elsewhere.kernels)


def _origin(origin: str) -> Location | None:
    """`src/notes/logistic.py:35` as a Location; None for text typed in a template's chunk."""
    path, _, line = origin.rpartition(":")
    return Location(path, int(line)) if path and line.isdigit() else None
