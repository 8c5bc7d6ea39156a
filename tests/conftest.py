"""Shared fixtures: a private copy of the project to break, and a built PDF to read."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

HAS_LATEX = all(shutil.which(tool) for tool in ("latexmk", "pdflatex", "pdftotext"))
needs_latex = pytest.mark.skipif(not HAS_LATEX, reason="LaTeX is not installed "
                                 "(make test installs it)")


def copy_project(target: Path) -> Path:
    """The templates, sources and build script in a folder of their own."""
    for name in ("templates", "src"):
        shutil.copytree(ROOT / name, target / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "build.py", target / "build.py")
    (target / "report").mkdir()
    return target


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(project / "build.py"), *args],
                          capture_output=True, text=True, cwd=project, timeout=600)


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence, so a test cannot silently edit nothing."""
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new))


def small_project(target: Path, template: str, modules: dict[str, str] | None = None) -> Path:
    """A project of one template, the engine, and the given modules under src/."""
    shutil.copytree(ROOT / "src" / "veritex", target / "src" / "veritex",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name, text in (modules or {}).items():
        path = target / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (target / "templates").mkdir()
    (target / "templates" / "solutions.tex.j2").write_text(template)
    for name in ("build.py", "requirements.txt"):
        shutil.copy(ROOT / name, target / name)
    (target / "report").mkdir()
    return target


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """One full build of the real document, shared by the end-to-end tests. It is strict:
    mathematics typed by hand that is neither checked nor declared given fails it."""
    if not HAS_LATEX:
        pytest.skip("LaTeX is not installed (make test installs it)")
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = run_build(project, "pdf", "--strict")
    assert result.returncode == 0, result.stderr
    return project
