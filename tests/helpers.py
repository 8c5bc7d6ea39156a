"""Helpers shared by the tests: small projects of their own to build, and this repository's
document copied somewhere it can be broken. The engine runs as the installed package, as a
user runs it: `python -m veritex`, or (the default, quicker) a fork of this test process, which
imports the engine and its libraries once, as `veritex watch` does (see `veritex.warm`)."""

from __future__ import annotations

import faulthandler
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import pytest

from veritex import processes

ROOT = Path(__file__).resolve().parent.parent

HAS_LATEX = all(shutil.which(tool) for tool in ("latexmk", "pdflatex", "pdftotext"))
needs_latex = pytest.mark.skipif(not HAS_LATEX, reason="LaTeX is not installed "
                                 "(make test installs it)")

# `build.py pdf` and `veritex build` are one command; the tests say `pdf` as `make` does
_COMMANDS = {"pdf": "build"}


def veritex(project: Path, *args: str) -> list[str]:
    """The command line of `veritex` on `project`."""
    command, *rest = args or ("build",)
    return [sys.executable, "-m", "veritex", _COMMANDS.get(command, command), "-C",
            str(project), *rest]


def run_build(project: Path, *args: str, timeout: float = 600, env: dict | None = None,
              new_process: bool = False) -> subprocess.CompletedProcess:
    """`veritex <args>` on `project`: its exit status and what it printed. It runs in a fork
    of this process unless it needs an environment of its own (`env`) or `new_process` asks
    for `python -m veritex` itself; either way, the same `veritex.cli.main`."""
    command = veritex(project, *args)
    if env is not None or new_process:
        return subprocess.run(command, capture_output=True, text=True, cwd=project,
                              timeout=timeout, env=env)
    return _forked(command, project, timeout)


@functools.cache
def _preload() -> None:
    """What a build imports, once per test process: the engine's libraries, and those the
    modules of this repository's document use (the document tests build copies of it)."""
    from veritex import warm
    warm.preload()
    src = ROOT / "src"
    warm.import_libraries(src, [path.read_text() for path in src.rglob("*.py")
                                if "veritex" not in path.parts])


def _forked(command: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    """`command` (python -m veritex ...) as a fork of this process, whose children are forks
    too (`processes.WARM`): what the command prints, in files; killed after `timeout`."""
    _preload()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        with processes.frozen():
            pid = os.fork()
        if pid == 0:                                   # the child: veritex, as its process
            status = 1
            try:
                os.setpgid(0, 0)
                for number in (signal.SIGINT, signal.SIGTERM, signal.SIGUSR1):
                    signal.signal(number, signal.SIG_DFL)
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                sys.stdout = open(1, "w", closefd=False)
                sys.stderr = open(2, "w", closefd=False)
                faulthandler.disable()        # pytest's; `python -m veritex` has none
                os.chdir(cwd)
                from veritex import cli
                processes.WARM = True
                status = cli.main(command[3:])
            except SystemExit as exit_:
                status = exit_.code if isinstance(exit_.code, int) else 1
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise subprocess.TimeoutExpired(command, timeout)
            time.sleep(0.02)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(command, os.waitstatus_to_exitcode(status),
                                           out.read().decode(errors="replace"),
                                           err.read().decode(errors="replace"))


def engine_copy(target: Path) -> tuple[Path, dict]:
    """A copy of the installed engine to break, and the environment that runs it instead."""
    import veritex
    package = target / "veritex"
    shutil.copytree(Path(veritex.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return package, {**os.environ, "PYTHONPATH": str(target)}


def build_dir(project: Path, name: str = "solutions") -> Path:
    return project / "report" / "build" / name


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence, so a test cannot silently edit nothing."""
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new))


def small_project(target: Path, template: str, modules: dict[str, str] | None = None,
                  name: str = "solutions") -> Path:
    """A project of one document (`name`, from templates/<name>.tex.j2) and the given
    modules under src/."""
    for module, text in (modules or {}).items():
        path = target / "src" / module
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (target / "src").mkdir(parents=True, exist_ok=True)
    (target / "templates").mkdir()
    (target / "templates" / f"{name}.tex.j2").write_text(template)
    (target / "veritex.toml").write_text(f'[documents.{name}]\ntemplate = "{name}.tex.j2"\n')
    (target / "report").mkdir()
    return target


def copy_project(target: Path) -> Path:
    """This repository's documents (templates, their modules, the project file) in a folder
    of their own; the engine is the installed one."""
    shutil.copytree(ROOT / "templates", target / "templates")
    shutil.copytree(ROOT / "src" / "solutions", target / "src" / "solutions",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    (target / "report").mkdir()
    return target


def new_project(target: Path) -> Path:
    """`veritex new target`, as a user runs it (`python -m veritex`): the project."""
    made = subprocess.run([sys.executable, "-m", "veritex", "new", str(target)],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    return target
