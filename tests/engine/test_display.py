"""Display is check: what a claim shows is what its check decides; definitions are one source
and load-bearing; the audit finds checks that cannot fail."""

import numpy as np
import pytest
import sympy as sp

from defined import sigmoid, sigmoid_prime
from veritex import audit, checks
from veritex.claims import DisplayError, claim, define, inequality
from veritex.config import Tolerances
from veritex.latex import Notation, latex
from veritex.values import Defined, concrete, perturbed, unfold
from veritex.statement import Kind, Statement
from veritex.verify import check_claim
from veritex.errors import Location

x, y = sp.symbols("x y", real=True)
T = Tolerances()
HERE = Location("templates/t.tex.j2", 3, "c")


def decide(step):
    return checks.run(step.check, T)


def test_free_text_as_a_displayed_side_is_refused():
    with pytest.raises(DisplayError, match="LaTeX text"):
        claim(Notation("f"), r"x^2 + 1", derived=x**2 + 1, name="text")
    with pytest.raises(DisplayError, match=r"names \\mathcal\{H\}\[q\]"):
        claim(Notation("f"), x - Notation(r"\mathcal{H}[q]"), derived=x, name="named")


def test_a_named_quantity_is_checked_through_the_value_it_is_bound_to():
    entropy = Notation(r"\mathcal{H}[q]")
    shown = claim(Notation("f"), x - entropy, where={entropy: y}, derived=x - y)
    assert decide(shown).ok
    assert latex(shown.rhs) == r"x - \mathcal{H}[q]"            # what the PDF shows
    wrong = claim(Notation("f"), x + entropy, where={entropy: y}, derived=x - y)
    assert not decide(wrong).ok                                   # one token, caught


def test_a_general_formula_is_checked_on_the_operands_it_is_bound_to():
    n = sp.Symbol("n", integer=True, positive=True)
    X, v = sp.MatrixSymbol("X", n, n), sp.MatrixSymbol("v", n, 1)
    Xg, vg = sp.Matrix([[1, x], [0, y]]), sp.Matrix([x, 1])
    on = {X: Xg, v: vg, n: 2}
    assert decide(claim(Notation("u"), 2 * X.T @ v, where=on, derived=2 * Xg.T * vg)).ok
    assert not decide(claim(Notation("u"), 2 * X @ v, where=on, derived=2 * Xg.T * vg)).ok


def test_a_scalar_formula_bound_to_data_is_checked_at_every_entry():
    c = sp.Symbol("c", positive=True)
    norms = np.array([0.5, 1.0, 2.0])
    ratio = claim(Notation("r"), c**2 / (c**2 + 1), where={c: norms},
                  derived=sp.Matrix(norms**2 / (norms**2 + 1)))
    assert decide(ratio).ok
    assert concrete(c**2, {c: norms}).shape == (3, 1)
    assert not decide(claim(Notation("r"), c / (c**2 + 1), where={c: norms},
                            derived=sp.Matrix(norms**2 / (norms**2 + 1)))).ok


class cube(Defined):
    latex_name = r"\kappa"

    @staticmethod
    def body(u):
        return u**3


def test_a_definition_shows_the_body_the_checks_unfold():
    shown = define(cube(x))
    assert shown.rhs == x**3 and shown.kind == "definition"
    assert unfold(cube(y) + 1) == y**3 + 1
    with perturbed(cube, lambda u: 2 * u**3):
        assert unfold(cube(y)) == 2 * y**3
    assert unfold(cube(y)) == y**3
    with pytest.raises(DisplayError):
        define(Notation("k"), r"\kappa(x)")


def test_sigma_prime_is_the_derivative_of_sigma_own_body():
    assert sp.simplify(unfold(sigmoid_prime(x) - sigmoid(x) * (1 - sigmoid(x)))) == 0
    with perturbed(sigmoid, lambda u: 2 / (1 + sp.exp(-u))):
        derivative = claim(sigmoid_prime(x), sigmoid(x) * (1 - sigmoid(x)),
                           derived=sp.Derivative(sigmoid(x), x))
        assert not decide(derivative).ok


