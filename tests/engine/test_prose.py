"""Typed mathematics: formulas typed by hand are checked inline or declared given; the build
finds the others (an error, or a warning in a draft), each at its file and line."""

from __future__ import annotations

import pytest

import subprocess

from helpers import edit, needs_latex, run_build, small_project
from veritex import prose
from veritex.errors import Location


@pytest.mark.parametrize("math, states", [
    (r"x = 1", True), (r"a \le b", True), (r"0.7^2", True), (r"\tfrac12", True),
    (r"\psi_0", False), (r"\lambda^{L_2}", False), (r"F^{-1}(x)", False),
    (r"\boldsymbol{X}^{\top}\boldsymbol{X}", False), (r"x_{i=1}", False),
    (r"\codeunit", False), (r"n = \codeunit", True), (r"p \to 0", True),
])
def test_what_states_something(math, states):
    assert prose.states_something(math) is states


def _typed(text: str, environments=frozenset(), task: str = "") -> prose.Typed:
    typed = prose.Typed()
    prose.scan_text(text, lambda line: Location("t.tex.j2", line), set(environments), typed,
                    prose.task_formulas(rf"\begin{{task}}{task}\end{{task}}", {"task"}))
    return typed


def test_the_scan_counts_checked_given_and_undeclared_formulas_with_their_lines():
    typed = _typed("A name $x$ is fine.\nBut $p = 0.8$ is typed,\n"
                   r"\given[statement]{$K = 2$} is given, <%= inline(claim(n, 3, derived=N)) %> checked,"
                   "\n" r"\begin{task}$y = 1$\end{task} and $n = <%= N %>$ typed again.",
                   environments={"task"}, task="with $K = 2$ classes")
    assert (typed.checked, typed.given) == (1, {"statement": 2})
    assert [(f.where.line, f.tex) for f in typed.undeclared] == [
        (2, "$p = 0.8$"), (4, "$n = \\codeunit$")]
    assert typed.warnings()[0].startswith("t.tex.j2:2: typed mathematics, neither checked "
                                          "nor declared given: $p = 0.8$")


@pytest.mark.parametrize("text, kind, problem", [
    (r"\given{$a > b$}", None, "says which kind it is"),
    (r"\given[hunch]{$a > b$}", None, "unknown kind of given 'hunch'"),
    (r"\given[assumption]{$a > b$}", "assumption", None),
    (r"\given[assumption]{$a > 0$}", None, "a number typed in a given assumption"),
    (r"\given[assumption]{$a = \codeunit$}", "assumption", None),   # the value from code
    (r"\given[definition]{$\mu = \tfrac12(f_0 + f_1)$}", None, "a number typed in a given definition"),
    (r"\given[definition]{$\mu = (f_0 + f_1)/m$}", "definition", None),
    (r"\given[notation]{$\boldsymbol{\Gamma}^2$ and $\mathbb{R}^3$}", "notation", None),
    (r"\given[notation]{$x_3 = 2$}", None, "a number typed in a given notation"),
    (r"\given[statement]{$\sigma = 1$}", "statement", None),        # quoted from the task
    (r"\given[statement]{$\sigma \, = 1$}", "statement", None),    # spacing aside
    (r"\given[statement]{$\sigma = 2$}", None, "that its task box does not hold"),
    (r"\given[statement]{$1$}", None, "that its task box does not hold"),     # a digit of one
    (r"\given[statement]{$2$}", "statement", None),                          # a whole one
    (r"\given[statement]{$\mathbb{E}_{p_0}\log(1 - D)$}", "statement", None),  # a part of one
    (r"\given[statement]{$\mathbb{E}_{p_0}\log(2 - D)$}", None, "does not hold"),
])
def test_a_given_says_its_kind_and_keeps_to_it(text, kind, problem):
    typed = _typed("Here " + text + ".",
                   task=r"The noise is $\sigma = 1$, the sample $2$ and "
                        r"$V = \mathbb{E}_{p_1}\log D + \mathbb{E}_{p_0}\log(1 - D)$.")
    if problem is None:
        assert not typed.undeclared and set(typed.given) == {kind}
    else:
        [formula] = typed.undeclared
        assert problem in str(formula) and str(formula).startswith("t.tex.j2:1: ")


def test_a_formula_inside_the_task_box_is_the_problem_statement():
    typed = _typed(r"\begin{task}$x = 2$ and $\sigma^2 = 1$\end{task}", environments={"task"})
    assert typed.given == {"statement": 2} and not typed.undeclared


def test_a_claim_printed_by_inline_in_code_text_counts_as_checked():
    typed = _typed(r"swapped: $a = 2 \lambda_-$\vtxtag{C3}, not $2\lambda_+$.")
    assert typed.checked == 1 and [f.tex for f in typed.undeclared] == [r"$2\lambda_+$"]


def test_a_value_printed_from_code_is_not_typed_but_a_relation_around_it_is():
    assert not _typed("$<%= value %>$").undeclared
    assert _typed("$v = <%= value %>$").undeclared


