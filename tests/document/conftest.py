"""The real document's fixtures: a private copy of this repository's document to break, and one
built PDF of it to read (the helpers are in tests/helpers.py)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from filelock import FileLock

from helpers import HAS_LATEX, copy_project, run_build


@pytest.fixture
def project(tmp_path, request) -> Path:
    """A private copy of the document to break. With LaTeX, it starts from the shared build's
    cache (the cache is keyed by content, so it moves with the copy): a test that breaks one
    module re-runs that module's chunks and checks, not the whole document."""
    target = copy_project(tmp_path / "project")
    if HAS_LATEX:
        built = request.getfixturevalue("built")
        shutil.rmtree(target / "report")
        shutil.copytree(built / "report" / "build", target / "report" / "build",
                        ignore=shutil.ignore_patterns("*.lock"))
        for pdf in (built / "report").glob("*.pdf"):
            shutil.copy(pdf, target / "report" / pdf.name)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """One full build of the real documents, shared by the end-to-end tests (and by the
    processes of a parallel run: the first to need it builds it, the others wait). Like
    every build, it is strict: mathematics typed by hand that is neither checked nor
    declared given fails it."""
    if not HAS_LATEX:
        pytest.skip("LaTeX is not installed (make test installs it)")
    # with pytest-xdist, each worker has a folder of its own inside the run's folder
    shared = tmp_path_factory.getbasetemp()
    shared = shared.parent if os.environ.get("PYTEST_XDIST_WORKER") else shared
    project, outcome = shared / "built" / "project", shared / "built" / "outcome.json"
    with FileLock(shared / "built.lock"):
        if not outcome.exists():
            copy_project(project)
            result = run_build(project, "pdf")
            outcome.write_text(json.dumps({"status": result.returncode,
                                           "stderr": result.stderr}))
    result = json.loads(outcome.read_text())
    assert result["status"] == 0, result["stderr"]
    return project
