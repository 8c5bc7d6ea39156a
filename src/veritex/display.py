"""How a derivation, a step and an erratum print: their sides through the document's printer
(`veritex.latex`), their markup through `veritex.markup`. Pure functions of the data; the chunk's
runtime (`veritex.runtime.show`) prints what they return.
"""

from __future__ import annotations

from dataclasses import replace

from . import markup
from .claims import Chain, Derivation, Erratum, Step
from .latex import latex


def _latex_side(side) -> str:
    if isinstance(side, Chain):
        rest = (f" {r} {latex(s)}" for r, s in zip(side.relations, side.sides[1:]))
        return latex(side.sides[0]) + "".join(rest)
    return latex(side)


def step_latex(step: Step, tag: str) -> str:
    """A displayed step, `lhs relation rhs` (and its condition), numbered with its tag."""
    lhs = latex(step.lhs) if step.lhs is not None else ""
    body = " ".join(part for part in (lhs, step.relation, _latex_side(step.rhs)) if part)
    return markup.equation(step.why, body + _condition(step), tag)


def inline_latex(step: Step, tag: str) -> str:
    """`$lhs relation rhs$` in running text, followed by its tag."""
    lhs = f"{latex(step.lhs)} " if step.lhs is not None else ""
    return markup.inline(f"${lhs}{step.relation} {_latex_side(step.rhs)}{_condition(step)}$",
                         tag)


def _condition(step: Step) -> str:
    """`\\quad\\text{for } \\gamma > 1`: the claim's `when=`, which its check's domain must
    lie in (checks.run makes sure)."""
    when = step.check.options.get("when") if step.check is not None else None
    return rf"\quad\text{{for }} {latex(when)}" if when is not None else ""


def derivation_latex(derivation: Derivation, tags: list[str]) -> str:
    return "\n".join(step_latex(step, tag) for step, tag in zip(derivation.steps, tags))


def erratum_latex(erratum: Erratum, wrong_tag: str, corrected_tag: str,
                  reading_tags: tuple = ()) -> str:
    """The source's statement (its refutation printed after verification), the readings that
    say what its names stand for, and the corrected statement."""
    # a summary that ends in a colon introduces the statement itself
    lead = "" if erratum.summary.rstrip().endswith(":") else "The reference states"
    wrong = replace(erratum.wrong, why=erratum.wrong.why or lead)
    corrected = replace(erratum.corrected,
                        why=erratum.corrected.why or "Corrected, and checked:")
    readings = "".join(step_latex(replace(step, why=step.why or (
        "Here" if k == 0 else "and")), tag)
        for k, (step, tag) in enumerate(zip(erratum.readings, reading_tags)))
    return markup.erratum(wrong_tag, erratum.where, erratum.summary, step_latex(wrong, wrong_tag),
                          readings + step_latex(corrected, corrected_tag))
