"""Helpers shared by the tests: small projects of their own to build, and this repository's
document copied somewhere it can be broken. The engine runs as the installed package
(`python -m veritex`), as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def run_build(project: Path, *args: str, timeout: float = 600,
              env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(veritex(project, *args), capture_output=True, text=True, cwd=project,
                          timeout=timeout, env=env)


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
