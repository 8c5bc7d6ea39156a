"""Numbering: the document-wide tags of the statements the units show (C1, C2... per kind),
given in the order each unit printed them, and what the weave returns besides the LaTeX: the
claims (each handed to the checker as soon as it is numbered), the text typed in code, the
warnings, and what each unit did.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import ClaimError
from ..render import Rendered
from ..statement import Kind, Pickled, Statement


@dataclass
class Ran:
    """What one unit (chunk or inline expression) did in this build, and why."""

    label: str
    ran: bool
    why: str = ""
    seconds: float = 0.0        # how long it ran (in this build, or when it last ran)


class Numbering:
    """Tags shown steps across the document (C1, C2... per kind), in the order each unit
    printed them, hands each to the checker as soon as it is numbered, and collects what the
    weave returns: claims, typed texts, warnings, and what each unit did."""

    def __init__(self, checker):
        self.checker = checker
        self.counts = dict.fromkeys(Kind, 0)
        self.claims: list[tuple] = []         # (numbered Statement, unit label): see `placed`
        self.texts: list[tuple] = []          # (origin, rendered line, unit label, LaTeX)
        self.warnings: list[tuple] = []       # (rendered line, unit label, stderr text)
        self.log: list[Ran] = []
        self.unprinted: list[tuple] = []      # (Statement, unit label, rendered line)

    def number(self, result, printed: str, first_line: int, label: str | None,
               keys: list[str]) -> dict:
        """Number a unit's claims in the order `printed` shows them (a claim shown inline in a
        justification is made before the equation it justifies, but printed after its text);
        returns placeholder -> tag."""
        tags = {}
        claims = sorted(enumerate(result.claims),
                        key=lambda item: printed.find(item[1].tag) % (len(printed) + 1))
        for index, claim in claims:
            if claim.tag not in printed:          # made here, printed by another unit
                self.unprinted.append((claim, label, first_line + claim.offset))
            self.counts[claim.kind] += 1
            tag = tags[claim.tag] = f"{claim.kind.letter}{self.counts[claim.kind]}"
            numbered = replace(claim, tag=tag, step=Pickled(result.steps[index]),
                               key=keys[index], offset=first_line + claim.offset)
            if self.checker is not None:          # checking starts while later units run
                self.checker.submit(numbered)
            self.claims.append((numbered, label))
        self.texts.extend((origin, first_line + offset, label, text)
                          for origin, offset, text in result.texts)
        return tags

    def placed(self, rendered: Rendered) -> tuple[Statement, ...]:
        """The claims with their template locations (their offset is now a rendered line) and
        the section each one is shown in."""
        sections = rendered.sections()

        def section(line: int) -> str:
            return next((title for start, title in reversed(sections) if start <= line), "")
        if self.unprinted:
            claim, label, line = self.unprinted[0]
            raise ClaimError(f"a statement made here by inline() is not printed here (kind "
                             f"{claim.kind.letter}): inline() numbers it in the unit that calls it, so "
                             "print its text in the same chunk (build the text where it is "
                             "shown, not in an earlier chunk)",
                             rendered.location(line, label, claim.origin))
        return tuple(replace(claim, where=rendered.location(claim.offset, label, claim.origin),
                             section=section(claim.offset))
                     for claim, label in self.claims)


def retag(out: dict, tags: dict) -> dict:
    """Put the document-wide tags where the chunk printed placeholders (also in ActualText,
    which carries them as UTF-16 hex)."""
    text = out.get("text", "")
    for placeholder, tag in tags.items():
        text = text.replace(placeholder, tag).replace(_hex(placeholder), _hex(tag))
    return {**out, "text": text} if "text" in out else out


def _hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()
