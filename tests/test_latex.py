"""The math printer, as a flat table of expression -> exact LaTeX."""

import pytest
import sympy as sp

from solutions.functions import sigmoid, sigmoid_prime
from veritex.latex import Notation, latex

psi0, psi1, theta, lam = sp.symbols("psi_0 psi_1 theta lambda", real=True)

CASES = [
    (sigmoid(psi1), r"\sigma\left(\psi_{1}\right)"),
    (sigmoid_prime(-psi1), r"\sigma'\left(- \psi_{1}\right)"),
    (sigmoid(psi1) ** 2, r"\sigma^{2}\left(\psi_{1}\right)"),
    (-theta * sigmoid(psi0 * theta + psi1),
     r"- \theta \sigma\left(\psi_{0} \theta + \psi_{1}\right)"),
    (sp.Matrix([[0, -sp.Rational(1, 2)], [sp.Rational(1, 2), 0]]),
     r"\left(\begin{matrix}0 & - \frac{1}{2}\\\frac{1}{2} & 0\end{matrix}\right)"),
    (sp.I / 2, r"\frac{i}{2}"),
    (sp.FiniteSet(-sp.Rational(1, 2), sp.I / 2), r"\left\{- \frac{1}{2}, \frac{i}{2}\right\}"),
    (Notation(r"\bar{J}^*"), r"\bar{J}^*"),
    (sp.MatrixSymbol("X", 3, 2) * sp.MatrixSymbol("w", 2, 1),
     r"\boldsymbol{X} \boldsymbol{w}"),
    (sp.Mul(-1, lam + sp.Rational(1, 2), lam**2 + sp.Rational(1, 4), evaluate=False),
     r"- \left(\lambda + \frac{1}{2}\right) \left(\lambda^{2} + \frac{1}{4}\right)"),
]


@pytest.mark.parametrize("expr, expected", CASES)
def test_latex(expr, expected):
    assert latex(expr) == expected
