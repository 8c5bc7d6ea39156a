"""Problem 2: the softmax cross-entropy, its gradient and the softmax's Jacobian."""

import sympy as sp

from veritex.claims import claim, step
from veritex.latex import Notation

K = sp.Symbol("K", integer=True, positive=True)
z, p, y = (sp.MatrixSymbol(name, K, 1) for name in ("z", "p", "y"))
# the instance the checks work on: three classes, generic logits, a target distribution
zg = sp.Matrix(sp.symbols("z1:4", real=True))
yg = sp.Matrix(sp.symbols("y1:3", positive=True)).col_join(
    sp.Matrix([1 - sum(sp.symbols("y1:3", positive=True))]))


def softmax(logits):
    exps = logits.applyfunc(sp.exp)
    return exps / sum(exps)


def cross_entropy(logits, target):
    return -sum(t * sp.log(q) for t, q in zip(target, softmax(logits)))


@step
def its_gradient():
    """With $\\boldsymbol{p}$ the softmax of the logits $\\boldsymbol{z}$, a target distribution
    $\\boldsymbol{y}$ and the loss
    \\given[definition]{$L = -\\sum_k y_k \\log p_k$}, the gradient in the logits is the
    difference of the two distributions, because the target sums to one:"""
    return claim(Notation(r"\nabla_{\boldsymbol{z}} L"), p - y, where={p: softmax(zg), y: yg},
                 derived=sp.Matrix([sp.diff(cross_entropy(zg, yg), zi) for zi in zg]))


@step
def the_jacobian():
    """The softmax's own Jacobian, which the gradient went through, is"""
    return claim(Notation(r"\frac{\partial \boldsymbol{p}}{\partial \boldsymbol{z}}"),
                 sp.DiagMatrix(p) - p * p.T,
                 where={p: softmax(zg)}, derived=softmax(zg).jacobian(zg),
                 name="the Jacobian of the softmax")
