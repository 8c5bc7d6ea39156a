"""`inequality`: a displayed chain `a rel b rel c ...`, each link decided for sympy expressions
(by sympy's assumptions, else on a seeded sample of the domain) or for numbers, matrices and
arrays (every entry). Its sides are its own: `where=` binds names in them, and the audit
reverses its relations rather than changing a stated value."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy

from ..claims import Check
from ..config import Tolerances
from ..message import Message, number, point as at_point
from ..values import concrete, unfold
from .compare import computed, numeric_params, sample_points
from .method import Method, Outcome, register, unbound

# An inequality's operator and its reverse: the reversed claim (equality allowed) must fail,
# or the two sides are equal wherever the check looked, and the claim is an equality.
_NEGATION = {"<": ">=", "<=": ">=", ">": "<=", ">=": "<="}
SLACK = 10.0               # an inequality's sides may be at most this many times apart


def inequality(check: Check, tolerances: Tolerances) -> Outcome:
    """A chain `a op b op c ...` with op in <=, <, >=, > (the displayed relations): `stated`
    holds the operators, `derived` the sides, already bound to their values. Each link is
    decided for sympy expressions (symbolically, else on a seeded sample of the domain) or
    for numbers, matrices and arrays (every entry); the first link that fails is reported.
    """
    sides = [unfold(side) for side in check.derived]
    outcome = None
    for link, (operator, left, right) in enumerate(zip(check.stated, sides, sides[1:])):
        outcome = _link(operator, left, right, check.options, tolerances)
        if not outcome.ok:
            if len(check.stated) > 1:
                outcome = replace(outcome, detail=f"link {link + 1}: " + outcome.detail)
            return outcome
    return outcome


def _link(operator: str, left, right, options, tolerances: Tolerances) -> Outcome:
    margin, strict = _MARGINS[operator]
    numbers = isinstance(left, sympy.MatrixBase) or isinstance(right, sympy.MatrixBase) \
        or (computed(left, right) and not _free(left, right))
    if numbers:                     # numbers an experiment computed, entry by entry
        a, b = _array(left), _array(right)
        if a is not None and b is not None:
            values = np.atleast_1d(margin(a, b)).ravel()
            # a strict inequality between computed numbers holds by more than their
            # rounding: sides equal within the tolerances are not told apart
            noise = tolerances.numeric_atol + tolerances.numeric_rtol * np.maximum(
                np.abs(np.atleast_1d(a)).ravel(), np.abs(np.atleast_1d(b)).ravel()) \
                if strict else 0.0
            return _judge(values, strict, {"entries": values.size},
                          lambda k: Message(f"entry {k + 1}"), floor=noise)
    return nonnegative(margin(sympy.sympify(left), sympy.sympify(right)), strict,
                        options, tolerances)


def _free(*values) -> bool:
    return any(isinstance(v, (sympy.Basic, sympy.MatrixBase)) and v.free_symbols
               for v in values)


def _array(value):
    """A matrix or number of plain numbers as a float array; None if it holds symbols."""
    try:
        return np.asarray(sympy.Matrix(value) if isinstance(value, sympy.MatrixBase)
                          else value, dtype=float)
    except TypeError:
        return None


def nonnegative(expr, strict: bool, options, tolerances: Tolerances) -> Outcome:
    """expr > 0 (strict) or >= 0: by sympy's assumptions, else on a seeded sample."""
    expr = unfold(expr)
    # extended: a margin of oo (a bound at infinity) is positive
    decided = expr.is_extended_positive if strict else expr.is_extended_nonnegative
    if decided is None:
        simpler = sympy.simplify(expr)
        decided = simpler.is_extended_positive if strict else simpler.is_extended_nonnegative
    if decided is not None:
        return Outcome(bool(decided), "numeric" if computed(expr) else "symbolic",
                       "" if decided else Message(
                           "the margin, ", expr, ", is not positive" if strict
                           else ", is negative"))
    domain = dict(options.get("domain", {}))
    symbols = sorted(expr.free_symbols, key=str)
    columns = sample_points(symbols, domain, tolerances)
    values = np.real(sympy.lambdify(symbols, expr, "numpy")(*[columns[s] for s in symbols]))
    values = np.broadcast_to(values, (tolerances.numeric_points,))
    return _judge(values, strict, numeric_params(tolerances, domain),
                  lambda k: at_point(symbols, [columns[s][k] for s in symbols]),
                  "sympy's assumptions could not decide")


