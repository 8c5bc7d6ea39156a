"""Weak checks: what the audit reports beside the changes it makes (`veritex.audit`).

A check can catch every change to its claim and still prove less than the claim says. Four
kinds, each one located line:
- instance: the claim was checked on one instance, and a fresh draw of the same kind fails
  it (sampled points, a Monte Carlo sample: another seed; exact numbers bound by `where=`:
  the claim's own `redraw=`, a function `rng -> Step` that makes the same claim on a fresh
  instance, which is where its assumptions are declared; a claim bound to such numbers
  without `redraw=` is reported, for nothing says which other instances it holds for);
- slack: an inequality whose sides are further apart than a factor (10, or the claim's
  `slack=`) everywhere it was checked: a bound of 1 for an error of 1e-12 says little (a
  method's own weak check, see `Method.weaknesses`);
- tautology: `derived=` is the displayed side itself (the same object, or the same code
  typed again), or the two displayed sides are one and the same;
- constant: `derived=` is a constant typed in the claim, which nothing derived, or the claim
  is about a zero vector or matrix bound by `where=`.

The source of a claim (the code of its `claim(...)` call) is read from the file and line
that made it: a module under src/, or the chunk of a template.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import sympy

from .claims import Check
from .config import Tolerances
from .values import chosen_instance, name_of

KINDS = ("instance", "slack", "tautology", "constant")
REDRAWS = 2                # fresh instances a claim's redraw= makes


@dataclass(frozen=True)
class Weakness:
    tag: str
    name: str
    where: str
    kind: str              # one of KINDS
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.tag} ({self.name}): weak check ({self.kind}): {self.detail}"


def weaknesses(step, refute: bool, tolerances: Tolerances, source: ast.Call | None,
               decide, sampled: bool = False) -> list[tuple[str, str]]:
    """(kind, detail) for each way the step's check is weak; `decide(check, tolerances)` is
    the claim's verdict (`veritex.checks.decide`), `source` its `claim(...)` call, `sampled`
    whether its check drew seeded samples (points, a Monte Carlo sample)."""
    check = step.check
    if check is None or refute:
        return []
    from .checks import METHODS
    method = METHODS[check.method]
    found = [*_tautology(step, source, method), *_constant(check, source, method),
             *method.weaknesses(check, tolerances)]
    found += _instance(step, tolerances, decide, sampled)
    return found


# ---- tautology and constant: what the claim's own code says -------------------------------

def _tautology(step, source: ast.Call | None, method):
    check = step.check
    if not method.compares:                  # derived= holds the displayed sides themselves
        return
    # (sympy keeps one object per expression in its cache: `is` says nothing about them)
    if check.derived is check.stated and not isinstance(check.stated, sympy.Basic):
        yield "tautology", "derived= is the displayed side itself: the check compares it with itself"
        return
    if source is None:
        return
    derived, sides = _keyword(source, "derived"), source.args[:2]
    if derived is not None and len(sides) == 2 and _same_code(derived, sides[1]) \
            and not _literal(derived):                  # a constant: said as such below
        yield "tautology", (f"derived= is the displayed side typed again "
                            f"({ast.unparse(derived)}): derive it from the definitions")
    elif len(sides) == 2 and _same_code(*sides) and step.lhs is not None:
        yield "tautology", f"both displayed sides are {ast.unparse(sides[1])}"


def _constant(check: Check, source: ast.Call | None, method):
    derived = _keyword(source, "derived") if source is not None else None
    if derived is not None and not method.samples and _literal(derived):
        yield "constant", (f"derived= is a constant typed in the claim ({ast.unparse(derived)}): "
                           "nothing derives it")
    for name, value in (check.options.get("where") or {}).items():
        if _zero_matrix(value) and name != check.lhs:
            yield "constant", (f"{name_of(name)} is bound to a zero "
                               f"{'vector' if 1 in _shape(value) else 'matrix'}: the claim holds "
                               "for it whatever it says")


def _keyword(call: ast.Call, name: str):
    return next((k.value for k in call.keywords if k.arg == name), None)


def _same_code(a: ast.AST, b: ast.AST) -> bool:
    return ast.dump(a) == ast.dump(b)


_CONSTRUCTORS = {"sp", "sympy", "np", "numpy", "S", "Integer", "Rational", "Float", "Matrix",
                 "ImmutableMatrix", "zeros", "ones", "eye", "pi", "oo", "E", "I"}


def _literal(node: ast.AST) -> bool:
    """Code that only writes a constant: numbers, and sympy or numpy's constructors of them."""
    return all(not isinstance(sub, ast.Name) or sub.id in _CONSTRUCTORS
               for sub in ast.walk(node)) and not isinstance(node, ast.Name)


