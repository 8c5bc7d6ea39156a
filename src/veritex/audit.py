"""The audit: how strong is each check? (`python build.py audit`, `make audit`)

A check that still holds when its claim is changed proves less than it seems. For every
claim the audit changes the stated side in several ways and runs the claim's own check on
each change; every change must make the check fail:
- a sign (-s), a factor (2s), an added term (s + 1, on one entry of a matrix), an added
  symbol (s + epsilon, for symbolic claims), an index (two entries, or two symbols, swapped);
- for an inequality, the reversed relation: `a >= b` must fail where `a < b` or `a <= b`
  was claimed (if both hold, the sides are equal: the claim is really an equality);
- a left-hand side that the derivation decides (a formula) changed in the same ways;
- each `where=` binding of a name the claim displays, doubled or with 1 added (to one
  entry): the name would then mean something else, and the check must notice, unless the
  displayed sides stand for the same values after the change (an identity in that name,
  true for every value of it: nothing the reader is told has changed).
A change that leaves the value as it was (-0, two equal entries swapped) is not a change and
is skipped. For every displayed definition of a `Defined` function, the audit swaps its body
for a changed one (-f, 2f, f + 1) and requires some check of the document to fail.

Each survivor is one located line; the score counts the changes the checks caught.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context

import sympy

from . import processes, weak
from .claims import Check
from .config import Tolerances
from .errors import ClaimError
from .perturb import changes, entries_changed, same
from .statement import Kind, Statement
from .values import concrete, is_name, name_of, shows


@dataclass(frozen=True)
class Finding:
    """One change the audit made, and whether the checks caught it."""

    tag: str
    name: str
    where: str
    change: str        # "the stated side multiplied by 2", ...
    caught: bool
    definition: bool = False    # the change was made to a definition's body

    def __str__(self) -> str:
        subject = "its definition" if self.definition else "the claim"
        return (f"{self.where}: {self.tag} ({self.name}): no check fails when {subject} is "
                f"changed: {self.change}")


# ---- running the changed checks -----------------------------------------------------------

def claim_changes(check: Check):
    """The changed checks for what one claim states, as its method changes them:
    (description, Check)."""
    from .checks import METHODS
    return METHODS[check.method].changes(check)


def left_changes(check: Check):
    """The claim with its displayed left-hand side changed, where the derivation decides that
    side: a formula is changed itself, a name through its binding (below)."""
    from .checks import METHODS
    if not METHODS[check.method].compares or check.lhs is None or is_name(check.lhs):
        return
    symbolic = bool(getattr(check.lhs, "free_symbols", None))
    for description, changed in changes(check.lhs, symbolic):
        yield f"the left-hand side {description}", replace(check, lhs=changed)


def binding_changes(check: Check):
    """The claim with one `where=` binding changed: a displayed name bound to another value
    (doubled, or 1 added to one entry) must make the claim's check fail, or the name means
    something that no check decides. Not for an inequality: a bound that holds with room
    to spare still holds for a changed value (how loose it is is another question)."""
    from .checks import METHODS
    where = check.options.get("where") or {}
    if not METHODS[check.method].compares or not where:
        return
    shown = (check.lhs, check.stated)
    for name, value in where.items():
        if not any(shows(side, name) for side in shown):
            continue                      # bound, but not displayed by this claim
        for description, change in (("multiplied by 2", lambda e: 2 * e),
                                     ("with 1 added", lambda e: e + 1)):
            changed = _bound_changed(value, change)
            if changed is None:
                continue
            options = {**check.options, "where": {**where, name: changed}}
            yield (f"the binding of {name_of(name)} {description}",
                   replace(check, options=options))


def _same_display(check: Check, changed: Check) -> bool:
    """Whether the displayed sides stand for the same values with a binding changed: then the
    claim is an identity in that name (tr((X^T X)^-1 X^T X) is d for every X of d columns),
    the change alters nothing the reader is told, and it is no change of the claim."""
    before, after = check.options.get("where"), changed.options.get("where")
    return all(same(concrete(side, before), concrete(side, after))
               for side in (check.lhs, check.stated) if side is not None)


def _bound_changed(value, change):
    """`change` applied to a bound value (to one entry of an array or matrix); None when the
    value is not a number or formula, or the change leaves it as it was."""
    import numpy as np
    if isinstance(value, np.ndarray):
        if value.size == 0 or not np.issubdtype(value.dtype, np.number):
            return None
        changed = value.astype(float if np.issubdtype(value.dtype, np.integer) else value.dtype)
        changed.flat[-1] = change(changed.flat[-1])
        return None if np.array_equal(changed, value) else changed
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        changed = change(value)
        return None if changed == value else changed
    if isinstance(value, (sympy.Basic, sympy.MatrixBase)):
        try:
            changed = entries_changed(value, change)
        except (TypeError, ValueError, AttributeError):
            return None
        return None if same(changed, value) else changed
    return None


def _holds(check: Check, tolerances: Tolerances) -> bool:
    """Whether a changed check still holds; a check that cannot run on it does not."""
    from . import checks
    try:
        return checks.decide(check, tolerances.tightened(check.options)).ok
    except Exception:
        return False


def audit_claim(claim: Statement, tolerances: Tolerances, root=None, sampled: bool = False
                ) -> tuple[list[Finding], list[weak.Weakness]]:
    """The changes made to one claim, each caught or not, and the ways its check is weak."""
    from . import checks
    step = claim.load()
    if step.check is None or claim.refute:
        return [], []
    changed_checks = [*claim_changes(step.check), *left_changes(step.check)]
    findings = [Finding(claim.tag, step.name, str(claim.where), change,
                        not _holds(changed, tolerances))
                for change, changed in changed_checks]
    for change, changed in binding_changes(step.check):
        caught = not _holds(changed, tolerances)
        if caught or not _same_display(step.check, changed):
            findings.append(Finding(claim.tag, step.name, str(claim.where), change, caught))
    source = weak.source_call(root, claim.origin, claim.where) if root else None
    weaknesses = [weak.Weakness(claim.tag, step.name, str(claim.where), kind, detail)
                  for kind, detail in weak.weaknesses(step, claim.refute, tolerances, source,
                                                      checks.decide, sampled)]
    return findings, weaknesses


def _defined_in(value, function: type) -> bool:
    if isinstance(value, dict):
        return any(_defined_in(v, function) for v in value.values())
    if isinstance(value, (tuple, list)):
        return any(_defined_in(v, function) for v in value)
    if isinstance(value, (sympy.Basic, sympy.MatrixBase)):
        return bool(value.atoms(function))
    return False


def _parts(check: Check) -> tuple:
    return check.stated, check.derived, dict(check.options)


def audit_definition(definition: Statement, claims: list[Statement],
                     tolerances: Tolerances) -> list[Finding]:
    """Swap the definition's body for changed ones; some check must then fail."""
    from .values import perturbed
    step = definition.load()
    function = type(step.lhs)
    if not hasattr(function, "body"):
        return [Finding(definition.tag, step.name, str(definition.where),
                        "it cannot be changed: define it as a Defined function, whose body "
                        "the checks unfold, or declare it given", False, True)]
    users = [c.load().check for c in claims if not c.refute and c.load().check is not None]
    users = [check for check in users if _defined_in(_parts(check), function)]
    findings = []
    original = function.body
    for description, body in (("its sign flipped", lambda *a: -original(*a)),
                              ("multiplied by 2", lambda *a: 2 * original(*a)),
                              ("with 1 added", lambda *a: original(*a) + 1)):
        with perturbed(function, body):
            caught = any(not _holds(check, tolerances) for check in users)
        findings.append(Finding(definition.tag, step.name, str(definition.where),
                                f"its body {description}", caught, True))
    return findings


