"""The engine's LaTeX: every macro and environment it emits, named once here, and the builders
that emit them. `tex/veritex.sty` defines them (tests/engine/test_markup.py holds the two
together), and the stages that read the woven LaTeX back (prose, typeset, concordance) use the
patterns below, next to their only producer.

A chunk prints through these builders (`veritex.runtime`): a displayed step is an `equation`
with its source as PDF ActualText and its tag, an inline one a formula followed by its tag, an
erratum a framed box, a figure a float. The verification appendix (`veritex.appendix`) writes
its table with `number_cell` and `link`.
"""

from __future__ import annotations

import re

# The macros and environments of tex/veritex.sty, as the engine emits them.
NUMBER = "vtxnumber"                 # a displayed statement's number and tag: \vtxnumber{C12}
TAG = "vtxtag"                       # the tag after a statement shown in running text
REFUTATION = "vtxrefutation"         # how a refuted statement failed: \vtxrefutation{E3}
DEFINE_REFUTATION = "vtxdefinerefutation"   # refutations.tex: \vtxdefinerefutation{E3}{...}
DRAFT = "vtxdraft"                   # veritex-draft.tex: the first page's DRAFT mark
NUMBER_CELL = "vtxnumbercell"        # the appendix's equation-number cell
NUMBER_WIDTH = "vtxnumberwidth"      # that cell's width (a length)
GIVEN = "given"                      # \given[kind]{...}, typed by authors
RESTATES = "restates"                # \restates{name}{$...$}, typed by authors
APPENDIX = "veritexappendix"         # where a document puts the verification appendix
ERRATUM = "erratum"                  # the environment of an erratum
MACROS = (NUMBER, TAG, REFUTATION, DEFINE_REFUTATION, DRAFT, NUMBER_CELL, NUMBER_WIDTH,
          GIVEN, RESTATES, APPENDIX)
ENVIRONMENTS = (ERRATUM,)
LABEL = "vtx:"                       # the prefix of the labels the tags set

# The files the build writes beside the woven document, which veritex.sty reads.
REFUTATIONS_FILE = "refutations.tex"
DRAFT_FILE = "veritex-draft.tex"
APPENDIX_FILE = "verification.tex"
STYLE_FILE = "veritex.sty"

PRINTED_BY = "% veritex: printed by "      # the woven LaTeX's comment before a chunk's output

# Read back from the woven LaTeX and its .aux: what a statement printed, where a chunk's
# output came from, which tags LaTeX set.
DISPLAYED = re.compile(rf"ActualText=([0-9A-F]+)\}}.*?\\{NUMBER}\{{([A-Z]\d+)\}}", re.DOTALL)
INLINE = re.compile(rf"\$([^$]*)\$\\{TAG}\{{([A-Z]\d+)\}}")
PRINTED = re.compile(rf"^{PRINTED_BY}(.+):(\d+)(?: \[(.+)\])?$")
SET_LABEL = re.compile(rf"\\newlabel\{{{LABEL}([A-Z]\d+)\}}")


def group_end(text: str, start: int) -> int:
    """The index just after the {group} that opens at `start` (the end of `text` if it does
    not close): how the stages that read LaTeX back find a macro's argument."""
    depth = 0
    for end in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            return end + 1
    return len(text)


def actual_text(tex: str) -> str:
    """LaTeX source as PDF ActualText (UTF-16, hex), so copying a formula out of the PDF gives
    its source; a tag placeholder in it is replaced like the visible one (see weave's retag)."""
    return tex.encode("utf-16-be").hex().upper()


# Road map of the markup, per displayed statement:
#   <why, as a paragraph>
#   \begin{equation}
#   \BeginAccSupp{method=hex,unicode,ActualText=<its LaTeX source, UTF-16 hex>}
#   <lhs> <relation> <rhs> \EndAccSupp{} \vtxnumber{<tag>}
#   \end{equation}
def equation(why: str, body: str, tag: str) -> str:
    why = f"{why}\n" if why else ""
    actual = actual_text(" ".join(body.split()))
    return (f"{why}\\begin{{equation}}\n"
            f"\\BeginAccSupp{{method=hex,unicode,ActualText={actual}}}\n"
            f"{body}\n\\EndAccSupp{{}}\\{NUMBER}{{{tag}}}\n\\end{{equation}}\n")


def inline(formula: str, tag: str) -> str:
    """`$...$` in running text, followed by its tag."""
    return f"{formula}\\{TAG}{{{tag}}}"


# Road map of the markup, per erratum:
#   \begin{erratum}{<tag>}{<where>} <summary>
#   <the source's statement, an equation tagged E-n> \vtxrefutation{<E-n>}
#   <its readings> <the corrected statement> \end{erratum}
# \vtxrefutation prints the failed check's own words, which exist only after verification.
def erratum(tag: str, where: str, summary: str, wrong: str, rest: str) -> str:
    return (f"\\begin{{{ERRATUM}}}{{{tag}}}{{{where}}}\n{summary}\\par\n"
            f"{wrong}\\{REFUTATION}{{{tag}}}\\par\n{rest}\\end{{{ERRATUM}}}\n")


# Road map: \begin{figure}[htbp] \centering \includegraphics[width=<width>]{<path>}
#   \caption{<caption>} \label{fig:<name>} \end{figure}
def figure(path: str, caption: str, name: str, width: str) -> str:
    return ("\\begin{figure}[htbp]\n\\centering\n"
            f"\\includegraphics[width={width}]{{{path}}}\n"
            f"\\caption{{{caption}}}\\label{{fig:{name}}}\n\\end{{figure}}")


def printed_by(where) -> str:
    """The comment before a chunk's output that names its template line (see PRINTED)."""
    return f"{PRINTED_BY}{where}\n"


def link(tag: str) -> str:
    """A tag that links to where its statement is shown."""
    return rf"\hyperref[{LABEL}{tag}]{{{tag}}}"


def number_cell(tag: str) -> str:
    return rf"\{NUMBER_CELL}{{{tag}}}"


def number_width(sample: str) -> str:
    return rf"\settowidth{{\{NUMBER_WIDTH}}}{{{sample}}}"


# Road map: one \vtxdefinerefutation{<tag>}{<the failed check's words>} per refuted statement,
# read in the preamble so that each erratum can print how its statement failed.
def refutation(tag: str, words: str) -> str:
    return rf"\{DEFINE_REFUTATION}{{{tag}}}{{{words}}}" + "\n"


# Road map: in a draft, \vtxdraft{<what is unaccounted for>}, which marks the first page.
def draft(words: str) -> str:
    return rf"\{DRAFT}{{{words}}}" + "\n"
