"""Time limits: a chunk, a check or a LaTeX run that never ends stops the build with one
located line naming the limit; the old PDF stays, nothing keeps running, the next build works."""

from __future__ import annotations

import re
import subprocess

import pytest

from helpers import needs_latex, run_build, small_project

TEMPLATE = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
Some prose.
<<sum>>=
import sympy
from endless import forever
x = sympy.Symbol("x")
show(claim(x + 1, 1 + x, derived=x + 1, name="a sum"))
@
The end.
\end{document}
"""
ENDLESS = '''
def forever(rng, size):
    while True:
        pass
'''
CRASH = '''
def crash(rng, size):
    import os
    os._exit(3)
'''
OLD_PDF = b"%PDF-1.5 the last good build\n"
T = r"templates/solutions\.tex\.j2"


def project(tmp_path, template: str):
    root = small_project(tmp_path / "p", template, {"endless.py": ENDLESS})
    (root / "veritex.toml").write_text(
        '[documents.solutions]\ntemplate = "solutions.tex.j2"\n'
        "limits = { chunk = 2, check = 2, latex = 4 }\n")
    (root / "report" / "solutions.pdf").write_bytes(OLD_PDF)
    return root


def _line(template: str, marker: str) -> int:
    return next(n for n, text in enumerate(template.split("\n"), 1) if marker in text)


def _fails_with(root, expected: str, command: str = "pdf") -> None:
    result = run_build(root, command, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    said = result.stderr.strip().splitlines()
    assert len(said) == 1 and re.fullmatch(expected, said[0]), result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "report/solutions.pdf").read_bytes() == OLD_PDF
    assert not list((root / "report").glob(".*.partial"))
    # and the next build, with the fault taken out, works
    (root / "templates/solutions.tex.j2").write_text(TEMPLATE)
    again = run_build(root, command, timeout=120)
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("body, marker", [
    ("while True:\n    pass\n", "while"),
    ("import time\ntime.sleep(60)\n", "sleep"),
])
def test_a_chunk_that_never_ends_hits_its_limit(tmp_path, body, marker):
    template = TEMPLATE.replace("<<sum>>=\n", "<<sum>>=\n" + body)
    root = project(tmp_path, template)
    (root / "templates/solutions.tex.j2").write_text(template)
    _fails_with(root, rf"{T}:{_line(template, marker)} \[sum\]: the chunk ran longer than its "
                      r"time limit of 2 s \(stopped here; .*\)", "check")


def test_a_chunk_sets_its_own_limit(tmp_path):
    template = TEMPLATE.replace("<<sum>>=\n", "<<sum, timeout=1>>=\nimport time\n"
                                              "time.sleep(1.5)\n")
    root = project(tmp_path, template)
    _fails_with(root, rf"{T}:{_line(template, 'sleep')} \[sum\]: the chunk ran longer than "
                      r"its time limit of 1 s .*", "check")


def test_a_check_that_never_ends_hits_its_limit(tmp_path):
    template = TEMPLATE.replace(
        "show(claim(x + 1, 1 + x, derived=x + 1, name=\"a sum\"))",
        "show(claim(x + 1, 1 + x, derived=x + 1, name=\"a sum\"),\n"
        "     claim(x, 0, derived=forever, method='montecarlo', name='endless'))")
    root = project(tmp_path, template)
    _fails_with(root, rf"{T}:{_line(template, 'show(')} \[sum\]: C2 \(endless\): its "
                      r"montecarlo check ran longer than its time limit of 2 s .*", "check")


@needs_latex
def test_latex_that_never_ends_hits_its_limit_and_leaves_nothing_running(tmp_path):
    template = TEMPLATE.replace("The end.", r"\def\loop{\loop}\loop")
    root = project(tmp_path, template)
    _fails_with(root, r"report/build/solutions/solutions\.tex:1: LaTeX ran longer than its "
                      r"time limit of 4 s and was stopped .*")
    running = subprocess.run(["pgrep", "-f", "pdflatex|latexmk"], capture_output=True,
                             text=True).stdout.split()
    for pid in running:
        try:
            cwd = subprocess.run(["readlink", f"/proc/{pid}/cwd"], capture_output=True,
                                 text=True).stdout
        except OSError:
            continue
        assert str(root) not in cwd


def test_a_check_whose_process_dies_is_a_located_failure(tmp_path):
    template = TEMPLATE.replace(
        "show(claim(x + 1, 1 + x, derived=x + 1, name=\"a sum\"))",
        "show(claim(x + 1, 1 + x, derived=x + 1, name=\"a sum\"),\n"
        "     claim(x, 0, derived=crash, method='montecarlo', name='crashing'))").replace(
        "from endless import forever", "from endless import crash")
    root = project(tmp_path, template)
    (root / "src" / "endless.py").write_text(ENDLESS + CRASH)
    _fails_with(root, rf"{T}:{_line(template, 'show(')} \[sum\]: C2: the process checking it "
                      r"died \(.*\); no claim from here on was decided", "check")
