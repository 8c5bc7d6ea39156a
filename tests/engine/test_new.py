"""`veritex new` as a new user meets it: a project in a fresh folder that carries the engine
as a wheel checked by its sha256 (no path of this machine in it), whose own `make test` and
`make audit` pass, and whose CI workflow runs test, audit and build."""

import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from helpers import needs_latex, new_project


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("new") / "course"
    new_project(target)
    return target


def test_the_project_carries_the_engine_as_a_wheel_pinned_by_its_hash(course):
    [wheel] = (course / "vendor").glob("veritex-*.whl")
    digest, name = (course / "vendor/SHA256SUMS").read_text().split()
    assert name == wheel.name and digest == hashlib.sha256(wheel.read_bytes()).hexdigest()
    requirements = (course / "requirements.txt").read_text()
    assert re.search(rf"^\./vendor/{re.escape(wheel.name)}$", requirements, re.MULTILINE)
    assert "file://" not in requirements
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(archive.read(n).decode() for n in names if n.endswith("METADATA"))
    assert {"veritex/markup.py", "veritex/tex/veritex.sty", "veritex/checks/method.py",
            "veritex/skeleton/Makefile"} <= names
    pins = re.findall(r"^Requires-Dist: (\S+)==\S+$", metadata, re.MULTILINE)
    assert "sympy" in pins and "Pweave" in pins
    # the machine's own environment is named only in a file git ignores
    assert "tools/host-venv" in (course / ".gitignore").read_text().split("\n")


def test_a_wheel_that_is_not_the_recorded_one_is_refused_before_anything_installs(course,
                                                                                  tmp_path):
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(course), str(copy)], check=True)
    [wheel] = (copy / "vendor").glob("veritex-*.whl")
    wheel.write_bytes(wheel.read_bytes() + b"tampered")
    result = subprocess.run(["sh", "tools/ensure-venv", sys.executable, ".venv"], cwd=copy,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "does not hold the engine wheel that vendor/SHA256SUMS names" in result.stderr
    assert not (copy / ".venv").exists()


def test_the_workflow_tests_audits_builds_and_releases_a_tag(course):
    workflow = yaml.safe_load((course / ".github/workflows/pdf.yml").read_text())
    steps = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert [run for run in steps if run.startswith("make")] == ["make test", "make audit",
                                                                 "make pdf"]
    assert workflow["jobs"]["release"]["if"] == "startsWith(github.ref, 'refs/tags/v')"


@needs_latex
def test_the_project_s_own_make_test_and_make_audit_pass_in_this_environment(course):
    # the environment that ran `veritex new` (this one) is used: no .venv is made
    for target in ("test", "audit"):
        result = subprocess.run(["make", target], cwd=course, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    assert not (course / ".venv").exists()
    assert re.search(r"^audit: (\d+) of \1 changes caught .* 0 weak checks", result.stdout,
                     re.MULTILINE), result.stdout
