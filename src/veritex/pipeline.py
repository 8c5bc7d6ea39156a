"""One document's build: render -> weave -> verify -> typeset. What an earlier build left
usable is decided in one place, `veritex.incremental`; the files of the build folder are
named in `veritex.layout`; what the build did is recorded in `veritex.run`.

`build(config, latex=True)` makes `report/<name>.pdf`; with `latex=False` it stops after
verification and returns the checked statements.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import asdict
from importlib.resources import files
from pathlib import Path

from . import cache, markup
from .config import BuildConfig
from .folders import prepare
from .incremental import Incremental
from .progress import Progress
from .run import INPUT_CHANGED, NO_PDF, NOTHING_CHANGED, UNCHANGED_INPUT, Run



def _warn(text: str) -> None:
    print(text, file=sys.stderr)          # sys.stderr as it is now (a forked build sets its own)


def build(config: BuildConfig, *, latex: bool, json_path: Path | None = None,
          fresh: bool = False, progress: Progress | None = None, profile: bool = False):
    """Build; without `latex`, stop after verification and return the statements shown and
    the same statements decided. `profile`: say how long every unit took."""
    progress = progress or Progress()
    prepare(config, _warn)                                  # a build writes only its own files
    incremental = Incremental(config, fresh=fresh, warn=_warn)
    run = Run(inputs=incremental.inputs)
    if latex and _nothing_changed(config, incremental, progress.say):
        return None
    incremental.started()                                   # what the sources say now
    # The stages import sympy, numpy and Pweave: only now, so that the check above is quick.
    from . import render, verify, weave
    checker = verify.Checker(config, incremental)            # checks run beside the chunks
    try:
        rendered = render.render(config)                     # templates -> Pweave source
        progress.say(f"rendered {config.template}")
        woven = weave.weave(rendered, config, incremental, checker, progress)  # -> LaTeX
        run.units, run.kernels = [asdict(unit) for unit in woven.log], woven.kernels
        _said(woven, progress.say, profile)
        typed = _typed(rendered, woven, config)              # math typed by hand: accounted for?
        records = _verify(woven, config, json_path, progress, checker)  # all true, or stop
        _restated(typed, records, woven, config)             # results said again: as checked?
        summary = verify.summary(records)
        run.checks = {"checked": summary["checked"], "reused": summary["reused"]}
        if not latex:
            incremental.checked()
            return woven.claims, records
        _beside(config, records, typed)                      # appendix, refutations, draft
        _typeset(config, rendered, woven, incremental, run, progress)  # LaTeX -> the PDF
    finally:
        checker.close()
        incremental.save()
        run.write(config)
    return None


def up_to_date(config: BuildConfig, progress: Progress) -> bool:
    """The quick answer before any work: nothing the build reads changed since the last
    good PDF (said, and recorded in run.json)."""
    prepare(config, _warn)
    return _nothing_changed(config, Incremental(config, warn=_warn), progress.say)


def _nothing_changed(config: BuildConfig, incremental: Incremental, say) -> bool:
    if not incremental.up_to_date():
        return False
    say(f"{config.name}: nothing changed since the last build; "
        f"{config.shown(config.pdf_path)} is up to date")
    run = Run(inputs=incremental.inputs)
    run.latex_ran(False, NOTHING_CHANGED)
    run.write(config)
    return True


SLOW = 1.0         # seconds: a unit that ran longer is named after the build's units line


def _said(woven, say, profile: bool = False) -> None:
    """What the chunks wrote to stderr, then one line per unit that ran and why (one line per
    reason when many share it), and the units that took longest (with `profile`: every unit,
    with its time)."""
    for warning in woven.warnings:
        print(warning, file=sys.stderr)
    ran = [unit for unit in woven.log if unit.ran]
    reasons = {}
    for unit in ran:
        reasons.setdefault(unit.why, []).append(unit.label)
    for reason, labels in reasons.items():
        if len(labels) > 3:
            say(f"ran {len(labels)} units ({labels[0]} ... {labels[-1]}): {reason}")
        else:
            for label in labels:
                say(f"ran {label}: {reason}")
    say(f"{len(ran)} of {len(woven.log)} chunks and inline expressions ran, "
        f"{len(woven.log) - len(ran)} reused from the cache")
    if profile:
        for unit in sorted(woven.log, key=lambda unit: -unit.seconds):
            say(f"{unit.seconds:7.2f} s  {unit.label}"
                + ("" if unit.ran else "  (reused; its time when it last ran)"))
        return
    slow = sorted((unit for unit in ran if unit.seconds >= SLOW), key=lambda unit: -unit.seconds)
    if slow:
        say("slowest: " + ", ".join(f"{unit.label} {unit.seconds:.1f} s" for unit in slow[:5])
            + (f" (and {len(slow) - 5} more over {SLOW:g} s)" if len(slow) > 5 else "")
            + "; --profile times every unit")


def _typed(rendered, woven, config: BuildConfig):
    """The formulas typed by hand, each checked or declared given (a draft only warns)."""
    from . import prose
    typed = prose.scan(rendered, woven.texts)
    if typed.undeclared and not config.draft:
        raise prose.TypedMathError(typed)
    for warning in typed.warnings():
        print(warning, file=sys.stderr)
    return typed


def _verify(woven, config: BuildConfig, json_path: Path | None, progress, checker):
    """Decide every statement; the summary and claims.json are written even when one fails."""
    from . import verify
    json_path = json_path or config.layout.claims
    try:
        records = checker.records(list(woven.claims), progress)
    except verify.FalseClaims as failure:
        verify.write_json(failure.records, json_path)
        progress.say(verify.summary_line(failure.records))
        raise
    verify.write_json(records, json_path)
    progress.say(verify.summary_line(records))
    return records


def _restated(typed, records, woven, config: BuildConfig) -> None:
    """Formulas in \\restates{name}{...} say what the claim of that name says; a draft only
    warns when one does not."""
    from . import prose
    wrong = prose.unrestated(typed, records, woven.tex_path.read_text(encoding="utf-8"))
    if wrong and not config.draft:
        raise prose.TypedMathError(prose.Typed(undeclared=wrong))
    for formula in wrong:
        print(formula, file=sys.stderr)


def _beside(config: BuildConfig, records, typed) -> None:
    """The files LaTeX reads beside the woven document, each written only if it changed."""
    from . import appendix
    config.build_dir.mkdir(parents=True, exist_ok=True)     # even if it went meanwhile
    for name, text in ((markup.APPENDIX_FILE, appendix.appendix_latex(records, typed)),
                       (markup.REFUTATIONS_FILE, appendix.refutations_latex(records)),
                       (markup.DRAFT_FILE, appendix.draft_latex(config.draft, typed)),
                       (markup.STYLE_FILE,
                        files("veritex").joinpath("tex", markup.STYLE_FILE).read_text())):
        cache.write_if_changed(config.layout.beside(name), text)


def _typeset(config: BuildConfig, rendered, woven, incremental: Incremental, run: Run,
             progress) -> None:
    """LaTeX, unless its input is the last PDF's; a source saved meanwhile is said."""
    from . import typeset
    sources = incremental.latex.sources([*config.build_dir.glob("*.tex"), config.layout.style,
                                         *cache.source_files(config.layout.figures)])
    pdf_digest = (cache.digest(config.pdf_path.read_bytes())
                  if config.pdf_path.exists() else None)
    if incremental.latex.unchanged(sources, pdf_digest):
        run.latex_ran(False, UNCHANGED_INPUT)
        progress.say(f"LaTeX skipped: {UNCHANGED_INPUT}")
    else:
        pdf = typeset.typeset(woven.tex_path, config, progress,
                              origin=functools.partial(_woven_origin, rendered, woven),
                              tags={claim.tag: claim.where for claim in woven.claims},
                              force=incremental.latex.must_force())
        pdf_digest = cache.digest(pdf.read_bytes())
        run.latex_ran(True, INPUT_CHANGED if incremental.latex.ran_before() else NO_PDF)
        incremental.latex.ran(sources, pdf_digest)
        progress.say(f"wrote {config.shown(pdf)}")
    if incremental.built(pdf_digest, rendered.templates):
        print(f"warning: a template or source of {config.name} was saved while this build "
              "ran; the next build will run again to take it in", file=sys.stderr)


def _woven_origin(rendered, woven, line: int):
    from . import concordance
    return concordance.woven_origin(rendered, woven.tex_path.read_text(encoding="utf-8"), line)
