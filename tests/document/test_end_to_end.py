"""Build the real PDF and read Question 5's results back out of its text.

Each displayed equation carries its LaTeX source as PDF ActualText, so pdftotext reads
`J^* = \\left(\\begin{matrix}0 & 0 & - \\frac{1}{2}...` where the glyphs alone would be
scattered; the tag (C12) and the number (5.13) follow as text.
"""

import json
import re
import subprocess

import sympy as sp

from helpers import needs_latex
from veritex.latex import latex


def pdf_text(project, name: str = "solutions") -> str:
    pdf = project / "report" / f"{name}.pdf"
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


half = sp.Rational(1, 2)
gamma = sp.Symbol("gamma", positive=True)


@needs_latex
def test_the_pdf_states_the_jacobian_at_the_stationary_point(built):
    lines = pdf_text(built).splitlines()
    assert "J^* = " + latex(sp.Matrix([[0, 0, -half], [0, -half, 0], [half, 0, 0]])) in lines
    assert r"\bar{J}^* = " + latex(sp.Matrix([[-gamma, 0, -half], [0, -half, 0],
                                              [half, 0, 0]])) in lines


@needs_latex
def test_the_pdf_states_the_eigenvalues(built):
    lines = pdf_text(built).splitlines()
    assert r"\lambda \in " + latex(sp.FiniteSet(-half, -sp.I / 2, sp.I / 2)) in lines
    # the pair in quadratic-formula form, one fraction over the numerator
    root = sp.sqrt(gamma**2 - 1)
    assert r"\lambda \in " + latex(sp.FiniteSet(
        -half, *(sp.Mul(half, sp.Add(-gamma, sign * root, evaluate=False), evaluate=False)
                 for sign in (1, -1)))) in lines


@needs_latex
def test_every_sub_answer_and_both_figures_are_in_the_pdf(built):
    text = pdf_text(built)
    for number in ("5.1", "5.2", "5.3", "5.4", "5.5", "5.6"):
        assert re.search(rf"^{re.escape(number)}\s", text, re.MULTILINE), number
    assert "Figure 1:" in text and "Figure 2:" in text
    assert "Traceback" not in text
    assert (built / "report/build/solutions/figures/q5-trajectories.pdf").stat().st_size > 5000


@needs_latex
def test_the_appendix_lists_every_claim_the_build_checked(built):
    records = json.loads((built / "report/build/solutions/claims.json").read_text())
    text = pdf_text(built)
    summary, records = records["summary"], records["records"]
    assert f"The build checked {summary['claims']} claims, refuted {summary['refuted']} " \
           f"quoted statements" in " ".join(text.split())
    assert summary["refuted"] >= 10
    for record in records:
        assert re.search(rf"^{record['tag']}(\s|$)", text, re.MULTILINE), record["tag"]


