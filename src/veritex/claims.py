"""A derivation is data: an ordered list of steps, each with its expression, its justification
in words, and its check. What the PDF shows is what the check decides: the displayed sides
are the checked objects (see `veritex.values` for how names in them are bound to values).

`veritex.display` renders one to LaTeX (pure); `veritex.checks` decides each step's check;
`veritex.runtime.show` ties the two together inside a chunk, giving each step its id.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import numpy as np
from sympy import Float

from .errors import SourceLine
from .latex import Notation, latex
from .values import is_name, name_of, shows, symbols_of


@dataclass(frozen=True)
class Check:
    """How to decide a claim: a registered method and the data it needs.

    `stated` is what the document asserts; `derived` is what the code derived independently
    from the definitions; `options` are the method's own inputs (a domain, a matrix...).
    `lhs` is the displayed left-hand side: when it is an expression, or a name that `where`
    binds, the derivation decides it too (`veritex.checks.decide`).
    """

    method: str
    stated: Any
    derived: Any = None
    options: Mapping[str, Any] = field(default_factory=dict)
    lhs: Any = None


@dataclass(frozen=True)
class Step:
    lhs: Any                   # what the equation is about (a sympy object or Notation)
    rhs: Any                   # what the document states it is: a sympy object, printed
    why: str = ""              # the justification, a sentence of LaTeX text
    check: Check | None = None  # how the build decides it; None for a given statement
    name: str = ""             # a few words naming the claim, for messages and the appendix
    relation: str = "="        # LaTeX relation between lhs and rhs
    kind: str = "claim"        # claim, definition or given (see `veritex.statement.Kind`)
    origin: SourceLine | None = None   # the module line of the code that made it
    reason: str = ""           # why a given statement is taken as given
    given: str = ""            # a given statement's kind (GIVEN)

    def __post_init__(self):
        _refuse_unprintable((self.lhs, self.rhs), self.name or self.kind)


@dataclass(frozen=True)
class Derivation:
    steps: tuple[Step, ...]


class DisplayError(ValueError):
    """A displayed side that is not what the check decides (free text standing for a value)."""


ROOT: Path | None = None       # the project's folder (set by veritex.runtime.start)


def _origin() -> SourceLine | None:
    """`src/course/notes.py:120`: the first frame outside the engine that made a step, relative
    to the project's folder; None when that frame is a chunk's code in a template."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("veritex"):
        frame = frame.f_back
    if frame is None or ROOT is None:
        return None
    try:
        shown = Path(frame.f_code.co_filename).resolve().relative_to(ROOT).as_posix()
    except ValueError:                  # a template's chunk runs as an IPython cell
        return None
    return SourceLine(shown, frame.f_lineno)


def _refuse_unprintable(sides, name: str) -> None:
    """Every symbol a step shows prints as LaTeX can read it (balanced braces, no bare #, %
    or $): a name that would break LaTeX stops here, at the line that made the step, rather
    than in LaTeX's log."""
    for side in sides:
        for atom in getattr(side, "free_symbols", ()):
            tex = latex(atom)
            unbalanced = tex.count("{") - tex.count("\\{") != tex.count("}") - tex.count("\\}")
            bare = re.search(r"(?<!\\)[#%$]", tex)
            if unbalanced or bare:
                why = "its braces do not balance" if unbalanced else f"a bare {bare.group(0)}"
                raise DisplayError(f"{name}: the symbol {name_of(atom)!r} prints as {tex}, "
                                   f"which LaTeX cannot read ({why}); name it with "
                                   "Notation(r\"...\") written as LaTeX")


def _refuse_free_text(shown, derived, where, name: str) -> None:
    """A displayed side may name a quantity only if `where` gives its value or the derivation
    uses the same symbol; text that stands for a value would make the display unchecked."""
    if isinstance(shown, str):
        raise DisplayError(f"{name}: the displayed side is LaTeX text ({shown[:40]!r}); "
                           "display a sympy object, the one the check compares")
    known = symbols_of(derived) | set(where or ())
    loose = sorted((symbol for symbol in symbols_of(shown)
                    if isinstance(symbol, Notation) and symbol not in known), key=str)
    if loose:
        names = ", ".join(symbol.tex for symbol in loose)
        raise DisplayError(f"{name}: the displayed side names {names}, which stands for no "
                           "value the check uses; bind it with where={...} or display the "
                           "formula itself")


