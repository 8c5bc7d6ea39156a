#!/usr/bin/env python3
"""Build the solution document: render -> weave -> verify -> typeset.

    python build.py [pdf]          everything; writes report/solutions.pdf
    python build.py check [--json PATH]   every verification, without LaTeX
    python build.py watch          rebuild the PDF whenever a template or src/ file is saved
    python build.py audit          change every claim and definition; each change must fail
    --fresh                        ignore the build cache (report/build/cache)
    --strict                       stop on mathematics typed by hand that is neither checked
                                   nor declared given (the normal build warns)
    -q                             print only errors and warnings

A mistake in the input (a template, a chunk, a false claim, LaTeX) prints one line,
`templates/<file>:<line> [<chunk>]: <what went wrong>`, and exits 1. Only a bug of the
engine itself shows a Python traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
# `python build.py` from any interpreter runs in the project's .venv, where the pinned
# packages are (make creates it).
if (VENV / "bin" / "python").exists() and Path(sys.prefix).resolve() != VENV.resolve():
    os.execv(VENV / "bin" / "python", [str(VENV / "bin" / "python"), __file__, *sys.argv[1:]])
sys.path.insert(0, str(ROOT / "src"))

from veritex import cache  # noqa: E402
from veritex.config import BuildConfig  # noqa: E402
from veritex.errors import Stopped, VeritexError  # noqa: E402
from veritex.progress import Progress  # noqa: E402


def build(config: BuildConfig, *, latex: bool, json_path: Path | None = None,
          fresh: bool = False, progress: Progress | None = None, strict: bool = False):
    """Build; without `latex`, stop after verification and return the checked claims."""
    progress = progress or Progress()
    say = progress.say
    store = cache.Store(config.build_dir / "cache", fresh=fresh,
                        warn=lambda message: print(message, file=sys.stderr))
    store.engine = cache.engine_fingerprint(config.root)
    inputs = _inputs(config, store.engine)
    run = {"inputs": inputs, "units": [], "checks": {}, "latex": {"ran": False, "why": ""}}
    if latex and _up_to_date(config, store, inputs):
        say(f"nothing changed since the last build; {config.pdf_path.relative_to(config.root)} "
            "is up to date")
        _record(config, {**run, "latex": {"ran": False, "why": "nothing changed"}})
        return
    # The stages import sympy, numpy and Pweave: only now, so that the check above is quick.
    from veritex import appendix, prose, render, typeset, verify, weave
    checker = verify.Checker(config, store)                 # checks run beside the chunks
    try:
        rendered = render.render(config)                   # templates -> Pweave source
        say(f"rendered {config.main_template}")
        woven = weave.weave(rendered, config, store, checker, progress)  # chunks -> LaTeX
        run["units"] = [vars(unit) for unit in woven.log]
        for warning in woven.warnings:
            print(warning, file=sys.stderr)
        _say_units(woven.log, say)
        typed = prose.scan(rendered, woven.texts)          # math typed by hand: accounted for?
        if strict and typed.undeclared:
            raise prose.TypedMathError(typed)
        for warning in typed.warnings():
            print(warning, file=sys.stderr)
        records = _verify(woven.claims, config, json_path, progress, checker)  # or stop here
        summary = verify.summary(records)
        run["checks"] = {"checked": summary["checked"], "reused": summary["reused"]}
        if not latex:
            store.prune()
            return woven.claims
        for name, text in (("verification.tex", appendix.appendix_latex(records, typed)),
                           ("refutations.tex", appendix.refutations_latex(records))):
            cache.write_if_changed(config.build_dir / name, text)
        sources = _latex_inputs(config)
        last = store.index.get("latex", {})
        pdf_digest = (cache.digest(config.pdf_path.read_bytes())
                      if config.pdf_path.exists() else None)
        if last.get("inputs") == sources and last.get("pdf") == pdf_digest:
            run["latex"] = {"ran": False, "why": "its input did not change"}
            say("LaTeX skipped: its input did not change")
        else:
            pdf = typeset.typeset(woven.tex_path, config, progress,  # LaTeX -> the PDF
                                  origin=functools.partial(_woven_origin, rendered, woven))
            pdf_digest = cache.digest(pdf.read_bytes())
            run["latex"] = {"ran": True, "why": "its input changed" if last else "no earlier PDF"}
            store.index["latex"] = {"inputs": sources, "pdf": pdf_digest}
            say(f"wrote {pdf.relative_to(config.root)}")
        store.index["last"] = {"inputs": inputs, "pdf": pdf_digest}
        store.prune()
    finally:
        checker.close()
        store.save_index()
        _record(config, run)


def _woven_origin(rendered, woven, line: int):
    from veritex import concordance
    return concordance.woven_origin(rendered, woven.tex_path.read_text(encoding="utf-8"), line)


def _inputs(config: BuildConfig, engine: str) -> str:
    """Everything a build reads: templates, sources, the engine and the settings."""
    files = cache.source_files(config.templates_dir) + cache.source_files(config.src_dir)
    return cache.digest(cache.tree_fingerprint(config.root, files) + engine + repr(config))


def _latex_inputs(config: BuildConfig) -> str:
    files = list(config.build_dir.glob("*.tex")) + cache.source_files(config.build_dir / "figures")
    return cache.digest(cache.tree_fingerprint(config.build_dir, files) +
                        repr(config.latexmk_args))


def _up_to_date(config: BuildConfig, store: cache.Store, inputs: str) -> bool:
    last = store.index.get("last", {})
    return (last.get("inputs") == inputs and config.pdf_path.exists()
            and cache.digest(config.pdf_path.read_bytes()) == last.get("pdf"))


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


def _record(config: BuildConfig, run: dict) -> None:
    """What this build ran and why, for people and tests: report/build/run.json."""
    config.build_dir.mkdir(parents=True, exist_ok=True)
    (config.build_dir / "run.json").write_text(json.dumps(run, indent=1) + "\n")


def _verify(claims, config: BuildConfig, json_path: Path | None, progress, checker):
    """Check every claim; the summary and the JSON records are written even when one fails."""
    from veritex import verify
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="pdf",
                        choices=["pdf", "check", "watch", "audit"])
    parser.add_argument("--json", type=Path, help="with check: also write the claim records here")
    parser.add_argument("--fresh", action="store_true",
                        help="ignore the build cache: run every chunk and check")
    parser.add_argument("--strict", action="store_true",
                        help="stop on typed mathematics that is neither checked nor given")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print only errors and warnings (no progress lines or bars)")
    args = parser.parse_args(argv)
    config = BuildConfig(root=ROOT)
    if args.command == "watch":
        from veritex.watch import watch
        watch(config, Path(__file__).resolve())
        return 0
    signal.signal(signal.SIGTERM, _stop)
    try:
        with _one_build_at_a_time(config):
            progress = Progress(quiet=args.quiet)
            claims = build(config, latex=args.command == "pdf", json_path=args.json,
                           fresh=args.fresh, progress=progress, strict=args.strict)
            if args.command == "audit":
                return _audit(config, claims, progress)
    except VeritexError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt as stop:
        number = stop.signal if isinstance(stop, Stopped) else signal.SIGINT
        print(f"build stopped by {number.name}; {config.pdf_path.relative_to(config.root)} "
              "is as it was", file=sys.stderr)
        return 128 + number
    return 0


def _audit(config: BuildConfig, claims, progress: Progress) -> int:
    """Every survivor of the audit on its own line, then the score; 1 if any survived."""
    from veritex import audit
    findings, seconds = audit.audit(list(claims), config.tolerances, progress=progress)
    survivors = [finding for finding in findings if not finding.caught]
    for finding in survivors:
        print(finding, file=sys.stderr)
    tags = {claim.tag[0] for claim in claims}
    count = {kind: sum(claim.tag[0] == kind for claim in claims) for kind in tags}
    print(audit.score_line(findings, seconds, count.get("C", 0), count.get("D", 0)))
    return 1 if survivors else 0


def _stop(number, frame):
    raise Stopped(number)


@contextlib.contextmanager
def _one_build_at_a_time(config: BuildConfig, wait: float = 600):
    """Hold report/build/build.lock (an flock: the system drops it when its holder dies, so
    no lock outlives its build). A second build of the same tree waits for the first."""
    from filelock import FileLock, Timeout
    config.build_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(config.build_dir / "build.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print("another build of this folder is running; waiting for it to finish",
              file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise VeritexError(f"another build of this folder has held {lock.lock_file} for "
                               f"{wait:.0f} s; stop it, or wait and try again") from None
    try:
        yield
    finally:
        lock.release()


if __name__ == "__main__":
    sys.exit(main())
