"""What every check method compares with: exact zero tests (`is_zero`), seeded sample points,
the first point where two expressions differ, and the shapes and words of its messages.
"""

from __future__ import annotations

import cmath

import numpy as np
import sympy

from .. import rational
from ..config import Tolerances
from ..message import Message, number, point as at_point, spoken
from ..values import printed_digits, unfold


def _with_exp(attempt):
    """The attempt on expr written with exp (sinh, cos... as exponentials); False if that
    writes nothing differently (the attempt on expr itself has been made)."""
    def attempt_with_exp(expr):
        rewritten = expr.rewrite(sympy.exp)
        return rewritten != expr and attempt(rewritten)
    return attempt_with_exp


def _numerator_zero(expr) -> bool:
    """Over one denominator, the numerator expands to 0 (sympy's expand also uses
    log(a*b) = log(a) + log(b) where a and b are positive, which `rational` does not)."""
    return sympy.expand(sympy.fraction(sympy.together(expr))[0]) == 0


QUICK = (rational.is_zero, _with_exp(rational.is_zero), _numerator_zero,
          _with_exp(_numerator_zero))


THOROUGH = (lambda e: sympy.simplify(e) == 0, _with_exp(lambda e: sympy.simplify(e) == 0))


def is_zero(expr, quick: bool = False) -> bool | None:
    """True if sympy proves expr == 0, None if it cannot tell.

    First the quick, exact ways: as a rational function of its parts (`veritex.rational`),
    then over one denominator with sympy's expand; sinh, cos... are also tried written with
    exp. They decide most identities between rational expressions in a fraction of
    simplify's time. Then (unless `quick`) simplify, which knows more identities."""
    return proved(expr, QUICK if quick else QUICK + THOROUGH)


def proved(expr, attempts) -> bool | None:
    expr = unfold(expr)
    return True if expr == 0 or any(attempt(expr) for attempt in attempts) else None


def entries(value) -> list:
    if isinstance(value, sympy.MatrixBase):
        return list(value)
    if isinstance(value, (tuple, list, sympy.Tuple)):
        return [entry for item in value for entry in entries(item)]
    return [sympy.sympify(value)]


def shape(value):
    if isinstance(value, sympy.MatrixBase):
        return value.shape
    if isinstance(value, (tuple, list, sympy.Tuple)):
        return (len(value),)
    return ()


def position(index: int, dimensions) -> str:
    """`entry (2, 1): `, `component 3: `: where in a value of these dimensions entry `index` is."""
    if len(dimensions) == 2 and dimensions[1] == 1:          # a column: its components
        return f"component {index + 1}: "
    if len(dimensions) == 2:
        return f"entry ({index // dimensions[1] + 1}, {index % dimensions[1] + 1}): "
    return f"component {index + 1}: " if dimensions else ""


def sample_points(symbols, domain: dict, tolerances: Tolerances):
    """Seeded random points: each symbol from its domain interval, or by its assumptions.
    Each coordinate is a short decimal (three significant digits, more only to stay inside
    the interval): a counterexample prints the very point it was found at, so a reader can
    put it into the formula and get the values printed beside it."""
    rng = np.random.default_rng(tolerances.seed)
    columns = {}
    for symbol in sorted(symbols, key=str):
        low, high = domain.get(symbol, (0.05, 3.0) if symbol.is_positive else (-3.0, 3.0))
        columns[symbol] = np.array([_short(value, low, high) for value in
                                    rng.uniform(low, high, tolerances.numeric_points)])
    return columns


def _short(value: float, low: float, high: float) -> float:
    """`value` with the fewest significant digits (3 or more) that keep it inside (low, high)."""
    for digits in range(3, 17):
        shortened = float(f"{value:.{digits}g}")
        if low < shortened < high:
            return shortened
    return value


SCREEN = 3          # sampled points that must agree before simplify is asked for a proof


class Unevaluated(Message):
    """Why two sides that sympy could not compare cannot be compared at a point either."""