def claim(lhs, rhs, *, derived, why: str = "", name: str = "", method: str = "equal",
          relation: str = "=", where: Mapping | None = None, **options) -> Step:
    """A displayed equation `lhs = rhs` whose rhs must agree with `derived` by `method`.

    The check decides the displayed rhs itself. `where` binds names in it to the values the
    check uses: matrix symbols to matrices of generic entries (the display is general, the
    check concrete), shorthands to what they abbreviate, a named quantity to its number.
    `when=` (a sympy condition on one symbol, `gamma > 1`) is shown after the equation as
    "for gamma > 1"; the claim's `domain` for that symbol must lie inside it.
    """
    name = name or "claim"
    _refuse_free_text(rhs, derived if not callable(derived) else None, where, name)
    if where:
        options = {**options, "where": dict(where)}
    return Step(lhs, rhs, why, Check(method, rhs, derived, options, lhs), name, relation,
                "claim", _origin())


def define(lhs, rhs=None, *, why: str = "", name: str = "") -> Step:
    """A definition, displayed from the object the derivations use.

    `define(sigma(u))` shows a `Defined` function with its own body: what the checks unfold
    is what the reader sees. Any other definition shows `rhs`, the value the code computes
    with. A definition is never false by itself; the audit makes sure some check depends on it.
    """
    if rhs is None:
        if not hasattr(lhs, "definition"):
            raise DisplayError(f"{name or 'definition'}: define(f(x)) needs a Defined "
                               "function; otherwise give the value: define(lhs, rhs)")
        rhs = lhs.definition()
    if isinstance(rhs, str):
        raise DisplayError(f"{name or 'definition'}: the displayed side is LaTeX text "
                           f"({rhs[:40]!r}); display the object the code uses")
    return Step(lhs, rhs, why, None, name or "definition", "=", "definition", _origin())


# What a statement declared as given may be (as for mathematics typed by hand, see
# veritex.prose): the problem's statement, an assumption of the answer, notation, a definition.
GIVEN = ("statement", "assumption", "notation", "definition")


def given(lhs, rhs, *, kind: str, why: str = "", name: str = "", relation: str = "=",
          reason: str = "") -> Step:
    """A displayed statement the build does not check, declared as given, of one `kind`
    (GIVEN): the problem's own statement, an assumption of the answer (the instance a
    refutation is read on), notation or a definition. Never a result: what the code can
    derive is a claim. The appendix lists it with its kind and `reason`."""
    if kind not in GIVEN:
        raise DisplayError(f"{name or 'given'}: kind={kind!r} is not a kind of given "
                           f"statement (known: {', '.join(GIVEN)})")
    return Step(lhs, rhs, why, None, name or reason or kind, relation, "given", _origin(),
                reason, kind)


# The relations an inequality may state, as LaTeX (displayed) -> operator (checked): the
# displayed relation and the checked one are the same token.
INEQUALITIES = {r"\le": "<=", r"\leq": "<=", "<": "<", r"\ge": ">=", r"\geq": ">=", ">": ">"}


def inequality(*chain, why: str = "", name: str = "", where: Mapping | None = None,
               **options) -> Step:
    """A displayed `a rel b` (or a chain `a rel b rel c`), checked as displayed: every side is
    a sympy expression (decided symbolically, or on a seeded sample of options['domain'])
    or a name bound by `where` to numbers (decided entry by entry).
    """
    sides, relations = chain[::2], chain[1::2]
    if len(sides) < 2 or len(sides) != len(relations) + 1:
        raise ValueError("an inequality is a chain: side, relation, side[, relation, side...]")
    for relation in relations:
        if relation not in INEQUALITIES:
            raise ValueError(f"unknown relation {relation!r} (known: {', '.join(INEQUALITIES)})")
    for side in sides:
        _refuse_free_text(side, None, where, name or "inequality")
    if where:
        options = {**options, "where": dict(where)}
    operators = tuple(INEQUALITIES[r] for r in relations)
    middle = Chain(sides[1:], relations[1:]) if len(sides) > 2 else sides[1]
    return Step(sides[0], middle, why, Check("inequality", operators, tuple(sides), options),
                name or "inequality", relations[0], "claim", _origin())


@dataclass(frozen=True)
class Chain:
    """The rest of a displayed chain `b rel c ...` after its first relation."""

    sides: tuple
    relations: tuple


def step(function):
    """A function that makes one step (a claim, a definition, a given statement), named by
    the function and justified by its docstring, so that neither is typed twice:

        @step
        def its_derivative():
            '''Differentiate the quotient:'''
            return claim(sp.Derivative(sigma(x), x), ..., derived=...)

    shows "Differentiate the quotient:" before the equation, and messages and the appendix
    call it "its derivative". A `name=` or `why=` given to the step itself wins."""
    import functools
    import inspect
    words = function.__name__.strip("_").replace("_", " ")
    why = inspect.cleandoc(function.__doc__) if function.__doc__ else ""

    @functools.wraps(function)
    def made(*args, **kwargs):
        made_step = function(*args, **kwargs)
        if not isinstance(made_step, Step):
            raise DisplayError(f"{function.__name__}: @step makes one step (claim, define, "
                               f"given, inequality), not {type(made_step).__name__}")
        default = made_step.name in ("", "claim", "definition", "inequality", made_step.kind,
                                     made_step.given)
        return replace(made_step, name=words if default else made_step.name,
                       why=made_step.why or why)
    return made


