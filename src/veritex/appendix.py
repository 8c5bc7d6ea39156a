"""The verification appendix and the refutation texts, as LaTeX (pure functions of records)."""

from __future__ import annotations

from .filters import escape_tex
from .verify import Record, summary

_RESULTS = {"claim": "holds", "definition": "definition", "given": "given",
            "refuted": "refuted"}


def _params(record: Record) -> str:
    return "; ".join(f"{key} {value}" for key, value in record.params.items())


def _where(record: Record) -> str:
    return r"\newline ".join(rf"\texttt{{{escape_tex(part)}}}"
                             for part in record.where.replace(" [", "\n[").split("\n"))


# Road map of the markup:
#   <summary sentence>
#   \begin{longtable}{...} Tag & Claim & Where & Method & Parameters & Result \\ ...
#   \end{longtable}
def appendix_latex(records: list[Record], typed=None) -> str:
    counts = summary(records)
    methods = ", ".join(f"{n} {escape_tex(m)}" for m, n in counts["by_method"].items())
    rows = []
    for r in records:
        cells = [rf"\hyperref[vtx:{r.tag}]{{{r.tag}}}", escape_tex(r.name), _where(r),
                 escape_tex(r.method), escape_tex(_params(r)), _RESULTS[r.kind]]
        rows.append(" & ".join(cells) + r" \\")
    return "\n".join([
        f"The build checked {counts['claims']} claims, refuted {counts['refuted']} statements "
        f"of the reference solution, displayed {counts['definitions']} definitions and "
        f"{counts['given']} statements declared as given; the "
        f"{counts['claims'] + counts['refuted']} checks used these methods: {methods}. Every "
        "row below held when this PDF was made: a false claim, or an erratum whose statement "
        "turned out true, would have stopped the build." + _typed_sentence(typed),
        r"\begin{footnotesize}",
        r"\begin{longtable}{@{}l >{\raggedright\arraybackslash}p{0.19\linewidth} "
        r"p{0.23\linewidth} l >{\raggedright\arraybackslash}p{0.17\linewidth} l@{}}",
        r"\toprule Tag & Claim & Where & Method & Parameters & Result \\ \midrule \endhead",
        *rows,
        r"\bottomrule",
        r"\end{longtable}",
        r"\end{footnotesize}",
    ]) + "\n"


def _typed_sentence(typed) -> str:
    """How the formulas typed in running text are accounted for."""
    if typed is None:
        return ""
    left = len(typed.undeclared)
    return (f" Of the formulas typed in running text, {typed.checked} are printed by the build "
            f"and checked like the displayed claims (their tags are in the table), and "
            f"{typed.given} are declared as given (the assignment's statement, notation); "
            + ("none is unaccounted for." if not left else f"{left} are neither."))


# Road map: one \vtxdefinerefutation{<tag>}{<the failed check's words>} per refuted statement,
# read in the preamble so that each erratum can print how its statement failed.
def refutations_latex(records: list[Record]) -> str:
    return "".join(rf"\vtxdefinerefutation{{{r.tag}}}{{{escape_tex(r.method)}: "
                   rf"{escape_tex(r.detail)}}}" + "\n"
                   for r in records if r.kind == "refuted")
