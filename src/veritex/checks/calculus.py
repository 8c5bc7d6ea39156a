"""Methods of calculus: `limit` (the stated value is the limit sympy computes) and `argmax` (the
stated point maximises the derived objective: first derivative zero, second negative)."""

from __future__ import annotations

import sympy

from ..claims import Check
from ..config import Tolerances
from ..message import Message, spoken
from ..values import unfold
from .compare import is_zero
from .inequality import nonnegative
from .method import Method, Outcome, register, required


def limit(check: Check, tolerances: Tolerances) -> Outcome:
    """The stated value is the limit that sympy computes for `derived`, a sympy Limit."""
    found = check.derived.doit()
    expr, variable, point, direction = check.derived.args
    side = "" if point in (sympy.oo, -sympy.oo) else {"+": "⁺", "-": "⁻"}.get(str(direction), "")
    params = {"limit": f"{spoken(variable)} → {spoken(point)}{side}"}
    if isinstance(found, sympy.Limit):
        return Outcome(False, "symbolic", "sympy could not compute the limit", params)
    if is_zero(sympy.sympify(check.stated) - found) or found == check.stated:
        return Outcome(True, "symbolic", "", params)
    return Outcome(False, "symbolic", Message("the limit is ", found, ", not ", check.stated),
                   params)


def argmax(check: Check, tolerances: Tolerances) -> Outcome:
    """The stated point maximises `derived` over options['variable']: the first derivative
    vanishes there (symbolically) and the second is negative (symbolically, else sampled).
    """
    variable = required(check, "variable")
    objective, point = unfold(check.derived), unfold(check.stated)
    outside = [name for name in ("positive", "nonnegative", "negative", "real")
               if getattr(variable, f"is_{name}") and getattr(point, f"is_{name}") is False]
    if outside:
        return Outcome(False, "symbolic", Message(check.stated, f" is not {outside[0]}, as ",
                                                  variable, " is"))
    first = sympy.diff(objective, variable).subs(variable, point)
    if not is_zero(first):
        return Outcome(False, "symbolic", Message("the derivative at ", check.stated, " is ",
                                                  sympy.simplify(first), ", not 0"))
    second = sympy.simplify(sympy.diff(objective, variable, 2).subs(variable, point))
    curvature = nonnegative(-second, True, check.options, tolerances)
    params = {"first order": "symbolic", "second order": curvature.method, **curvature.params}
    if not curvature.ok:
        return Outcome(False, curvature.method, Message(
            "not a maximum: the second derivative is ", second, "; ") + curvature.detail, params)
    return Outcome(True, "symbolic" if curvature.method == "symbolic" else "numeric",
                   "stationary, second derivative negative", params)


@register
class Limit(Method):
    name = "limit"
    decide = staticmethod(limit)

    def left(self, check: Check):
        return check.derived.doit()


@register
class Argmax(Method):
    name = "argmax"
    decide = staticmethod(argmax)
