"""Stage 4, typeset: latexmk turns the woven LaTeX into the PDF, then the PDF is published.

LaTeX runs with shell escape off and paranoid file access (it may read and write only below
the build folder). The PDF is reproducible: its dates come from SOURCE_DATE_EPOCH (the
last commit's time unless the caller set it), which also fixes the trailer /ID, so two
builds of one commit give the same bytes. The published `report/<name>.pdf` is replaced
in one atomic rename, only once a new PDF is complete: a failed build leaves the previous one
byte-identical.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Callable

from . import markup, processes
from .config import BuildConfig
from .errors import LatexError, Location, ToolMissing
from .limits import TimeLimit, time_limit
from .progress import QUIET, Progress

_FILE_LINE_ERROR = re.compile(r"^(?:\./)?([^:\n]+\.[a-z]+):(\d+): (.+)$", re.MULTILINE)
_AUXILIARY = (".aux", ".toc", ".out", ".lof", ".lot", ".fdb_latexmk")

Origin = Callable[[int], "tuple[Location, bool]"]   # woven .tex line -> template, exact?


def typeset(tex_path: Path, config: BuildConfig, progress: Progress = QUIET,
            origin: Origin | None = None, tags: dict | None = None,
            force: bool = False) -> Path:
    """Run latexmk on the woven document and publish the PDF; return its path.

    The PDF is published only if it is the whole document: one `\\end{document}`, at the end,
    and every claim tag in `tags` (tag -> its Location) set in it (each leaves its label in
    the .aux file). `force`: run LaTeX even if latexmk finds its files unchanged (the
    date to stamp changed, or the build's record of the last run is gone).

    An error is reported at its template line when `origin` can map the woven line back
    exactly, else at the woven line with a pointer to the template. A failure after a run
    that found auxiliary files (.aux, .toc...) from earlier gets one retry without them: a
    run that failed or was stopped can leave them corrupt, and they would fail every build.
    """
    _require("latexmk", "pdflatex")
    _one_end(tex_path, config, origin)
    # latexmk dies with the build; it runs pdflatex so that pdflatex dies with latexmk
    pdflatex = " ".join(processes.with_parent(["pdflatex"])) + " %O %S"
    command = ["latexmk", *config.latexmk_args, *(["-g"] if force else []),
               f"-pdflatex={pdflatex}",
               f"-jobname={config.name}", tex_path.name]
    built, env = tex_path.with_suffix(".pdf"), _latex_environment(config)
    while True:
        earlier = [path for path in map(tex_path.with_suffix, _AUXILIARY) if path.exists()]
        try:
            returncode, output = _run(command, tex_path, env, progress, config.limits.latex)
        except TimeLimit:
            raise LatexError(f"LaTeX ran longer than its time limit of {config.limits.latex:g} s "
                             "and was stopped (a macro that never ends?); limits.latex in the "
                             "project file sets it", Location(config.shown(tex_path), 1)) from None
        if returncode == 0 and built.exists():
            _all_tags_set(tex_path, tags or {})
            return publish(built, config.pdf_path)
        if not earlier:
            raise _located(_first_error(tex_path, output), tex_path, config, origin)
        _remove_auxiliaries(tex_path)


_END = re.compile(r"^[^%\n]*\\end\s*\{document\}", re.MULTILINE)


def _one_end(tex_path: Path, config: BuildConfig, origin: Origin | None) -> None:
    """A `\\end{document}` before the last one (printed by a chunk, say) would end the PDF
    there, and LaTeX would call it a success."""
    text = tex_path.read_text(encoding="utf-8")
    ends = list(_END.finditer(text))
    if len(ends) < 2:
        return
    line = text.count("\n", 0, ends[0].start()) + 1
    message = ("\\end{document} before the end of the document: the PDF would stop there, "
               "without what follows")
    raise _located((tex_path.name, line, message), tex_path, config, origin, prefix="")


def _all_tags_set(tex_path: Path, tags: dict) -> None:
    """Every claim's tag was typeset (its label is in the .aux): the PDF is the whole
    document, not a part that LaTeX was content to stop at."""
    aux = tex_path.with_suffix(".aux")
    found = set(markup.SET_LABEL.findall(aux.read_text(errors="replace"))) if aux.exists() else set()
    missing = [tag for tag in tags if tag not in found]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise LatexError(f"{missing[0]}{more} is not in the PDF: LaTeX stopped before the end "
                         "of the document, or the claim was printed where LaTeX drops it; "
                         "the old PDF is kept", tags[missing[0]])


def _remove_auxiliaries(tex_path: Path) -> None:
    for suffix in _AUXILIARY:
        tex_path.with_suffix(suffix).unlink(missing_ok=True)


def _run(command: list, tex_path: Path, env: dict, progress: Progress,
         limit: float | None = None) -> tuple[int, str]:
    """latexmk, one bar tick per LaTeX pass, for at most `limit` seconds; stopped with the
    build if the build is stopped."""
    output = []
    with progress.bar("LaTeX", unit="pass") as bar:
        process = subprocess.Popen(command, cwd=tex_path.parent, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, errors="replace", start_new_session=True,
                                   preexec_fn=processes.die_with_parent)
        try:
            with time_limit(limit):
                for line in process.stdout:
                    output.append(line)
                    if line.startswith("Run number"):
                        bar.set_postfix_str(line.split("rule")[-1].strip(" '\n"),
                                            refresh=False)
                        bar.update()
                process.wait()
        finally:
            if process.poll() is None:          # interrupted: take latexmk and TeX down too
                processes.end_group(process)
                _remove_auxiliaries(tex_path)       # they may be half-written
            process.stdout.close()
    return process.returncode, "".join(output)


def publish(built: Path, target: Path) -> Path:
    """Copy next to the target, then rename over it: readers see the old PDF or the new one."""
    staging = target.with_name(f".{target.name}.partial")
    staging.unlink(missing_ok=True)            # a link there would be written through
    shutil.copyfile(built, staging)
    os.replace(staging, target)
    return target


def _require(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        raise ToolMissing(f"{', '.join(missing)} not found; run `make pdf`, which installs "
                          "TeX Live, or tools/ensure-tex")


def _latex_environment(config: BuildConfig) -> dict:
    env = dict(os.environ)
    env.update(openin_any="p", openout_any="p", shell_escape="f", max_print_line="10000",
               SOURCE_DATE_EPOCH=config.epoch, FORCE_SOURCE_DATE="1")
    return env


def _first_error(tex_path: Path, output: str) -> tuple[str, int, str] | None:
    """The first `file:line: message` LaTeX reported, with the offending command if any."""
    log = tex_path.with_suffix(".log")
    text = log.read_text(errors="replace") if log.exists() else output
    found = _FILE_LINE_ERROR.search(text)
    if not found:
        return _lineless_error(tex_path, text + "\n" + output)
    name, line, message = found.groups()
    message = message.strip()
    if message == "Emergency stop.":          # TeX gave up at an error it shows as `! ...`
        earlier = re.findall(r"^! (.+)$", text[:found.start()], re.MULTILINE)
        message = earlier[-1] if earlier else message
    message = re.sub(r"^(?:LaTeX|Package \S+) Error: ", "", message).rstrip(".")
    if message == "Undefined control sequence":        # TeX shows it last on `l.<n> ...`
        context = re.search(rf"^l\.{line} (.*)$", text[found.end():], re.MULTILINE)
        if context and context.group(1).split():
            message += f" {context.group(1).split()[-1]}"
        if re.search(rf"\\({'|'.join(markup.MACROS)}|BeginAccSupp)\b", message):
            message += " (the engine's LaTeX side is missing: add \\usepackage{veritex})"
    return name, int(line), message


def _lineless_error(tex_path: Path, text: str) -> tuple[str, int, str] | None:
    """An error TeX reports without file:line: a line too long for its buffer (it stops
    reading it; the woven .tex says which one), or one with TeX's `l.<n>` context."""
    too_long = re.search(r"! Unable to read an entire line---bufsize=(\d+)", text)
    if too_long:
        size = int(too_long.group(1))
        with tex_path.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                if len(line.encode("utf-8", errors="replace")) >= size:
                    return (tex_path.name, number, f"a line of {len(line):,} characters, "
                            f"longer than TeX reads ({size:,}): break it into shorter lines")
    message = re.search(r"^! (.+)$", text, re.MULTILINE)
    line = re.search(r"^l\.(\d+)", text[message.end():] if message else "", re.MULTILINE)
    if message and line:
        return tex_path.name, int(line.group(1)), message.group(1).strip().rstrip(".")
    return None


def _located(error, tex_path: Path, config: BuildConfig, origin: Origin | None,
             prefix: str = "LaTeX error: ") -> LatexError:
    log = tex_path.with_suffix(".log").relative_to(config.root)
    if error is None:
        return LatexError(f"LaTeX failed without a file:line error; see {log}")
    name, line, message = error
    shown = (tex_path.parent / name).resolve().relative_to(config.root.resolve()).as_posix()
    if origin is None or Path(name).name != tex_path.name:
        return LatexError(f"{prefix}{message}", Location(shown, line))
    where, exact = origin(line)
    if exact:
        return LatexError(f"{prefix}{message}", where)
    return LatexError(f"{prefix}{message} (in what the template at {where} produced)",
                      Location(shown, line))
