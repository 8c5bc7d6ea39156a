"""Pweave's in-process IPython kernel, as the weave stage runs units in it: started when the
first unit has to run, with the engine's chunk-side names imported, loading the variables of
reused units before the next unit that runs, and giving back what each unit printed, warned,
showed and saved. An error a unit raises comes back as a KernelError carrying the kernel's
error message; the caller, who knows the unit, locates it.
"""

from __future__ import annotations

import pickle
import time
from pathlib import Path

from pweave.processors import IPythonProcessor

from ..config import BuildConfig
from ..incremental import Result
from ..limits import time_limit

# what the kernel runs before the first unit: the chunk-side names (see `veritex.runtime`)
_PREAMBLE = ("import sys\n"
             "sys.path.insert(0, {src!r})\n"
             "import veritex.runtime as _vtx\n"
             "_vtx.start({figures!r}, {root!r})\n"
             "from veritex.runtime import show, inline, math, figure\n"
             "from veritex.claims import claim, define, given, inequality\n"
             "from veritex.values import rounded\n"
             "from veritex.latex import Notation")


class KernelError(Exception):
    """A unit raised (or broke a rule of the build): the kernel's error output."""

    def __init__(self, out: dict):
        super().__init__(out.get("ename", ""))
        self.out = out


class _IPython(IPythonProcessor):
    def init_matplotlib(self):
        """Figures go through veritex.runtime.figure, not through Pweave's capture."""


class Kernel:
    """One kernel; `starting` is called once, just before it starts."""

    def __init__(self, args: tuple, config: BuildConfig, work: Path | None = None,
                 starting=None):
        self._args, self.config = args, config
        self._processor = None
        self.starting = starting
        self.pending: list[bytes] = []        # variables of reused chunks, not yet loaded
        self.work = work or config.layout.work   # where it hands files over
        self.work.mkdir(parents=True, exist_ok=True)

    def run(self, code: str, limit: float | None = None) -> tuple[list, list]:
        """Run code, for at most `limit` seconds; (its stdout outputs, what it wrote to
        stderr)."""
        if self._processor is None:
            if self.starting is not None:
                self.starting()
            self._processor = _IPython(*self._args)
            self._execute(_PREAMBLE.format(src=str(self.config.src_dir),
                                           figures=self.config.layout.figures.as_posix(),
                                           root=str(self.config.root)))
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
                raise KernelError(out)
            if out["output_type"] == "stream":
                (said if out["name"] == "stderr" else printed).append(out)
        return printed, [out["text"] for out in said]

    def run_unit(self, label: str, first_line: int, code: str, limit: float | None,
                 stores=(), inline: bool = False) -> tuple[Result, bytes | None]:
        """Run one unit as the build stores it: (its result, see `_result`; its variables
        pickled: b"" if it binds none, None if one of them cannot be pickled)."""
        started = time.perf_counter()
        self.run(f"_vtx.enter_chunk({label!r}, {first_line})")
        printed, said = self.run(code, limit)
        result = _result(self.config, printed, said, self.ledger())
        result.seconds = round(time.perf_counter() - started, 3)
        if inline:
            result.text = "".join(out["text"] for out in printed)
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


def _result(config: BuildConfig, printed: list, said: list, made: dict) -> Result:
    """What the build keeps of a unit: its output, warnings, figures, and what it showed
    (the steps stay pickled until a check needs them: reading them imports the document's
    modules, which a reused unit avoids)."""
    if made.get("removed"):                          # the unit removed or moved it
        raise KernelError({"output_type": "error", "traceback": [],
                           "ename": "it removed the build's own folder",
                           "evalue": f"{made['removed']} (a chunk may read it, not "
                                     "delete or move it)"})
    folder = config.layout.figures
    left = [f"this chunk left a process running, which the build stops at its end: {what}\n"
            for what in made.get("left", ())]
    return Result(printed, said + left,
                  {name: (folder / name).read_bytes() for name in made["figures"]},
                  made["claims"], made["steps"], made["texts"], made["contents"])


def kernel_for(config: BuildConfig, work: Path) -> Kernel:
    """A kernel of its own, outside Pweave's pass (see `veritex.weave.parallel`), handing its
    files over in a folder of its own."""
    source = str(config.layout.source)
    return Kernel(([], "python3", source, False, "figures", str(config.build_dir)), config, work)
