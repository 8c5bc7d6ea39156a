"""Methods that decide a set or a number of a matrix exactly: `roots` (the stated roots, with
multiplicity, are all the roots of the derived polynomial), `eigenpairs` (each stated pair is
an eigenpair of the derived matrix), `rank`."""

from __future__ import annotations

import sympy

from .. import perturb
from ..claims import Check
from ..config import Tolerances
from ..message import Message
from ..values import unfold
from .compare import is_zero
from .method import Method, Outcome, register, required, unbound


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


def eigenpairs(check: Check, tolerances: Tolerances) -> Outcome:
    """Each stated (value, vector) satisfies M u = value u with u nonzero; M is `derived`."""
    matrix = sympy.Matrix(unfold(check.derived))
    shown = check.options.get(SHOWN, check.stated)
    for (value, vector), (_, as_shown) in zip(check.stated, shown):
        vector = sympy.Matrix(vector)
        if all(is_zero(entry) for entry in vector):
            return Outcome(False, "symbolic", Message("the vector for ", value, " is zero"))
        residual = matrix * vector - value * vector
        bad = [i for i, entry in enumerate(residual) if not is_zero(entry)]
        if bad:
            return Outcome(False, "symbolic", Message(
                "the vector ", sympy.Tuple(*as_shown), " is not an eigenvector for ", value,
                f": component {bad[0] + 1} of the matrix times the vector is ",
                sympy.simplify((matrix * vector)[bad[0]]), ", of the value times the vector ",
                sympy.simplify(value * vector[bad[0]])))
    return Outcome(True, "symbolic", f"{len(check.stated)} pairs", {"pairs": len(check.stated)})


def rank(check: Check, tolerances: Tolerances) -> Outcome:
    found = sympy.Matrix(check.derived).rank(simplify=True)
    if found != check.stated:
        return Outcome(False, "symbolic", Message(f"the rank is {found}, not {check.stated}"))
    return Outcome(True, "symbolic", f"rank {found}")


class _Set(Method):
    """A method whose stated side is a set: the audit changes one element at a time."""

    def changes(self, check: Check):
        stated, options = unbound(check)
        for description, changed in perturb.set_changes(stated):
            yield description, Check(check.method, changed, check.derived, options)


@register
class Roots(_Set):
    name = "roots"
    decide = staticmethod(roots)


SHOWN = "shown"     # the pairs as displayed, names unbound: what a refutation quotes


@register
class Eigenpairs(_Set):
    name = "eigenpairs"
    decide = staticmethod(eigenpairs)

    def bound(self, check: Check) -> Check:
        """Bound as any check, keeping the pairs as displayed for the refutation to quote
        (sympy would reorder a vector's entries once the names are replaced)."""
        bound = super().bound(check)
        return Check(bound.method, bound.stated, bound.derived,
                     {**bound.options, SHOWN: check.stated})

    def changes(self, check: Check):
        yield from super().changes(check)
        stated, options = unbound(check)
        for k, (value, vector) in enumerate(stated):
            # 1 added to one component: a zero one if there is one (a sign flip of the
            # only nonzero component would only rescale the vector)
            vector = list(vector)
            i = next((i for i, entry in enumerate(vector) if entry == 0), 0)
            vector[i] = vector[i] + 1
            pairs = [*stated[:k], (value, tuple(vector)), *stated[k + 1:]]
            yield "one component of an eigenvector changed", Check(
                check.method, pairs, check.derived, options)
            break


@register
class Rank(Method):
    name = "rank"
    decide = staticmethod(rank)
