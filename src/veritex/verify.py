"""Stage 3, verify: decide every claim the chunks made; any false one stops the build.

All claims are checked, so one run shows every false step, each as a line
`template:line [chunk]: C7 (the Jacobian) is false: <why>`.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass

from . import checks
from .config import BuildConfig
from .errors import ClaimError, Location, VeritexError


@dataclass(frozen=True)
class Claim:
    """A displayed equation placed in the document: its tag, step and template location."""

    tag: str
    step: object
    where: Location


@dataclass(frozen=True)
class Record:
    tag: str
    name: str
    where: str
    method: str
    params: dict
    ok: bool
    detail: str
    seconds: float


class FalseClaims(VeritexError):
    """One or more claims are false; each is its own line."""

    def __init__(self, errors: list[ClaimError]):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors

    def __str__(self) -> str:
        return self.message


def check_claim(claim: Claim, config: BuildConfig) -> Record:
    step, started = claim.step, time.perf_counter()
    if step.check is None:
        return Record(claim.tag, step.name, str(claim.where), "definition", {}, True, "", 0.0)
    try:
        outcome = checks.run(step.check, config.tolerances)
    except KeyError:
        known = ", ".join(sorted(checks.METHODS))
        raise ClaimError(f"{claim.tag} ({step.name}) asks for the unknown check method "
                         f"{step.check.method!r} (known: {known})", claim.where)
    seconds = time.perf_counter() - started
    return Record(claim.tag, step.name, str(claim.where), outcome.method, outcome.params,
                  outcome.ok, outcome.detail, seconds)


def verify(claims: list[Claim], config: BuildConfig) -> list[Record]:
    records = [check_claim(claim, config) for claim in claims]
    failures = [ClaimError(f"{record.tag} ({record.name}) is false: {record.detail}",
                           claim.where)
                for claim, record in zip(claims, records) if not record.ok]
    if failures:
        raise FalseClaims(failures)
    return records


def write_json(records: list[Record], path) -> None:
    path.write_text(json.dumps([asdict(r) for r in records], indent=1, default=str) + "\n")
