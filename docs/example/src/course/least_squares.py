"""Problem 1: least squares and the hat matrix."""

import sympy as sp

from veritex.claims import claim, given, step

n, d = sp.symbols("n d", integer=True, positive=True)
X, y = sp.MatrixSymbol("X", n, d), sp.MatrixSymbol("y", n, 1)
H = sp.MatrixSymbol("H", n, n)
I_d = sp.Identity(d)
# the instance the checks work on: a 3 by 2 design of generic entries
Xg = sp.Matrix(3, 2, sp.symbols("x1:7", real=True))
ON_X = {X: Xg}


def hat(X):
    return X * (X.T * X).inv() * X.T if isinstance(X, sp.Matrix) else X * (X.T * X).I * X.T


@step
def the_hat_matrix():
    """The fitted values are
    \\given[definition]{$\\hat{\\boldsymbol{y}} = \\boldsymbol{H}\\boldsymbol{y}$}, with the hat
    matrix"""
    return given(H, hat(X), kind="definition", reason="what the name H stands for")


@step
def it_is_a_projection():
    """Projecting twice changes nothing:"""
    return claim(H * H, H, where={H: hat(Xg)}, derived=hat(Xg))


@step
def its_trace_by_the_cyclic_rule():
    """Its trace counts the parameters. Moving $\\boldsymbol{X}$ from the front to the back of the
    product, which leaves a trace unchanged,"""
    moved = sp.MatMul((X.T * X).I, X.T, X, evaluate=False)
    return claim(sp.Trace(H), sp.Trace(moved), where={H: hat(Xg), **ON_X},
                 derived=sp.Trace(hat(Xg)).doit())


@step
def its_trace():
    """and the product is the identity of size $d$, whose trace is $d$:"""
    return claim(sp.Trace(H), d, where={H: hat(Xg), d: Xg.cols},
                 derived=sp.simplify(sp.Trace(hat(Xg)).doit()))
