"""A derivation is data: an ordered list of steps, each with its expression, its justification
in words, and its check (or none, for a definition).

`derivation_latex` renders one to LaTeX (pure); `veritex.checks` decides each step's check;
`veritex.runtime.show` ties the two together inside a chunk, giving each step its id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .latex import latex, plain


@dataclass(frozen=True)
class Check:
    """How to decide a claim: a registered method and the data it needs.

    `stated` is what the document asserts; `derived` is what the code derived independently
    from the definitions; `options` are the method's own inputs (a domain, a matrix...).
    """

    method: str
    stated: Any
    derived: Any = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    lhs: Any                   # what the equation is about (a sympy object or Notation)
    rhs: Any                   # what the document states it is
    why: str = ""              # the justification, a sentence of LaTeX text
    check: Check | None = None  # None marks a definition: shown, not checked
    name: str = ""             # a few words naming the claim, for messages and the appendix
    relation: str = "="        # LaTeX relation between lhs and rhs


@dataclass(frozen=True)
class Derivation:
    steps: tuple[Step, ...]


def define(lhs, rhs, why: str = "", name: str = "") -> Step:
    """A definition: it is displayed and counted, and nothing can make it false."""
    return Step(lhs, rhs, why, None, name or "definition")


def claim(lhs, rhs, *, derived, why: str = "", name: str = "", method: str = "equal",
          relation: str = "=", **options) -> Step:
    """A displayed equation `lhs = rhs` whose rhs must agree with `derived` by `method`."""
    return Step(lhs, rhs, why, Check(method, rhs, derived, options), name, relation)


def check_only(lhs, rhs, check: Check, *, why: str = "", name: str = "",
               relation: str = "=") -> Step:
    """A displayed statement whose check is not a plain comparison of rhs (eigenpairs, signs)."""
    return Step(lhs, rhs, why, check, name, relation)


def derivation(*steps: Step) -> Derivation:
    return Derivation(tuple(steps))


_PLAIN_RELATIONS = {r"\le": "<=", r"\ge": ">=", r"\in": "in", r"\approx": "~="}


def plain_text(step: Step, tag: str) -> str:
    """The equation as plain text (sympy's str form), for copying out of the PDF."""
    rhs = step.rhs if not isinstance(step.rhs, str) else getattr(step.check, "stated", "")
    parts = [f"({tag})", plain(step.lhs) if step.lhs is not None else "",
             _PLAIN_RELATIONS.get(step.relation.strip(), step.relation.strip()), plain(rhs)]
    return " ".join(part for part in parts if part)


# Road map of the markup, per step:
#   <why, as a paragraph>
#   \begin{equation}
#   \BeginAccSupp{method=hex,unicode,ActualText=<plain text, UTF-16 hex>}
#   <lhs> <relation> <rhs> \EndAccSupp{} \tag{<id>}\label{vtx:<id>}
#   \end{equation}
# The ActualText makes copy-paste (and pdftotext) give the plain form instead of the glyphs.
def step_latex(step: Step, tag: str) -> str:
    why = f"{step.why}\n" if step.why else ""
    lhs = latex(step.lhs) if step.lhs is not None else ""
    rhs = step.rhs if isinstance(step.rhs, str) else latex(step.rhs)
    actual = plain_text(step, tag).encode("utf-16-be").hex().upper()
    return (f"{why}\\begin{{equation}}\n"
            f"\\BeginAccSupp{{method=hex,unicode,ActualText={actual}}}\n"
            f"{lhs} {step.relation} {rhs}\n\\EndAccSupp{{}}"
            f"\\tag{{{tag}}}\\label{{vtx:{tag}}}\n\\end{{equation}}\n")


def derivation_latex(derivation: Derivation, tags: list[str]) -> str:
    return "\n".join(step_latex(step, tag) for step, tag in zip(derivation.steps, tags))
