"""What a check method is: one object, registered under its name, that says in one place how it
decides a claim, which part of the claim `where=` binds, what a displayed left-hand side must
equal, how the audit changes the claim, and which weak checks are its own.

A new method is a subclass in a module of this package, decorated with `@register`, and that
module's import in `veritex/checks/__init__.py`; nothing else in the engine names methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from .. import perturb
from ..claims import Check
from ..config import Tolerances
from ..message import Message
from ..values import concrete


@dataclass(frozen=True)
class Outcome:
    ok: bool
    method: str                  # as decided: "symbolic", or "numeric (fallback: ...)"
    detail: Message | str = ""   # why it failed, or what was shown
    params: dict = field(default_factory=dict)
    side: str = ""               # "left" when the displayed left-hand side is what failed


class MalformedCheck(ValueError):
    """A claim's check lacks what its method needs: the claim's author's mistake."""


def required(check: Check, option: str):
    if option not in check.options:
        raise MalformedCheck(f"the {check.method!r} check needs the option {option}=...")
    return check.options[option]


class Method:
    """A check method. `decide` is the method itself; the rest have defaults that fit a
    method comparing a stated value with a derived one."""

    name = ""
    # derived= is a value the displayed sides stand for (not an inequality's own sides): a
    # displayed left side is decided against it, the audit changes the left side and the
    # where= bindings, and a derived= that repeats the displayed side is a tautology
    compares = True
    # derived= is code that draws samples, not a value typed or computed (Monte Carlo)
    samples = False

    def decide(self, check: Check, tolerances: Tolerances) -> Outcome:
        raise NotImplementedError

    def bound(self, check: Check) -> Check:
        """The check with the names `where=` binds replaced by their values: in its stated
        side (an inequality: in its sides, which it keeps in `derived`)."""
        where = check.options.get("where")
        return Check(check.method, concrete(check.stated, where), check.derived, check.options)

    def left(self, check: Check):
        """What a displayed left-hand side must equal; None: the stated side, which the method
        decides (roots, eigenpairs, a Monte Carlo mean...)."""
        return None

    def changes(self, check: Check) -> Iterator[tuple[str, Check]]:
        """How the audit changes what the claim states, (description, changed check): its
        stated side, entry by entry."""
        stated, options = unbound(check)
        for description, changed in perturb.changes(stated, self.symbolic(stated)):
            yield f"the stated side {description}", Check(check.method, changed, check.derived,
                                                          options)

    def symbolic(self, stated) -> bool:
        """Whether the audit also adds a symbol to the stated side."""
        return bool(getattr(stated, "free_symbols", None))

    def weaknesses(self, check: Check, tolerances: Tolerances) -> Iterator[tuple[str, str]]:
        """(kind, detail) of the weak checks that only this method can have (see veritex.weak)."""
        return iter(())


def unbound(check: Check) -> tuple:
    """The stated side with the names `where=` binds replaced by their values, and the
    check's other options: what a changed check is made of."""
    return (concrete(check.stated, check.options.get("where")),
            {k: v for k, v in check.options.items() if k != "where"})


METHODS: dict[str, Method] = {}


def register(cls: type[Method]) -> type[Method]:
    """Class decorator: the method's one instance, under its name."""
    METHODS[cls.name] = cls()
    return cls
