"""What a displayed object stands for, as the checks see it.

A claim displays one object and the check decides that same object. Two things stand between
the printed form and the value compared:
- `where`: names in the display (a matrix symbol `X`, a shorthand `c`, a quantity named in
  words such as `\\lambda_{\\min}`) bound to the values the check uses (a matrix of generic
  entries, `psi_0 theta + psi_1`, a number computed by an experiment). `concrete` applies them.
- `Defined` functions (`sigma`, a density): printed by name, and replaced by their closed
  form (`unfold`) only when a check runs. The closed form is the function's own `body`, the
  one its definition displays; `perturbed` swaps it for the audit.
"""

from __future__ import annotations

import contextlib
import functools
import operator

import mpmath
import numpy as np
import sympy
from sympy.matrices.utilities import dotprodsimp

# Defined class -> a replacement body, while the audit perturbs a definition.
_OVERRIDES: dict = {}


class Defined(sympy.Function):
    """A function known by its name in the document and by its `body` to the checks.

    Subclasses set `latex_name` and a static `body(*args)`; `definition()` is the body applied
    to the arguments, and the displayed definition prints that same body (one source).
    """

    latex_name = ""

    @staticmethod
    def body(*args):
        raise NotImplementedError

    def definition(self):
        body = _OVERRIDES.get(type(self), type(self).body)
        return body(*self.args)


@contextlib.contextmanager
def perturbed(function: type, body):
    """Within the block, `function` unfolds to `body` instead of its own."""
    _OVERRIDES[function] = body
    try:
        yield
    finally:
        _OVERRIDES.pop(function, None)


def unfold(expr):
    """Replace every function with a `definition` by its closed form, then evaluate what that
    leaves pending (derivatives of a defined function, say)."""
    if isinstance(expr, (tuple, list)):
        return type(expr)(unfold(item) for item in expr)
    expr = sympy.sympify(expr)
    changed = False
    while True:
        defined = [f for f in expr.atoms(sympy.Function) if hasattr(type(f), "definition")]
        if not defined:
            pending = changed or expr.has(sympy.Derivative, sympy.Subs, sympy.Integral)
            return expr.doit() if pending else expr
        expr, changed = expr.xreplace({f: f.definition() for f in defined}), True


def as_sympy(value):
    """Numbers and arrays from numpy as sympy objects (an array becomes a column or matrix)."""
    if isinstance(value, np.ndarray):
        return sympy.ImmutableMatrix(value if value.ndim == 2 else value.reshape(-1, 1))
    if isinstance(value, (np.floating, np.integer)):
        return sympy.sympify(value.item())
    return value


def concrete(value, where=None):
    """The value a displayed object stands for: `where` applied, matrix expressions made
    explicit. Tuples and lists keep their shape; a scalar formula whose names are bound to
    arrays of data (`c_i` to nine column norms) becomes the column of its values."""
    if isinstance(value, (tuple, list)):
        return type(value)(concrete(item, where) for item in value)
    value = as_sympy(value)
    if not where or not isinstance(value, (sympy.Basic, sympy.MatrixBase)):
        return value
    arrays = {key: item for key, item in where.items()
              if isinstance(item, np.ndarray) and item.ndim == 1}
    if arrays and not isinstance(value, (sympy.MatrixBase, sympy.MatrixExpr)):
        # a scalar formula with a name bound to data: the formula at each entry, as a column
        rest = {key: item for key, item in where.items() if key not in arrays}
        size = len(next(iter(arrays.values())))
        return sympy.ImmutableMatrix([concrete(value, {**rest, **{k: a[i] for k, a in
                                                               arrays.items()}})
                                      for i in range(size)])
    bound = {key: sympy.sympify(as_sympy(item)) for key, item in where.items()}
    value = value.xreplace(bound)
    # without sympy's simplification at each step of a matrix product or inverse: the check
    # decides equality itself, and that simplification costs seconds on a small matrix
    with dotprodsimp(False):
        if isinstance(value, sympy.MatrixExpr):
            value = _explicit(value)
        elif bound and not isinstance(value, sympy.MatrixBase):
            value = value.doit()
    return value


