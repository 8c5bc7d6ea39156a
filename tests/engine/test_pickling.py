"""A displayed object crosses to the checker (and back from a chunk's cache) as it was built:
sympy alone would rebuild it evaluated, in its own order of terms."""

import pickle

import sympy as sp

from veritex import checks, pickling
from veritex.claims import claim
from veritex.config import Tolerances
from veritex.latex import Notation, Pairs, latex

g = sp.Symbol("gamma", positive=True)
root = Notation(r"\sqrt{\gamma^2 - 1}")


def test_an_unevaluated_sum_comes_back_in_the_order_written():
    written = 1 / sp.Add(root, -g, evaluate=False)
    assert latex(pickle.loads(pickle.dumps(written))) != latex(written)     # sympy reorders
    again = pickling.loads(pickle.dumps(written))
    assert latex(again) == latex(written) == r"\frac{1}{\sqrt{\gamma^2 - 1} - \gamma}"
    assert again == written


def test_evaluated_objects_come_back_equal_and_modules_import_as_usual():
    x = sp.Symbol("x", real=True)
    values = [sp.Rational(1, 2) * x**2 + x, sp.Matrix([[1, x], [x / 2, 3]]),
              sp.Integral(sp.exp(-x**2), (x, 0, sp.oo)), sp.sin(x) ** 2 + sp.cos(x) ** 2]
    for value in values:
        assert pickling.loads(pickle.dumps(value)) == value
    assert sp.Add(x, x) == 2 * x        # evaluation is back on afterwards


def test_an_eigenpairs_refutation_quotes_the_vector_as_displayed():
    matrix = sp.Matrix([[0, 1], [-1, 0]])
    shown = (1 / sp.Add(root, -g, evaluate=False), 1)
    step = claim(None, Pairs([(sp.I, shown)]), derived=matrix, method="eigenpairs",
                 where={root: sp.sqrt(g**2 - 1)}, relation="", name="a pair")
    step = pickling.loads(pickle.dumps(step))               # as the checker receives it
    outcome = checks.run(step.check, Tolerances())
    assert not outcome.ok
    assert r"\frac{1}{\sqrt{\gamma^2 - 1} - \gamma}" in outcome.detail.tex(), outcome.detail.tex()
