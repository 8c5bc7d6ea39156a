"""The math printer, as a flat table of expression -> exact LaTeX."""

import pytest
import sympy as sp

from defined import sigmoid, sigmoid_prime
from veritex.latex import Notation, latex

X_ = sp.MatrixSymbol("X", 3, 2)
psi0, psi1, theta, lam = sp.symbols("psi_0 psi_1 theta lambda", real=True)

CASES = [
    (sigmoid(psi1), r"\sigma(\psi_{1})"),
    (sigmoid_prime(-psi1), r"\sigma'(- \psi_{1})"),
    (sigmoid(psi1) ** 2, r"\sigma^{2}(\psi_{1})"),
    (-theta * sigmoid(psi0 * theta + psi1), r"- \theta \sigma(\psi_{0} \theta + \psi_{1})"),
    (sigmoid(psi1 / 2), r"\sigma\left(\frac{\psi_{1}}{2}\right)"),     # tall: growing brackets
    (sigmoid(psi1) * (1 - sigmoid(psi1)), r"\sigma(\psi_{1}) \left(1 - \sigma(\psi_{1})\right)"),
    (sp.Matrix([[0, -sp.Rational(1, 2)], [sp.Rational(1, 2), 0]]),
     r"\left(\begin{matrix}0 & - \frac{1}{2}\\\frac{1}{2} & 0\end{matrix}\right)"),
    (sp.I / 2, r"\frac{i}{2}"),
    (sp.Integral(psi1, (psi1, 0, 1)), r"\int_{0}^{1} \psi_{1}\, d\psi_{1}"),
    (sp.FiniteSet(-sp.Rational(1, 2), sp.I / 2), r"\left\{- \frac{1}{2}, \frac{i}{2}\right\}"),
    (Notation(r"\bar{J}^*"), r"\bar{J}^*"),
    (sp.MatrixSymbol("X", 3, 2) * sp.MatrixSymbol("w", 2, 1),
     r"\boldsymbol{X} \boldsymbol{w}"),
    (sp.Mul(-1, lam + sp.Rational(1, 2), lam**2 + sp.Rational(1, 4), evaluate=False),
     r"- \left(\lambda + \frac{1}{2}\right) \left(\lambda^{2} + \frac{1}{4}\right)"),
    # the author's notation: accents as a name's last part, diag, numbers of many zeros
    (sp.Symbol("w_hat"), r"\hat{w}"),
    (sp.MatrixSymbol("W_hat", 2, 2), r"\hat{\boldsymbol{W}}"),
    (sp.Symbol("x_1"), r"x_{1}"),
    (sp.DiagMatrix(sp.MatrixSymbol("p", 3, 1)), r"\operatorname{diag}\left(\boldsymbol{p}\right)"),
    (sp.Rational(1, 10**12), r"10^{-12}"),
    (sp.Rational(3, 10**6), r"3 \cdot 10^{-6}"),
    (sp.Rational(1, 1000), r"\frac{1}{1000}"),
    (sp.Float(1e-12), r"10^{-12}"),
    (sp.Integer(4 * 10**7), r"4 \cdot 10^{7}"),
    (sp.Integer(400000), r"400000"),
    # a user's class prints itself (sympy's _latex hook)
    (type("Density", (sp.Expr,), {"_latex": lambda self, printer: r"\mathcal{D}"})(),
     r"\mathcal{D}"),
    # a product built unevaluated keeps the factors it was written with (a cyclic rewrite)
    (sp.Trace(sp.MatMul((X_.T * X_).I, X_.T, X_, evaluate=False)),
     r"\operatorname{tr}\left(\left(\boldsymbol{X}^{\top} \boldsymbol{X}\right)^{-1} "
     r"\boldsymbol{X}^{\top} \boldsymbol{X} \right)"),
]



@pytest.mark.parametrize("expr, expected", CASES)
def test_latex(expr, expected):
    assert latex(expr) == expected


# Notation's plain text is what a reader copies out of the PDF (ActualText).
PLAIN = [
    (r"\bar{\boldsymbol{v}}(\psi, \theta)", "bar(v)(psi, theta)"),
    (r"D_{\mathrm{KL}}\bigl(q \,\|\, p_\theta(z \mid x)\bigr)", "D_KL(q || p_theta(z | x))"),
    (r"\tfrac12\log\frac{\prod_j \Lambda_{jj}}{\det\Lambda}",
     "1/2 log((prod_j Lambda_jj)/(det Lambda))"),
    (r"\frac{\partial F(u)}{\partial u}", "(partial F(u))/(partial u)"),
    (r"\mathbb{E}_{x\sim P_X}[f]", "E_(x ~ P_X)[f]"),
    (r"q_{\phi^*},\,q_i^*", "q_(phi^*), q_i^*"),
    (r"\#\phi \le 2", "#phi <= 2"),
    (r"\boldsymbol{X}\odot\boldsymbol{R}", "X ⊙ R"),
    (r"\operatorname{Re}\lambda", "Re lambda"),
    (r"\boldsymbol{X}^{\top}\boldsymbol{X}", "X^T X"),
]


@pytest.mark.parametrize("tex, expected", PLAIN)
def test_notation_plain_text(tex, expected):
    assert str(Notation(tex)) == expected


# Terms in the order a person writes them.
lam_, gam_, m_, b_, t_ = sp.symbols("lambda gamma m b theta")
NATURAL = [
    (lam_**2 + gam_ * lam_ + sp.Rational(1, 4), r"\lambda^{2} + \gamma \lambda + \frac{1}{4}"),
    ((m_ - b_)**2, r"\left(m - b\right)^{2}"),
    (1 - t_**2, r"1 - \theta^{2}"),
    (sp.Symbol("a") * sp.sinh(t_) + b_, r"a \sinh(\theta) + b"),
    (sp.log(2) + sp.log(1 - t_), r"\log(2) + \log(1 - \theta)"),
    (sp.log(1 / t_), r"\log{\left(\frac{1}{\theta} \right)}"),
    (t_ * sp.sin(m_) + sp.cos(m_), r"\cos(m) + \theta \sin(m)"),
]


@pytest.mark.parametrize("expr, expected", NATURAL)
def test_natural_term_order(expr, expected):
    assert latex(expr) == expected
