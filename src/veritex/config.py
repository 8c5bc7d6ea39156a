"""All build settings in one frozen object, made once by `build.py` and passed down."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType


def _frozen(**items) -> MappingProxyType:
    return MappingProxyType(dict(items))


class _Under:
    """A read-only attribute naming a folder below the config's root (not a dataclass field)."""

    def __init__(self, *parts: str):
        self.parts = parts

    def __get__(self, config, owner=None):
        return self if config is None else config.root.joinpath(*self.parts)


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
    root: Path
    main_template: str = "solutions.tex.j2"
    jobname: str = "solutions"
    tolerances: Tolerances = field(default_factory=Tolerances)
    # Chunk options every chunk starts from: chunks print LaTeX, show no code, and save
    # their figures themselves through veritex.runtime.figure (not through Pweave).
    chunk_defaults: MappingProxyType = field(default_factory=lambda: _frozen(
        echo=False, results="tex", fig=False, term=False, wrap=False))
    # Pdflatex through latexmk; -halt-on-error stops at the first error, -no-shell-escape
    # keeps \write18 off whatever the local TeX configuration says.
    latexmk_args: tuple = ("-pdf", "-halt-on-error", "-interaction=nonstopmode",
                           "-no-shell-escape", "-file-line-error")

    # the project's folders, below `root`
    templates_dir = _Under("templates")
    src_dir = _Under("src")
    report_dir = _Under("report")
    build_dir = _Under("report", "build")

    @property
    def pdf_path(self) -> Path:
        return self.report_dir / f"{self.jobname}.pdf"
