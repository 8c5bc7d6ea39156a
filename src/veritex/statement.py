"""One displayed statement, the same record from `show()` to the appendix.

The chunk's runtime makes it where `show()` or `inline()` is called, with a placeholder tag,
its line within the unit and the module line of the code that made it; the weave stage numbers
it (tag), places it (its template line, its section) and attaches its step and cache key; the
checker decides it (its verdict); claims.json and the appendix print it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from . import pickling
from .errors import Location, SourceLine


class Kind(enum.Enum):
    """What a displayed statement is, with the letter of its tag and its word."""

    CLAIM = ("C", "claim")                # checked before typesetting
    DEFINITION = ("D", "definition")      # one source with the code that uses it
    GIVEN = ("G", "given")                # declared as given (statement, assumption...)
    REFUTED = ("E", "refuted")            # an erratum's quote: its check must fail

    @property
    def letter(self) -> str:
        return self.value[0]

    @property
    def word(self) -> str:
        return self.value[1]

    @classmethod
    def of(cls, step, refute: bool = False) -> "Kind":
        """The kind of a step (`veritex.claims.Step`) as shown: refuted, or its own kind."""
        return cls.REFUTED if refute else cls[step.kind.upper()]


@dataclass(frozen=True)
class Pickled:
    """A step kept pickled until a check needs it: unpickling imports the solution modules,
    which a build that reuses the check avoids."""

    data: bytes

    def load(self):
        return pickling.loads(self.data)


@dataclass(frozen=True)
class Verdict:
    """How the checker decided a statement (a definition or a given one: shown, not checked)."""

    method: str
    params: dict
    ok: bool           # the claim holds, or the refuted statement is indeed false
    detail: str        # why it failed (or what was shown), as plain text
    seconds: float
    cached: bool = False   # reused from an earlier build, not checked again
    detail_tex: str = ""   # the same words for the PDF, mathematics typeset
    side: str = ""         # "left" when its displayed left-hand side is what failed


@dataclass(frozen=True)
class Statement:
    tag: str                   # "@@vtx3@@" as the chunk made it; "C12" once numbered
    kind: Kind
    name: str = ""             # a few words naming it, for messages and the appendix
    offset: int = 0            # its line, counted from its unit's first line
    origin: SourceLine | None = None   # the module line of the code that made it
    step: object = None        # the Step, or Pickled until a check needs it
    where: Location | None = None      # its template line (and origin)
    key: str = ""              # what it is known by in the cache (see Incremental.claim_keys)
    section: str = ""          # the title of the document section that shows it
    verdict: Verdict | None = None

    @property
    def refute(self) -> bool:
        return self.kind is Kind.REFUTED

    def load(self):
        """Its step (unpickled, when it was kept pickled)."""
        return self.step.load() if isinstance(self.step, Pickled) else self.step

    def record(self) -> dict:
        """What claims.json holds of a decided statement."""
        verdict, where = self.verdict, self.where
        return {"tag": self.tag, "name": self.name,
                "where": {"template": where.template, "line": where.line, "chunk": where.chunk,
                          "origin": str(where.origin) if where.origin else None},
                "kind": self.kind.word, "method": verdict.method, "params": verdict.params,
                "ok": verdict.ok, "detail": verdict.detail, "seconds": verdict.seconds,
                "cached": verdict.cached, "detail_tex": verdict.detail_tex,
                "section": self.section, "side": verdict.side}
