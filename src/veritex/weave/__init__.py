"""Stage 2, weave: Pweave runs the chunks of the rendered source and writes the LaTeX.

This package is the only part of the engine that knows Pweave: `units` reads the source into
chunks and inline units, `kernel` runs them, `processor` is Pweave's pass in document order,
`numbering` tags what they show, `parallel` (and its `pool`) runs independent units at once
before the pass. It mends Pweave's weak spots:
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

import contextlib
import functools
import io
import os
from dataclasses import dataclass

os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # ipykernel's debugger chatter
import pweave  # noqa: E402

from ..cache import write_if_changed  # noqa: E402
from ..config import BuildConfig  # noqa: E402
from ..errors import ChunkError, Location  # noqa: E402
from ..incremental import Incremental  # noqa: E402
from ..progress import QUIET, Progress  # noqa: E402
from ..render import Rendered  # noqa: E402
from ..statement import Statement  # noqa: E402
from . import parallel, units  # noqa: E402
from .numbering import Numbering  # noqa: E402
from .processor import Processor  # noqa: E402


@dataclass(frozen=True)
class Woven:
    tex_path: object                # the LaTeX document, in the build folder
    claims: tuple[Statement, ...]   # every displayed statement, in document order
    warnings: tuple[str, ...]       # what chunks wrote to stderr, one located line each
    log: tuple                      # Ran, per chunk and inline expression: did it run, why
    texts: tuple = ()               # (Location, LaTeX) of text typed in code that is shown
    kernels: int = 0                # kernels that ran units at once (see `veritex.weave.parallel`)


def weave(rendered: Rendered, config: BuildConfig, incremental: Incremental, checker=None,
          progress: Progress = QUIET) -> Woven:
    """Run the units the cache cannot answer; write `<name>.tex` (only if it changed);
    return it with the claims of every unit, in document order."""
    config.build_dir.mkdir(parents=True, exist_ok=True)
    layout = config.layout
    source, tex, woven = layout.source, layout.tex, layout.woven
    source.write_text(rendered.text, encoding="utf-8")
    numbering = Numbering(checker)
    reader = units.reader(config.chunk_defaults)
    # the units the cache cannot answer, independent ones at once in kernels of their own
    elsewhere = parallel.prerun(rendered.text, config, incremental, reader, checker, progress)
    if not source.exists():            # a unit removed the build folder: its error is told
        config.build_dir.mkdir(parents=True, exist_ok=True)      # at its line, below
        source.write_text(rendered.text, encoding="utf-8")
    processor = functools.partial(Processor, config=config, incremental=incremental,
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
    except units.ChunkFailed as failure:
        raise ChunkError(failure.message, rendered.location(failure.line, failure.chunk,
                                                            failure.origin))
    write_if_changed(tex, woven.read_text(encoding="utf-8"))
    incremental.woven()
    shown = tuple(f"{rendered.location(line, label)}: warning: {_one_line(text)}"
                  for line, label, text in numbering.warnings)
    texts = tuple((Location(origin.path, origin.line) if origin else
                   rendered.location(line, label), text)
                  for origin, line, label, text in numbering.texts)
    return Woven(tex, numbering.placed(rendered), shown, tuple(numbering.log), texts,
                 elsewhere.kernels)


def _one_line(text: str) -> str:
    """A warning's message line (Python's warnings print the source line after it)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return next((line for line in lines if "Warning" in line), lines[0] if lines else "")
