"""Projects: the project file, several documents with their own build folders, `veritex new`,
and an engine fingerprint that follows the installed engine."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from helpers import build_dir, engine_copy, needs_latex, new_project, run_build, small_project

from veritex import cache, project
from veritex.errors import VeritexError

DOCUMENT = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
((( title )))
<<value>>=
import sympy as sp
x = sp.Symbol("x")
show(claim(sp.diff(x**3, x), 3 * x**2, derived=sp.diff(x**3, x), name="a derivative"))
@
\veritexappendix
\end{document}
"""


def two_documents(tmp_path):
    """Two documents from one main template; only the long one includes part.tex.j2."""
    part = "((* if long *))((* include 'part.tex.j2' *))((* endif *))"
    root = small_project(tmp_path / "two", DOCUMENT.replace("((( title )))",
                                                            f"((( title )))\n{part}"),
                         name="long")
    (root / "templates" / "part.tex.j2").write_text("A part of the long one.\n")
    (root / "veritex.toml").write_text(
        '[documents.long]\ntemplate = "long.tex.j2"\n'
        'context = { title = "The long one", long = true }\n'
        '[documents.short]\ntemplate = "long.tex.j2"\n'
        'context = { title = "The short one", long = false }\n')
    return root


@pytest.mark.parametrize("text, message", [
    ("", "documents lists no document"),
    ("[documents.a]\n", r"documents\.a names no template"),
    ('[documents.a]\ntemplate = "missing.tex.j2"\n', r"templates/missing\.tex\.j2 does not exist"),
    ('[documents.a]\ntemplate = "long.tex.j2"\ncolour = 1\n', r"unknown key documents\.a\.colour"),
    ('[documents."a b"]\ntemplate = "long.tex.j2"\n', "letters, digits"),
    ('templates = "../elsewhere"\n[documents.a]\ntemplate = "long.tex.j2"\n',
     "must be a path inside the project"),
    ('[documents.a]\ntemplate = "long.tex.j2"\ntolerances = { numeric_rtol = 1e-3 }\n',
     "would loosen"),
    ("[documents.a\n", r"not valid TOML"),
])
def test_a_bad_project_file_is_one_located_line(tmp_path, text, message):
    root = small_project(tmp_path / "p", DOCUMENT, name="long")
    (root / "veritex.toml").write_text(text)
    with pytest.raises(VeritexError) as error:
        project.load(root)
    assert str(error.value).startswith("veritex.toml:")
    assert re.search(message, str(error.value)), str(error.value)


def test_the_project_is_found_from_a_subfolder_and_pyproject_works_too(tmp_path):
    root = small_project(tmp_path / "p", DOCUMENT, name="long")
    (root / "veritex.toml").unlink()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.veritex.documents.long]\ntemplate = "long.tex.j2"\n')
    assert project.find(root / "templates") == root
    assert [d.name for d in project.load(root).documents] == ["long"]
    with pytest.raises(VeritexError, match="no veritex project here"):
        project.find(tmp_path)


def test_a_tighter_tolerance_is_taken(tmp_path):
    root = small_project(tmp_path / "p", DOCUMENT, name="long")
    (root / "veritex.toml").write_text(
        '[documents.long]\ntemplate = "long.tex.j2"\ntolerances = { numeric_rtol = 1e-12 }\n')
    assert project.load(root).documents[0].tolerances.numeric_rtol == 1e-12


@needs_latex
def test_each_document_has_its_own_folder_cache_and_pdf(tmp_path):
    root = two_documents(tmp_path)
    result = run_build(root, "pdf")
    assert result.returncode == 0, result.stderr
    for name, title in (("long", "The long one"), ("short", "The short one")):
        pdf = root / "report" / f"{name}.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                              text=True).stdout
        assert title in text
        assert list((build_dir(root, name) / "cache").glob("*.pickle"))
    # building one does not evict the other's cache: both are up to date afterwards
    assert run_build(root, "pdf", "short").returncode == 0
    again = run_build(root, "pdf")
    assert again.stdout.count("nothing changed since the last build") == 2, again.stdout
    # a save to a template only the long one reads leaves the short one untouched
    (root / "templates" / "part.tex.j2").write_text("Another part of the long one.\n")
    again = run_build(root, "pdf")
    assert again.returncode == 0, again.stderr
    assert "short: nothing changed since the last build" in again.stdout
    assert "long: nothing changed" not in again.stdout and "wrote report/long.pdf" in again.stdout
    unknown = run_build(root, "pdf", "nosuch")
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == ("veritex.toml:1: no document named 'nosuch' in this "
                                      "project (it has: long, short)")


