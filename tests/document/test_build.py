"""The build's failure paths: one located line, non-zero exit, no traceback, old PDF kept."""

import json
import re

from helpers import edit, needs_latex, run_build

OLD_PDF = b"%PDF-1.5 the previous good build\n"


def keep_an_old_pdf(project):
    pdf = project / "report" / "solutions.pdf"
    pdf.write_bytes(OLD_PDF)
    return pdf


def test_check_passes_on_the_real_document(project):
    result = run_build(project, "check")
    assert result.returncode == 0, result.stderr
    assert re.search(r"\d+ claims and \d+ refuted statements checked \(.*montecarlo.*\)", result.stdout)


def test_a_wrong_jacobian_entry_stops_the_build(project):
    pdf = keep_an_old_pdf(project)
    edit(project / "src/solutions/q5.py", "[-theta * ds, -sigmoid_prime(-psi1) - ds, -psi0 * ds]",
         "[-theta * ds, -sigmoid_prime(-psi1) - ds, psi0 * ds]")
    result = run_build(project, "pdf")
    assert result.returncode == 1
    assert re.search(r"^templates/q5\.tex\.j2:\d+ \[q5-jacobian\], made at "
                     r"src/solutions/q5\.py:\d+: "
                     r"C\d+ \(the Jacobian\) "
                     r"is false: entry \(2, 3\)", result.stderr, re.MULTILINE), result.stderr
    assert "Traceback" not in result.stderr
    assert pdf.read_bytes() == OLD_PDF


def test_a_wrong_eigenvalue_stops_check(project):
    edit(project / "src/solutions/q5.py", "return [-sp.Rational(1, 2), (-penalty + root) / 2",
         "return [-sp.Rational(1, 3), (-penalty + root) / 2")
    result = run_build(project, "check")
    assert result.returncode == 1
    assert re.search(r"templates/q5\.tex\.j2:\d+ \[q5-spectrum\], made at "
                     r"src/solutions/q5\.py:\d+: "
                     r"C\d+ \(the eigenvalues\) "
                     r"is false: -1/3 is not a root", result.stderr), result.stderr


def test_the_claim_line_is_the_template_line_of_the_call(project):
    template = project / "templates/q5.tex.j2"
    edit(template, "show(*jacobian_steps[:-1])\n",
         "J = jacobian_steps[:-1]\n\nshow(*J)\n")
    edit(project / "src/solutions/q5.py", "[-theta * ds, -sigmoid_prime(-psi1) - ds, -psi0 * ds]",
         "[-theta * ds, -sigmoid_prime(-psi1) - ds, psi0 * ds]")
    expected = template.read_text().split("\n").index("show(*J)") + 1
    result = run_build(project, "check")
    assert f"templates/q5.tex.j2:{expected} [q5-jacobian], made at src/solutions/q5.py:" \
        in result.stderr, result.stderr


def test_a_failing_chunk_stops_the_build_with_its_line(project):
    pdf = keep_an_old_pdf(project)
    template = project / "templates/q5.tex.j2"
    edit(template, "<<q5-jacobian>>=\n", "<<q5-jacobian>>=\nok = 1\nq5.no_such_thing()\n")
    expected = template.read_text().split("\n").index("q5.no_such_thing()") + 1
    result = run_build(project, "pdf")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"templates/q5.tex.j2:{expected} [q5-jacobian]: AttributeError: module "
        "'solutions.q5' has no attribute 'no_such_thing'")
    assert "Traceback" not in result.stderr + result.stdout
    assert pdf.read_bytes() == OLD_PDF
    assert "Traceback" not in (project / "report/build/solutions/solutions.texw").read_text()


def test_a_chunk_syntax_error_is_located(project):
    template = project / "templates/q5.tex.j2"
    edit(template, "<<q5-radius>>=\n", "<<q5-radius>>=\nx = (1,\n")
    result = run_build(project, "check")
    assert result.returncode == 1
    assert re.search(r"^templates/q5\.tex\.j2:\d+ \[q5-radius\]: SyntaxError",
                     result.stderr, re.MULTILINE), result.stderr


def test_an_undefined_template_variable_is_located(project):
    edit(project / "templates/q5.tex.j2", r"\answer{5.2}", r"((( nowhere ))) \answer{5.2}")
    expected = (project / "templates/q5.tex.j2").read_text().split("\n").index(
        r"((( nowhere ))) \answer{5.2}{The Jacobian at the stationary point}") + 1
    result = run_build(project, "check")
    assert result.returncode == 1
    assert result.stderr.strip() == f"templates/q5.tex.j2:{expected}: 'nowhere' is undefined"


@needs_latex
def test_a_latex_error_keeps_the_old_pdf(project):
    pdf = keep_an_old_pdf(project)
    edit(project / "templates/q5.tex.j2", r"\answer{5.2}", r"\undefinedmacro \answer{5.2}")
    result = run_build(project, "pdf")
    assert result.returncode == 1
    assert "Undefined control sequence" in result.stderr
    assert "Traceback" not in result.stderr
    assert pdf.read_bytes() == OLD_PDF
    assert not list((project / "report").glob(".*partial"))


def test_an_erratum_whose_statement_is_true_stops_the_build(project):
    # the reference's "wrong" g0 replaced by the true one: the erratum itself is now false
    edit(project / "src/solutions/q4.py", "claim(Notation(r\"g_0(y, \\boldsymbol{x})\"), "
         "f0 * sp.log(y),", "claim(Notation(r\"g_0(y, \\boldsymbol{x})\"), f0 * sp.log(1 - y),")
    result = run_build(project, "check")
    assert result.returncode == 1
    assert re.search(r"^templates/errata\.tex\.j2:\d+ \[errata-q4\], made at "
                     r"src/solutions/q4\.py:\d+: "
                     r"E\d+ \(g₀ \(reference\)\) "
                     r"is listed as an erratum, a false statement of its source, but it "
                     r"holds", result.stderr, re.MULTILINE), result.stderr


def test_a_false_expectation_stops_the_build_through_monte_carlo(project):
    # the dropout penalty weighted p(1 + p) instead of p(1 - p): the symbolic proof and the
    # Monte Carlo estimate on the concrete problem both refuse it
    edit(project / "src/solutions/q1.py",
         "return sqnorm(y - keep * X @ w) + keep * (1 - keep) * sqnorm(G @ w)",
         "return sqnorm(y - keep * X @ w) + keep * (1 + keep) * sqnorm(G @ w)")
    result = run_build(project, "check", "solutions", "--json", str(project / "records.json"))
    assert result.returncode == 1
    assert re.search(r"^templates/q1\.tex\.j2:\d+ \[q1-expected-loss-sampled\], made at "
                     r"src/solutions/q1\.py:\d+: "
                     r"C\d+ \(expected loss, "
                     r"Monte Carlo\) is false: the sample mean .* standard errors",
                     result.stderr, re.MULTILINE), result.stderr
    summary = json.loads((project / "records.json").read_text())["summary"]
    assert len(summary["failures"]) >= 2


def test_check_summary_matches_the_json_records(project):
    result = run_build(project, "check", "solutions", "--json", str(project / "records.json"))
    assert result.returncode == 0, result.stderr
    document = json.loads((project / "records.json").read_text())
    records, summary = document["records"], document["summary"]
    claims = sum(r["kind"] == "claim" for r in records)
    refuted = sum(r["kind"] == "refuted" for r in records)
    assert (summary["claims"], summary["refuted"]) == (claims, refuted)
    assert f"{claims} claims and {refuted} refuted statements checked" in result.stdout
    assert sum(summary["by_method"].values()) == claims + refuted
