"""What a `Defined` function declares besides its body (its derivatives, an evaluation rule),
decided against the body like any claim."""

from __future__ import annotations

import sympy

from ..config import Tolerances
from ..message import Message
from ..values import unfold
from .compare import THOROUGH, UNEVALUATED, is_zero, numeric_difference, proved


def declared(function: type, tolerances: Tolerances) -> tuple[str, Message] | None:
    """The member (`fdiff`, `eval`) of a `Defined` function that declares an identity its body
    disagrees with, and why; None when they agree.

    A subclass may say more than its body: its derivatives (`fdiff`) and an evaluation rule
    (`eval`, which sympy applies whenever the function is built). Each is decided against the
    body, as any claim: derivatives on symbols, the evaluation rule at a few special points.
    """
    import inspect
    from ..values import Defined
    if function.body is Defined.body:               # an abstract family of functions
        return None
    try:
        arity = len(inspect.signature(function.body).parameters)
    except (TypeError, ValueError):
        return None
    args = sympy.symbols(f"a_1:{arity + 1}", real=True)
    body = function.body(*args)
    if _overrides(function, "fdiff"):
        instance = function(*args)
        for index, arg in enumerate(args, start=1):
            # the body unfolded first: differentiated by name, a defined function inside it
            # would be differentiated by the very fdiff being decided
            stated, derived = instance.fdiff(index), sympy.diff(unfold(body), arg)
            problem = _disagreement(stated, derived, tolerances)
            if problem is not None:
                return "fdiff", Message(f"its declared derivative (fdiff) in argument {index} "
                                        "is not the derivative of its body: ") + problem
    if _overrides(function, "eval"):
        for value in (sympy.Integer(0), sympy.Integer(1), sympy.Integer(-1), sympy.Rational(1, 2)):
            point = (value,) * arity
            evaluated = function.eval(*point)
            if evaluated is None:
                continue
            expected = function.body(*point)
            if arity == 1 and expected.has(sympy.nan, sympy.zoo):   # sin(u)/u at 0: the
                expected = sympy.limit(body, args[0], value)        # rule gives the limit
            problem = _disagreement(evaluated, expected, tolerances)
            if problem is not None:
                return "eval", Message("its evaluation rule (eval) at ", sympy.Tuple(*point),
                                       " disagrees with its body: ") + problem
    return None


def _overrides(function: type, name: str) -> bool:
    from ..values import Defined
    for klass in function.__mro__:
        if klass is Defined:
            return False
        if name in vars(klass):
            return True
    return False


def _disagreement(stated, derived, tolerances: Tolerances) -> Message | None:
    stated, derived = unfold(stated), unfold(derived)
    if is_zero(stated - derived, quick=True):
        return None
    counterexample = numeric_difference(stated, derived, {}, tolerances)
    if counterexample is None:
        return None
    if counterexample is UNEVALUATED:
        return None if proved(stated - derived, THOROUGH) else UNEVALUATED
    return counterexample + " (the stated side is the declared form)"

