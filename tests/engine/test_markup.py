"""The engine's LaTeX contract: every macro and environment the engine emits is named once, in
veritex.markup, and defined by tex/veritex.sty; the builders emit exactly the markup below."""

import re
from importlib.resources import files
from pathlib import Path

from veritex import markup

STYLE = files("veritex").joinpath("tex", "veritex.sty").read_text()
ENGINE = Path(markup.__file__).parent
DEFINED = set(re.findall(r"\\(?:newcommand|newlength)\{\\([A-Za-z]+)\}", STYLE))
ENVIRONMENTS = set(re.findall(r"\\new(?:tcolorbox|environment)\{([A-Za-z]+)\}", STYLE))
INTERNAL = {"vtxnumberof"}          # used inside veritex.sty only


def _emitted() -> str:
    """One of everything the builders make."""
    return "".join([
        markup.equation("Since $x$ is real,", "x = y", "C1"),
        markup.inline("$x = y$", "C2"),
        markup.erratum("E1", "in 1.2", "A sign is lost.", "<wrong>", "<rest>"),
        markup.figure("figures/f.pdf", "A caption.", "f", r"0.5\linewidth"),
        markup.link("C1"), markup.number_cell("C1"), markup.number_width("(00.00)"),
        markup.refutation("E1", "(symbolic): stated 1, derived 2"),
        markup.draft("2 typed formulas neither checked nor declared given")])


def test_every_macro_the_engine_names_is_defined_by_its_style():
    assert set(markup.MACROS) <= DEFINED, set(markup.MACROS) - DEFINED
    assert set(markup.ENVIRONMENTS) <= ENVIRONMENTS


def test_every_macro_the_style_defines_is_named_by_the_engine():
    assert DEFINED - INTERNAL == set(markup.MACROS)


def test_every_macro_the_builders_emit_is_defined_by_the_style():
    emitted = _emitted()
    used = set(re.findall(r"\\(vtx[A-Za-z]+)", emitted))
    assert used and used <= DEFINED, used - DEFINED
    assert {"erratum", "figure", "equation"} <= set(re.findall(r"\\begin\{(\w+)\}", emitted))


def test_no_other_module_of_the_engine_writes_a_macro_of_the_style():
    for path in ENGINE.rglob("*.py"):
        if path.name == "markup.py":
            continue
        written = re.findall(r"\\\\?(vtx[A-Za-z]+)", path.read_text())
        assert not written, f"{path.name} writes {written}: name it in veritex.markup"


def test_the_builders_emit_exactly_this_markup():
    rows = [
        (markup.inline("$x = y$", "C2"), r"$x = y$\vtxtag{C2}"),
        (markup.link("C1"), r"\hyperref[vtx:C1]{C1}"),
        (markup.number_cell("C1"), r"\vtxnumbercell{C1}"),
        (markup.number_width("(00.00)"), r"\settowidth{\vtxnumberwidth}{(00.00)}"),
        (markup.refutation("E1", "(numeric): w"), "\\vtxdefinerefutation{E1}{(numeric): w}\n"),
        (markup.draft("1 typed formula"), "\\vtxdraft{1 typed formula}\n"),
        (markup.printed_by("templates/q.tex.j2:4 [c]"),
         "% veritex: printed by templates/q.tex.j2:4 [c]\n"),
        (markup.equation("", "x = 1", "C3"),
         "\\begin{equation}\n\\BeginAccSupp{method=hex,unicode,ActualText="
         "00780020003D00200031}\nx = 1\n\\EndAccSupp{}\\vtxnumber{C3}\n\\end{equation}\n"),
        (markup.erratum("E1", "in 1.2", "S.", "W", "R"),
         "\\begin{erratum}{E1}{in 1.2}\nS.\\par\nW\\vtxrefutation{E1}\\par\nR\\end{erratum}\n"),
    ]
    for made, expected in rows:
        assert made == expected


def test_what_the_builders_emit_is_read_back_by_the_patterns_beside_them():
    woven = markup.equation("", "x = 1", "C3") + markup.inline("$y = 2$", "C4")
    assert markup.DISPLAYED.findall(woven) == [(markup.actual_text("x = 1"), "C3")]
    assert markup.INLINE.findall(woven) == [("y = 2", "C4")]
    printed = markup.PRINTED.match(markup.printed_by("templates/q.tex.j2:4 [c]").rstrip())
    assert printed.groups() == ("templates/q.tex.j2", "4", "c")
    assert markup.SET_LABEL.findall(r"\newlabel{vtx:C12}{{1}{2}}") == ["C12"]
