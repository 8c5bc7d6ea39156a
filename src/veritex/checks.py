"""Check methods, registered by name. Each takes a Check and the tolerances and returns an
Outcome saying whether the claim holds, how that was decided, and why it failed.

Symbolic first: sympy proves `stated - derived` is zero. Where sympy cannot decide, the claim
falls back to evaluation at random points from a seeded generator, and the outcome says so.
"""

from __future__ import annotations

import cmath
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np
import sympy

from . import rational
from .claims import Check
from .config import Tolerances
from .message import Message, number, point as at_point
from .values import concrete, is_name, printed_digits, unfold


@dataclass(frozen=True)
class Outcome:
    ok: bool
    method: str                  # as decided: "symbolic", or "numeric (fallback: ...)"
    detail: Message | str = ""   # why it failed, or what was shown
    params: dict = field(default_factory=dict)
    side: str = ""               # "left" when the displayed left-hand side is what failed


METHODS: dict[str, Callable[[Check, Tolerances], Outcome]] = {}


class MalformedCheck(ValueError):
    """A claim's check lacks what its method needs: the claim's author's mistake."""


def required(check: Check, option: str):
    if option not in check.options:
        raise MalformedCheck(f"the {check.method!r} check needs the option {option}=...")
    return check.options[option]


def method(name: str):
    def register(function):
        METHODS[name] = function
        return function
    return register


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


_QUICK = (rational.is_zero, _with_exp(rational.is_zero), _numerator_zero,
          _with_exp(_numerator_zero))
_THOROUGH = (lambda e: sympy.simplify(e) == 0, _with_exp(lambda e: sympy.simplify(e) == 0))


def is_zero(expr, quick: bool = False) -> bool | None:
    """True if sympy proves expr == 0, None if it cannot tell.

    First the quick, exact ways: as a rational function of its parts (`veritex.rational`),
    then over one denominator with sympy's expand; sinh, cos... are also tried written with
    exp. They decide most identities between rational expressions in a fraction of
    simplify's time. Then (unless `quick`) simplify, which knows more identities."""
    return _proved(expr, _QUICK if quick else _QUICK + _THOROUGH)


def _proved(expr, attempts) -> bool | None:
    expr = unfold(expr)
    return True if expr == 0 or any(attempt(expr) for attempt in attempts) else None


def _entries(value) -> list:
    if isinstance(value, sympy.MatrixBase):
        return list(value)
    if isinstance(value, (tuple, list, sympy.Tuple)):
        return [entry for item in value for entry in _entries(item)]
    return [sympy.sympify(value)]


def _shape(value):
    if isinstance(value, sympy.MatrixBase):
        return value.shape
    if isinstance(value, (tuple, list, sympy.Tuple)):
        return (len(value),)
    return ()


def _position(index: int, shape) -> str:
    if len(shape) == 2 and shape[1] == 1:          # a column: its components
        return f"component {index + 1}: "
    if len(shape) == 2:
        return f"entry ({index // shape[1] + 1}, {index % shape[1] + 1}): "
    return f"component {index + 1}: " if shape else ""


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
_UNEVALUATED = Message("sympy could not decide, and the expressions cannot be evaluated "
                       "numerically (they contain undefined functions)")


def numeric_difference(stated, derived, domain: dict, tolerances: Tolerances,
                       points: int | None = None):
    """The first sampled point where stated and derived differ, or None if they agree (at
    the first `points` of the tolerances' points, or at all of them)."""
    stated, derived = unfold(stated), unfold(derived)
    symbols = sorted(stated.free_symbols | derived.free_symbols, key=str)
    columns = sample_points(symbols, domain, tolerances)
    count = min(points or tolerances.numeric_points, tolerances.numeric_points)
    for k in range(count if symbols else 1):             # numbers: compared once
        point = {s: columns[s][k] for s in symbols}
        try:
            a, b = _evaluate(stated, point), _evaluate(derived, point)
        except TypeError:       # an undefined function, say: nothing to compare with
            return _UNEVALUATED
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


