"""`veritex export NAME`: the built document as LaTeX that compiles alone."""

import shutil
import subprocess
import zipfile

from helpers import needs_latex, new_project, run_build


@needs_latex
def test_an_exported_document_compiles_in_a_folder_with_nothing_else(tmp_path):
    project = tmp_path / "course"
    new_project(project)
    result = run_build(project, "export", "notes")
    assert result.returncode == 0, result.stderr
    archive = project / "report/notes-latex.zip"
    with zipfile.ZipFile(archive) as opened:
        names = set(opened.namelist())
        assert {"notes-latex/notes.tex", "notes-latex/veritex.sty", "notes-latex/README.md",
                "notes-latex/verification.tex", "notes-latex/refutations.tex",
                "notes-latex/veritex-draft.tex"} <= names
        assert any(name.startswith("notes-latex/figures/") for name in names)
        opened.extractall(tmp_path / "alone")
    folder = tmp_path / "alone" / "notes-latex"
    assert (folder / "notes.tex").read_text().startswith("% Exported by veritex ")
    shutil.rmtree(project)                  # nothing of the project is left to lean on
    latex = subprocess.run(["latexmk", "-pdf", "-interaction=nonstopmode", "notes.tex"],
                           cwd=folder, capture_output=True, text=True, timeout=300)
    assert latex.returncode == 0, latex.stdout[-2000:]
    assert (folder / "notes.pdf").read_bytes().startswith(b"%PDF")
    assert "undefined" not in (folder / "notes.log").read_text(errors="replace").lower()


def test_exporting_a_document_that_cannot_build_is_one_located_line(tmp_path):
    project = tmp_path / "course"
    new_project(project)
    module = project / "src/notes/logistic.py"
    module.write_text(module.read_text().replace("sigma(x) * (1 - sigma(x))",
                                                 "sigma(x) * (sigma(x) - 1)"))
    result = run_build(project, "export", "notes")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "C1 (its derivative) is false" in result.stderr
    assert not (project / "report/notes-latex.zip").exists()
