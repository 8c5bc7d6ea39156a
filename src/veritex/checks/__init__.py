"""Check methods, registered by name (`METHODS`, see `method.Method`), and the verdict on a claim:
its method on what it states, then its displayed left-hand side against the derivation.

Symbolic first: sympy proves `stated - derived` is zero. Where sympy cannot decide, the claim
falls back to evaluation at random points from a seeded generator, and the outcome says so.
The methods: `equal`, `roots`, `eigenpairs`, `rank` (sets), `inequality`, `limit`, `argmax`
(calculus), `montecarlo`; `declared` decides what a Defined function says besides its body.
"""

from __future__ import annotations

from dataclasses import replace

import sympy

from ..claims import Check
from ..config import Tolerances
from ..message import Message
from ..values import concrete, is_name
from . import calculus, equal as _equal, inequality as _inequality, montecarlo, sets  # noqa: F401
from .compare import SCREEN, is_zero, numeric_difference, sample_points  # noqa: F401
from .declared import declared  # noqa: F401
from .equal import equal
from .method import METHODS, MalformedCheck, Method, Outcome, register, required  # noqa: F401


def _within(when, domain: dict) -> None:
    """A claim shown "for gamma > 1" is checked on a domain inside that condition: every
    symbol of the condition has a domain, and it lies in the condition's set."""
    for symbol in when.free_symbols:
        allowed = sympy.solveset(when, symbol, sympy.S.Reals)
        if symbol not in domain:
            raise MalformedCheck(f"it is shown for {sympy.sstr(when)}, so it needs "
                                 f"domain={{{symbol}: (low, high)}} inside that condition")
        low, high = domain[symbol]
        if not sympy.Interval.open(low, high).is_subset(allowed):
            raise MalformedCheck(f"its domain for {symbol}, ({low:g}, {high:g}), is not "
                                 f"inside the condition it is shown with, {sympy.sstr(when)}")



def left_side(check: Check, tolerances: Tolerances, refute: bool = False) -> Outcome | None:
    """The displayed left side against the derivation; None when there is nothing to decide:
    no left side, a name that no `where` binds (it names what is stated), or a method whose
    sides are all its own (an inequality)."""
    lhs, where = check.lhs, check.options.get("where") or {}
    method = METHODS[check.method]
    if lhs is None or not method.compares or (is_name(lhs) and lhs not in where):
        return None
    target = method.left(check)
    if target is None and refute:
        raise MalformedCheck(f"a refuted statement decided by {check.method!r} shows "
                             f"{sympy.sstr(lhs)} on its left: show a name that no where= "
                             "binds (the refuted side is the only one its check decides)")
    target = concrete(check.stated, where) if target is None else target
    value = concrete(lhs, where)
    if isinstance(value, sympy.Basic) and value.has(sympy.Limit):
        value = value.doit()
    options = {k: v for k, v in check.options.items() if k not in ("where", "when")}
    return equal(Check("equal", value, target, options), tolerances)


def decide(check: Check, tolerances: Tolerances, refute: bool = False) -> Outcome:
    """A claim's verdict: its method on the stated side, then the left side against the
    derivation. A left side that fails fails the claim (`side="left"`), refuted or not: the
    left side is the document's own notation, never the source's mistake."""
    outcome = run(check, tolerances)
    left = left_side(check, tolerances, refute)
    if left is None:
        return outcome
    if not left.ok:
        both = "" if outcome.ok or refute else " (and its right-hand side fails too)"
        return Outcome(False, left.method, Message(
            "its left-hand side, ", check.lhs, f", is not what the derivation gives{both}: ")
            + left.detail, left.params, side="left")
    return replace(outcome, params={**outcome.params, "left side": left.method})



def run(check: Check, tolerances: Tolerances) -> Outcome:
    """Dispatch to the registered method, with the displayed sides bound to their values
    (`where`); an unknown method is the claim's author's error."""
    if check.method not in METHODS:
        raise KeyError(check.method)
    if check.options.get("when") is not None:
        _within(check.options["when"], dict(check.options.get("domain", {})))
    method = METHODS[check.method]
    return method.decide(method.bound(check), tolerances)
