"""One small document, built end to end without LaTeX, against its golden woven LaTeX and
claims.json (tests/engine/golden/): a claim and a definition displayed, a given statement, an
inline claim, an erratum, typed notation. Any change to what the engine writes shows here as a
diff. When the change is meant, write the new golden files with

    VERITEX_GOLDEN=update .venv/bin/python -m pytest tests/engine/test_golden.py

and read the diff (git diff tests/engine/golden) before committing it."""

import difflib
import json
import os
from pathlib import Path

from helpers import build_dir, run_build, small_project

GOLDEN = Path(__file__).parent / "golden"

TEMPLATE = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
\section{Squares}
Let $x$ be real.
<<square>>=
import sympy
from notes.square import derivation, errata
x = sympy.Symbol("x", real=True)
show(derivation(x))
@
So <%= inline(claim(sympy.Derivative(x**3, x), 3 * x**2, derived=sympy.diff(x**3, x),
name="a cube's slope")) %> too.
<<errata>>=
show(*errata(x))
@
\veritexappendix
\end{document}
"""

MODULE = '''"""A derivation and an erratum, made in a module."""
import sympy
from veritex.claims import Erratum, claim, define, derivation as steps, given
from veritex.latex import Notation


def derivation(x):
    f = Notation("f")
    return steps(
        given(f, x**2, kind="definition", name="the square", reason="defined here"),
        claim(sympy.Derivative(x**2, x), 2 * x, derived=sympy.diff(x**2, x),
              why="Differentiating,", name="its slope"),
        claim(sympy.Integral(2 * x, (x, 0, 1)), 1, derived=sympy.integrate(2 * x, (x, 0, 1)),
              name="the area under the slope"))


def errata(x):
    slope = Notation("s")
    return [Erratum("in the notes, line 3", "A factor 2 is lost.",
                    claim(slope, x, derived=sympy.diff(x**2, x), name="the slope as quoted"),
                    claim(slope, 2 * x, derived=sympy.diff(x**2, x), name="the slope"))]
'''


def _normalized_claims(path: Path) -> str:
    document = json.loads(path.read_text())
    document["summary"]["seconds"] = 0
    for record in document["records"]:
        record["seconds"] = 0
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def _compare(name: str, made: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("VERITEX_GOLDEN") == "update":
        golden.write_text(made)
    diff = "".join(difflib.unified_diff(golden.read_text().splitlines(True),
                                        made.splitlines(True), f"golden/{name}", "made"))
    assert not diff, (f"{name} differs from its golden file (if meant: VERITEX_GOLDEN=update "
                      f".venv/bin/python -m pytest tests/engine/test_golden.py):\n{diff}")


def test_a_small_document_weaves_and_records_as_its_golden_files(tmp_path):
    project = small_project(tmp_path / "p", TEMPLATE, {"notes/__init__.py": "",
                                                       "notes/square.py": MODULE},
                            name="notes")
    result = run_build(project, "check")
    assert result.returncode == 0, result.stderr
    _compare("notes.tex", (build_dir(project, "notes") / "notes.tex").read_text())
    _compare("claims.json", _normalized_claims(build_dir(project, "notes") / "claims.json"))