def _judge(margins, strict: bool, params: dict, where, note: str = "",
           floor=0.0) -> Outcome:
    """Every margin must be >= 0 (> `floor`, the rounding of the sides, if strict); the
    smallest one is reported."""
    held = margins > floor if strict else margins >= 0
    worst = int(np.argmin(margins))
    params = {**params, "worst margin": f"{margins[worst]:.3g}"}
    if not held.all():
        k = int(np.argmin(held))
        within = ", within the rounding of the sides" if strict and margins[k] > 0 else ""
        return Outcome(False, "numeric", "it fails at " + where(k) + Message(
            ", where the margin is ", number(margins[k], 6), within), params)
    return Outcome(True, "numeric", note, params)


def _apart(left, right, options, tolerances: Tolerances) -> float | None:
    """The smallest ratio of the larger side to the smaller, in magnitude, over the entries
    or sampled points where both sides are nonzero and of one sign; None where every point
    is a sign statement (a side 0, or sides of opposite signs)."""
    a, b = _values(left, options, tolerances), _values(right, options, tolerances)
    if a is None or b is None:
        return None
    a, b = np.broadcast_arrays(a, b)
    same = (a * b > 0) & np.isfinite(a) & np.isfinite(b)
    if not same.any():
        return None
    big = np.maximum(np.abs(a[same]), np.abs(b[same]))
    small = np.minimum(np.abs(a[same]), np.abs(b[same]))
    return float(np.min(big / small))


def _values(side, options, tolerances: Tolerances):
    try:
        if isinstance(side, sympy.MatrixBase):
            return np.asarray(sympy.Matrix(side), dtype=float).ravel()
        side = sympy.sympify(side)
        symbols = sorted(side.free_symbols, key=str)
        if not symbols:
            return np.atleast_1d(float(side))
        columns = sample_points(symbols, dict(options.get("domain", {})), tolerances)
        values = sympy.lambdify(symbols, side, "numpy")(*[columns[s] for s in symbols])
        return np.real(np.broadcast_to(values, (tolerances.numeric_points,))).astype(float)
    except (TypeError, ValueError):
        return None


@register
class Inequality(Method):
    name = "inequality"
    compares = False
    decide = staticmethod(inequality)

    def bound(self, check: Check) -> Check:
        return Check(check.method, check.stated, concrete(check.derived,
                                                          check.options.get("where")),
                     check.options)

    def changes(self, check: Check):
        """Each relation reversed: `a >= b` must fail where `a < b` or `a <= b` was claimed."""
        options = unbound(check)[1]
        sides = concrete(check.derived, check.options.get("where"))
        for k, operator in enumerate(check.stated):
            reversed_ = (*check.stated[:k], _NEGATION[operator], *check.stated[k + 1:])
            yield (f"the relation of link {k + 1} reversed" if len(check.stated) > 1
                   else "the relation reversed", Check("inequality", reversed_, sides, options))

    def weaknesses(self, check: Check, tolerances: Tolerances):
        """slack: sides further apart than a factor (SLACK, or the claim's slack=) wherever
        the check looked: the bound says little."""
        allowed = float(check.options.get("slack", SLACK))
        sides = [unfold(concrete(side, check.options.get("where"))) for side in check.derived]
        for link, (left, right) in enumerate(zip(sides, sides[1:])):
            apart = _apart(left, right, check.options, tolerances)
            if apart is not None and apart > allowed:
                place = f"link {link + 1}: " if len(sides) > 2 else ""
                yield "slack", (f"{place}the sides are at least {apart:.3g} times apart wherever "
                                f"it was checked (allowed: {allowed:g}; slack= sets another "
                                "factor)")


# An inequality `a op b` holds when `margin` is non-negative (positive if strict).
_MARGINS = {"<=": (lambda a, b: b - a, False), "<": (lambda a, b: b - a, True),
            ">=": (lambda a, b: a - b, False), ">": (lambda a, b: a - b, True)}
