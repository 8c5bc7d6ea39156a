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
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # ipykernel's debugger chatter
import pweave  # noqa: E402
from pweave.processors import IPythonProcessor  # noqa: E402
from pweave.processors.base import PwebProcessorBase  # noqa: E402
from pweave.readers import PwebReader  # noqa: E402

from . import concordance
from .cache import Store, write_atomic, write_if_changed
from .config import BuildConfig
from .errors import ChunkError, Location, Stopped
from .plan import Planner, why
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


class _Processor(IPythonProcessor):
    """Runs the chunks that the cache cannot answer, in one IPython kernel started only when
    the first of them comes; fails fast on the first error.

    For each code chunk, in document order: plan its key; on a cache hit reuse its output,
    claims, warnings and figures; else run it (first putting back the variables of the cached
    chunks before it) and store the same. Then number its equations across the document.
    """

    def __init__(self, *args, config: BuildConfig, store: Store, warnings: list, log: list,
                 claims: list, units: dict, checker, progress: Progress, locate, texts: list):
        PwebProcessorBase.__init__(self, *args)
        chunks = sum(chunk["type"] == "code" for chunk in self.parsed)
        self.bar = progress.bar("chunks", total=chunks, unit="chunk")
        self._kernel_args, self.kernel_started = args, False
        self.config, self.store, self.warnings, self.log, self.claims = (
            config, store, warnings, log, claims)
        self.checker, self.locate, self.texts = checker, locate, texts
        self.planner = Planner(config.src_dir, store.engine)
        self.work = config.build_dir / "cache-work"
        self.work.mkdir(parents=True, exist_ok=True)
        self.pending: list[bytes] = []        # variables of cached chunks, not yet in the kernel
        self.said: list[str] = []
        self.current, self.unit, self.hit = None, None, None
        self.prose = {"first_line": 1}        # the prose chunk whose inline code runs
        self.counts = {"C": 0, "D": 0, "G": 0, "E": 0}
        self.before = store.index.get("units", {})
        self.after = units                    # label -> the parts of its key, for the index

    # -- the kernel, started on first use ------------------------------------------------------
    def _kernel(self):
        if not self.kernel_started:
            executed = self.executed
            IPythonProcessor.__init__(self, *self._kernel_args)
            self.executed, self.kernel_started = executed, True
            figures = (self.config.build_dir / "figures").as_posix()
            self.loadstring(f"import sys; sys.path.insert(0, {str(self.config.src_dir)!r})\n"
                            "import veritex.runtime as _vtx\n"
                            f"_vtx.start({figures!r}, {str(self.config.root)!r})\n"
                            "from veritex.runtime import show, inline, math, figure\n"
                            "from veritex.claims import claim, define, given, inequality\n"
                            "from veritex.values import rounded\n"
                            "from veritex.latex import Notation")
        for stored in self.pending:
            names = self.work / "names.pickle"
            names.write_bytes(stored)
            self.loadstring(f"_vtx.load_names({str(names)!r})")
        self.pending = []

    def run(self):
        try:
            super().run()            # ends with self.close()
        except BaseException:
            self.close()
            raise

    def close(self):
        self.bar.close()
        if self.kernel_started:
            self.kernel_started = False
            super().close()

    def init_matplotlib(self):
        """Figures go through veritex.runtime.figure, not through Pweave's capture."""

    # -- code chunks -----------------------------------------------------------------------------
    def pre_run_hook(self, chunk):
        body = chunk["content"][1:]
        blank = body[: len(body) - len(body.lstrip())].count("\n")
        chunk["first_line"] = chunk["header_line"] + 1 + blank
        label = _label(chunk)
        self.bar.set_postfix_str(label, refresh=False)
        self.current, self.unit = chunk, self.planner.chunk(label, chunk["content"],
                                                           chunk["options"])
        self.hit = self._cached(self.unit.key)
        self.said = []                        # what this chunk writes to stderr
        self.after[label] = self.unit.parts
        if self.hit is None:
            self._kernel()
            self.loadstring(f"_vtx.enter_chunk({label!r}, {chunk['first_line']})")

    def _cached(self, key: str):
        """A chunk's stored result, if complete: output, entries, figures, variables."""
        hit = self.store.get(key)
        if hit is None or (hit["stores"] and self.store.get(f"{key}-names") is None):
            return None
        return hit

    def _runcode(self, chunk):
        if chunk["type"] == "doc":
            self.prose = chunk
        chunk = super()._runcode(chunk)
        if chunk.get("type") == "code" and self.unit is not None:
            self._finish(chunk)
        return chunk

    def loadstring(self, code, chunk=None, **kwargs):
        if chunk is not None and self.hit is not None:
            return [dict(out) for out in self.hit["outputs"]]
        outputs = super().loadstring(code, **kwargs)
        kept = []
        for out in outputs:
            if out["output_type"] == "error":
                raise self._failure(out)
            if out["output_type"] == "stream" and out["name"] == "stderr":
                if chunk is not None:
                    self.said.append(out["text"])
            elif out["output_type"] == "stream":
                kept.append(out)
        return kept

    def _finish(self, chunk):
        """Store a chunk that ran (or reuse one that did not); number its equations."""
        unit, label = self.unit, _label(chunk)
        if self.hit is None:
            result = self._collect(chunk, unit)
            self.log.append(Ran(label, True, self._why(unit, label)))
        else:
            result = self.hit
            self._restore_figures(result["figures"])
            if result["stores"]:
                self.pending.append(self.store.get(f"{unit.key}-names"))
            self.log.append(Ran(label, False))
        self.warnings.extend((chunk["first_line"], label, text) for text in result["warnings"])
        printed = "".join(out.get("text", "") for out in chunk["result"])
        tags = self._number(result, printed, chunk["first_line"], label, unit.key)
        where = self.locate(chunk["header_line"], label)      # for LaTeX's errors, and readers
        chunk["result"] = [{"output_type": "stream", "name": "stdout",
                            "text": f"{concordance.PRINTED_BY}{where}\n"},
                           *(_retag(out, tags) for out in chunk["result"])]
        self.unit = self.hit = None
        self.bar.update()

    def _number(self, result: dict, text: str, first_line: int, label: str, key: str) -> dict:
        """Tag a unit's equations across the document in the order `text` (what the unit
        printed) shows them, hand them to the checker, and keep its typed texts; returns
        placeholder -> tag. (A claim shown inline in a justification is made before the
        equation it justifies, but printed after its text.)"""
        tags = {}
        entries = list(enumerate(result["entries"]))
        entries.sort(key=lambda item: (text.find(item[1][0]) % (len(text) + 1)))
        for index, (placeholder, kind, offset, refute, origin) in entries:
            self.counts[kind] += 1
            tag = tags[placeholder] = f"{kind}{self.counts[kind]}"
            step, claim_key = Pickled(result["steps"], index), f"{key}:{index}"
            if self.checker is not None:          # checking starts while later chunks run
                self.checker.submit(Claim(tag, step, None, refute, claim_key))
            self.claims.append((tag, step, offset, refute, first_line, label, claim_key, origin))
        self.texts.extend((origin, first_line + offset, label, text)
                          for origin, offset, text in result["texts"])
        return tags

    def _ledger(self) -> dict:
        """What the unit that just ran displayed, saved and typed (runtime.end_chunk)."""
        ledger = self.work / "entries.pickle"
        self.loadstring(f"_vtx.end_chunk({str(ledger)!r})")
        return pickle.loads(ledger.read_bytes())

    def _collect(self, chunk, unit) -> dict:
        """After a chunk ran: what it displayed, its figures and variables, into the cache."""
        names = self.work / "names.pickle"
        names.unlink(missing_ok=True)
        made = self._ledger()
        figures = {name: (self.config.build_dir / "figures" / name).read_bytes()
                   for name in made["figures"]}
        result = {"outputs": chunk["result"], "figures": figures, "warnings": self.said,
                  # the steps stay pickled until a check needs them: reading them imports
                  # the solution modules (scipy, matplotlib...), which a reused chunk avoids
                  "entries": made["entries"], "steps": made["steps"],
                  "texts": made["texts"], "stores": sorted(unit.stores)}
        unstorable = ""
        if unit.stores:
            said = self.loadstring(f"_vtx.save_names({str(names)!r}, {sorted(unit.stores)!r})")
            unstorable = "".join(out["text"] for out in said)
        if not unstorable:
            if unit.stores:
                self.store.put(f"{unit.key}-names", names.read_bytes())
            self.store.put(unit.key, result)
        return result

    def _restore_figures(self, figures: dict):
        folder = self.config.build_dir / "figures"
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in figures.items():
            path = folder / name
            if not path.exists() or path.read_bytes() != data:
                write_atomic(path, data)

    def _failure(self, out) -> _ChunkFailed:
        # the kernel runs in this process: a signal that came during a chunk comes back
        # as the chunk's error; the build stops as it would have
        if out["ename"] == "KeyboardInterrupt":
            raise Stopped(signal.SIGINT)
        if out["ename"] == Stopped.__name__:
            raise Stopped(signal.Signals[out["evalue"]])
        chunk = self.current or {}
        trace = _ANSI.sub("", "\n".join(out["traceback"]))
        lines = _CELL_LINE.findall(trace)
        if "first_line" in chunk and lines:
            line = chunk["first_line"] + int(lines[-1]) - 1
        else:
            line = chunk.get("header_line", chunk.get("start_line", 1))
        message = f"{out['ename']}: {out['evalue']}" if out["evalue"] else out["ename"]
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
        label = f"<%{'=' if expression else ''} {code[:40]} %>"
        unit = self.planner.inline(label, code)
        self.after[label] = unit.parts
        result = self.store.get(unit.key)
        if result is not None and not unit.stores:
            self.log.append(Ran(label, False))
        else:
            self._kernel()
            self.loadstring(f"_vtx.enter_chunk({label!r}, {line})")
            run = f"print(({code}), end='')" if expression else code
            text = "".join(out["text"] for out in self.loadstring(run))
            made = self._ledger()
            result = {"text": text, "entries": made["entries"], "steps": made["steps"],
                      "texts": made["texts"]}
            self.store.put(unit.key, result)
            self.log.append(Ran(label, True, self._why(unit, label)))
        tags = self._number(result, result["text"], line, None, unit.key)
        return _retag({"text": result["text"]}, tags)["text"]

    def _why(self, unit, label: str) -> str:
        if self.store.fresh:
            return "the cache is ignored (--fresh)"
        return why(unit.parts, self.before.get(label), {r.label for r in self.log if r.ran})


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


