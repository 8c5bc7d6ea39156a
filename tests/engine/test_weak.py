"""Weak checks: the audit's reports beside the changes it makes (`veritex.weak`). Each kind is
planted in a claim of a small project, reported at its line, and gone once the claim is
mended."""

from __future__ import annotations

import ast
import textwrap

import numpy as np
import sympy as sp

from helpers import run_build, small_project
from veritex import checks, weak
from veritex.claims import claim, inequality
from veritex.config import Tolerances

T = Tolerances()
x = sp.Symbol("x", real=True)


def _kinds(step, source: str | None = None, sampled: bool = False) -> list[str]:
    call = None
    if source is not None:
        call = next(node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)
                    and weak._called(node) in ("claim", "inequality"))
    return [kind for kind, _ in weak.weaknesses(step, False, T, call, checks.decide, sampled)]


# ---- each kind, from the claim's objects and code -----------------------------------------

def test_derived_typed_again_as_the_displayed_side_is_a_tautology():
    code = "claim(n, sp.sin(x)**2 + sp.cos(x)**2, derived=sp.sin(x)**2 + sp.cos(x)**2)"
    step = claim(sp.Symbol("n"), sp.sin(x)**2 + sp.cos(x)**2,
                 derived=sp.sin(x)**2 + sp.cos(x)**2)
    assert _kinds(step, code) == ["tautology"]
    mended = "claim(n, sp.Integer(1), derived=sp.sin(x)**2 + sp.cos(x)**2)"
    assert _kinds(claim(sp.Symbol("n"), sp.Integer(1), derived=sp.sin(x)**2 + sp.cos(x)**2),
                  mended) == []


def test_the_same_object_on_both_sides_of_the_check_is_a_tautology():
    shown = sp.Matrix([1, 2])                   # a mutable matrix: not one of sympy's cached
    step = claim(sp.Symbol("v"), shown, derived=shown)
    assert _kinds(step) == ["tautology"]
    assert _kinds(claim(sp.Symbol("v"), shown, derived=sp.Matrix([1, 2]))) == []


def test_a_derived_constant_typed_in_the_claim_is_reported():
    code = "claim(Notation('E[X]'), sp.Rational(1, 2), derived=sp.Rational(1, 2))"
    step = claim(sp.Symbol("m"), sp.Rational(1, 2), derived=sp.Rational(1, 2))
    assert "constant" in _kinds(step, code)
    mended = "claim(Notation('E[X]'), sp.Rational(1, 2), derived=sp.integrate(x, (x, 0, 1)))"
    assert _kinds(claim(sp.Symbol("m"), sp.Rational(1, 2),
                        derived=sp.integrate(x, (x, 0, 1))), mended) == []


def test_a_claim_about_a_zero_vector_is_reported():
    A, v = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("v", 2, 1)
    M = sp.Matrix([[1, 2], [3, 4]])
    step = claim(A @ v, 5 * v, where={A: M, v: sp.zeros(2, 1)}, derived=sp.zeros(2, 1),
                 redraw=None)
    assert "constant" in _kinds(step)


def test_a_loose_bound_is_reported_with_how_far_apart_the_sides_are():
    error = sp.Symbol("e")
    loose = inequality(error, "<", 1, where={error: 1e-12})
    found = weak.weaknesses(loose, False, T, None, checks.decide)
    assert [kind for kind, _ in found] == ["slack"]
    assert "1e+12 times apart" in found[0][1]
    assert _kinds(inequality(error, "<", 1e-11, where={error: 1e-12})) == []
    assert _kinds(inequality(error, "<", 1, where={error: 1e-12}, slack=1e13)) == []
    # a sign statement is no bound: 0 < x has no slack to measure
    assert _kinds(inequality(0, "<", sp.exp(x))) == []


def test_a_loose_symbolic_bound_is_measured_on_the_sampled_points():
    assert _kinds(inequality(sp.exp(-x**2), r"\le", 100)) == ["slack"]
    assert _kinds(inequality(sp.exp(-x**2), r"\le", 1)) == []


def test_a_general_identity_checked_on_one_chosen_matrix_is_reported():
    # (Q^T Q)^-1 = I holds for an orthonormal Q only: the claim is about any matrix
    Q = sp.MatrixSymbol("Q", 2, 2)
    rotation = sp.Matrix([[0, -1], [1, 0]])
    step = claim((Q.T @ Q).I, sp.Identity(2), where={Q: rotation}, derived=sp.eye(2))
    assert _kinds(step) == ["instance"]
    with_generic = sp.Matrix(2, 2, sp.symbols("q1:5"))
    generic = claim((Q.T @ Q).I, sp.Identity(2), where={Q: with_generic}, derived=sp.eye(2))
    assert decide_ok(generic) is False        # on generic entries, the identity is refuted


