"""The quick exact test of `equal`: zero as a rational function of the expression's parts."""

import random

import pytest
import sympy as sp

from veritex import checks, rational
from veritex.claims import Check
from veritex.config import Tolerances

x, y = sp.symbols("x y", real=True)
a, b = sp.symbols("a b", positive=True)
z = sp.Symbol("z")                      # complex


@pytest.mark.parametrize("identity", [
    1 / (x + 1) + 1 / (x - 1) - 2 * x / (x**2 - 1),
    (sp.Matrix([[a, x], [y, b]]).inv() * sp.Matrix([x, y]))[0]
    - (b * x - x * y) / (a * b - x * y),
    (sp.sqrt(a) + 1) * (sp.sqrt(a) - 1) - (a - 1),                    # r**2 = a
    (a ** sp.Rational(1, 3) + 1) ** 3 - (a + 3 * a ** sp.Rational(2, 3)
                                         + 3 * a ** sp.Rational(1, 3) + 1),
    x / (sp.sqrt(a + x**2) + x) - x * (sp.sqrt(a + x**2) - x) / a,
    sp.exp(-x) / (1 + sp.exp(-x)) - 1 / (sp.exp(x) + 1),               # exp(-x) = 1/exp(x)
    sp.exp(x + y) - sp.exp(x) * sp.exp(y),
    (sp.exp(x / 2) + 1) ** 2 - (sp.exp(x) + 2 * sp.exp(x / 2) + 1),
    (1 + sp.I) * (1 - sp.I) - 2,                                        # I**2 = -1
    sp.log(x) ** 2 / (sp.log(x) + 1) - (sp.log(x) - 1) - 1 / (sp.log(x) + 1),
    1 / (x - y) + 1 / (y - x),                                          # f and -f: one factor
])
def test_identities_are_proved(identity):
    assert identity != 0                 # sympy has not already done the work
    assert rational.is_zero(identity)


@pytest.mark.parametrize("falsehood", [
    1 / (x + 1) - 1 / x,
    sp.sqrt(x**2) - x,                   # not for x < 0
    sp.sqrt(sp.exp(z)) - sp.exp(z / 2),  # not for every complex z (the principal branch)
    sp.sqrt(a) - a,
    sp.exp(x) - x,
    x ** sp.Float(2.0) - x**2,           # floats: never an exact proof
    sp.log(a * b) - sp.log(a) - sp.log(b),   # true, but not a rational identity: not shown
    x / ((x + 1) ** 2 - x**2 - 2 * x - 1),   # 1/0 as written: defined nowhere
])
def test_what_is_not_a_rational_identity_is_not_proved(falsehood):
    assert not rational.is_zero(falsehood)


def _random_expression(rng: random.Random, depth: int):
    leaves = [x, y, a, sp.sqrt(a), sp.exp(x), sp.exp(-y), sp.Integer(rng.randint(1, 4)),
              sp.Rational(1, rng.randint(2, 5))]
    if depth == 0:
        return rng.choice(leaves)
    left, right = _random_expression(rng, depth - 1), _random_expression(rng, depth - 1)
    return rng.choice([left + right, left - right, left * right,
                       left / (right + 3) if right != -3 else left, left**2])


def test_a_proof_is_never_wrong_and_rewritten_forms_are_proved():
    """On random expressions: an expression and sympy's own rewriting of it are proved equal,
    one changed by a term is not, and nothing is proved that is not zero at a point."""
    rng = random.Random(7)
    point = {x: 0.37, y: -1.21, a: 2.3}
    proved = 0
    for _ in range(60):
        expr = _random_expression(rng, 3)
        for other, equal in ((sp.together(expr), True), (sp.expand(expr), True),
                             (expr + x / 7, False)):
            difference = expr - other
            shown = rational.is_zero(difference)
            if shown:
                assert abs(complex(difference.evalf(30, subs=point))) < 1e-20
                proved += 1
            if not equal:
                assert not shown
    assert proved >= 100


def test_equal_compares_every_point_when_simplify_cannot_prove():
    """The first points screen a claim; one that agrees there and that simplify cannot prove
    is compared at every point, so a difference at a later point still refutes it."""
    tolerances = Tolerances()
    points = checks.sample_points([x], {x: (0.0, 1.0)}, tolerances)[x]
    cut = float(max(points[:checks.SCREEN]))
    assert cut < max(points)            # some later point lies above the cut
    stated, derived = x, x + sp.Piecewise((1, x > cut), (0, True))
    outcome = checks.run(Check("equal", stated, derived, {"domain": {x: (0.0, 1.0)}}),
                         tolerances)
    assert not outcome.ok and "the derived one" in str(outcome.detail)