def weave(rendered: Rendered, config: BuildConfig, store: Store, checker=None,
          progress: Progress = QUIET) -> Woven:
    """Run the chunks the cache cannot answer; write `<name>.tex` (only if it changed);
    return it with the claims of every chunk, in document order."""
    config.build_dir.mkdir(parents=True, exist_ok=True)
    source = config.build_dir / f"{config.name}.texw"
    tex = config.build_dir / f"{config.name}.tex"
    woven = config.build_dir / f"{config.name}.woven"
    source.write_text(rendered.text, encoding="utf-8")
    warnings, log, made, units, typed = [], [], [], {}, []
    reader = type("Reader", (_Reader,), {"defaults": dict(config.chunk_defaults)})
    processor = functools.partial(_Processor, config=config, store=store, warnings=warnings,
                                  log=log, claims=made, units=units, checker=checker,
                                  progress=progress, texts=typed,
                                  locate=rendered.location)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            document = pweave.Pweb(str(source), doctype="tex", informat=reader,
                                   output=str(woven), figdir="figures")
            document.run(Processor=processor)
            document.format()
            document.write()
    except _ChunkFailed as failure:
        raise ChunkError(failure.message, rendered.location(failure.line, failure.chunk,
                                                            failure.origin))
    write_if_changed(tex, woven.read_text(encoding="utf-8"))
    store.index["units"] = units
    claims = tuple(Claim(tag, step, rendered.location(first + offset, label, origin), refute, key)
                   for tag, step, offset, refute, first, label, key, origin in made)
    shown = tuple(f"{rendered.location(line, label)}: warning: {_one_line(text)}"
                  for line, label, text in warnings)
    texts = tuple((_origin(origin) or rendered.location(line, label), text)
                  for origin, line, label, text in typed)
    return Woven(tex, claims, shown, tuple(log), texts)


def _origin(origin: str) -> Location | None:
    """`src/solutions/q5.py:120` as a Location; None for text typed in a template's chunk."""
    path, _, line = origin.rpartition(":")
    return Location(path, int(line)) if path and line.isdigit() else None
