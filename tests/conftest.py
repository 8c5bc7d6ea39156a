"""Fixtures: a private copy of this repository's document to break, and one built PDF of it
to read (the helpers are in helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import HAS_LATEX, copy_project, run_build


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """One full build of the real documents, shared by the end-to-end tests. It is strict:
    mathematics typed by hand that is neither checked nor declared given fails it."""
    if not HAS_LATEX:
        pytest.skip("LaTeX is not installed (make test installs it)")
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = run_build(project, "pdf", "--strict")
    assert result.returncode == 0, result.stderr
    return project
