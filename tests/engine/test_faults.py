"""Fault injection: every bad input stops the build with one located line and keeps the PDF.

Each row of FAULTS breaks a small, working project in one way and names the line the build
must print: `file:line [chunk]: what went wrong`, where `{line}` is the template line that
holds the row's marker. The build must exit 1, print exactly that one line on stderr, show
no Python traceback, and leave the published PDF byte-identical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

import sympy

from helpers import HAS_LATEX, engine_copy, run_build, small_project
from veritex import render
from veritex.claims import claim
from veritex.config import BuildConfig
from veritex.errors import ChunkError, Location, VeritexError
from veritex.statement import Kind, Statement
from veritex.verify import Checker
from veritex.weave import units

TEMPLATE = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
Some prose.
<<setup>>=
from veritex.claims import claim
import sympy
x = sympy.Symbol("x")
@
<<sum>>=
show(claim(x + 1, 1 + x, derived=x + 1, name="a sum"))
@
The end.
\end{document}
"""

OLD_PDF = b"%PDF-1.5 the last good build\n"
T = "templates/solutions\\.tex\\.j2"


@dataclass
class Fault:
    old: str            # replaced, once, in TEMPLATE
    new: str
    expected: str       # regex of the one stderr line; {line} is the line holding `marker`
    marker: str
    latex: bool = False  # needs LaTeX (the build command is pdf either way)


FAULTS = {
    "chunk raises": Fault(
        "<<sum>>=\n", "<<sum>>=\nratio = 1 / 0\n",
        rf"{T}:{{line}} \[sum\]: ZeroDivisionError: division by zero", "1 / 0"),
    "chunk raises KeyboardInterrupt itself": Fault(
        "<<sum>>=\n", "<<sum>>=\nraise KeyboardInterrupt\n",
        rf"{T}:{{line}} \[sum\]: KeyboardInterrupt", "raise Keyboard"),
    "chunk syntax error": Fault(
        "<<sum>>=\n", "<<sum>>=\nbroken = (1,\n",
        rf"{T}:\d+ \[sum\]: SyntaxError: .+", "broken"),
    "inline expression raises": Fault(
        "Some prose.", "Some\nmore <%= 1 / 0 %> prose.",
        rf"{T}:{{line}}: ZeroDivisionError: division by zero", "1 / 0"),
    "inline expression after the chunks": Fault(
        "The end.", "The\n\nend is <%= nowhere %>.",
        rf"{T}:{{line}}: NameError: name 'nowhere' is not defined", "nowhere %"),
    "a chunk fails to write its figure": Fault(
        "<<sum>>=\n", "<<sum>>=\nfigure(None, 'plot', 'A plot.')\n",
        rf"{T}:{{line}} \[sum\]: AttributeError: 'NoneType' object has no attribute .+",
        "figure(None"),
    "LaTeX: undefined control sequence": Fault(
        "The end.", r"\nosuchmacro The end.",
        rf"{T}:{{line}}: LaTeX error: Undefined control sequence \\nosuchmacro", "nosuch",
        latex=True),
    "LaTeX: missing $": Fault(
        "The end.", "Then x_1 ends.",
        rf"{T}:{{line}}: LaTeX error: Missing \$ inserted", "x_1", latex=True),
    "LaTeX: an error in what a chunk printed": Fault(
        "<<sum>>=\n", "<<sum>>=\nprint(r'\\nosuchmacro')\n",
        r"report/build/solutions/solutions\.tex:\d+: LaTeX error: Undefined control sequence "
        rf"\\nosuchmacro \(in what the template at {T}:{{line}} \[sum\] produced\)",
        "<<sum>>=", latex=True),
    "a chunk ends the document early": Fault(
        "<<sum>>=\n", "<<sum>>=\nprint(r'\\end{document}')\n",
        rf"{T}:{{line}} \[sum\]: the chunk printed \\end\{{{{document\}}}}: the PDF would "
        r"stop there, without what follows", "<<sum>>="),
    "the prose ends the document early": Fault(
        "The end.", "The end. \\end{document}",
        rf"{T}:{{line}}: \\end\{{{{document\}}}} before the end of the document: the PDF would "
        r"stop there, without what follows", "The end.", latex=True),
    "a chunk leaves an environment open": Fault(
        "<<sum>>=\n", "<<sum>>=\nprint(r'\\begin{itemize}')\n",
        rf"{T}:{{line}} \[sum\]: the chunk printed \\begin\{{{{itemize\}}}} without its "
        r"\\end\{{itemize\}}: a chunk's environments must close in its own output",
        "<<sum>>="),
    "LaTeX: a figure no chunk wrote": Fault(
        "The end.", r"\includegraphics{figures/missing.pdf} The end.",
        rf"{T}:{{line}}: LaTeX error: File `figures/missing\.pdf' not found.*", "missing.pdf",
        latex=True),
}