def decide_ok(step) -> bool:
    return checks.decide(step.check, T).ok


def test_a_redraw_that_respects_the_assumptions_clears_the_instance():
    step = _orthonormal(np.random.default_rng(0), redraw=_orthonormal)
    assert decide_ok(step) and _kinds(step) == []
    assert _kinds(_orthonormal(np.random.default_rng(0), redraw=_any_matrix)) == ["instance"]


def _orthonormal(rng, redraw=None):
    Q = sp.MatrixSymbol("Q", 2, 2)
    angle = sp.Rational(int(rng.integers(1, 7)), 7) * sp.pi
    rotation = sp.Matrix([[sp.cos(angle), -sp.sin(angle)], [sp.sin(angle), sp.cos(angle)]])
    return claim((Q.T @ Q).I, sp.Identity(2), where={Q: rotation}, derived=sp.eye(2),
                 redraw=redraw)


def _any_matrix(rng):
    Q = sp.MatrixSymbol("Q", 2, 2)
    return claim((Q.T @ Q).I, sp.Identity(2), where={Q: sp.Matrix(rng.integers(1, 5, (2, 2)))},
                 derived=sp.eye(2))


def test_a_claim_that_holds_only_at_the_seeded_points_is_reported():
    seeded = checks.sample_points([x], {}, T)[x]
    fresh = checks.sample_points([x], {}, Tolerances(seed=T.seed + 1))[x]
    edge = seeded.max() + 1e-9              # 1 up to just past the seeded points, then 0
    assert fresh.max() > edge               # the next seed draws a point beyond it
    only_here = claim(sp.Symbol("g"), sp.Piecewise((1, x < edge), (0, True)),
                      derived=sp.Integer(1), domain={x: (-3, 3)})
    assert decide_ok(only_here)             # what the build decided, on its seeded points
    assert _kinds(only_here, sampled=True) == ["instance"]
    everywhere = claim(sp.Symbol("g"), sp.Piecewise((1, x < 4), (1, True)),
                       derived=sp.Integer(1), domain={x: (-3, 3)})
    assert _kinds(everywhere, sampled=True) == []


# ---- the command: one located line per weak check, exit 1; none once mended ----------------

TEMPLATE = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
<<claims>>=
from weakling import claims as made
show(*made.steps())
@
\veritexappendix
\end{document}
"""

WEAK = '''
import sympy as sp
from veritex.claims import claim, inequality
from veritex.latex import Notation

x = sp.Symbol("x", real=True)
e = Notation(r"\\varepsilon")


def steps():
    return [
        claim(Notation("s"), sp.sin(x)**2 + sp.cos(x)**2, derived=sp.sin(x)**2 + sp.cos(x)**2,
              name="the identity"),
        inequality(e, "<", 1, where={e: 1e-12}, name="the error is small"),
        claim(Notation("h"), sp.Rational(1, 2), derived=sp.Rational(1, 2), name="a half"),
    ]
'''

MENDED = '''
import sympy as sp
from veritex.claims import claim, inequality
from veritex.latex import Notation

x = sp.Symbol("x", real=True)
e = Notation(r"\\varepsilon")


def steps():
    return [
        claim(Notation("s"), sp.Integer(1), derived=sp.sin(x)**2 + sp.cos(x)**2,
              name="the identity"),
        inequality(e, "<", 1e-11, where={e: 1e-12}, name="the error is small"),
        claim(Notation("h"), sp.Rational(1, 2), derived=sp.integrate(x, (x, 0, 1)),
              name="a half"),
    ]
'''


def test_the_audit_reports_each_weak_check_at_its_line_and_exits_1_until_mended(tmp_path):
    project = small_project(tmp_path / "weak", TEMPLATE, {
        "weakling/__init__.py": "", "weakling/claims.py": textwrap.dedent(WEAK)})
    result = run_build(project, "audit")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if "weak check" in line]
    assert [line.split("weak check (")[1].split(")")[0] for line in lines] == [
        "tautology", "slack", "constant"]
    assert lines[0].startswith("templates/solutions.tex.j2:6 [claims], made at "
                               "src/weakling/claims.py:12: C1 (the identity)")
    assert "3 weak checks (instance 0, slack 1, tautology 1, constant 1)" in result.stdout
    (project / "src" / "weakling" / "claims.py").write_text(textwrap.dedent(MENDED))
    mended = run_build(project, "audit")
    assert mended.returncode == 0, mended.stderr
    assert "0 weak checks" in mended.stdout
