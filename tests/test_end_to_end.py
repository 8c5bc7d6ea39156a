"""Build the real PDF and read Question 5's results back out of its text.

Each displayed equation carries its plain form as PDF ActualText, so pdftotext reads
`(C10) J^* = Matrix([[0, 0, -1/2], ...])` where the glyphs alone would be scattered.
"""

import json
import re
import subprocess

from conftest import needs_latex


def pdf_text(project) -> str:
    pdf = project / "report" / "solutions.pdf"
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@needs_latex
def test_the_pdf_states_the_jacobian_at_the_stationary_point(built):
    text = pdf_text(built)
    assert re.search(r"^\(C\d+\) J\^\* = Matrix\(\[\[0, 0, -1/2\], \[0, -1/2, 0\], "
                     r"\[1/2, 0, 0\]\]\)$", text, re.MULTILINE)
    assert re.search(r"^\(C\d+\) bar J\^\* = Matrix\(\[\[-gamma, 0, -1/2\], \[0, -1/2, 0\], "
                     r"\[1/2, 0, 0\]\]\)$", text, re.MULTILINE)


@needs_latex
def test_the_pdf_states_the_eigenvalues(built):
    text = pdf_text(built)
    assert re.search(r"^\(C\d+\) lambda in \{-1/2, -I/2, I/2\}$", text, re.MULTILINE)
    assert re.search(r"^\(C\d+\) lambda in \{-1/2, -gamma/2 - sqrt\(gamma\*\*2 - 1\)/2, "
                     r"-gamma/2 \+ sqrt\(gamma\*\*2 - 1\)/2\}$", text, re.MULTILINE)


@needs_latex
def test_every_sub_answer_and_both_figures_are_in_the_pdf(built):
    text = pdf_text(built)
    for number in ("5.1", "5.2", "5.3", "5.4", "5.5", "5.6"):
        assert re.search(rf"^{re.escape(number)}\s", text, re.MULTILINE), number
    assert "Figure 1:" in text and "Figure 2:" in text
    assert "Traceback" not in text
    assert (built / "report/build/figures/q5-trajectories.pdf").stat().st_size > 5000


@needs_latex
def test_the_appendix_lists_every_claim_the_build_checked(built):
    records = json.loads((built / "report/build/claims.json").read_text())
    text = pdf_text(built)
    checked = sum(1 for r in records if r["method"] != "definition")
    assert f"The build checked {checked} claims" in text
    for record in records:
        assert re.search(rf"^{record['tag']}$", text, re.MULTILINE), record["tag"]