@method("equal")
def equal(check: Check, tolerances: Tolerances) -> Outcome:
    """stated == derived, scalars entry by entry through matrices and tuples (a scalar stated
    against a matrix derived: every entry equals it).

    Option `where` substitutes shorthand symbols of the stated form (c = psi0 theta + psi1)
    before comparing; option `domain` bounds the random points of a numeric fallback.
    """
    check = Check(check.method, check.stated, concrete(check.derived), check.options)
    if _shape(check.stated) == () and isinstance(check.derived, sympy.MatrixBase):
        # one stated value for every entry: "each ratio is p"
        check = Check(check.method, sympy.ones(*check.derived.shape) * check.stated,
                      check.derived, check.options)
    if _shape(check.stated) != _shape(check.derived):
        return Outcome(False, "symbolic", Message(
            f"the shapes differ: the stated side is {_size(check.stated)}, the derived one "
            f"{_size(check.derived)}"))
    domain = dict(check.options.get("domain", {}))
    fell_back, digits = [], set()
    pairs = list(zip(_entries(check.stated), _entries(check.derived)))
    for index, (stated, derived) in enumerate(pairs):
        shown = printed_digits(stated)
        if shown is not None:         # a rounded number: the derived one rounds to its digits
            digits.add(shown)
            mismatch = _rounding_mismatch(stated, derived, shown)
            if mismatch:
                where = _position(index, _shape(check.stated))
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
        if counterexample in (None, _UNEVALUATED) and _proved(difference, _THOROUGH):
            continue
        if counterexample is None:
            counterexample = numeric_difference(*unfolded, domain, tolerances)
        where = _position(index, _shape(check.stated))
        if counterexample:
            sides = _sides(stated, derived)
            how = "numeric" if _computed(stated, derived) else "symbolic"
            if sides and not (stated - derived).free_symbols:
                return Outcome(False, how, where + sides)    # the numbers say it all
            return Outcome(False, how, where + sides + "; " * bool(sides) + counterexample)
        fell_back.append(where.rstrip(": ") or "the value")
    if digits:
        return Outcome(True, "numeric", "rounded to the printed digits",
                       {"entries": len(pairs), "digits": ", ".join(map(str, sorted(digits)))})
    if (fell_back or all(_computed(s, d) for s, d in pairs)) and \
            all(not (s - d).free_symbols for s, d in pairs):
        return Outcome(True, "numeric", f"computed numbers agree within rtol "
                       f"{tolerances.numeric_rtol:g}", {"entries": len(pairs),
                                                        "rtol": tolerances.numeric_rtol})
    if fell_back:
        return Outcome(True, "numeric", "sympy could not reduce the difference to 0 for "
                       + ", ".join(fell_back), _numeric_params(tolerances, domain))
    return Outcome(True, "symbolic", f"{len(pairs)} entr{'y' if len(pairs) == 1 else 'ies'}",
                   {"entries": len(pairs)})


def _computed(*values) -> bool:
    """Numbers an experiment computed (floats), as opposed to exact values sympy decides."""
    return any(isinstance(v, sympy.Basic) and v.atoms(sympy.Float) for v in values)


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


def _size(value) -> str:
    shape = _shape(value)
    return {0: "a scalar", 1: f"a tuple of {shape[0] if shape else 0}"}.get(
        len(shape), "a " + " by ".join(map(str, shape)) + " matrix")


def _sides(stated, derived, limit: int = 60) -> Message:
    """`stated a, derived b` when both are short enough to read in one line; nothing when
    either is long (the display the message is about shows it, and a point decides)."""
    if max(len(sympy.sstr(stated)), len(sympy.sstr(derived))) > limit:
        return Message()
    return Message("stated ", _readable(stated), ", derived ", _readable(derived))


def _readable(value):
    """Floats computed to full precision, alone or inside an expression, as six significant
    digits."""
    if isinstance(value, sympy.Float) and printed_digits(value) is None:
        return number(value, 6)
    if isinstance(value, sympy.Basic):
        return value.xreplace({f: number(f, 6) for f in value.atoms(sympy.Float)
                               if printed_digits(f) is None})
    return value


def _numeric_params(tolerances: Tolerances, domain: dict) -> dict:
    params = {"points": tolerances.numeric_points, "rtol": tolerances.numeric_rtol,
              "seed": tolerances.seed}
    params.update({f"domain {s}": f"({lo:g}, {hi:g})" for s, (lo, hi) in domain.items()})
    return params


@method("roots")
def roots(check: Check, tolerances: Tolerances) -> Outcome:
    """The stated list (with multiplicity) is exactly the roots of the derived polynomial."""
    variable = required(check, "variable")
    found = sympy.roots(sympy.Poly(unfold(check.derived), variable))
    claimed = list(check.stated.args if isinstance(check.stated, sympy.FiniteSet)
                   else check.stated)
    if sum(found.values()) != sympy.degree(check.derived, variable):
        return Outcome(False, "symbolic", "sympy could not find every root")
    remaining = [root for root, count in found.items() for _ in range(count)]
    for value in claimed:
        match = next((r for r in remaining if is_zero(r - value)), None)
        if match is None:
            return Outcome(False, "symbolic", Message(value, " is not a root; the roots are ",
                                                      sympy.FiniteSet(*found)))
        remaining.remove(match)
    if remaining:
        return Outcome(False, "symbolic", Message("roots left out: ",
                                                  sympy.FiniteSet(*remaining)))
    return Outcome(True, "symbolic", f"{len(claimed)} roots with multiplicity",
                   {"degree": len(claimed)})


