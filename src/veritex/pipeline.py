"""One document's build: render -> weave -> verify -> typeset. What an earlier build left
usable is decided in one place, `veritex.incremental`.

`build(config, latex=True)` makes `report/<name>.pdf`; with `latex=False` it stops after
verification and returns the checked claims. Every build writes `run.json` (see `Run`).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from importlib.resources import files
from pathlib import Path

from . import cache
from .config import BuildConfig
from .errors import VeritexError
from .incremental import Incremental
from .progress import Progress

STYLE = "veritex.sty"       # the engine's LaTeX side, copied into each build folder
DRAFT = "veritex-draft.tex"  # the first page's DRAFT mark, empty unless a draft (veritex.sty)


@dataclass
class Run:
    """What one build did, for people and tools: `report/build/<name>/run.json`."""

    inputs: str = ""                     # the digest of everything the build read
    units: list = field(default_factory=list)    # per chunk and inline unit: label, ran, why
    kernels: int = 0                     # kernels that ran units at once (0: one at a time)
    checks: dict = field(default_factory=dict)   # {"checked": n, "reused": n}
    latex: dict = field(default_factory=lambda: {"ran": False, "why": ""})

    @staticmethod
    def path(config: BuildConfig) -> Path:
        return config.build_dir / "run.json"

    def write(self, config: BuildConfig) -> None:
        config.build_dir.mkdir(parents=True, exist_ok=True)
        cache.write_atomic(self.path(config), (json.dumps(asdict(self), indent=1) + "\n").encode())

    @classmethod
    def read(cls, config: BuildConfig) -> "Run | None":
        try:
            return cls(**json.loads(cls.path(config).read_text()))
        except (OSError, ValueError, TypeError):
            return None


def build(config: BuildConfig, *, latex: bool, json_path: Path | None = None,
          fresh: bool = False, progress: Progress | None = None):
    """Build; without `latex`, stop after verification and return the checked claims and
    their records."""
    progress = progress or Progress()
    say = progress.say
    warn = functools.partial(print, file=sys.stderr)
    _prepare(config, warn)
    incremental = Incremental(config, fresh=fresh, warn=warn)
    run = Run(inputs=incremental.inputs)
    if latex and _nothing_changed(config, incremental, say):
        return None
    incremental.started()                                  # what the sources say now
    # The stages import sympy, numpy and Pweave: only now, so that the check above is quick.
    from . import appendix, prose, render, typeset, verify, weave
    checker = verify.Checker(config, incremental)            # checks run beside the chunks
    try:
        rendered = render.render(config)                   # templates -> Pweave source
        say(f"rendered {config.template}")
        woven = weave.weave(rendered, config, incremental, checker, progress)  # -> LaTeX
        run.units, run.kernels = [asdict(unit) for unit in woven.log], woven.kernels
        for warning in woven.warnings:
            print(warning, file=sys.stderr)
        _say_units(woven.log, say)
        typed = prose.scan(rendered, woven.texts)          # math typed by hand: accounted for?
        if typed.undeclared and not config.draft:
            raise prose.TypedMathError(typed)
        for warning in typed.warnings():
            print(warning, file=sys.stderr)
        records = _verify(woven.claims, config, json_path, progress, checker)  # or stop here
        _restated(typed, records, woven, config)           # results said again: as checked?
        summary = verify.summary(records)
        run.checks = {"checked": summary["checked"], "reused": summary["reused"]}
        if not latex:
            incremental.checked()
            return woven.claims, records
        config.build_dir.mkdir(parents=True, exist_ok=True)     # even if it went meanwhile
        for name, text in (("verification.tex", appendix.appendix_latex(records, typed)),
                           ("refutations.tex", appendix.refutations_latex(records)),
                           (DRAFT, appendix.draft_latex(config.draft, typed)),
                           (STYLE, files("veritex").joinpath("tex", STYLE).read_text())):
            cache.write_if_changed(config.build_dir / name, text)
        sources = incremental.latex_sources([
            *config.build_dir.glob("*.tex"), config.build_dir / STYLE,
            *cache.source_files(config.build_dir / "figures")])
        pdf_digest = (cache.digest(config.pdf_path.read_bytes())
                      if config.pdf_path.exists() else None)
        if incremental.latex_unchanged(sources, pdf_digest):
            run.latex = {"ran": False, "why": "its input did not change"}
            say("LaTeX skipped: its input did not change")
        else:
            pdf = typeset.typeset(woven.tex_path, config, progress,  # LaTeX -> the PDF
                                  origin=functools.partial(_woven_origin, rendered, woven),
                                  tags={claim.tag: claim.where for claim in woven.claims})
            pdf_digest = cache.digest(pdf.read_bytes())
            run.latex = {"ran": True, "why": "its input changed"
                         if incremental.latex_ran_before() else "no earlier PDF"}
            incremental.latex_ran(sources, pdf_digest)
            say(f"wrote {config.shown(pdf)}")
        if incremental.built(pdf_digest, rendered.templates):
            print(f"warning: a template or source of {config.name} was saved while this build "
                  "ran; the next build will run again to take it in", file=sys.stderr)
    finally:
        checker.close()
        incremental.save()
        run.write(config)
    return None


def up_to_date(config: BuildConfig, progress: Progress) -> bool:
    """The quick answer before any work: nothing the build reads changed since the last
    good PDF (said, and recorded in run.json)."""
    warn = functools.partial(print, file=sys.stderr)
    _prepare(config, warn)
    return _nothing_changed(config, Incremental(config, warn=warn), progress.say)


def _nothing_changed(config: BuildConfig, incremental: Incremental, say) -> bool:
    if not incremental.up_to_date():
        return False
    say(f"{config.name}: nothing changed since the last build; "
        f"{config.shown(config.pdf_path)} is up to date")
    Run(inputs=incremental.inputs, latex={"ran": False, "why": "nothing changed"}).write(config)
    return True


def _prepare(config: BuildConfig, warn) -> None:
    """The places a build writes must be what it expects: a folder the user made where the
    PDF goes is theirs to move (an error); anything else in the build folder is build output,
    replaced with a warning. The build writes only inside the project: a report folder that
    links out of it is refused, and a link in the build folder is removed, never written
    through."""
    report, pdf = config.report_dir, config.pdf_path
    root = config.root.resolve()
    if report.is_symlink() and not report.resolve().is_relative_to(root):
        raise VeritexError(f"{config.report}: a link to {report.resolve()}, outside the "
                           "project, and the build writes only inside it; make it a folder")
    if report.exists() and not report.is_dir():
        raise VeritexError(f"{config.shown(report)}: not a folder, and the PDFs go there; "
                           "move it away")
    if (pdf.exists() or pdf.is_symlink()) and not pdf.is_file():
        raise VeritexError(f"{config.shown(pdf)}: not a file (a folder, or a broken link), "
                           "and the PDF goes there; move it away")
    for folder in (report / "build", config.build_dir, config.build_dir / "cache",
                   config.build_dir / "figures", config.build_dir / "cache-work"):
        if folder.is_symlink():
            warn(f"warning: {config.shown(folder)} was a link (to {os.readlink(folder)}); "
                 "removed, the build writes its own folder there (build output)")
            folder.unlink()
        elif folder.exists() and not folder.is_dir():
            warn(f"warning: {config.shown(folder)} was not a folder; replaced (build output)")
            folder.unlink()
    _unlink_links(config, warn)


def _unlink_links(config: BuildConfig, warn) -> None:
    """Remove every link inside the build folder (run.json, claims.json, the cache, a
    .partial file...): the build writes those files, and writing would follow the link."""
    if not config.build_dir.is_dir():
        return
    for folder, folders, files in os.walk(config.build_dir, followlinks=False):
        for name in (*folders, *files):
            path = Path(folder) / name
            if path.is_symlink():
                warn(f"warning: {config.shown(path)} was a link (to {os.readlink(path)}); "
                     "removed (build output)")
                path.unlink()


def _restated(typed, records, woven, config: BuildConfig) -> None:
    """Formulas in \\restates{name}{...} say what the claim of that name says; a draft only
    warns when one does not."""
    from . import prose
    wrong = prose.unrestated(typed, records, woven.tex_path.read_text(encoding="utf-8"))
    if wrong and not config.draft:
        raise prose.TypedMathError(prose.Typed(undeclared=wrong))
    for formula in wrong:
        print(formula, file=sys.stderr)


def _woven_origin(rendered, woven, line: int):
    from . import concordance
    return concordance.woven_origin(rendered, woven.tex_path.read_text(encoding="utf-8"), line)


def _say_units(log, say) -> None:
    """One line per unit that ran and why; one line per reason when many share it."""
    ran = [unit for unit in log if unit.ran]
    reasons = {}
    for unit in ran:
        reasons.setdefault(unit.why, []).append(unit.label)
    for reason, labels in reasons.items():
        if len(labels) > 3:
            say(f"ran {len(labels)} units ({labels[0]} ... {labels[-1]}): {reason}")
        else:
            for label in labels:
                say(f"ran {label}: {reason}")
    say(f"{len(ran)} of {len(log)} chunks and inline expressions ran, "
        f"{len(log) - len(ran)} reused from the cache")


def _verify(claims, config: BuildConfig, json_path: Path | None, progress, checker):
    """Check every claim; the summary and the JSON records are written even when one fails."""
    from . import verify
    json_path = json_path or config.build_dir / "claims.json"
    try:
        records = checker.records(list(claims), progress)
    except verify.FalseClaims as failure:
        verify.write_json(failure.records, json_path)
        progress.say(verify.summary_line(failure.records))
        raise
    verify.write_json(records, json_path)
    progress.say(verify.summary_line(records))
    return records