def test_a_definition_failing_its_defining_property_is_a_false_claim():
    class density(Defined):
        @staticmethod
        def body(u):                           # 3 s^2 where 2 s^2 belongs: not a density
            return sp.exp(-u**2 / 3) / sp.sqrt(2 * sp.pi)
    total = sp.Integral(density(x), (x, -sp.oo, sp.oo))
    mass = claim(total, 1, derived=total, name="mass")
    record = check_claim(Statement("C1", Kind.CLAIM, step=mass, where=HERE), T)
    assert not record.ok


def _findings(step):
    return audit.audit_claim(Statement("C1", Kind.CLAIM, step=step, where=HERE), T)[0]


def test_the_audit_flags_a_vacuous_claim_and_passes_a_strong_one():
    # a bound far from the value: reversing it fails, so the bound is load-bearing
    assert all(f.caught for f in _findings(inequality(x**2 + 1, ">", 0)))
    # an equality checked against itself through a name: every change is caught
    strong = _findings(claim(Notation("f"), x**2 + y, derived=x**2 + y))
    assert strong and all(f.caught for f in strong)
    # an inequality whose sides are equal holds both ways: the reversal survives
    vacuous = _findings(inequality(x, r"\le", x))
    assert any(not f.caught for f in vacuous)
    assert "no check fails when the claim is changed: the relation reversed" in \
        str(next(f for f in vacuous if not f.caught))


def test_the_audit_flags_a_definition_no_check_uses():
    used = Statement("C1", Kind.CLAIM, step=claim(cube(x), x**3, derived=cube(x)), where=HERE)
    definition = Statement("D1", Kind.DEFINITION, step=define(cube(x)), where=HERE)
    assert all(f.caught for f in audit.audit_definition(definition, [definition, used], T))
    unused = audit.audit_definition(definition, [definition], T)
    assert unused and not any(f.caught for f in unused)
    assert str(unused[0]).startswith("templates/t.tex.j2:3 [c]: D1")


def test_a_symbol_that_would_break_latex_is_refused_where_the_step_is_made():
    for bad, why in ((sp.Symbol("W{1"), "its braces do not balance"),
                     (sp.MatrixSymbol("a#b", 2, 1), "a bare #")):
        with pytest.raises(DisplayError) as refused:
            claim(bad, x, derived=x, name="the step")
        assert str(refused.value).startswith(f"the step: the symbol {bad.name!r} prints as ")
        assert f"which LaTeX cannot read ({why})" in str(refused.value)
    assert claim(sp.Symbol("w_hat"), x, derived=x).lhs == sp.Symbol("w_hat")


def test_a_step_is_named_after_its_function_and_justified_by_its_docstring():
    from veritex.claims import given, step

    @step
    def its_square():
        """Squaring,"""
        return claim(Notation("s"), x**2, derived=x**2)

    @step
    def kept():
        """Not this."""
        return claim(Notation("s"), x**2, derived=x**2, name="the square", why="As said,")

    @step
    def the_size():
        return given(Notation("n"), 3, kind="assumption")

    assert (its_square().name, its_square().why) == ("its square", "Squaring,")
    assert (kept().name, kept().why) == ("the square", "As said,")
    assert the_size().name == "the size" and the_size().kind == "given"
    with pytest.raises(DisplayError):
        step(lambda: 3)()


def test_a_binding_the_display_does_not_depend_on_is_not_a_change_but_one_it_does_is():
    n_, d_ = sp.symbols("n d", integer=True, positive=True)
    X = sp.MatrixSymbol("X", n_, d_)
    H = sp.MatrixSymbol("H", n_, n_)
    Xg = sp.Matrix(3, 2, sp.symbols("x1:7", real=True))
    hat = Xg * (Xg.T * Xg).inv() * Xg.T
    moved = sp.MatMul((X.T * X).I, X.T, X, evaluate=False)
    # tr((X^T X)^-1 X^T X) is 2 for every 3 by 2 X: a changed binding of X tells the reader
    # nothing new, and is not counted; the binding of H still is, and is caught
    identity = _findings(claim(sp.Trace(H), sp.Trace(moved), where={H: hat, X: Xg},
                               derived=sp.Trace(hat).doit()))
    assert not any("binding of X" in f.change for f in identity), identity
    assert any("binding of H" in f.change for f in identity)
    assert all(f.caught for f in identity)
    # a statement about this X (its Gram matrix): a changed binding is a change, caught
    gram = _findings(claim(Notation("G"), X.T * X, where={X: Xg}, derived=Xg.T * Xg))
    assert [f.caught for f in gram if "binding of X" in f.change] == [True, True]