@needs_latex
def test_an_appendix_without_errata_speaks_of_none_and_leaves_no_question_mark(tmp_path):
    root = small_project(tmp_path / "p", DOCUMENT.replace("((( title )))", "Text."),
                         name="long")
    result = run_build(root, "pdf")
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", str(root / "report/long.pdf"), "-"],
                          capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    # nothing displayed unchecked: the sentence says nothing of it
    assert "The build checked 1 claim; the 1 check used these methods: 1 symbolic" in flat
    assert "displayed 0" not in flat and "0 are declared" not in flat
    for absent in ("reference", "erratum", "refuted", "??", "Section"):
        assert absent not in flat, absent
    log = (build_dir(root, "long") / "long.log").read_text(errors="replace")
    assert "undefined" not in log.lower() and "Overfull" not in log


def test_the_engine_fingerprint_follows_the_installed_engine(tmp_path):
    before = cache.engine_fingerprint()
    package, env = engine_copy(tmp_path / "engine")
    code = "from veritex import cache; print(cache.engine_fingerprint())"
    copied = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, check=True).stdout.strip()
    assert copied == before                 # the same engine, wherever it lives
    (package / "checks" / "equal.py").write_text(
        (package / "checks" / "equal.py").read_text() + "\n# changed\n")
    (package / "tex" / "veritex.sty").write_text("% changed\n")
    changed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True).stdout.strip()
    assert changed != before


@needs_latex
def test_a_new_project_builds_and_a_false_claim_names_both_places(tmp_path):
    target = tmp_path / "course"
    new_project(target)
    for path in ("Makefile", "README.md", "veritex.toml", ".gitignore", "requirements.txt",
                 ".github/workflows/pdf.yml", "tools/ensure-tex", "tools/ensure-venv",
                 "templates/notes.tex.j2", "src/notes/logistic.py", "tests/test_notes.py"):
        assert (target / path).is_file(), path
    requirements = (target / "requirements.txt").read_text()
    assert re.search(r"^\./vendor/veritex-[^/]+\.whl$", requirements, re.MULTILINE)
    assert re.search(r"^pytest==[\d.]+$", requirements, re.MULTILINE)
    result = run_build(target, "pdf")
    assert result.returncode == 0, result.stderr
    assert (target / "report/notes.pdf").is_file()
    module = target / "src/notes/logistic.py"
    module.write_text(module.read_text().replace("sigma(x) * (1 - sigma(x))",
                                                 "sigma(x) * (sigma(x) - 1)"))
    pdf = (target / "report/notes.pdf").read_bytes()
    result = run_build(target, "pdf")
    assert result.returncode == 1
    line = next(line for line in module.read_text().splitlines()
                if "sigma(x) - 1" in line)
    made_at = module.read_text().splitlines().index(line) + 1     # the line of claim(
    assert re.fullmatch(r"templates/notes\.tex\.j2:\d+ \[logistic\], made at "
                        rf"src/notes/logistic\.py:{made_at}: C1 \(its derivative\) is false: .*",
                        result.stderr.strip()), result.stderr
    assert (target / "report/notes.pdf").read_bytes() == pdf
    again = subprocess.run([sys.executable, "-m", "veritex", "new", str(target)],
                           capture_output=True, text=True)
    assert again.returncode == 1 and "is not an empty folder" in again.stderr


def test_the_audit_of_a_new_project_runs_and_runs_again_from_the_cache(tmp_path):
    # the audit's workers import the project's modules (src/ on their path) when every step
    # comes from the cache, which no kernel of this build put there
    target = tmp_path / "course"
    new_project(target)
    for _ in range(2):
        result = run_build(target, "audit", new_process=True)
        assert result.returncode == 0, result.stderr
        assert re.search(r"^audit: (\d+) of \1 changes caught", result.stdout, re.MULTILINE), \
            result.stdout


def test_an_error_raised_while_a_module_is_imported_names_the_module_line(tmp_path):
    target = tmp_path / "course"
    new_project(target)
    module = target / "src/notes/logistic.py"
    lines = module.read_text().split("\n")
    at = max(n for n, line in enumerate(lines[:30]) if line.startswith(("import", "from"))) + 1
    lines.insert(at, "oops = undefined_name")
    module.write_text("\n".join(lines))
    result = run_build(target, "check")
    assert result.returncode == 1
    assert re.fullmatch(rf"templates/notes\.tex\.j2:\d+ \[logistic\], made at "
                        rf"src/notes/logistic\.py:{at + 1}: NameError: name 'undefined_name' "
                        "is not defined", result.stderr.strip()), result.stderr
