"""Check methods, registered by name. Each takes a Check and the tolerances and returns an
Outcome saying whether the claim holds, how that was decided, and why it failed.

Symbolic first: sympy proves `stated - derived` is zero. Where sympy cannot decide, the claim
falls back to evaluation at random points from a seeded generator, and the outcome says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import sympy

from .claims import Check
from .config import Tolerances


@dataclass(frozen=True)
class Outcome:
    ok: bool
    method: str                  # as decided: "symbolic", or "numeric (fallback: ...)"
    detail: str = ""             # why it failed, or what was shown
    params: dict = field(default_factory=dict)


METHODS: dict[str, Callable[[Check, Tolerances], Outcome]] = {}


def method(name: str):
    def register(function):
        METHODS[name] = function
        return function
    return register


def unfold(expr):
    """Replace every function that carries a `definition` (sigmoid...) by its closed form."""
    expr = sympy.sympify(expr)
    while True:
        found = expr.atoms(sympy.Function)
        defined = [f for f in found if hasattr(type(f), "definition")]
        if not defined:
            return expr
        expr = expr.xreplace({f: f.definition() for f in defined})


def is_zero(expr) -> bool | None:
    """True if sympy proves expr == 0, None if it cannot tell."""
    expr = unfold(expr)
    if expr == 0:
        return True
    for attempt in (sympy.simplify, lambda e: sympy.simplify(e.rewrite(sympy.exp))):
        if attempt(expr) == 0:
            return True
    return None


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
    if len(shape) == 2:
        return f"entry ({index // shape[1] + 1}, {index % shape[1] + 1})"
    return f"component {index + 1}" if shape else "the value"


def sample_points(symbols, domain: dict, tolerances: Tolerances):
    """Seeded random points: each symbol from its domain interval, or by its assumptions."""
    rng = np.random.default_rng(tolerances.seed)
    columns = {}
    for symbol in sorted(symbols, key=str):
        low, high = domain.get(symbol, (0.05, 3.0) if symbol.is_positive else (-3.0, 3.0))
        columns[symbol] = rng.uniform(low, high, tolerances.numeric_points)
    return columns


def numeric_difference(stated, derived, domain: dict, tolerances: Tolerances):
    """The first sampled point where stated and derived differ, or None if they agree."""
    stated, derived = unfold(stated), unfold(derived)
    symbols = sorted((stated - derived).free_symbols, key=str)
    columns = sample_points(symbols, domain, tolerances)
    for k in range(tolerances.numeric_points):
        point = {s: columns[s][k] for s in symbols}
        a, b = _evaluate(stated, point), _evaluate(derived, point)
        if abs(a - b) > tolerances.numeric_atol + tolerances.numeric_rtol * max(abs(a), abs(b)):
            where = ", ".join(f"{s}={columns[s][k]:.3g}" for s in symbols)
            return f"at {where}: stated {_num(a)}, derived {_num(b)}" if symbols else \
                f"numerically {_num(a)} against {_num(b)}"
    return None


def _evaluate(expr, point: dict) -> complex:
    """Evaluate with sympy's own arithmetic (complex where a root of a negative appears)."""
    return complex(sympy.N(expr.subs(point), 17))


def _num(z: complex) -> str:
    return f"{z.real:.6g}" if abs(z.imag) < 1e-12 else f"{z:.6g}"


@method("equal")
def equal(check: Check, tolerances: Tolerances) -> Outcome:
    """stated == derived, scalars entry by entry through matrices and tuples.

    Option `where` substitutes shorthand symbols of the stated form (c = psi0 theta + psi1)
    before comparing; option `domain` bounds the random points of a numeric fallback.
    """
    stated = _substitute(check.stated, check.options.get("where", {}))
    check = Check(check.method, stated, check.derived, check.options)
    if _shape(check.stated) != _shape(check.derived):
        return Outcome(False, "symbolic", f"shapes differ: stated {_shape(check.stated)}, "
                                          f"derived {_shape(check.derived)}")
    domain = dict(check.options.get("domain", {}))
    fell_back = []
    pairs = list(zip(_entries(check.stated), _entries(check.derived)))
    for index, (stated, derived) in enumerate(pairs):
        if is_zero(stated - derived):
            continue
        counterexample = numeric_difference(stated, derived, domain, tolerances)
        where = _position(index, _shape(check.stated))
        if counterexample:
            return Outcome(False, "symbolic", f"{where}: stated {sympy.sstr(stated)}, "
                                              f"derived {sympy.sstr(derived)}; {counterexample}")
        fell_back.append(where)
    if fell_back:
        return Outcome(True, "numeric", "sympy could not reduce the difference to 0 for "
                       + ", ".join(fell_back), _numeric_params(tolerances, domain))
    return Outcome(True, "symbolic", f"{len(pairs)} entr{'y' if len(pairs) == 1 else 'ies'}",
                   {"entries": len(pairs)})


