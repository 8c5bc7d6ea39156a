"""`veritex export NAME`: a built document as LaTeX that compiles alone, for Overleaf, a journal
or an archive: `report/<name>-latex/` and the same as `report/<name>-latex.zip`.

It holds the woven document (its first lines say which build made it), its figures, the
engine's style and the files the build wrote beside it (the verification appendix, the
refutations, the draft mark), and a README. `latexmk -pdf <name>.tex` makes the PDF; no
Python and no veritex are needed. The document is built first if it is not up to date.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from . import __version__, markup
from .config import BuildConfig
from .errors import VeritexError

_README = """# {name}: LaTeX exported by veritex

`latexmk -pdf {name}.tex` (or pdflatex, run until the references settle) makes {name}.pdf;
nothing else is needed but a TeX Live with the packages `veritex.sty` loads (amsmath, bm,
accsupp, longtable, booktabs, tcolorbox, marginfix, marginnote, hyperref).

- `{name}.tex`: the document as the build wove it; every equation was printed by the build
  from the objects its checks decided (the appendix says how each was decided).
- `figures/`: the figures the build drew.
- `veritex.sty`: the engine's LaTeX side (tags, given statements, the erratum box).
- `{appendix}`, `{refutations}`, `{draft}`: what the build wrote after verification, read by
  `veritex.sty`.

Edits made here are not checked: the source of truth is the veritex project it came from.
"""


def export(config: BuildConfig, say) -> Path:
    """Write `report/<name>-latex/` and its zip from the document's build folder; the folder."""
    layout = config.layout
    if not config.pdf_path.is_file() or not layout.tex.is_file():
        raise VeritexError(f"{config.name} has not been built: veritex build {config.name} "
                           "first")
    files = [layout.style, *(layout.beside(name) for name in
                             (markup.APPENDIX_FILE, markup.REFUTATIONS_FILE, markup.DRAFT_FILE))]
    target = config.report_dir / f"{config.name}-latex"
    with tempfile.TemporaryDirectory(dir=config.report_dir) as folder:
        staged = Path(folder) / target.name
        staged.mkdir()
        (staged / layout.tex.name).write_text(_stamp(config) + layout.tex.read_text("utf-8"),
                                              encoding="utf-8")
        for path in files:
            shutil.copyfile(path, staged / path.name)
        if layout.figures.is_dir():
            shutil.copytree(layout.figures, staged / "figures")
        (staged / "README.md").write_text(_README.format(
            name=config.name, appendix=markup.APPENDIX_FILE,
            refutations=markup.REFUTATIONS_FILE, draft=markup.DRAFT_FILE))
        archive = shutil.make_archive(str(Path(folder) / target.name), "zip", folder,
                                      target.name)
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
        Path(archive).replace(target.with_suffix(".zip"))
    say(f"wrote {config.shown(target)}/ and {config.shown(target.with_suffix('.zip'))}: "
        f"latexmk -pdf {layout.tex.name} there makes the PDF")
    return target


def _stamp(config: BuildConfig) -> str:
    """The comment that says which build made the exported document."""
    pdf = hashlib.sha256(config.pdf_path.read_bytes()).hexdigest()
    return (f"% Exported by veritex {__version__} from the document {config.name!r} of the "
            f"project {config.root.name}/;\n% its checked build made {config.name}.pdf with "
            f"sha256 {pdf}.\n")