# The same kind of rows, decided by one stage called directly (no build, no process): the
# template stage (render), the check stage (verify), the chunk-option parser (weave.units).
STAGE_FAULTS = {
    "undefined template variable": Fault(
        "Some prose.", "Some ((( nowhere ))) prose.",
        rf"{T}:{{line}}: 'nowhere' is undefined", "nowhere"),
    "Jinja syntax error": Fault(
        "Some prose.", "Some ((* if *)) prose.",
        rf"{T}:{{line}}: Expected an expression, got 'end of statement block'", "((* if"),
    "unknown filter": Fault(
        "Some prose.", "Some ((( 'loud' | shout ))) prose.",
        rf"{T}:{{line}}: No filter named 'shout'\.", "shout"),
    "a template expression raises": Fault(
        "Some prose.", "Some ((( 1 // (2 - 2) ))) prose.",
        rf"{T}:{{line}}: ZeroDivisionError: integer division or modulo by zero", "// (2"),
    "a template that includes itself": Fault(
        "Some prose.", "Some ((* include 'solutions.tex.j2' *)) prose.",
        rf"{T}:{{line}}: templates include or extend each other without end", "include"),
    "chunk options are parsed, never run": Fault(
        "<<sum>>=", "<<sum, echo=print('ran')>>=",
        rf"{T}:{{line}} \[sum\]: malformed chunk options .+", "echo=print"),
    "false claim": Fault(
        "derived=x + 1", "derived=x + 2",
        rf"{T}:{{line}} \[sum\]: C1 \(a sum\) is false: .+", "derived=x + 2"),
    "unknown check method": Fault(
        'name="a sum"', 'name="a sum", method="telepathy"',
        rf"{T}:{{line}} \[sum\]: C1 \(a sum\) asks for the unknown check method 'telepathy' "
        r"\(known: .*equal.*\)", "telepathy"),
    "a check without the option its method needs": Fault(
        'name="a sum"', 'name="a sum", method="argmax"',
        rf"{T}:{{line}} \[sum\]: C1 \(a sum\): the 'argmax' check needs the option "
        r"variable=\.\.\.", "argmax"),
    "malformed tolerance": Fault(
        'name="a sum"', 'name="a sum", numeric_rtol="tight"',
        rf"{T}:{{line}} \[sum\]: C1 \(a sum\) has a malformed tolerance: tolerance "
        r"numeric_rtol must be a non-negative number, not 'tight'", "tight"),
    "a tolerance looser than the document's": Fault(
        'name="a sum"', 'name="a sum", numeric_rtol=0.1',
        rf"{T}:{{line}} \[sum\]: C1 \(a sum\) has a malformed tolerance: numeric_rtol=0\.1 "
        r"would loosen the document's 1e-09; a claim may only tighten it", "0.1"),
    "not UTF-8": Fault(
        "The end.", "The \udcffend.",
        rf"{T}:{{line}}: the template is not UTF-8: byte 0xff cannot be decoded", "\udcff"),
    "empty template": Fault(TEMPLATE, " \n", rf"{T}:1: the template is empty", ""),
}


@pytest.fixture
def small(tmp_path):
    project = small_project(tmp_path / "small", TEMPLATE)
    (project / "report" / "solutions.pdf").write_bytes(OLD_PDF)
    return project


