"""Tags of claims shown in running text go in the margin beside their line; inside a box,
where LaTeX cannot float a margin note, two tags on one line must still not print over each
other (veritex.sty stacks them from the positions it saved on the previous pass)."""

import re
import subprocess

from helpers import HAS_LATEX, run_build, small_project
import pytest

TEMPLATE = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
<<setup>>=
import sympy
x = sympy.Symbol("x", real=True)
@
\noindent\begin{minipage}{0.8\linewidth}
Both <%= inline(claim(sympy.Derivative(x**2, x), 2 * x, derived=sympy.diff(x**2, x),
name="first")) %> and <%= inline(claim(sympy.Derivative(x**3, x), 3 * x**2,
derived=sympy.diff(x**3, x), name="second")) %> hold.

Alone on its line, <%= inline(claim(sympy.Derivative(x, x), 1, derived=sympy.diff(x, x),
name="third")) %> holds.
\end{minipage}
\end{document}
"""


def _tag_heights(pdf) -> dict[str, tuple[float, float]]:
    """(top, bottom) of each tag word C1, C2... on the page, from pdftotext's boxes."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return {word: (float(top), float(bottom)) for top, bottom, word in re.findall(
        r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(C\d+)</word>', html)}


@pytest.mark.skipif(not HAS_LATEX, reason="needs LaTeX")
def test_two_tags_on_one_line_inside_a_box_are_stacked_not_overprinted(tmp_path):
    root = small_project(tmp_path / "p", TEMPLATE)
    result = run_build(root, "pdf")
    assert result.returncode == 0, result.stderr
    heights = _tag_heights(root / "report" / "solutions.pdf")
    assert set(heights) == {"C1", "C2", "C3"}, heights
    (top1, bottom1), (top2, bottom2) = heights["C1"], heights["C2"]
    assert top2 >= bottom1, f"C2 {heights['C2']} overlaps C1 {heights['C1']}"
    assert top1 < top2 < bottom1 + 2 * (bottom1 - top1), "C2 is not just below C1"
    # a tag alone on its line stays beside it: below the other two, not shifted further
    assert heights["C3"][0] > bottom2