# Each sub-answer's number, and a key result as the PDF's own plain text of an equation.
KEY_RESULTS = {
    "1.1": r"\mathbb{E}_{\boldsymbol{R}}[L(\boldsymbol{w})] = \left\|\boldsymbol{y} - p "
           r"\boldsymbol{X} \boldsymbol{w}\right\|^{2} + p \left(1 - p\right) "
           r"\left\|\boldsymbol{\Gamma} \boldsymbol{w}\right\|^{2}",
    "1.2": r"\lambda^{\mathrm{dropout}} = \frac{1 - p}{p}",
    "1.3": r"\boldsymbol{w}^{L_2} = \left(\boldsymbol{X}^{\top} \boldsymbol{X} + \lambda^{L_2} "
           r"\boldsymbol{I}\right)^{-1} \boldsymbol{X}^{\top} \boldsymbol{y}",
    "1.4": r"p\,w^{\mathrm{dropout}}_i / w^{\mathrm{OLS}}_i = p",
    "2.1": r"= \log p_\theta(x) - D_{\mathrm{KL}}\bigl(q \,\|\, p_\theta(z \mid x)\bigr) - "
           r"\mathcal{H}[q]",
    "2.2": r"D_{\mathrm{KL}}\bigl(q_{\phi^*}(z\mid x_i)\,\|\,p_\theta(z\mid x_i)\bigr) \ge "
           r"D_{\mathrm{KL}}\bigl(q_i^*\,\|\,p_\theta(z\mid x_i)\bigr)",
    "2.3": r"\textstyle\sum_i \#(\mu_i, \sigma_i) = 2 K n",
    "3.1": r"D_{\mathrm{KL}}\bigl[P_{F^{-1}(X)}\,\|\,P_U\bigr] = \log{\left(\frac{a}{s} \right)}",
    "3.2": r"- \log{\left(\Bigl|\det\frac{\partial F^{-1}(x)}{\partial x}\Bigr| \right)}",
    "4.1": r"D^*(\boldsymbol{x}) = \frac{f_{1}}{f_{0} + f_{1}}",
    "4.2": r"f_1(\boldsymbol{x}) = \frac{f_{0} D^*(\boldsymbol{x})}{1 - D^*(\boldsymbol{x})}",
}
# The assignment's numbering: 1.1-1.4, 2.1-2.3, 3.1-3.2, 4.1-4.2, 5.1-5.6; 2.3 has three
# parts (a)-(c) answered separately, which makes nineteen sub-answers.
SUB_ANSWERS = [f"{q}.{k}" for q, parts in ((1, 4), (2, 3), (3, 2), (4, 2), (5, 6))
               for k in range(1, parts + 1)]


def sub_answers(text: str) -> dict[str, str]:
    """The text of each sub-answer in the body (after the table of contents), parts (a)-(c)
    of a sub-answer split out as '2.3(a)' and so on."""
    starts, at = [], 0
    for number in SUB_ANSWERS:                 # in order; table-of-contents lines have leaders
        heading = re.compile(rf"^\f?{re.escape(number)}\s(?![^\n]*\. \. \.)", re.M)
        match = heading.search(text, at)
        assert match, f"sub-answer {number} is missing"
        starts.append(at := match.start())
    ends = starts[1:] + [text.rindex("Errata of the reference solution")]
    sections = {}
    for number, start, end in zip(SUB_ANSWERS, starts, ends):
        body = text[start:end]
        parts = list(re.finditer(r"^\(([a-z])\) ", body, re.M))
        if not parts:
            sections[number] = body
        for part, after in zip(parts, parts[1:] + [None]):
            sections[f"{number}({part[1]})"] = body[part.start():after.start() if after else None]
    return sections


@needs_latex
def test_every_sub_answer_is_there_with_a_checked_claim_and_its_key_result(built):
    text = pdf_text(built)
    sections = sub_answers(text)
    assert len(sections) == 19, sorted(sections)
    for number, body in sections.items():
        assert re.search(r"^C\d+( \(\d+\.\d+\))?$", body, re.M), \
            f"{number} has no checked claim"
    flat = " ".join(text.split())
    for number, result in KEY_RESULTS.items():
        assert result in flat, (number, result)
    for name in ("q1-training", "q1-shrinkage", "q2-gaps", "q3-densities", "q4-density"):
        assert (built / f"report/build/solutions/figures/{name}.pdf").is_file(), name
    assert "Errata of the reference solution" in text


@needs_latex
def test_the_handout_has_every_question_and_no_answer(built):
    handout, solutions = pdf_text(built, "assignment"), pdf_text(built)
    for question in range(1, 6):
        assert re.search(rf"^Question {question}:", handout, re.MULTILINE), question
    # each question's statement is the same text in both documents (written once)
    statement = re.search(r"Take least-squares linear regression.*?\(1\.4\)\.", solutions,
                          re.DOTALL).group(0)
    assert statement in handout
    for absent in ("1.1 ", "Errata", "Verification", "C1"):
        assert absent not in handout, absent
