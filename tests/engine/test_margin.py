"""Tags of claims shown in running text go in the margin beside their line, in running text
and inside boxes alike; two tags on one line must not print over each other (veritex.sty
puts the second to the right of the first, from the positions saved on the previous pass),
and a tag alone on its line stays beside it."""

import re
import subprocess

import pytest

from helpers import HAS_LATEX, run_build, small_project

CLAIMS = r"""Both <%= inline(claim(sympy.Derivative(x**2, x), 2 * x, derived=sympy.diff(x**2, x),
name="first")) %> and <%= inline(claim(sympy.Derivative(x**3, x), 3 * x**2,
derived=sympy.diff(x**3, x), name="second")) %> hold.

Alone on its line, <%= inline(claim(sympy.Derivative(x, x), 1, derived=sympy.diff(x, x),
name="third")) %> holds.
"""

TEMPLATE = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
<<setup>>=
import sympy
x = sympy.Symbol("x", real=True)
@
""" + CLAIMS + r"""
\noindent\begin{minipage}{0.8\linewidth}
""" + CLAIMS.replace("first", "fourth").replace("second", "fifth").replace("third", "sixth") + r"""
\end{minipage}
\end{document}
"""


def _boxes(pdf) -> dict[str, tuple[float, float, float, float]]:
    """(left, top, right, bottom) of each tag word C1, C2... on the page."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return {word: tuple(map(float, box)) for *box, word in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(C\d+)</word>',
        html)}


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.skipif(not HAS_LATEX, reason="needs LaTeX")
def test_tags_sharing_a_line_sit_side_by_side_in_text_and_in_boxes(tmp_path):
    root = small_project(tmp_path / "p", TEMPLATE)
    result = run_build(root, "pdf")
    assert result.returncode == 0, result.stderr
    boxes = _boxes(root / "report" / "solutions.pdf")
    assert set(boxes) == {f"C{i}" for i in range(1, 7)}, boxes
    for first, second, alone in (("C1", "C2", "C3"), ("C4", "C5", "C6")):
        a, b, c = boxes[first], boxes[second], boxes[alone]
        assert not _overlap(a, b), (first, a, second, b)
        assert abs(a[1] - b[1]) < 1 and b[0] > a[2], "not side by side on one line"
        assert c[1] > a[3] and c[0] == pytest.approx(a[0], abs=1), "the lone tag moved"
