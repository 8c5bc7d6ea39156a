"""`equal`: the stated side is the derived one, symbolically where sympy can prove it, else at
seeded random points; numbers an experiment computed within a relative tolerance, a rounded
number to its printed digits."""

from __future__ import annotations

import sympy

from ..claims import Check
from ..config import Tolerances
from ..message import Message, number
from ..values import concrete, printed_digits, unfold
from .compare import (SCREEN, THOROUGH, UNEVALUATED, computed, entries, is_zero,
                      numeric_difference, numeric_params, position, proved, shape, sides, size)
from .method import Method, Outcome, register


def equal(check: Check, tolerances: Tolerances) -> Outcome:
    """stated == derived, scalars entry by entry through matrices and tuples (a scalar stated
    against a matrix derived: every entry equals it).

    Option `where` substitutes shorthand symbols of the stated form (c = psi0 theta + psi1)
    before comparing; option `domain` bounds the random points of a numeric fallback.
    """
    check = Check(check.method, check.stated, concrete(check.derived), check.options)
    if shape(check.stated) == () and isinstance(check.derived, sympy.MatrixBase):
        # one stated value for every entry: "each ratio is p"
        check = Check(check.method, sympy.ones(*check.derived.shape) * check.stated,
                      check.derived, check.options)
    if shape(check.stated) != shape(check.derived):
        return Outcome(False, "symbolic", Message(
            f"the shapes differ: the stated side is {size(check.stated)}, the derived one "
            f"{size(check.derived)}"))
    domain = dict(check.options.get("domain", {}))
    fell_back, digits = [], set()
    pairs = list(zip(entries(check.stated), entries(check.derived)))
    for index, (stated, derived) in enumerate(pairs):
        shown = printed_digits(stated)
        if shown is not None:         # a rounded number: the derived one rounds to its digits
            digits.add(shown)
            mismatch = _rounding_mismatch(stated, derived, shown)
            if mismatch:
                where = position(index, shape(check.stated))
                return Outcome(False, "numeric", where + mismatch)
            continue
        unfolded = unfold(stated), unfold(derived)      # once, for the three tries below
        difference = unfolded[0] - unfolded[1]
        if is_zero(difference, quick=True):
            continue
        # a difference at one of the first sampled points refutes it: simplify, which can
        # take seconds, is only asked to prove what they agree with; what it cannot prove is
        # compared at every point
        counterexample = numeric_difference(*unfolded, domain, tolerances, SCREEN)
        if counterexample in (None, UNEVALUATED) and proved(difference, THOROUGH):
            continue
        if counterexample is None:
            counterexample = numeric_difference(*unfolded, domain, tolerances)
        where = position(index, shape(check.stated))
        if counterexample:
            shown = sides(stated, derived)
            how = "numeric" if computed(stated, derived) else "symbolic"
            if shown and not (stated - derived).free_symbols:
                return Outcome(False, how, where + shown)    # the numbers say it all
            return Outcome(False, how, where + shown + "; " * bool(shown) + counterexample)
        fell_back.append(where.rstrip(": ") or "the value")
    if digits:
        return Outcome(True, "numeric", "rounded to the printed digits",
                       {"entries": len(pairs), "digits": ", ".join(map(str, sorted(digits)))})
    if (fell_back or all(computed(s, d) for s, d in pairs)) and \
            all(not (s - d).free_symbols for s, d in pairs):
        return Outcome(True, "numeric", f"computed numbers agree within rtol "
                       f"{tolerances.numeric_rtol:g}", {"entries": len(pairs),
                                                        "rtol": tolerances.numeric_rtol})
    if fell_back:
        return Outcome(True, "numeric", "sympy could not reduce the difference to 0 for "
                       + ", ".join(fell_back), numeric_params(tolerances, domain))
    return Outcome(True, "symbolic", f"{len(pairs)} entr{'y' if len(pairs) == 1 else 'ies'}",
                   {"entries": len(pairs)})


def _rounding_mismatch(stated, derived, digits: int) -> Message | None:
    """Why `derived` does not round to the printed `stated`; None when it does."""
    derived = unfold(derived)
    if derived.free_symbols:
        return Message("a rounded number, ", stated, ", against an expression in symbols")
    value = complex(sympy.N(derived, 17))
    if value.imag or f"{value.real:.{digits}g}" != f"{float(stated):.{digits}g}":
        return Message("printed ", stated, f" ({digits} significant digits), but the derived "
                       "value ", number(value, 6), " rounds to ", number(value, digits))
    return None


@register
class Equal(Method):
    name = "equal"
    decide = staticmethod(equal)

    def left(self, check: Check):
        return check.derived

    def symbolic(self, stated) -> bool:
        return True