def _zero_matrix(value) -> bool:
    if isinstance(value, np.ndarray):
        return value.ndim > 0 and value.size > 1 and not np.any(value)
    return (isinstance(value, sympy.MatrixBase) and len(value) > 1
            and all(entry == 0 for entry in value))


def _shape(value) -> tuple:
    return tuple(np.shape(value)) if isinstance(value, np.ndarray) else value.shape


# ---- instance: a fresh draw of the same kind ----------------------------------------------

def _instance(step, tolerances: Tolerances, decide, sampled: bool) -> list[tuple[str, str]]:
    check = step.check
    redraw = check.options.get("redraw")
    if redraw is not None:
        rng = np.random.default_rng(tolerances.seed + 1)
        for draw in range(REDRAWS):
            fresh = redraw(rng)
            outcome = decide(fresh.check, tolerances.tightened(fresh.check.options))
            if not outcome.ok:
                return [("instance", f"it fails on a fresh instance from its redraw= "
                                     f"(draw {draw + 1}): {outcome.detail}")]
        return []
    exact = [name for name, value in (check.options.get("where") or {}).items()
             if chosen_instance(value)]
    if exact:
        return [("instance", f"checked on the numbers bound to "
                             f"{', '.join(name_of(n) for n in exact)} only: give redraw= (a "
                             "function rng -> the same claim on a fresh instance, drawn as its "
                             "assumptions require), or bind generic entries")]
    if sampled:
        fresh = replace(tolerances, seed=tolerances.seed + 1)
        again = decide(check, fresh.tightened(check.options))
        if not again.ok:
            return [("instance", f"it holds on the seeded draw only; with the seed "
                                 f"{fresh.seed}: {again.detail}")]
    return []


# ---- where a claim's code is ---------------------------------------------------------------

_CHUNK = re.compile(r"^<<.*?>>=[^\n]*\n(.*?)^@[ \t]*$", re.DOTALL | re.MULTILINE)


def source_call(root: Path, origin, where) -> ast.Call | None:
    """The `claim(...)` call that made a step: at `origin` (a SourceLine, src/pkg/module.py:12)
    in its module, or at its template line (`where`) in the chunk that holds it."""
    if origin:
        tree, line = _module(str(root / origin.path)), origin.line
    elif where is not None and getattr(where, "line", None):
        found = _chunk(str(root / where.template), where.line)
        if found is None:
            return None
        tree, offset = found
        line = where.line - offset
    else:
        return None
    if tree is None:
        return None
    line = int(line)
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and _called(node) in ("claim", "inequality")
             and node.lineno <= line <= node.end_lineno]
    return max(calls, key=lambda node: (node.lineno, -node.end_lineno), default=None)


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


@functools.lru_cache(maxsize=64)
def _module(path: str):
    try:
        return ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None


@functools.lru_cache(maxsize=64)
def _chunk(path: str, line: int):
    """The parsed chunk holding a template line, and the line before its code."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    for match in _CHUNK.finditer(text):
        first = text.count("\n", 0, match.start(1))       # lines before the code
        last = first + match.group(1).count("\n")
        if first < line <= last:
            try:
                return ast.parse(match.group(1)), first
            except SyntaxError:
                return None
    return None