def _explicit(expr):
    """A matrix expression of explicit matrices as one explicit matrix, each product and
    inverse computed once (`as_explicit` computes the whole product again for every entry)."""
    if not isinstance(expr, sympy.MatrixExpr):
        return expr
    args = [_explicit(arg) for arg in expr.args]
    if not any(isinstance(arg, sympy.MatrixBase) for arg in args):
        return expr.as_explicit()
    if isinstance(expr, sympy.MatMul):
        return functools.reduce(operator.mul, args)
    if isinstance(expr, sympy.MatAdd):
        return functools.reduce(operator.add, args)
    if isinstance(expr, sympy.Inverse):
        return _inverse(args[0])
    if isinstance(expr, sympy.MatPow) and args[1].is_negative:
        return _inverse(args[0]) ** -args[1]
    if isinstance(expr, sympy.MatPow):
        return args[0] ** args[1]
    if isinstance(expr, sympy.Transpose):
        return args[0].T
    if isinstance(expr, sympy.HadamardProduct):
        return functools.reduce(lambda a, b: a.multiply_elementwise(b), args)
    return expr.func(*args).as_explicit()


def _inverse(matrix):
    """Adjugate over determinant, both division-free (Berkowitz): on the small symbolic
    matrices of a check, much quicker than elimination, which simplifies to find its pivots."""
    determinant = matrix.det(method="berkowitz")
    if sympy.expand(determinant) == 0:
        raise ValueError("the matrix is not invertible (its determinant is 0)")
    return matrix.adjugate(method="berkowitz") / determinant


def is_name(value) -> bool:
    """A name, as opposed to a formula: a symbol, a matrix symbol, an indexed name (a[i]),
    f(...) of an undefined f (E(X**2), say: what it stands for, nothing can compute)."""
    from sympy.core.function import AppliedUndef
    return isinstance(value, (sympy.Symbol, sympy.MatrixSymbol, sympy.Indexed, AppliedUndef))


def shows(side, name) -> bool:
    """Whether a displayed side shows `name`: among its free symbols (not only in the shape
    of a matrix symbol, which the display does not print), or as f(x) of an undefined f.
    Tuples, lists and the rest of a chain (`.sides`) are searched through."""
    if isinstance(side, (tuple, list)):
        return any(shows(item, name) for item in side)
    if not isinstance(side, (sympy.Basic, sympy.MatrixBase)):
        return shows(side.sides, name) if hasattr(side, "sides") else False
    if isinstance(name, sympy.Symbol):
        return name in side.free_symbols
    return side.has(name)


def symbols_of(value) -> set:
    """Every free symbol of a value (sympy objects, tuples of them); none for other kinds."""
    if isinstance(value, (tuple, list)):
        return set().union(*(symbols_of(item) for item in value)) if value else set()
    value = as_sympy(value)
    if isinstance(value, (sympy.Basic, sympy.MatrixBase)):
        return set(value.free_symbols)
    return set()


def rounded(value, digits: int = 3) -> sympy.Float:
    """`value` (a number, or a sympy expression without symbols) to `digits` significant
    digits, as the document should print it: `claim(Notation("T"), rounded(t, 3), derived=t)`
    shows T = 1.23. A claim whose displayed number is rounded is checked to those digits: the
    derived value, rounded the same way, must give the same digits."""
    if not isinstance(digits, int) or not 1 <= digits <= 14:
        raise ValueError(f"rounded() prints 1 to 14 significant digits, not {digits!r}")
    number = complex(sympy.N(value, 17))
    if number.imag:
        raise ValueError(f"rounded() takes a real number, not {value!r}")
    return sympy.Float(f"{number.real:.{digits}g}", digits)


def printed_digits(value) -> int | None:
    """The significant digits of a number made by `rounded`, None for any other value."""
    if isinstance(value, sympy.Float) and value._prec < 53:
        return mpmath.libmp.prec_to_dps(value._prec)
    return None


def chosen_instance(value) -> bool:
    """A matrix of exact numbers bound by `where=`: an instance someone chose, on which the
    claim is checked (numbers an experiment computed are floats, and the claim is about them)."""
    return (isinstance(value, sympy.MatrixBase) and len(value) > 1 and not value.free_symbols
            and not value.atoms(sympy.Float))


def name_of(symbol) -> str:
    """A symbol as messages write it: a Notation's LaTeX, else sympy's name for it."""
    return getattr(symbol, "tex", None) or sympy.sstr(symbol)
