"""Two builds of one commit give the same PDF, byte for byte."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess

from helpers import copy_project, needs_latex, run_build

from veritex.project import source_date_epoch


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_latex
def test_two_clean_builds_give_the_same_pdf(built, tmp_path, monkeypatch):
    # another folder, another time, an empty cache, and the chunks run one at a time in one
    # kernel where the shared build ran independent ones at once in several: the same woven
    # LaTeX, and the same PDF, byte for byte
    if len(os.sched_getaffinity(0)) > 1:
        assert json.loads((built / "report/build/solutions/run.json").read_text())["kernels"] > 1
    monkeypatch.setenv("VERITEX_JOBS", "1")
    other = copy_project(tmp_path / "elsewhere" / "project")
    result = run_build(other, "pdf", "solutions")
    assert result.returncode == 0, result.stderr
    woven = "report/build/solutions/solutions.tex"
    assert (other / woven).read_text() == (built / woven).read_text()
    assert _sha256(other / "report/solutions.pdf") == _sha256(built / "report/solutions.pdf")


def test_the_pdf_is_dated_by_the_last_commit(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_date_epoch(tmp_path) == "0"                  # not a repository
    git = {**os.environ, "GIT_AUTHOR_DATE": "@1700000000 +0000",
           "GIT_COMMITTER_DATE": "@1700000000 +0000", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    for command in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "first"]):
        subprocess.run(["git", *command], cwd=tmp_path, env=git, check=True)
    assert source_date_epoch(tmp_path) == "1700000000"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234")            # the caller's choice wins
    assert source_date_epoch(tmp_path) == "1234"


@needs_latex
def test_a_commit_after_a_build_redates_the_next_pdf(tmp_path, monkeypatch):
    # built before the project was a repository, the PDF is dated 1970; after a commit the
    # next build must not find "nothing changed", and LaTeX must run again (latexmk alone
    # sees no changed file), so the PDF is the one a clean build of the commit gives
    from helpers import small_project
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = small_project(tmp_path / "p", "\\documentclass{article}\n\\begin{document}\n"
                         "Dated.\n\\end{document}\n")
    assert run_build(root, "pdf").returncode == 0
    pdf = root / "report" / "solutions.pdf"
    first = pdf.read_bytes()
    assert b"19700101" in first
    git = {**os.environ, "GIT_AUTHOR_DATE": "@1700000000 +0000",
           "GIT_COMMITTER_DATE": "@1700000000 +0000", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    for command in (["init", "-q"], ["add", "templates", "veritex.toml"],
                    ["commit", "-q", "-m", "first"]):
        subprocess.run(["git", *command], cwd=root, env=git, check=True)
    result = run_build(root, "pdf")
    assert result.returncode == 0, result.stderr
    assert "nothing changed" not in result.stdout + result.stderr
    assert b"20231114" in pdf.read_bytes()          # 1700000000 is 2023-11-14
