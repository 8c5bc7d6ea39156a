"""The verification appendix and the refutation texts, as LaTeX (pure functions of records)."""

from __future__ import annotations

from collections import Counter

from . import markup
from .filters import escape_tex
from .prose import KINDS
from .statement import Kind, Statement
from .verify import summary


def _how(record: Statement) -> str:
    """The method and its parameters in a few words: `numeric: 24 points, rtol 1e-09`."""
    params = {key: value for key, value in record.verdict.params.items()
              if key not in ("seed", "entries", "pairs", "degree", "reason", "kind")
              and value != record.verdict.method}          # "second order: symbolic" in a symbolic row
    if "worst z" in params and "k" in params:     # the largest z-score, and its bound
        params["worst z"] = f"{params['worst z']} < {params.pop('k'):g}"
    if record.kind is Kind.GIVEN:
        kind, reason = record.verdict.params.get("kind", ""), record.verdict.params.get("reason", "")
        return escape_tex(f"given ({kind})" if kind else "given") + (
            ": " + escape_tex(reason) if reason else "")
    words = {"samples": "{} draws", "points": "{} points", "k": "z < {:g}",
             "instance": "on one instance",
             "worst z": "z {}", "worst margin": "worst margin {}", "rtol": "rtol {:g}"}
    parts = [words[key].format(value) if key in words else f"{key} {value}"
             for key, value in params.items()]
    head = _NAMES.get(record.verdict.method, record.verdict.method)
    return escape_tex(head + (": " + ", ".join(parts) if parts else ""))


_NAMES = {"montecarlo": "Monte Carlo"}


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


_TAGS = {  # the legend: what each kind of tag means, said only for kinds the document has
    "claim": r"\textbf{C} a claim the build checked before typesetting",
    "definition": r"\textbf{D} a definition (the checks use its displayed body)",
    "given": r"\textbf{G} a statement declared as given",
    "refuted": r"\textbf{E} a statement quoted from another source (an erratum), checked "
               r"and found false",
}
_METHODS = {
    "symbolic": r"sympy reduced \emph{stated} $-$ \emph{derived} to zero (matrices entry by "
                r"entry), or decided a sign, limit, root set, rank or eigenpair exactly",
    "numeric": r"agreement at seeded random points of a stated domain within a relative "
               r"tolerance, or an inequality tested at such points (its worst margin listed); "
               r"used where sympy could not decide, and for numbers an experiment computed",
    "montecarlo": r"a sample mean of seeded draws within $k$ standard errors of the stated "
                  r"expectation (the largest $z$-score listed, with its bound $k$)",
    "definition": r"a function's closed form, shown as the checks unfold it: a wrong one makes "
                  r"the claims about it fail",
    "given": r"shown, not checked, for the reason listed",
}


# Road map of the markup:
#   \section{Verification} <legend: the tags and methods this document uses> <summary>
#   \begin{longtable}{...} Tag & Eq. & Statement & How it was decided \\
#   <one row per section title> <one line per claim> \end{longtable}
def appendix_latex(records: list[Statement], typed=None) -> str:
    counts = summary(records)
    kinds = [kind for kind in _TAGS if any(r.kind.word == kind for r in records)]
    used = sorted({r.verdict.method for r in records if r.verdict.method in _METHODS})
    heading = rf"\section{{Verification}}\label{{{markup.LABEL}verification}}" + "\n"
    if not records:
        return heading + ("This document makes no claim: nothing in it was checked."
                          + _typed_sentence(typed) + "\n")
    methods = ", ".join(f"{n} {escape_tex(_NAMES.get(m, m))}"
                        for m, n in counts["by_method"].items())
    seeds = sorted({str(r.verdict.params["seed"]) for r in records if "seed" in r.verdict.params})
    legend = ("Every displayed statement carries a tag beside its equation number, and every "
              "statement shown in running text one in the margin beside its line; each tag "
              "links to its row below, and the row's tag back to it: "
              + "; ".join(_TAGS[k] for k in kinds) + ". The methods:\n"
              r"\begin{description}\small\setlength{\itemsep}{0pt}" + "\n"
              + "".join(rf"\item[{escape_tex(_NAMES.get(m, m))}] {_METHODS[m]};" + "\n"
                        for m in used)
              + r"\end{description}" + "\n")
    refuted = (f", refuted {_count(counts['refuted'], 'quoted statement', 'quoted statements')}"
               if counts["refuted"] else "")
    checks = counts["claims"] + counts["refuted"]
    rows, section = [], None
    for r in records:
        if r.section != section:
            section = r.section
            if section:                  # statements before any section: no title row
                rows.append(r"\multicolumn{4}{@{}l}{\rule{0pt}{2.6ex}\textbf{" + section
                            + r"}}\\*")
        cells = [markup.row(r.tag), markup.number_cell(r.tag), escape_tex(r.name), _how(r)]
        rows.append(" & ".join(cells) + r" \\")
    return "\n".join([
        heading + legend +
        f"The build checked {_count(counts['claims'], 'claim', 'claims')}{refuted}"
        + _displayed(counts, records) + "; the "
        f"{_count(checks, 'check', 'checks')} used these methods: {methods or 'none'}"
        + (f" (random draws seeded with {', '.join(seeds)})" if seeds else "") + ". Every "
        "row below held when this PDF was made: a false claim"
        + (", or an erratum whose statement turned out true," if counts["refuted"] else "")
        + " would have stopped the build." + _typed_sentence(typed),
        r"\begin{footnotesize}\setlength{\tabcolsep}{4pt}\setlength{\LTpre}{4pt}"
        + markup.number_width("(00.00)"),
        # one line per claim: the statement's name and the method's words wrap only when they
        # must; the tag keeps its natural width, the number a fixed one
        r"\begin{longtable}{@{}l l >{\raggedright\arraybackslash}p{0.44\linewidth} "
        r">{\raggedright\arraybackslash}p{0.36\linewidth}@{}}",
        r"\toprule Tag & Eq. & Statement & How it was decided \\ \midrule \endhead",
        *rows,
        r"\bottomrule",
        r"\end{longtable}",
        r"\end{footnotesize}",
    ]) + "\n"


