"""All build settings of one document in one frozen object, made once and passed down."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType

from .layout import Layout
from .limits import Limits


def _frozen(**items) -> MappingProxyType:
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class Tolerances:
    """How checks decide; fixed here for every claim, never widened at a call site."""

    numeric_points: int = 24       # random points per numeric comparison
    numeric_rtol: float = 1e-9     # relative tolerance of a numeric comparison
    numeric_atol: float = 1e-12    # absolute floor, for values near zero
    seed: int = 20210412           # seeds every random check, so a build is repeatable
    mc_samples: int = 40_000       # samples per Monte Carlo estimate
    mc_k: float = 4.0              # a Monte Carlo estimate is accepted within k standard errors

    def __post_init__(self):
        for name in ("numeric_points", "mc_samples"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 1:
                raise ValueError(f"tolerance {name} must be a positive integer, "
                                 f"not {getattr(self, name)!r}")
        for name in ("numeric_rtol", "numeric_atol", "mc_k"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"tolerance {name} must be a non-negative number, "
                                 f"not {value!r}")

    def tightened(self, options) -> "Tolerances":
        """One claim's tolerances: the document's, made stricter (never looser) by the
        claim's options of the same names (`claim(..., numeric_rtol=1e-12)`)."""
        chosen = {f.name: options[f.name] for f in fields(self)
                  if f.name in options and f.name != "seed"}
        stricter = replace(self, **chosen)            # checks the types, as above
        for name, value in chosen.items():
            looser = (value < getattr(self, name) if name in ("numeric_points", "mc_samples")
                      else value > getattr(self, name))
            if looser:
                raise ValueError(f"{name}={value!r} would loosen the document's "
                                 f"{getattr(self, name)!r}; a claim may only tighten it")
        return stricter


@dataclass(frozen=True)
class BuildConfig:
    """One document of a project: which template makes it, where its outputs go, and how it
    is built. `veritex.project` makes these from the project file."""

    root: Path                      # the project's folder
    name: str = "document"          # the document's name: report/<name>.pdf
    template: str = "document.tex.j2"   # its main template, under templates/
    # variables the templates see (a project file's `context` table)
    context: MappingProxyType = field(default_factory=_frozen)
    tolerances: Tolerances = field(default_factory=Tolerances)
    limits: Limits = field(default_factory=Limits)     # time limits: chunk, check, LaTeX
    # a draft: typed mathematics neither checked nor declared given is a warning, not an
    # error, and the PDF says so on its first page (`--draft`, or `draft = true`)
    draft: bool = False
    # the time the PDF is stamped with (SOURCE_DATE_EPOCH): the environment's, else the last
    # commit's, else 0; a commit changes it, and the next build typesets again
    epoch: str = "0"
    # Chunk options every chunk starts from: chunks print LaTeX, show no code, and save
    # their figures themselves through veritex.runtime.figure (not through Pweave).
    chunk_defaults: MappingProxyType = field(default_factory=lambda: _frozen(
        echo=False, results="tex", fig=False, term=False, wrap=False))
    # Pdflatex through latexmk; -halt-on-error stops at the first error, -no-shell-escape
    # keeps \write18 off whatever the local TeX configuration says.
    latexmk_args: tuple = ("-pdf", "-halt-on-error", "-interaction=nonstopmode",
                           "-no-shell-escape", "-file-line-error")
    # the project's folders, relative to `root`
    templates: str = "templates"
    src: str = "src"
    report: str = "report"

    @property
    def templates_dir(self) -> Path:
        return self.root / self.templates

    @property
    def src_dir(self) -> Path:
        return self.root / self.src

    @property
    def report_dir(self) -> Path:
        return self.root / self.report

    @property
    def build_dir(self) -> Path:
        """This document's own build folder (cache, woven LaTeX, figures, logs)."""
        return self.report_dir / "build" / self.name

    @property
    def layout(self) -> Layout:
        """The files of the build folder."""
        return Layout(self.build_dir, self.name)

    @property
    def pdf_path(self) -> Path:
        return self.report_dir / f"{self.name}.pdf"

    def shown(self, path: Path) -> str:
        """A path as the user sees it: relative to the project's folder when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)