def _substitute(value, where: dict):
    if not where:
        return value
    if isinstance(value, (tuple, list)):
        return type(value)(_substitute(item, where) for item in value)
    return sympy.sympify(value).subs(where)


def _numeric_params(tolerances: Tolerances, domain: dict) -> dict:
    params = {"points": tolerances.numeric_points, "rtol": tolerances.numeric_rtol,
              "seed": tolerances.seed}
    params.update({f"domain {s}": f"({lo:g}, {hi:g})" for s, (lo, hi) in domain.items()})
    return params


@method("roots")
def roots(check: Check, tolerances: Tolerances) -> Outcome:
    """The stated list (with multiplicity) is exactly the roots of the derived polynomial."""
    variable = check.options["variable"]
    found = sympy.roots(sympy.Poly(unfold(check.derived), variable))
    claimed = list(check.stated)
    if sum(found.values()) != sympy.degree(check.derived, variable):
        return Outcome(False, "symbolic", "sympy could not find every root")
    remaining = [root for root, count in found.items() for _ in range(count)]
    for value in claimed:
        match = next((r for r in remaining if is_zero(r - value)), None)
        if match is None:
            return Outcome(False, "symbolic", f"{sympy.sstr(value)} is not a root; the roots "
                                              f"are {sympy.sstr(list(found))}")
        remaining.remove(match)
    if remaining:
        return Outcome(False, "symbolic", f"roots left out: {sympy.sstr(remaining)}")
    return Outcome(True, "symbolic", f"{len(claimed)} roots with multiplicity",
                   {"degree": len(claimed)})


@method("eigenpairs")
def eigenpairs(check: Check, tolerances: Tolerances) -> Outcome:
    """Each stated (value, vector) satisfies M u = value u with u nonzero."""
    matrix = sympy.Matrix(check.options["matrix"])
    for value, vector in check.stated:
        vector = sympy.Matrix(vector)
        if all(is_zero(entry) for entry in vector):
            return Outcome(False, "symbolic", f"the vector for {sympy.sstr(value)} is zero")
        residual = matrix * vector - value * vector
        bad = [i for i, entry in enumerate(residual) if not is_zero(entry)]
        if bad:
            return Outcome(False, "symbolic", f"M u != {sympy.sstr(value)} u for "
                           f"u = {sympy.sstr(list(vector))} (component {bad[0] + 1})")
    return Outcome(True, "symbolic", f"{len(check.stated)} pairs", {"pairs": len(check.stated)})


@method("rank")
def rank(check: Check, tolerances: Tolerances) -> Outcome:
    found = sympy.Matrix(check.derived).rank(simplify=True)
    if found != check.stated:
        return Outcome(False, "symbolic", f"the rank is {found}, not {check.stated}")
    return Outcome(True, "symbolic", f"rank {found}")


@method("sign")
def sign(check: Check, tolerances: Tolerances) -> Outcome:
    """`derived` has the stated sign ('positive', 'negative', 'nonpositive'...) on its domain.

    Symbolic when sympy's assumptions decide it; otherwise tested on a seeded sample of the
    domain, and the worst margin is reported.
    """
    expr, wanted = unfold(check.derived), check.stated
    decided = getattr(expr, f"is_{wanted}")
    if decided is not None:
        return Outcome(bool(decided), "symbolic",
                       "" if decided else f"sympy finds {sympy.sstr(expr)} is not {wanted}")
    domain = dict(check.options.get("domain", {}))
    symbols = sorted(expr.free_symbols, key=str)
    columns = sample_points(symbols, domain, tolerances)
    values = np.real(sympy.lambdify(symbols, expr, "numpy")(*[columns[s] for s in symbols]))
    values = np.broadcast_to(values, (tolerances.numeric_points,))
    test = {"positive": values > 0, "negative": values < 0,
            "nonnegative": values >= 0, "nonpositive": values <= 0}[wanted]
    worst = values[np.argmin(np.abs(values))]
    params = {**_numeric_params(tolerances, domain), "worst margin": f"{worst:.3g}"}
    if not test.all():
        k = int(np.argmin(test))
        where = ", ".join(f"{s}={columns[s][k]:.3g}" for s in symbols)
        return Outcome(False, "numeric", f"at {where} the value is {values[k]:.6g}", params)
    return Outcome(True, "numeric", "sympy's assumptions could not decide", params)


@method("at_most")
def at_most(check: Check, tolerances: Tolerances) -> Outcome:
    """A number computed by the code (a simulation's error, say) is at most the stated bound."""
    value, bound = float(check.derived), float(check.stated)
    params = {"value": f"{value:.3g}", "bound": f"{bound:.3g}"}
    if value > bound:
        return Outcome(False, "numeric", f"the value is {value:.6g}, above {bound:.6g}", params)
    return Outcome(True, "numeric", "", params)


def run(check: Check, tolerances: Tolerances) -> Outcome:
    """Dispatch to the registered method; an unknown method is the claim's author's error."""
    if check.method not in METHODS:
        raise KeyError(check.method)
    return METHODS[check.method](check, tolerances)