def _displayed(counts: dict, records) -> str:
    """", displayed 2 definitions and 5 statements declared as given (...)": what was shown
    without a check, each part only when there is one."""
    parts = ([_count(counts["definitions"], "definition", "definitions")]
             if counts["definitions"] else [])
    if counts["given"]:
        parts.append(_count(counts["given"], "statement", "statements") + " declared as given"
                     + _given_kinds(records))
    return ", displayed " + " and ".join(parts) if parts else ""


_KIND_WORDS = {"statement": ("of the problem's statement", "of the problem's statement"),
               "assumption": ("an assumption", "assumptions"), "notation": ("notation", "notation"),
               "definition": ("a definition", "definitions")}


def _kinds(counts) -> str:
    """`2 assumptions, 1 notation`: how many of each kind of given."""
    return ", ".join(f"{counts[kind]} {_KIND_WORDS[kind][counts[kind] != 1]}"
                     for kind in KINDS if counts.get(kind))


def _given_kinds(records: list[Statement]) -> str:
    counts = Counter(r.verdict.params.get("kind", "") for r in records if r.kind is Kind.GIVEN)
    kinds = _kinds(counts)
    return f" ({kinds})" if kinds else ""


def _typed_sentence(typed) -> str:
    """How the formulas typed in running text are accounted for."""
    if typed is None:
        return ""
    left = len(typed.undeclared)
    checked = "is" if typed.checked == 1 else "are"
    total = sum(typed.given.values())
    given = "is" if total == 1 else "are"
    kinds = _kinds(typed.given)
    restated = (f", {len(typed.restated)} restate a checked claim symbol for symbol"
                if typed.restated else "")
    declared = (f", and {total} {given} declared as given" + (f" ({kinds})" if kinds else "")
                if total else "")
    return (f" Of the formulas in running text, {typed.checked} {checked} printed by the "
            f"build from the objects its checks use (tagged: their rows say how each was "
            f"decided, or that it is given){restated}{declared}; "
            + ("none is unaccounted for." if not left else
               f"{left} {'is' if left == 1 else 'are'} neither."))


def refutations_latex(records: list[Statement]) -> str:
    """How each refuted statement failed its check, for its erratum to print."""
    return "".join(markup.refutation(r.tag, f"({escape_tex(r.verdict.method)}): "
                                            f"{r.verdict.detail_tex}")
                   for r in records if r.kind is Kind.REFUTED)


def draft_latex(draft: bool, typed) -> str:
    """In a draft, the first page's DRAFT mark, saying what is unaccounted for; otherwise
    nothing."""
    if not draft:
        return ""
    left = len(typed.undeclared) if typed is not None else 0
    return markup.draft(f"{left} typed formula{'' if left == 1 else 's'} neither checked nor "
                        "declared given")