def unevaluated(*sides) -> Unevaluated:
    """What in the sides stands for no number: a vector or matrix symbol that where= does not
    bind to entries, an undefined function, a name that nothing binds, or (else) the kind of
    object that cannot be evaluated."""
    from sympy.core.function import AppliedUndef
    from ..latex import Notation
    found = {}
    for side in sides:
        for kind, atoms in (("the vector or matrix symbol", side.atoms(sympy.MatrixSymbol)),
                            ("the undefined function", {f.func for f in
                                                        side.atoms(AppliedUndef)}),
                            ("the name", side.atoms(Notation))):
            found.setdefault(kind, set()).update(atoms)
    for kind, atoms in found.items():
        if atoms:
            names = ", ".join(sorted(sympy.sstr(atom) for atom in atoms))
            hint = (" (bind it with where= to a matrix of symbols)"
                    if kind.startswith("the vector") else "")
            return Unevaluated(f"sympy could not decide, and the sides cannot be evaluated at "
                               f"a point: they contain {kind} {names}{hint}")
    kinds = sorted({type(side).__name__ for side in sides})
    return Unevaluated(f"sympy could not decide, and the sides ({', '.join(kinds)}) cannot be "
                       "evaluated at a point")


def numeric_difference(stated, derived, domain: dict, tolerances: Tolerances,
                       points: int | None = None):
    """The first sampled point where stated and derived differ, or None if they agree (at
    the first `points` of the tolerances' points, or at all of them)."""
    stated, derived = unfold(stated), unfold(derived)
    symbols = sorted(stated.free_symbols | derived.free_symbols, key=str)
    if any(isinstance(symbol, sympy.MatrixSymbol) for symbol in symbols):
        return unevaluated(stated, derived)          # a point has numbers, not matrices
    columns = sample_points(symbols, domain, tolerances)
    count = min(points or tolerances.numeric_points, tolerances.numeric_points)
    for k in range(count if symbols else 1):             # numbers: compared once
        point = {s: columns[s][k] for s in symbols}
        try:
            a, b = _evaluate(stated, point), _evaluate(derived, point)
        except TypeError:       # an undefined function, say: nothing to compare with
            return unevaluated(stated, derived)
        finite = cmath.isfinite(a) and cmath.isfinite(b)
        if (not finite and a != b) or abs(a - b) > (tolerances.numeric_atol + tolerances.numeric_rtol
                                                   * max(abs(a), abs(b))):
            values = Message("the stated side is ", number(a, 6), ", the derived one ",
                             number(b, 6))
            if not symbols:
                return "numerically " + values
            return "at " + at_point(symbols, [columns[s][k] for s in symbols]) + ": " + values
    return None


def _evaluate(expr, point: dict) -> complex:
    """Evaluate with sympy's own arithmetic (complex where a root of a negative appears)."""
    return complex(sympy.N(expr.subs(point), 17))


def computed(*values) -> bool:
    """Numbers an experiment computed (floats), as opposed to exact values sympy decides."""
    return any(isinstance(v, sympy.Basic) and v.atoms(sympy.Float) for v in values)


def size(value) -> str:
    found = shape(value)
    return {0: "a scalar", 1: f"a tuple of {found[0] if found else 0}"}.get(
        len(found), "a " + " by ".join(map(str, found)) + " matrix")


def sides(stated, derived, limit: int = 60) -> Message:
    """`stated a, derived b` when both are short enough to read in one line; nothing when
    either is long (the display the message is about shows it, and a point decides)."""
    if max(len(sympy.sstr(stated)), len(sympy.sstr(derived))) > limit:
        return Message()
    return Message("stated ", readable(stated), ", derived ", readable(derived))


def readable(value):
    """Floats computed to full precision, alone or inside an expression, as six significant
    digits."""
    if isinstance(value, sympy.Float) and printed_digits(value) is None:
        return number(value, 6)
    if isinstance(value, sympy.Basic):
        return value.xreplace({f: number(f, 6) for f in value.atoms(sympy.Float)
                               if printed_digits(f) is None})
    return value


def numeric_params(tolerances: Tolerances, domain: dict) -> dict:
    params = {"points": tolerances.numeric_points, "rtol": tolerances.numeric_rtol,
              "seed": tolerances.seed}
    params.update({f"domain {spoken(s)}": f"({lo:g}, {hi:g})" for s, (lo, hi) in domain.items()})
    return params

