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
    return sp.HadamardProduct(a, b, evaluate=False)        # X o R, in the order written


def written(*terms):
    """A sum of matrix expressions kept in the order given (the printer shows it so); a
    plain sum for explicit matrices and arrays."""
    if any(isinstance(term, (np.ndarray, sp.MatrixBase)) for term in terms):
        total = terms[0]
        for term in terms[1:]:
            total = total + term
        return total
    return Written(*terms, evaluate=False)


class Written(sp.MatAdd):
    """A sum of matrix expressions printed term by term in the order it was built."""

    def _latex(self, printer):
        tex = ""
        for i, term in enumerate(self.args):
            factors = term.args if isinstance(term, sp.MatMul) else (term,)
            negative = not factors[0].is_Matrix and factors[0].could_extract_minus_sign()
            if negative:
                rest = factors[1:] if factors[0] == -1 else (-factors[0], *factors[1:])
                term = sp.MatMul(*rest, evaluate=False) if len(rest) > 1 else rest[0]
            tex += (" - " if i else "-") if negative else (" + " if i else "")
            tex += printer._print(term)
        return tex


def product(*factors):
    """f1 f2 ... fk: for matrix symbols, kept as written (sympy would reorder X o R)."""
    if any(isinstance(f, (sp.MatrixExpr,)) and not isinstance(f, sp.MatrixBase)
           for f in factors):
        return sp.MatMul(*factors, evaluate=False)
    total = factors[0]
    for factor in factors[1:]:
        total = total @ factor if hasattr(total, "shape") and hasattr(factor, "shape") \
            else total * factor
    return total


def transpose(matrix):
    """The transpose; of a matrix expression, kept whole: (X o R)^T, not X^T o R^T."""
    if isinstance(matrix, (np.ndarray, sp.MatrixBase)):
        return matrix.T
    return sp.Transpose(matrix)


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