@method("eigenpairs")
def eigenpairs(check: Check, tolerances: Tolerances) -> Outcome:
    """Each stated (value, vector) satisfies M u = value u with u nonzero; M is `derived`."""
    matrix = sympy.Matrix(unfold(check.derived))
    for value, vector in check.stated:
        vector = sympy.Matrix(vector)
        if all(is_zero(entry) for entry in vector):
            return Outcome(False, "symbolic", Message("the vector for ", value, " is zero"))
        residual = matrix * vector - value * vector
        bad = [i for i, entry in enumerate(residual) if not is_zero(entry)]
        if bad:
            return Outcome(False, "symbolic", Message(
                "the vector ", sympy.Tuple(*vector), " is not an eigenvector for ", value,
                f": component {bad[0] + 1} of the matrix times the vector is ",
                sympy.simplify((matrix * vector)[bad[0]]), ", of the value times the vector ",
                sympy.simplify(value * vector[bad[0]])))
    return Outcome(True, "symbolic", f"{len(check.stated)} pairs", {"pairs": len(check.stated)})


@method("rank")
def rank(check: Check, tolerances: Tolerances) -> Outcome:
    found = sympy.Matrix(check.derived).rank(simplify=True)
    if found != check.stated:
        return Outcome(False, "symbolic", Message(f"the rank is {found}, not {check.stated}"))
    return Outcome(True, "symbolic", f"rank {found}")


# An inequality `a op b` holds when `margin` is non-negative (positive if strict).
_MARGINS = {"<=": (lambda a, b: b - a, False), "<": (lambda a, b: b - a, True),
            ">=": (lambda a, b: a - b, False), ">": (lambda a, b: a - b, True)}


