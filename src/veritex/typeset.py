"""Stage 4, typeset: latexmk turns the woven LaTeX into the PDF, then the PDF is published.

LaTeX runs with shell escape off and paranoid file access (it may read and write only below
the build folder). The published `report/<jobname>.pdf` is replaced in one atomic rename,
only once a new PDF is complete: a failed build leaves the previous one byte-identical.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from .config import BuildConfig
from .errors import LatexError, ToolMissing

_FILE_LINE_ERROR = re.compile(r"^(?:\./)?([^:\n]+\.tex):(\d+): (.+)$", re.MULTILINE)


def typeset(tex_path: Path, config: BuildConfig) -> Path:
    """Run latexmk on the woven document and publish the PDF; return its path."""
    _require("latexmk", "pdflatex")
    command = ["latexmk", *config.latexmk_args, f"-jobname={config.jobname}", tex_path.name]
    result = subprocess.run(command, cwd=tex_path.parent, env=_latex_environment(),
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            errors="replace")
    built = tex_path.with_suffix(".pdf")
    if result.returncode != 0 or not built.exists():
        raise LatexError(*_first_error(tex_path, result.stdout))
    return publish(built, config.pdf_path)


def publish(built: Path, target: Path) -> Path:
    """Copy next to the target, then rename over it: readers see the old PDF or the new one."""
    staging = target.with_name(f".{target.name}.partial")
    shutil.copyfile(built, staging)
    os.replace(staging, target)
    return target


def _require(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        raise ToolMissing(f"{', '.join(missing)} not found; run `make pdf`, which installs "
                          "TeX Live, or tools/ensure-tex")


def _latex_environment() -> dict:
    env = dict(os.environ)
    env.update(openin_any="p", openout_any="p", shell_escape="f")
    return env


def _first_error(tex_path: Path, output: str):
    """The first `file:line: message` LaTeX reported, as (message, location text)."""
    log = tex_path.with_suffix(".log")
    text = log.read_text(errors="replace") if log.exists() else output
    found = _FILE_LINE_ERROR.search(text)
    if not found:
        return (f"LaTeX failed; see {log}",)
    name, line, message = found.groups()
    return (f"LaTeX error: {message.strip()} (in {name} line {line}; log: {log})",)
