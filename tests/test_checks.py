"""Each check method: a true claim holds, a false one fails and says why."""

import pytest
import sympy as sp

from solutions.functions import sigmoid
from veritex import checks
from veritex.claims import Check
from veritex.config import Tolerances

x, y = sp.symbols("x y", real=True)
g = sp.Symbol("gamma", positive=True)
T = Tolerances()


def run(method, stated, derived=None, **options):
    return checks.run(Check(method, stated, derived, options), T)


def test_equal_proves_a_sigmoid_identity_symbolically():
    outcome = run("equal", sigmoid(x) * (1 - sigmoid(x)), sp.diff(1 / (1 + sp.exp(-x)), x))
    assert outcome.ok and outcome.method == "symbolic"


def test_equal_rejects_a_wrong_matrix_entry_and_names_it():
    outcome = run("equal", sp.Matrix([[x, 1], [0, y]]), sp.Matrix([[x, 1], [0, -y]]))
    assert not outcome.ok
    assert "entry (2, 2)" in outcome.detail and "stated" in outcome.detail


def test_equal_substitutes_shorthand_before_comparing():
    c = sp.Symbol("c")
    assert run("equal", sigmoid(c), sigmoid(x + y), where={c: x + y}).ok


def test_equal_falls_back_to_numbers_and_says_so():
    plus = (-g + sp.sqrt(g**2 - 1)) / 2
    outcome = run("equal", -g / 2, sp.re(plus), domain={g: (0.0, 1.0)})
    assert outcome.ok and outcome.method == "numeric"
    assert outcome.params["points"] == T.numeric_points
    assert not run("equal", -g / 2, sp.re(plus), domain={g: (1.0, 3.0)}).ok


def test_roots_needs_every_root_with_multiplicity():
    lam = sp.Symbol("lambda")
    poly = (lam + 1) ** 2 * (lam - 2)
    assert run("roots", [-1, -1, 2], poly, variable=lam).ok
    assert not run("roots", [-1, 2], poly, variable=lam).ok
    assert not run("roots", [-1, -1, 3], poly, variable=lam).ok


def test_eigenpairs():
    m = sp.Matrix([[0, -1], [1, 0]])
    assert run("eigenpairs", [(sp.I, (sp.I, 1))], matrix=m).ok
    assert not run("eigenpairs", [(sp.I, (-sp.I, 1))], matrix=m).ok
    assert not run("eigenpairs", [(sp.I, (0, 0))], matrix=m).ok


def test_sign_symbolic_and_sampled():
    assert run("sign", "positive", sigmoid(x)).method == "symbolic"
    assert run("sign", "positive", sigmoid(x)).ok
    sampled = run("sign", "negative", -g + sp.sqrt(g**2 - 1), domain={g: (1.0, 5.0)})
    assert sampled.ok and sampled.method == "numeric" and "worst margin" in sampled.params
    assert not run("sign", "positive", x**2 - 1, domain={x: (-2.0, 2.0)}).ok


def test_rank_and_at_most():
    assert run("rank", 1, sp.Matrix([[1, 2], [2, 4]])).ok
    assert not run("rank", 2, sp.Matrix([[1, 2], [2, 4]])).ok
    assert run("at_most", 1e-6, 3e-7).ok and not run("at_most", 1e-6, 3e-6).ok


def test_unknown_method_is_refused():
    with pytest.raises(KeyError):
        run("telepathy", 1, 1)
