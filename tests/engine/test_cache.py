"""The build cache, judged by the build's own record of what ran (report/build/<name>/run.json).

A small project of its own: four chunks with known dependencies, one inline value and one
solution module, so each test can say exactly which chunks must run.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from helpers import edit, needs_latex, run_build, small_project

TEMPLATE = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
Some prose.
<<setup>>=
from tiny import model
a = model.value()
@
<<uses-a>>=
b = a + 1
print(f"b is {b}.")
@
<<independent>>=
c = 5
print(f"c is {c}.")
@
<<uses-b>>=
from veritex.claims import claim
import sympy
x = sympy.Symbol("x")
show(claim(x * b, b * x, derived=x * b, name="commutes"))
print(f"twice b is {2 * b}.")
@
The value of c is <%= c %>.
\end{document}
"""


@pytest.fixture
def tiny(tmp_path):
    return small_project(tmp_path / "tiny", TEMPLATE, {
        "tiny/__init__.py": "", "tiny/model.py": "def value():\n    return 1\n"})


def build(project, *args):
    result = run_build(project, "check", *args)
    assert result.returncode == 0, result.stderr
    run = json.loads((project / "report/build/solutions/run.json").read_text())
    tex = (project / "report/build/solutions/solutions.tex").read_text()
    return {unit["label"] for unit in run["units"] if unit["ran"]}, run, tex, result


CHUNKS = {"setup", "uses-a", "independent", "uses-b", "<%= c %>"}


def test_a_first_build_runs_everything_and_a_second_reuses_everything(tiny):
    ran, run, tex, _ = build(tiny)
    assert ran == CHUNKS
    assert "b is 2." in tex and "twice b is 4." in tex and "The value of c is 5." in tex
    assert run["checks"] == {"checked": 1, "reused": 0}
    ran, run, again, _ = build(tiny)
    assert ran == set() and run["checks"] == {"checked": 0, "reused": 1}
    assert again == tex


def test_a_prose_edit_runs_no_chunk(tiny):
    build(tiny)
    edit(tiny / "templates/solutions.tex.j2", "Some prose.", "Some other prose.\n\nMore.")
    ran, run, tex, _ = build(tiny)
    assert ran == set() and run["checks"]["checked"] == 0
    assert "Some other prose." in tex and "twice b is 4." in tex


def test_a_chunk_edit_runs_that_chunk_and_its_dependants_only(tiny):
    build(tiny)
    entries = len(list((tiny / "report/build/solutions/cache").glob("*.pickle")))
    edit(tiny / "templates/solutions.tex.j2", "b = a + 1", "b = a + 2")
    ran, run, tex, result = build(tiny)
    assert ran == {"uses-a", "uses-b"}
    assert "b is 3." in tex and "twice b is 6." in tex      # `a` came back from the cache
    assert "ran uses-b: it uses b from uses-a, which re-ran" in result.stdout
    assert run["checks"] == {"checked": 1, "reused": 0}
    # the results of the old versions are pruned, not kept forever
    assert len(list((tiny / "report/build/solutions/cache").glob("*.pickle"))) == entries


def test_a_module_edit_runs_the_chunks_that_import_it_and_their_dependants(tiny):
    build(tiny)
    edit(tiny / "src/tiny/model.py", "return 1", "return 10")
    ran, _, tex, result = build(tiny)
    assert ran == {"setup", "uses-a", "uses-b"}
    assert "ran setup: src/tiny/model.py changed" in result.stdout
    assert "twice b is 22." in tex


def test_a_module_a_relative_import_reaches_is_followed(tmp_path):
    project = small_project(tmp_path / "relative", TEMPLATE, {
        "tiny/__init__.py": "",
        "tiny/model.py": "from .helper import one\nfrom . import helper as _h\n\n\n"
                         "def value():\n    return one()\n",
        "tiny/helper.py": "def one():\n    return 1\n"})
    build(project)
    edit(project / "src/tiny/helper.py", "return 1", "return 10")
    ran, _, tex, result = build(project)
    assert ran == {"setup", "uses-a", "uses-b"}
    assert "ran setup: src/tiny/helper.py changed" in result.stdout
    assert "twice b is 22." in tex


def test_relative_imports_resolve_in_their_package():
    from veritex.plan import _absolute, names
    assert {".helper", ".helper.one", ".x"} <= names("from .helper import one\n"
                                                     "from . import x\n")[2]
    assert _absolute(".helper", "tiny") == "tiny.helper"
    assert _absolute("..other.m", "tiny.sub") == "tiny.other.m"
    assert _absolute(".x", "tiny") == "tiny.x" and _absolute("numpy", "tiny") == "numpy"


def test_a_corrupt_cache_is_ignored_with_a_warning(tiny):
    _, _, tex, _ = build(tiny)
    for entry in (tiny / "report/build/solutions/cache").glob("*.pickle"):
        data = bytearray(entry.read_bytes())
        data[-10] ^= 0xFF
        entry.write_bytes(bytes(data))
    (tiny / "report/build/solutions/cache/index.json").write_text("{not json")
    ran, _, again, result = build(tiny)
    assert ran == CHUNKS
    assert "ignoring a corrupt cache entry" in result.stderr
    assert "ignoring the build cache's index" in result.stderr
    assert again == tex