def derivation(*steps: Step) -> Derivation:
    return Derivation(tuple(steps))


@dataclass(frozen=True)
class Erratum:
    """A statement of another source that the build refutes, with its correction.

    `wrong` is the source's statement written as a claim: its check must fail, and a build
    in which it holds stops (the erratum itself is then the mistake). `corrected` is checked
    like any other claim. `readings` say what the names in `wrong` stand for, shown between
    the two: a claim (`name = value`, checked) or a given statement (the instance the
    refutation is read on, declared as such).
    """

    where: str            # where the source says it, in words
    summary: str          # what goes wrong, one or two sentences of LaTeX text
    wrong: Step
    corrected: Step
    readings: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "readings", tuple(self.readings))
        _refuse_unchecked_bindings(self.wrong, self.corrected, self.readings)
        _refuse_undecided_truth(self.wrong, (self.corrected, *self.readings))


def _refuse_undecided_truth(wrong: Step, checked) -> None:
    """The refutation prints what the source's statement should have said (the derived value,
    "stated -55/16, derived -8/3"), and that value is mathematics the PDF shows: a check that
    holds must decide it. With a name on the left that nothing binds, that is a corrected
    statement or a reading about the same name, derived to the same value; a formula on the
    left, or a bound name, is decided against it by the refuted statement's own check."""
    check = wrong.check
    if check is None or check.method != "equal" or wrong.lhs is None:
        return
    if not is_name(wrong.lhs) or wrong.lhs in (check.options.get("where") or {}):
        return
    if _data(check.derived) or callable(check.derived):
        return
    if any(step.lhs == wrong.lhs and step.check is not None
           and _same_value(step.check.derived, check.derived) for step in checked):
        return
    raise DisplayError(f"{wrong.name}: its refutation prints the derived value of "
                       f"{latex(wrong.lhs)}, which no check that holds decides; state the "
                       "same name in the corrected statement (or in a reading) with the same "
                       "derived=, or bind the name with where=")


def _refuse_unchecked_bindings(wrong: Step, corrected: Step, readings=()) -> None:
    """A name the source's statement displays, bound by its `where`, stands for a value that
    something the reader sees decides: the corrected statement (the same binding, shown and
    checked there), or a reading `name = value` with the same value (a claim, checked, or a
    given instance). The refutation alone cannot: the statement stays false whatever the name
    is bound to, and the reader would see a name that means something no check confirmed."""
    bindings = (wrong.check.options.get("where") or {}) if wrong.check else {}
    if not bindings:
        return
    checked = (corrected.check.options.get("where") or {}) if corrected.check else {}
    read = {step.lhs: step for step in readings}
    # an inequality's method decides all its sides, so its refutation decides none of them
    shown = (wrong.lhs, wrong.rhs) if wrong.check.method == "inequality" else (wrong.rhs,)
    loose = [name for name, value in bindings.items()
             if (shows(shown, name) and (name != wrong.lhs or len(shown) == 2))
             and not _data(value)
             and not (name in checked and _same_value(checked[name], value)
                      and (shows(corrected.lhs, name) or shows(corrected.rhs, name)))
             and not (name in read and _reads(read[name], name, value))]
    if loose:
        names = ", ".join(latex(name) for name in loose)
        raise DisplayError(f"{wrong.name}: the source's statement displays {names}, bound by "
                           "where= to a value that no check decides (its refutation holds "
                           "whatever the value); bind the name to the same value in the "
                           "corrected statement and show it there, or say what it stands for "
                           "in readings=(claim(name, value, derived=...),) or, for the "
                           "instance the refutation is read on, given(name, value)")


def _data(value) -> bool:
    """Numbers an experiment computed (floats, arrays of them): the code that computed them
    is their derivation, and changing them changes what the refutation compares."""
    if isinstance(value, np.ndarray):
        return value.dtype.kind == "f"
    if hasattr(value, "atoms") and hasattr(value, "free_symbols"):     # as sympy numbers
        return not value.free_symbols and bool(value.atoms(Float))
    return isinstance(value, (float, np.floating))


def _reads(reading: Step, name, value) -> bool:
    """A reading states `name = value`: its displayed side is the value, or its check binds
    the name to it (and so decides it)."""
    where = (reading.check.options.get("where") or {}) if reading.check else {}
    return _same_value(reading.rhs, value) or (name in where and _same_value(where[name], value))


def _same_value(a, b) -> bool:
    """The same object, or equal values (numbers, arrays, sympy objects)."""
    if a is b:
        return True
    try:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return bool(np.array_equal(np.asarray(a), np.asarray(b)))
        return bool(a == b)
    except (TypeError, ValueError):
        return False
