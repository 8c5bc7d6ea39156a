"""The verification appendix: one table row per displayed equation, as LaTeX (pure)."""

from __future__ import annotations

from collections import Counter

from .filters import escape_tex
from .verify import Record


def _params(record: Record) -> str:
    return "; ".join(f"{key} {value}" for key, value in record.params.items())


# Road map of the markup:
#   <summary sentence>
#   \begin{longtable}{...} Tag & Claim & Where & Method & Parameters & Time \\ ... \end{longtable}
def appendix_latex(records: list[Record]) -> str:
    methods = Counter(record.method for record in records)
    checked = sum(1 for record in records if record.method != "definition")
    summary = ", ".join(f"{count} {escape_tex(name)}" for name, count in sorted(methods.items()))
    rows = []
    for r in records:
        link = rf"\hyperref[vtx:{r.tag}]{{{r.tag}}}"
        where = r"\newline ".join(rf"\texttt{{{escape_tex(part)}}}"
                                   for part in r.where.replace(" [", "\n[").split("\n"))
        rows.append(" & ".join([link, escape_tex(r.name), where,
                                escape_tex(r.method), escape_tex(_params(r)),
                                f"{1000 * r.seconds:.0f}"]) + r" \\")
    return "\n".join([
        f"The build checked {checked} claims and displayed {len(records) - checked} "
        f"definitions ({summary}); every claim below held when this PDF was made.",
        r"\begin{footnotesize}",
        r"\begin{longtable}{@{}l >{\raggedright\arraybackslash}p{0.2\linewidth} "
        r"p{0.25\linewidth} l >{\raggedright\arraybackslash}p{0.19\linewidth} r@{}}",
        r"\toprule Tag & Claim & Where & Method & Parameters & ms \\ \midrule \endhead",
        *rows,
        r"\bottomrule",
        r"\end{longtable}",
        r"\end{footnotesize}",
    ]) + "\n"
