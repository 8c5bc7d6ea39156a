"""The verification appendix and the refutation texts, as LaTeX (pure functions of records)."""

from __future__ import annotations

import re

from .filters import escape_tex
from .verify import Record, summary

_RESULTS = {"claim": "holds", "definition": "definition", "given": "given",
            "refuted": "refuted"}


def _params(record: Record) -> str:
    return "; ".join(f"{key} {value}" for key, value in record.params.items())


def _folder(records: list[Record]) -> str:
    """The folder every record's template is in (`templates/`), which the table's heading
    names once instead of on every row; "" when they are in different folders."""
    folders = {record.where.template.rpartition("/")[0] for record in records}
    return f"{folders.pop()}/" if len(folders) == 1 and "" not in folders else ""


def _where(record: Record, folder: str) -> str:
    """The template line, and the chunk below it, breakable after / . : so that a long path
    wraps inside its column instead of running into the next."""
    where = record.where
    template = where.template[len(folder):]
    parts = [f"{template}:{where.line}", *([f"[{where.chunk}]"] if where.chunk else [])]
    return r"\newline ".join(
        r"\texttt{" + re.sub(r"([/.:])", r"\1\\allowbreak{}", escape_tex(part)) + "}"
        for part in parts)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


_TAGS = {  # the legend: what each kind of tag means, said only for kinds the document has
    "claim": r"\textbf{C}$n$ marks a claim that the build checked before typesetting",
    "definition": r"\textbf{D}$n$ a definition (the checks use its displayed body)",
    "given": r"\textbf{G}$n$ a statement declared as given, with the reason",
    "refuted": r"\textbf{E}$n$ a statement quoted from another source (an erratum) that the "
               r"build checked and found false",
}
_METHODS = {
    "symbolic": r"sympy reduced \emph{stated} $-$ \emph{derived} to zero (matrices entry by "
                r"entry), or decided a sign, limit, root set, rank or eigenpair exactly",
    "numeric": r"agreement at seeded random points of a stated domain within a relative "
               r"tolerance, or an inequality tested at such points with the worst margin "
               r"reported; used only where sympy could not decide, and for numbers computed "
               r"by an experiment",
    "montecarlo": r"a sample mean of $S$ draws from a seeded generator within $k$ standard "
                  r"errors of the stated expectation ($S$, $k$ and the largest $z$-score are "
                  r"listed)",
    "definition": r"a function's closed form, shown as the checks unfold it: a wrong one makes "
                  r"the claims about it fail",
    "given": r"shown, not checked, with the reason it is taken as given",
}


# Road map of the markup:
#   \section{Verification} <legend: the tags and methods this document uses> <summary>
#   \begin{longtable}{...} Tag & Claim & Where & Method & Parameters & Result \\ ...
#   \end{longtable}
def appendix_latex(records: list[Record], typed=None) -> str:
    counts = summary(records)
    kinds = [kind for kind in _TAGS if any(r.kind == kind for r in records)]
    used = sorted({r.method for r in records if r.method in _METHODS})
    heading = r"\section{Verification}\label{vtx:verification}" + "\n"
    if not records:
        return heading + ("This document makes no claim: nothing in it was checked."
                          + _typed_sentence(typed) + "\n")
    methods = ", ".join(f"{n} {escape_tex(m)}" for m, n in counts["by_method"].items())
    legend = ("Every displayed equation carries a tag. " + "; ".join(_TAGS[k] for k in kinds)
              + ". The table lists each one with the template line that shows it, the method "
              "that decided it and that method's parameters. The methods:\n"
              r"\begin{description}\small" + "\n"
              + "".join(rf"\item[{m}] {_METHODS[m]};" + "\n" for m in used)
              + r"\end{description}" + "\n")
    refuted = (f", refuted {_count(counts['refuted'], 'quoted statement', 'quoted statements')}"
               if counts["refuted"] else "")
    checks = counts["claims"] + counts["refuted"]
    rows, folder = [], _folder(records)
    for r in records:
        cells = [rf"\hyperref[vtx:{r.tag}]{{{r.tag}}}", escape_tex(r.name), _where(r, folder),
                 escape_tex(r.method), escape_tex(_params(r)), _RESULTS[r.kind]]
        rows.append(" & ".join(cells) + r" \\")
    return "\n".join([
        heading + legend +
        f"The build checked {_count(counts['claims'], 'claim', 'claims')}{refuted}, displayed "
        f"{_count(counts['definitions'], 'definition', 'definitions')} and "
        f"{_count(counts['given'], 'statement', 'statements')} declared as given; the "
        f"{_count(checks, 'check', 'checks')} used these methods: {methods or 'none'}. Every "
        "row below "
        "held when this PDF was made: a false claim"
        + (", or an erratum whose statement turned out true," if counts["refuted"] else "")
        + " would have stopped the build." + _typed_sentence(typed),
        r"\begin{footnotesize}\setlength{\tabcolsep}{4pt}",
        # the claim, the place and the parameters wrap; the tag, the method (one word) and the
        # result keep their natural width; no cell runs into the next
        r"\begin{longtable}{@{}l >{\raggedright\arraybackslash}p{0.2\linewidth} "
        r">{\raggedright\arraybackslash}p{0.2\linewidth} l "
        r">{\raggedright\arraybackslash}p{0.18\linewidth} l@{}}",
        r"\toprule Tag & Claim & Where" + (rf" (in \texttt{{{escape_tex(folder)}}})" if folder
                                            else "")
        + r" & Method & Parameters & Result \\ \midrule \endhead",
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
    checked = "is" if typed.checked == 1 else "are"
    given = "is" if typed.given == 1 else "are"
    return (f" Of the formulas typed in running text, {typed.checked} {checked} printed by the "
            f"build and checked like the displayed claims (their tags are in the table), and "
            f"{typed.given} {given} declared as given (a problem's statement, notation); "
            + ("none is unaccounted for." if not left else
               f"{left} {'is' if left == 1 else 'are'} neither."))


# Road map: one \vtxdefinerefutation{<tag>}{<the failed check's words>} per refuted statement,
# read in the preamble so that each erratum can print how its statement failed.
def refutations_latex(records: list[Record]) -> str:
    return "".join(rf"\vtxdefinerefutation{{{r.tag}}}{{{escape_tex(r.method)}: "
                   rf"{escape_tex(r.detail)}}}" + "\n"
                   for r in records if r.kind == "refuted")
