"""Independent chunks run at once, in kernels of their own (`veritex.parallel`): the document,
its numbering and its errors are those of a build that runs one chunk at a time."""

from __future__ import annotations

import json
import os
import re

import pytest

from helpers import build_dir, run_build, small_project

MANY_CORES = len(os.sched_getaffinity(0)) > 1

HEADER = r"""\documentclass{article}
\usepackage{amsmath}
\usepackage{veritex}
\begin{document}
"""

DOCUMENT = HEADER + r"""<<setup>>=
import sympy as sp
base = 3
x = sp.Symbol("x")
@
<<left>>=
import time
time.sleep(0.3)
left = base * 2
show(claim(sp.Derivative(x**left, x), left * x**(left - 1),
           derived=sp.diff(x**left, x), name="left"))
@
<<right>>=
right = base + 1
show(claim(sp.Derivative(x**right, x), right * x**(right - 1),
           derived=sp.diff(x**right, x), name="right"))
@
<<both>>=
print(f"Together: {left + right}.")
@
<<lonely>>=
print("Nothing shared.")
@
The sum is <%= left + right %>.
\end{document}
"""


def _run(project, jobs: int, monkeypatch, *args):
    monkeypatch.setenv("VERITEX_JOBS", str(jobs))
    return run_build(project, *args)


def test_at_once_or_one_at_a_time_the_woven_document_is_the_same(tmp_path, monkeypatch):
    many = small_project(tmp_path / "many", DOCUMENT)
    one = small_project(tmp_path / "one", DOCUMENT)
    result = _run(many, 2, monkeypatch, "check")
    assert result.returncode == 0, result.stderr
    result = _run(one, 1, monkeypatch, "check")
    assert result.returncode == 0, result.stderr
    woven = (build_dir(many) / "solutions.tex").read_text()
    assert woven == (build_dir(one) / "solutions.tex").read_text()
    assert re.search(r"vtxnumber\{C1\}.*vtxnumber\{C2\}", woven, re.S)     # in document order
    assert "Together: 10." in woven and "The sum is 10." in woven
    run = json.loads((build_dir(many) / "run.json").read_text())
    assert run["kernels"] == (2 if MANY_CORES else 0)
    assert json.loads((build_dir(one) / "run.json").read_text())["kernels"] == 0
    # every unit says it ran, and why, wherever it ran
    assert [unit["ran"] for unit in run["units"]] == [True] * 6
    assert {unit["why"] for unit in run["units"]} == {"no cached result"}
    claims = json.loads((build_dir(many) / "claims.json").read_text())["records"]
    assert [(record["tag"], record["name"]) for record in claims] == [("C1", "left"),
                                                                     ("C2", "right")]


@pytest.mark.skipif(not MANY_CORES, reason="one core: one kernel")
def test_the_first_error_in_document_order_is_the_one_reported(tmp_path, monkeypatch):
    # `late` fails at once in one kernel while `early` is still running in the other: the
    # build reports `early`, the error a build that runs one chunk at a time would meet
    document = DOCUMENT.replace("left = base * 2\n", "left = base * 2\nraise ValueError('early')\n")
    document = document.replace('print("Nothing shared.")', "raise KeyError('late')")
    project = small_project(tmp_path / "project", document)
    result = _run(project, 2, monkeypatch, "check")
    assert result.returncode == 1
    line = document.splitlines().index("raise ValueError('early')") + 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"templates/solutions.tex.j2:{line} [left]: ValueError: early")


@pytest.mark.skipif(not MANY_CORES, reason="one core: one kernel")
def test_a_kernel_that_dies_is_run_again_where_the_supervisor_locates_it(tmp_path,
                                                                          monkeypatch):
    document = DOCUMENT.replace('print("Nothing shared.")', "import os\nos._exit(3)")
    project = small_project(tmp_path / "project", document)
    result = _run(project, 2, monkeypatch, "check")
    assert result.returncode == 1
    line = document.splitlines().index("<<lonely>>=") + 1
    assert re.fullmatch(rf"templates/solutions\.tex\.j2:{line + 1} \[lonely\]: the build's "
                        r"process died here \(exit status 3, without finishing\); "
                        r"report/solutions\.pdf is as it was", result.stderr.strip()), \
        result.stderr


@pytest.mark.skipif(not MANY_CORES, reason="one core: one kernel, nothing to keep apart")
def test_a_variable_that_cannot_be_stored_keeps_its_readers_in_one_kernel(tmp_path,
                                                                          monkeypatch):
    # a lock cannot be pickled: the chunk that binds it, and every chunk that reads it, run
    # in the build's own kernel, one after the other
    document = DOCUMENT.replace("base = 3\n", "base = 3\nimport threading\n"
                                "lock = threading.Lock()\n")
    document = document.replace('print("Nothing shared.")',
                                'print(f"Locked: {lock.locked()}.")')
    project = small_project(tmp_path / "project", document)
    result = _run(project, 2, monkeypatch, "check")
    assert result.returncode == 0, result.stderr
    woven = (build_dir(project) / "solutions.tex").read_text()
    assert "Locked: False." in woven and "Together: 10." in woven
    assert json.loads((build_dir(project) / "run.json").read_text())["kernels"] == 2


@pytest.mark.skipif(not MANY_CORES, reason="one core: no kernel but the pass's")
def test_fresh_runs_everything_again_in_the_kernels_and_uses_what_they_made(tmp_path,
                                                                            monkeypatch):
    # each run of `lonely` leaves a line: a unit a kernel ran is not run again by the pass
    runs = tmp_path / "runs.txt"
    document = DOCUMENT.replace('print("Nothing shared.")',
                                f'open({str(runs)!r}, "a").write("ran\\n")\n'
                                'print("Nothing shared.")')
    project = small_project(tmp_path / "project", document)
    assert _run(project, 2, monkeypatch, "check").returncode == 0
    first = (build_dir(project) / "solutions.tex").read_text()
    result = _run(project, 2, monkeypatch, "check", "--fresh")
    assert result.returncode == 0, result.stderr
    run = json.loads((build_dir(project) / "run.json").read_text())
    assert {unit["why"] for unit in run["units"]} == {"the cache is ignored (--fresh)"}
    assert run["kernels"] == 2
    assert (build_dir(project) / "solutions.tex").read_text() == first
    assert runs.read_text() == "ran\n" * 2