TEMPLATE = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
<<setup>>=
from tiny import model
@
The model has TYPED.
\end{document}
"""
TEMPLATE_FILE = "templates/solutions.tex.j2"


@pytest.fixture
def tiny(tmp_path):
    return small_project(tmp_path / "tiny", TEMPLATE, {
        "tiny/__init__.py": "",
        "tiny/model.py": "import sympy\nSIZE = 3\nroots = sympy.solve(sympy.Symbol('x')**2 - 4)\n"})


def _with(project, typed: str):
    edit(project / TEMPLATE_FILE, "TYPED", typed)


def test_a_typed_relation_stops_the_build_at_its_line_and_a_draft_only_warns(tiny):
    _with(tiny, "$n = 3$ parameters")
    warning = f"{TEMPLATE_FILE}:7: typed mathematics, neither checked nor declared given: $n = 3$"
    strict = run_build(tiny, "check")                          # strict is the default
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert strict.stderr.strip().splitlines() == [
        warning + r" (print it with <%= inline(...) %> or declare it: \given[kind]{...})"]
    draft = run_build(tiny, "check", "--draft")
    assert draft.returncode == 0, draft.stderr
    assert warning in draft.stderr


def test_a_draft_in_the_project_file_only_warns(tiny):
    _with(tiny, "$n = 3$ parameters")
    edit(tiny / "veritex.toml", 'template = "solutions.tex.j2"',
         'template = "solutions.tex.j2"\ndraft = true')
    result = run_build(tiny, "check")
    assert result.returncode == 0, result.stderr
    assert "typed mathematics" in result.stderr


@needs_latex
def test_a_draft_pdf_says_so_on_its_first_page_and_a_strict_build_after_it_is_not_up_to_date(
        tiny):
    _with(tiny, "$n = 3$ parameters")
    pdf = tiny / "report" / "solutions.pdf"
    draft = run_build(tiny, "pdf", "--draft")
    assert draft.returncode == 0, draft.stderr
    text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "DRAFT" in text and "1 typed formula neither checked nor declared given" in text
    kept = pdf.read_bytes()
    strict = run_build(tiny, "pdf")                 # same sources: strictness is an input
    assert strict.returncode == 1 and "nothing changed" not in strict.stdout + strict.stderr
    assert "typed mathematics, neither checked nor declared given: $n = 3$" in strict.stderr
    assert pdf.read_bytes() == kept                 # the draft stays until a strict one passes
    _with_fixed = (tiny / TEMPLATE_FILE).read_text().replace("$n = 3$",
                                                              r"\given[notation]{$n = |S|$}")
    (tiny / TEMPLATE_FILE).write_text(_with_fixed)
    assert run_build(tiny, "pdf").returncode == 0
    text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "DRAFT" not in text


def test_a_declared_or_checked_formula_passes_strict(tiny):
    _with(tiny, r"\given[definition]{$n = |S|$} parameters, and <%= inline(claim(Notation('n'), 3, "
                "derived=model.SIZE, name='the size')) %> checked")
    result = run_build(tiny, "check")
    assert result.returncode == 0, result.stderr
    assert "typed mathematics" not in result.stderr


def test_a_number_changed_inside_a_checked_inline_statement_stops_the_build_at_its_line(tiny):
    _with(tiny, "<%= inline(claim(Notation('n'), 4, derived=model.SIZE, name='the size')) %>")
    result = run_build(tiny, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith(f"{TEMPLATE_FILE}:7: C1 (the size) is false:")


def test_free_text_as_a_displayed_value_is_refused_at_its_line(tiny):
    _with(tiny, "<%= inline(claim(Notation('n'), 'three', derived=model.SIZE, name='n')) %>")
    result = run_build(tiny, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith(f"{TEMPLATE_FILE}:7: DisplayError: n: the "
                                            "displayed side is LaTeX text")


def test_a_restated_result_must_say_what_its_claim_says(tiny):
    claimed = ("<%= inline(claim(Notation('n'), 3, derived=model.SIZE, name='the size')) %>; "
               "recall that RESTATED")
    _with(tiny, claimed.replace("RESTATED", r"\restates{the size}{$n = 3$}"))
    result = run_build(tiny, "check")
    assert result.returncode == 0, result.stderr
    _with_again = (tiny / TEMPLATE_FILE).read_text().replace(r"{$n = 3$}", r"{$n = 4$}")
    (tiny / TEMPLATE_FILE).write_text(_with_again)
    changed = run_build(tiny, "check")
    assert changed.returncode == 1 and "Traceback" not in changed.stderr
    assert changed.stderr.strip().startswith(
        f"{TEMPLATE_FILE}:7: does not restate the claim 'the size' symbol for symbol "
        "(the build printed $n=3$): $n = 4$")
    (tiny / TEMPLATE_FILE).write_text(_with_again.replace(r"\restates{the size}",
                                                          r"\restates{the sise}"))
    unknown = run_build(tiny, "check")
    assert unknown.returncode == 1 and "no checked claim has that name" in unknown.stderr