@method("inequality")
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
    computed = isinstance(left, sympy.MatrixBase) or isinstance(right, sympy.MatrixBase) \
        or (_computed(left, right) and not _free(left, right))
    if computed:                    # numbers an experiment computed, entry by entry
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
    return _nonnegative(margin(sympy.sympify(left), sympy.sympify(right)), strict,
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


def _nonnegative(expr, strict: bool, options, tolerances: Tolerances) -> Outcome:
    """expr > 0 (strict) or >= 0: by sympy's assumptions, else on a seeded sample."""
    expr = unfold(expr)
    # extended: a margin of oo (a bound at infinity) is positive
    decided = expr.is_extended_positive if strict else expr.is_extended_nonnegative
    if decided is None:
        simpler = sympy.simplify(expr)
        decided = simpler.is_extended_positive if strict else simpler.is_extended_nonnegative
    if decided is not None:
        return Outcome(bool(decided), "numeric" if _computed(expr) else "symbolic",
                       "" if decided else Message(
                           "the margin, ", expr, ", is not positive" if strict
                           else ", is negative"))
    domain = dict(options.get("domain", {}))
    symbols = sorted(expr.free_symbols, key=str)
    columns = sample_points(symbols, domain, tolerances)
    values = np.real(sympy.lambdify(symbols, expr, "numpy")(*[columns[s] for s in symbols]))
    values = np.broadcast_to(values, (tolerances.numeric_points,))
    return _judge(values, strict, _numeric_params(tolerances, domain),
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


@method("limit")
def limit(check: Check, tolerances: Tolerances) -> Outcome:
    """The stated value is the limit that sympy computes for `derived`, a sympy Limit."""
    found = check.derived.doit()
    expr, variable, point, direction = check.derived.args
    params = {"limit": f"{variable} -> {point}" + ("" if point in (sympy.oo, -sympy.oo)
                                                   else f" ({direction})")}
    if isinstance(found, sympy.Limit):
        return Outcome(False, "symbolic", "sympy could not compute the limit", params)
    if is_zero(sympy.sympify(check.stated) - found) or found == check.stated:
        return Outcome(True, "symbolic", "", params)
    return Outcome(False, "symbolic", Message("the limit is ", found, ", not ", check.stated),
                   params)


@method("argmax")
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
    curvature = _nonnegative(-second, True, check.options, tolerances)
    params = {"first order": "symbolic", "second order": curvature.method, **curvature.params}
    if not curvature.ok:
        return Outcome(False, curvature.method, Message(
            "not a maximum: the second derivative is ", second, "; ") + curvature.detail, params)
    return Outcome(True, "symbolic" if curvature.method == "symbolic" else "numeric",
                   "stationary, second derivative negative", params)


@method("montecarlo")
def montecarlo(check: Check, tolerances: Tolerances) -> Outcome:
    """E[X] equals the stated value, X drawn by `derived(rng, size)` (a picklable callable
    returning one row per sample). The mean of S samples must be within k standard errors of
    options['expected'] (default: stated) in every component; S, k and the seed come from the
    tolerances, so the verdict is the same on every build.
    """
    rng = np.random.default_rng(tolerances.seed)
    samples = np.asarray(check.derived(rng, tolerances.mc_samples), dtype=float)
    samples = samples.reshape(tolerances.mc_samples, -1)
    expected = check.options.get("expected", check.stated)
    expected = np.asarray(sympy.N(sympy.Matrix([expected]) if not isinstance(
        expected, (np.ndarray, sympy.MatrixBase)) else expected), dtype=float).reshape(-1)
    mean = samples.mean(axis=0)
    error = samples.std(axis=0, ddof=1) / np.sqrt(tolerances.mc_samples)
    floor = tolerances.numeric_atol + tolerances.numeric_rtol * np.abs(expected)
    scores = np.abs(mean - expected) / np.maximum(error, floor)
    worst = int(np.argmax(scores))
    params = {"samples": tolerances.mc_samples, "k": tolerances.mc_k,
              "seed": tolerances.seed, "worst z": f"{scores[worst]:.2f}"}
    if scores[worst] > tolerances.mc_k:
        component = f" in component {worst + 1}" if scores.size > 1 else ""
        return Outcome(False, "montecarlo", Message(
            "the sample mean ", number(mean[worst], 6), f"{component} is "
            f"{scores[worst]:.1f} standard errors from the stated ", number(expected[worst], 6)),
            params)
    return Outcome(True, "montecarlo", f"within {tolerances.mc_k:g} standard errors", params)


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


# What a displayed left-hand side must equal, by method: the derivation itself, the limit it
# computes, or (for the methods whose derivation is not a value: roots, eigenpairs, a Monte
# Carlo sampler...) the stated side, which the method has decided.
LEFT = {"equal": lambda check: check.derived,
        "limit": lambda check: check.derived.doit()}


def left_side(check: Check, tolerances: Tolerances, refute: bool = False) -> Outcome | None:
    """The displayed left side against the derivation; None when there is nothing to decide:
    no left side, a name that no `where` binds (it names what is stated), or an inequality
    (whose every side its method decides)."""
    lhs, where = check.lhs, check.options.get("where") or {}
    if lhs is None or check.method == "inequality" or (is_name(lhs) and lhs not in where):
        return None
    target = LEFT.get(check.method)
    if target is None and refute:
        raise MalformedCheck(f"a refuted statement decided by {check.method!r} shows "
                             f"{sympy.sstr(lhs)} on its left: show a name that no where= "
                             "binds (the refuted side is the only one its check decides)")
    target = target or (lambda check: concrete(check.stated, where))
    value = concrete(lhs, where)
    if isinstance(value, sympy.Basic) and value.has(sympy.Limit):
        value = value.doit()
    options = {k: v for k, v in check.options.items() if k not in ("where", "when")}
    return equal(Check("equal", value, target(check), options), tolerances)


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
    where = check.options.get("where")
    if check.method == "inequality":
        check = Check(check.method, check.stated, concrete(check.derived, where), check.options)
    else:
        check = Check(check.method, concrete(check.stated, where), check.derived, check.options)
    return METHODS[check.method](check, tolerances)


# ---- what a Defined function declares besides its body -------------------------------------

def declared(function: type, tolerances: Tolerances) -> tuple[str, Message] | None:
    """The member (`fdiff`, `eval`) of a `Defined` function that declares an identity its body
    disagrees with, and why; None when they agree.

    A subclass may say more than its body: its derivatives (`fdiff`) and an evaluation rule
    (`eval`, which sympy applies whenever the function is built). Each is decided against the
    body, as any claim: derivatives on symbols, the evaluation rule at a few special points.
    """
    import inspect
    from .values import Defined
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
    from .values import Defined
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
    if counterexample is _UNEVALUATED:
        return None if _proved(stated - derived, _THOROUGH) else _UNEVALUATED
    return counterexample + " (the stated side is the declared form)"