def _write_template(project, text: str) -> None:
    # the "not UTF-8" row writes a lone 0xff byte (a surrogate escape in `text`)
    (project / "templates/solutions.tex.j2").write_bytes(
        text.encode("utf-8", errors="surrogateescape"))


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_bad_input_gives_one_located_line_and_keeps_the_pdf(small, fault):
    if fault.latex and not HAS_LATEX:
        pytest.skip("LaTeX is not installed (make test installs it)")
    assert TEMPLATE.count(fault.old) == 1
    broken = TEMPLATE.replace(fault.old, fault.new)
    _write_template(small, broken)
    line = next((n for n, text in enumerate(broken.split("\n"), 1) if fault.marker in text), 1)
    result = run_build(small, "pdf")
    assert result.returncode == 1, result.stdout + result.stderr
    said = result.stderr.strip().splitlines()
    assert len(said) == 1, result.stderr
    assert re.fullmatch(fault.expected.format(line=line), said[0]), said[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert (small / "report/solutions.pdf").read_bytes() == OLD_PDF
    assert not list((small / "report").glob(".*.partial"))


# The stage that owns each row of STAGE_FAULTS.
STAGES = {"chunk options are parsed, never run": "options",
          **dict.fromkeys(("false claim", "unknown check method", "malformed tolerance",
                           "a check without the option its method needs",
                           "a tolerance looser than the document's"), "verify")}


def _stage_error(project, stage: str, broken: str, line: int) -> str:
    """The one line the stage that owns the row's mistake raises, called directly."""
    config = BuildConfig(project, "solutions", "solutions.tex.j2")
    try:
        if stage == "verify":                  # the sum chunk's claim, decided in-process
            call = next(text for text in broken.split("\n") if "claim(" in text)
            step = eval(call.strip()[len("show("):-1], {"claim": claim, "x": sympy.Symbol("x")})
            where = Location("templates/solutions.tex.j2", line, "sum")
            Checker(config, workers=0).records([Statement("C1", Kind.CLAIM, step.name,
                                                          step=step, where=where)])
        elif stage == "options":
            header = next(text for text in broken.split("\n") if text.startswith("<<sum,"))
            try:
                units.parse_options(header[2:-3], line, {})
            except units.ChunkFailed as failure:
                raise ChunkError(failure.message, Location(
                    "templates/solutions.tex.j2", failure.line, failure.chunk)) from None
        else:
            render.render(config)
    except VeritexError as error:
        return str(error)
    raise AssertionError("the stage raised nothing")


@pytest.mark.parametrize("name, fault", STAGE_FAULTS.items(), ids=STAGE_FAULTS.keys())
def test_a_stage_given_a_bad_input_raises_one_located_line(small, name, fault):
    assert TEMPLATE.count(fault.old) == 1
    broken = TEMPLATE.replace(fault.old, fault.new)
    _write_template(small, broken)
    line = next((n for n, text in enumerate(broken.split("\n"), 1) if fault.marker in text), 1)
    said = _stage_error(small, STAGES.get(name, "render"), broken, line)
    assert "\n" not in said and re.fullmatch(fault.expected.format(line=line), said), said


def test_a_chunk_that_only_warns_builds_and_shows_the_warning(small):
    _write_template(small, TEMPLATE.replace(
        "<<sum>>=\n", "<<sum>>=\nimport sys\nprint('careful: x is small', file=sys.stderr)\n"))
    for _ in range(2):           # and again when the chunk's result comes from the cache
        result = run_build(small, "check")
        assert result.returncode == 0, result.stderr
        assert re.fullmatch(rf"{T}:11 \[sum\]: warning: careful: x is small\n",
                            result.stderr), result.stderr
    assert "0 of 2 chunks and inline expressions ran" in result.stdout


def test_a_bug_of_the_engine_shows_its_traceback(small, tmp_path):
    # not the user's input: an engine module that raises must not pass for a user's mistake
    package, env = engine_copy(tmp_path / "engine")
    appendix = package / "appendix.py"
    appendix.write_text(appendix.read_text().replace(
        "    counts = summary(records)\n", "    raise RuntimeError('engine bug')\n"))
    result = run_build(small, "pdf", env=env)
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "RuntimeError: engine bug" in result.stderr
    assert (small / "report/solutions.pdf").read_bytes() == OLD_PDF


def _replace_by_folder(path):
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("not what the build wrote")


def _replace_by_file(path):
    import shutil
    shutil.rmtree(path)
    path.write_text("not what the build wrote")


# What a user can leave in report/: each either heals (a warning, then a good build) or is
# refused with one line (the PDF's place taken by a folder of the user's).
STATES = {
    "the cache folder is a file": lambda b: _replace_by_file(b / "cache"),
    "the cache's index is a folder": lambda b: _replace_by_folder(b / "cache/index.json"),
    "every cache entry is a folder": lambda b: [_replace_by_folder(p)
                                                for p in (b / "cache").glob("*.pickle")],
    "the build folder is a file": _replace_by_file,
    "the figures folder is a file": lambda b: _replace_by_file(b / "figures"),
}


@pytest.mark.parametrize("state", STATES, ids=STATES.keys())
def test_a_state_left_in_report_heals_with_a_warning(small, state):
    _write_template(small, TEMPLATE.replace("<<sum>>=\n", "<<sum>>=\nfigure(__import__("
                                            "'matplotlib.figure').figure.Figure(), 'f', 'F.')\n"))
    assert run_build(small, "check").returncode == 0        # the cache and figures: no LaTeX
    build = small / "report/build/solutions"
    (build / "figures").mkdir(exist_ok=True)
    STATES[state](build)
    template = small / "templates/solutions.tex.j2"     # an edit: the build reads its cache
    template.write_text(template.read_text().replace("Some prose.", "Some other prose."))
    result = run_build(small, "check")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "warning:" in result.stderr
    assert not list(small.rglob(".*.partial"))
    again = run_build(small, "check")
    assert again.returncode == 0 and "warning" not in again.stderr, again.stderr


def test_the_pdfs_place_taken_by_a_folder_is_one_line(small):
    pdf = small / "report/solutions.pdf"
    pdf.unlink()
    pdf.mkdir()
    (pdf / "mine.txt").write_text("the user's")
    result = run_build(small, "pdf")
    assert result.returncode == 1
    assert result.stderr.strip() == ("report/solutions.pdf: not a file (a folder, or a broken "
                                     "link), and the PDF goes there; move it away")
    assert (pdf / "mine.txt").read_text() == "the user's"
    assert not list(small.rglob(".*.partial"))


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_locations_are_exact_with_other_line_endings(small, ending):
    broken = TEMPLATE.replace("<<sum>>=\n", "<<sum>>=\nratio = 1 / 0\n")
    line = next(n for n, text in enumerate(broken.split("\n"), 1) if "1 / 0" in text)
    (small / "templates/solutions.tex.j2").write_bytes(broken.replace("\n", ending).encode())
    result = run_build(small, "check")
    assert result.returncode == 1
    assert result.stderr.strip() == (f"templates/solutions.tex.j2:{line} [sum]: "
                                     "ZeroDivisionError: division by zero")
    undefined = TEMPLATE.replace("The end.", "The ((( nowhere ))) end.")
    line = next(n for n, text in enumerate(undefined.split("\n"), 1) if "nowhere" in text)
    (small / "templates/solutions.tex.j2").write_bytes(undefined.replace("\n", ending).encode())
    result = run_build(small, "check")
    assert result.stderr.strip() == f"templates/solutions.tex.j2:{line}: 'nowhere' is undefined"


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\x0c", "\x0b"])
def test_a_character_some_tools_take_for_a_line_break_is_refused_at_its_line(small, char):
    (small / "templates/solutions.tex.j2").write_text(TEMPLATE.replace("The end.",
                                                                       f"The{char}end."))
    line = next(n for n, text in enumerate(TEMPLATE.split("\n"), 1) if "The end." in text)
    result = run_build(small, "check")
    assert result.returncode == 1
    assert re.fullmatch(rf"templates/solutions\.tex\.j2:{line}: the template holds .+ "
                        rf"\(U\+{ord(char):04X}\), .+", result.stderr.strip()), result.stderr
