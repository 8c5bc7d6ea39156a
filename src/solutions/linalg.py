"""Matrix helpers that work the same on three kinds of operand, so one formula serves the
display, the symbolic check and the numbers:

- sympy matrix expressions (MatrixSymbol `X`): the general formula, as the document prints it;
- explicit sympy matrices with symbolic entries: what sympy proves things about;
- numpy arrays: the concrete problems of the experiments and Monte Carlo checks.
"""

from __future__ import annotations

import numpy as np
import sympy as sp


class SquaredNorm(sp.Expr):
    """||v||^2 of a matrix expression, kept unevaluated for display."""

    def __new__(cls, vector):
        return sp.Expr.__new__(cls, vector)

    def _latex(self, printer):
        return r"\left\|%s\right\|^{2}" % printer._print(self.args[0])

    def _sympystr(self, printer):
        return "norm(%s)**2" % printer._print(self.args[0])

    def doit(self, **hints):
        """Evaluated once its vector is explicit (the checks bind matrix symbols to entries)."""
        vector = self.args[0].doit(**hints) if hints.get("deep", True) else self.args[0]
        if isinstance(vector, sp.MatrixExpr) and not isinstance(vector, sp.MatrixSymbol):
            try:
                vector = vector.as_explicit()
            except ValueError:
                pass
        return sqnorm(vector) if isinstance(vector, sp.MatrixBase) else SquaredNorm(vector)


def sqnorm(vector):
    """||v||^2: a number for explicit vectors, a printable expression for symbolic ones."""
    if isinstance(vector, np.ndarray):
        return float(vector.ravel() @ vector.ravel())
    if isinstance(vector, sp.MatrixBase):
        return sp.expand((vector.T * vector)[0, 0])
    return SquaredNorm(vector)


def inverse(matrix):
    if isinstance(matrix, np.ndarray):
        return np.linalg.inv(matrix)
    if isinstance(matrix, sp.MatrixBase):
        return matrix.inv()
    return sp.Inverse(matrix)


def hadamard(a, b):
    if isinstance(a, np.ndarray):
        return a * b
    if isinstance(a, sp.MatrixBase):
        return a.multiply_elementwise(b)
    return sp.HadamardProduct(a, b)


def identity(like, size):
    """The identity of the size `size`, of the same kind as `like`."""
    if isinstance(like, np.ndarray):
        return np.eye(size)
    if isinstance(like, sp.MatrixBase):
        return sp.eye(size)
    return sp.Identity(size)


def generic(name: str, rows: int, cols: int = 1, **assumptions) -> sp.Matrix:
    """A matrix of distinct real symbols name_ij (name_i for a column vector)."""
    def entry(i, j):
        index = f"{i + 1}" if cols == 1 else f"{i + 1}{j + 1}"
        return sp.Symbol(f"{name}_{index}", real=True, **assumptions)
    return sp.Matrix(rows, cols, entry)


def gradient(scalar, vector: sp.Matrix) -> sp.Matrix:
    return sp.Matrix([sp.diff(scalar, v) for v in vector])


def hessian(scalar, vector: sp.Matrix) -> sp.Matrix:
    return sp.hessian(scalar, list(vector))