def _definition_job(definition: Statement, claims: list[Statement], tolerances: Tolerances):
    return audit_definition(definition, claims, tolerances), []


@dataclass(frozen=True)
class Audit:
    """What the audit found: every change made (caught or not), every weak check, and the
    seconds it took."""

    findings: list
    weaknesses: list
    seconds: float

    @property
    def survivors(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.caught]


def audit(claims: list[Statement], tolerances: Tolerances, workers: int | None = None,
          progress=None, root=None, sampled: set = frozenset(), src=None) -> Audit:
    """Every change and weak check, in document order (`root`: the project's folder, where
    the claims' code is read; `src`: its modules' folder, which the workers import the steps'
    modules from; `sampled`: the tags whose check drew seeded samples). A statement the audit
    cannot read or change is a located error."""
    started = time.perf_counter()
    workers = workers if workers is not None else processes.cores()
    definitions = [c for c in claims if c.kind is Kind.DEFINITION]
    checked = [c for c in claims if c.kind is Kind.CLAIM]
    with ProcessPoolExecutor(workers, get_context("spawn"), _worker,
                             (str(src) if src else None,)) as pool:
        jobs = [(c, pool.submit(audit_claim, c, tolerances, root, c.tag in sampled))
                for c in checked]
        jobs += [(d, pool.submit(_definition_job, d, claims, tolerances)) for d in definitions]
        bar = progress.bar("audit", total=len(jobs), unit="claim") if progress else None
        findings, weaknesses = [], []
        for statement, future in jobs:
            found, weak_ones = _result(statement, future)
            findings.extend(found)
            weaknesses.extend(weak_ones)
            if bar:
                bar.update()
        if bar:
            bar.close()
    return Audit(findings, weaknesses, time.perf_counter() - started)


def _worker(src: str | None) -> None:
    """A worker imports the project's modules, as the build's kernel does."""
    if src and src not in sys.path:
        sys.path.insert(0, src)


def _result(statement: Statement, future):
    try:
        return future.result()
    except Exception as error:          # its step cannot be read back, say: the author's
        raise ClaimError(f"{statement.tag} ({statement.name}): the audit could not change it: "
                         f"{type(error).__name__}: {error}", statement.where) from None


def score_line(result: Audit, claims: int, definitions: int) -> str:
    caught = sum(f.caught for f in result.findings)
    total = len(result.findings)
    share = 100.0 * caught / total if total else 100.0
    kinds = ", ".join(f"{kind} {sum(w.kind == kind for w in result.weaknesses)}"
                      for kind in weak.KINDS)
    return (f"audit: {caught} of {total} changes caught ({share:.1f} %) over {claims} claims "
            f"and {definitions} definitions; {len(result.weaknesses)} weak checks ({kinds}); "
            f"in {result.seconds:.0f} s")