def test_an_entry_stored_under_another_key_is_not_trusted(tiny):
    build(tiny)
    entries = sorted((tiny / "report/build/solutions/cache").glob("*.pickle"))
    first, second = entries[0].read_bytes(), entries[1].read_bytes()
    entries[0].write_bytes(second)
    entries[1].write_bytes(first)
    _, _, _, result = build(tiny)
    assert "stored under another key" in result.stderr


def test_fresh_ignores_the_cache_on_purpose(tiny):
    build(tiny)
    ran, _, _, result = build(tiny, "--fresh")
    assert ran == CHUNKS
    assert "the cache is ignored (--fresh)" in result.stdout


@needs_latex
def test_a_no_op_rebuild_runs_no_chunk_no_check_and_no_latex(tiny):
    result = run_build(tiny, "pdf")
    assert result.returncode == 0, result.stderr
    pdf = (tiny / "report/solutions.pdf").read_bytes()
    result = run_build(tiny, "pdf")
    run = json.loads((tiny / "report/build/solutions/run.json").read_text())
    assert run["units"] == [] and run["checks"] == {} and run["latex"]["ran"] is False
    assert "nothing changed" in result.stdout
    assert (tiny / "report/solutions.pdf").read_bytes() == pdf


def test_a_declared_dependency_is_followed(tiny):
    edit(tiny / "templates/solutions.tex.j2", "<<independent>>=",
         '<<independent, depends=("setup",)>>=')
    build(tiny)
    edit(tiny / "src/tiny/model.py", "return 1", "return 2")
    ran, _, _, _ = build(tiny)
    assert ran == {"setup", "uses-a", "uses-b", "independent", "<%= c %>"}


CLAIMS = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
<<claims>>=
import sympy
from veritex.claims import claim
from tiny import model
x = sympy.Symbol("x")
show(claim(x + x, 2 * x, derived=x + x, name="doubles"))
show(claim(Notation(r"\mathbb{E}[U]"), sympy.Rational(1, 2), derived=model.uniform,
           method="montecarlo", relation=r"\approx", name="mean of U"))
@
\end{document}
"""
SAMPLER = "def uniform(rng, size):\n    return rng.random(size)\n"


@pytest.fixture
def sampled(tmp_path):
    return small_project(tmp_path / "sampled", CLAIMS, {
        "tiny/__init__.py": "", "tiny/model.py": SAMPLER})


def test_a_claim_an_edit_leaves_as_it_was_keeps_its_outcome(sampled):
    build(sampled)
    # the chunk runs again (its module changed), but "doubles" states what it stated: its
    # outcome is reused; the Monte Carlo claim calls a function of the edited module: checked
    edit(sampled / "src/tiny/model.py", SAMPLER, SAMPLER + "\n\nUNUSED = 1\n")
    ran, run, _, _ = build(sampled)
    assert ran == {"claims"}
    assert run["checks"] == {"checked": 1, "reused": 1}


def test_a_claim_whose_sampler_changed_is_checked_again(sampled):
    build(sampled)
    # the claim's pickle is the same (it names tiny.model.uniform); the function is not
    edit(sampled / "src/tiny/model.py", "return rng.random(size)", "return 2 * rng.random(size)")
    result = run_build(sampled, "check")
    assert result.returncode == 1
    assert "C2 (mean of U) is false: the sample mean" in result.stderr, result.stderr


def test_a_sampler_defined_in_a_chunk_is_checked_and_checked_again_when_it_changes(tmp_path):
    # a function the chunk defines travels to the check with its code, so its claim is
    # checked at all, and an edit to it is an edit to the claim
    template = CLAIMS.replace("from tiny import model\n",
                              "def uniform(rng, size):\n    return rng.random(size)\n")
    project = small_project(tmp_path / "chunk", template.replace("model.uniform", "uniform"))
    build(project)
    edit(project / "templates/solutions.tex.j2", "return rng.random(size)",
         "return 2 * rng.random(size)")
    result = run_build(project, "check")
    assert result.returncode == 1
    assert "C2 (mean of U) is false: the sample mean" in result.stderr, result.stderr


SAVES_DURING_BUILD = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
<<saves>>=
from pathlib import Path
template = Path(TEMPLATE_PATH)
marker = template.with_suffix(".saved")
if not marker.exists():          # the author saves an edit while the build runs, once
    template.write_text(template.read_text().replace("first words", "second words"))
    marker.write_text("")
@
The document says first words.
\end{document}
"""


@needs_latex
def test_an_edit_saved_while_a_build_runs_is_built_by_the_next_build(tmp_path):
    project = tmp_path / "saved"
    path = project / "templates" / "solutions.tex.j2"
    small_project(project, SAVES_DURING_BUILD.replace("TEMPLATE_PATH", repr(str(path))))
    first = run_build(project, "pdf")
    assert first.returncode == 0, first.stderr
    assert "was saved while this build ran" in first.stderr
    assert "second words" in path.read_text()             # the edit, after the render read it
    second = run_build(project, "pdf")
    assert second.returncode == 0, second.stderr
    assert "nothing changed" not in second.stdout + second.stderr
    text = subprocess.run(["pdftotext", str(project / "report" / "solutions.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "second words" in text
    third = run_build(project, "pdf")
    assert "nothing changed" in third.stdout + third.stderr
