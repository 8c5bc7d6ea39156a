"""Stage 3, verify: decide every claim the chunks made; any false one stops the build.

All claims are checked, so one run shows every false step, each as a line
`template:line [chunk]: C7 (its derivative) is false: <why>`. An erratum's statement (quoted
from another source) is the reverse: its check must fail, and one that holds stops the build.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import time
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from multiprocessing import get_context

from . import processes
from .cache import write_atomic      # replaces a link at a path, never writes through it
from .config import BuildConfig, Tolerances
from .errors import ClaimError, VeritexError
from .filters import escape_tex
from .limits import TimeLimit, time_limit
from .progress import QUIET, Progress
from .statement import Kind, Statement, Verdict


class FalseClaims(VeritexError):
    """One or more claims are false; each is its own line."""

    def __init__(self, errors: list[ClaimError], records: list[Statement]):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors, self.records = errors, records

    def __str__(self) -> str:
        return self.message


def check_claim(claim: Statement, tolerances: Tolerances, limit: float | None = None
                ) -> Verdict:
    """How the claim's check decides it (a definition or a given statement: shown)."""
    from . import checks                   # sympy and numpy: only when something is checked
    try:
        step = claim.load()
    except Exception as error:      # a class of the claim's module that is gone, say
        raise ClaimError(f"{claim.tag}: the claim could not be read back to be checked: "
                         f"{type(error).__name__}: {_first_line(error)}", claim.where) from None
    started = time.perf_counter()
    if step.check is None:              # a definition, or a statement declared as given
        params = {key: value for key, value in (("kind", getattr(step, "given", "")),
                                                ("reason", step.reason)) if value}
        return Verdict(step.kind, params, True, "", 0.0)
    if step.check.method not in checks.METHODS:
        known = ", ".join(sorted(checks.METHODS))
        raise ClaimError(f"{claim.tag} ({step.name}) asks for the unknown check method "
                         f"{step.check.method!r} (known: {known})", claim.where)
    try:
        tolerances = tolerances.tightened(step.check.options)
    except ValueError as error:
        raise ClaimError(f"{claim.tag} ({step.name}) has a malformed tolerance: {error}",
                         claim.where) from None
    limit = step.check.options.get("timeout", limit)
    try:
        with time_limit(limit):
            outcome = checks.decide(step.check, tolerances, claim.refute)
    except TimeLimit:
        raise ClaimError(f"{claim.tag} ({step.name}): its {step.check.method} check ran longer "
                         f"than its time limit of {limit:g} s (the claim's timeout= or "
                         "limits.check in the project file sets it)", claim.where) from None
    except checks.MalformedCheck as error:
        raise ClaimError(f"{claim.tag} ({step.name}): {error}", claim.where) from None
    except Exception as error:      # sympy or numpy refusing what the claim gave them
        raise ClaimError(f"{claim.tag} ({step.name}): the {step.check.method} check could not "
                         f"run: {type(error).__name__}: {_first_line(error)}", claim.where) from None
    seconds = time.perf_counter() - started
    detail = outcome.detail
    ok = outcome.ok != claim.refute and outcome.side != "left"
    from .values import chosen_instance
    params = outcome.params
    if any(chosen_instance(value) for value in (step.check.options.get("where") or {}).values()):
        params = {**params, "instance": "one"}        # the appendix says so
    return Verdict(outcome.method, params, ok, str(detail), seconds,
                   detail_tex=detail.tex() if hasattr(detail, "tex") else escape_tex(detail),
                   side=outcome.side)


def _first_line(error: Exception) -> str:
    return next((line for line in str(error).splitlines() if line.strip()), "")


def _failure(claim: Statement) -> ClaimError:
    verdict = claim.verdict
    if claim.refute and verdict.side != "left":
        return ClaimError(f"{claim.tag} ({claim.name}) is listed as an erratum, a false "
                          f"statement of its source, but it holds ({verdict.method})", claim.where)
    return ClaimError(f"{claim.tag} ({claim.name}) is false: {verdict.detail}", claim.where)


def _warm_up() -> None:
    """A worker imports sympy and numpy while the chunks still run. It ignores Ctrl-C, which
    the terminal sends to the whole process group: the build stops the workers itself. It
    yields the cores to the kernels (nice 10): the chunks are a build's longest path, and the
    checks left when they are done run on every core."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    processes.die_with_parent()
    importlib.import_module("veritex.checks")
    os.nice(10)


class _Workers:
    """The processes that check claims: none (check in this process), or a pool, spawned
    (each worker imports sympy while the chunks run) or forked, with this process's imports,
    at a moment when no kernel runs in it."""

    def __init__(self, src: str, count: int):
        self.src, self.count, self.pool = src, count, None

    def start(self, fork: bool = False, count: int | None = None) -> None:
        if self.pool is not None or not (count or self.count):
            return
        self.count = count or self.count
        if self.src not in sys.path:     # the steps they unpickle import the project's modules
            sys.path.insert(0, self.src)  # (the kernel puts it there too; spawn passes it on)
        if fork:                         # imported once, here, rather than in each worker
            importlib.import_module("veritex.checks")
        self.pool = ProcessPoolExecutor(self.count, get_context("fork" if fork else "spawn"),
                                        _warm_up)
        if fork:
            with processes.frozen():
                self.pool.submit(int).result()    # a fork-context pool forks all its workers

    def submit(self, *call) -> Future:
        if self.pool is None:
            self.start()
        return self.pool.submit(*call)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


class Checker:
    """Checks claims as the weave stage hands them over, in worker processes, so checking
    overlaps with running the chunks; verdicts are cached under the claim's key.

        checker.submit(claim)  ...  records = checker.records(claims)   # in document order
    """

    def __init__(self, config: BuildConfig, incremental=None, workers: int | None = None):
        self.config, self.incremental = config, incremental
        # one core stays with the kernel that runs the chunks; 0 workers (one core): check
        # in-process
        count = workers if workers is not None else min(4, processes.cores() - 1)
        self.workers, self.pending = _Workers(str(config.src_dir), count), {}
        if processes.FORKED and count:            # forked from the warm watcher: so are the
            self.start(fork=True)                 # workers, now, before any kernel starts

    def start(self, fork: bool = False, workers: int | None = None) -> None:
        """Start the worker processes (see `_Workers`)."""
        self.workers.start(fork, workers)

    def _key(self, claim: Statement) -> str | None:
        if self.incremental is None:
            return None
        return self.incremental.checks.key(claim.key, claim.refute, self.config.tolerances)

    def submit(self, claim: Statement) -> None:
        """Start deciding a claim (once: a claim is known by its unit's key and its place
        there, so one handed over before it was numbered is not checked again)."""
        ident = claim.key or claim.tag
        if ident in self.pending:
            return
        key = self._key(claim)
        cached = self.incremental.checks.verdict(key) if key else None
        if cached is not None:
            verdict = replace(cached, cached=True)
        elif self.workers.count == 0:
            verdict = check_claim(claim, self.config.tolerances, self.config.limits.check)
        else:
            verdict = self.workers.submit(check_claim, claim, self.config.tolerances,
                                          self.config.limits.check)
        self.pending[ident] = (verdict, claim.tag)

    def records(self, claims: list[Statement], progress: Progress = QUIET) -> list[Statement]:
        """Every claim with its verdict; raises FalseClaims (carrying them) if any is false."""
        for claim in claims:
            self.submit(claim)
        bar = progress.bar("checks", total=len(claims), unit="claim")
        records = []
        try:
            for claim in claims:
                records.append(replace(claim, verdict=self._verdict(claim),
                                       where=replace(claim.where, origin=None)))
                bar.update()
        finally:
            bar.close()
            self.close()
        failures = [_failure(replace(decided, where=claim.where))
                    for claim, decided in zip(claims, records) if not decided.verdict.ok]
        if failures:
            raise FalseClaims(failures, records)
        return records

    def _verdict(self, claim: Statement) -> Verdict:
        """A submitted claim's verdict, once decided (and stored, when it was decided now)."""
        verdict, tag = self.pending[claim.key or claim.tag]
        if isinstance(verdict, Future):
            try:
                verdict = verdict.result()
            except ClaimError as error:      # said with the tag it was handed over
                raise ClaimError(error.message.replace(tag, claim.tag), claim.where) from None
            except BrokenProcessPool:
                raise ClaimError(f"{claim.tag}: the process checking it died (a crash in "
                                 "compiled code, a signal, or os._exit in the claim's code); "
                                 "no claim from here on was decided", claim.where) from None
        if not verdict.cached and self._key(claim):
            self.incremental.checks.keep(self._key(claim), verdict)
        return verdict

    def close(self) -> None:
        self.workers.close()


def summary(records: list[Statement]) -> dict:
    """Counts by kind and by method, total time and failures: what `check` prints."""
    count = Counter(r.kind for r in records)
    checked = [r.verdict for r in records if r.kind in (Kind.CLAIM, Kind.REFUTED)]
    return {"claims": count[Kind.CLAIM], "definitions": count[Kind.DEFINITION],
            "given": count[Kind.GIVEN], "refuted": count[Kind.REFUTED],
            "by_method": dict(sorted(Counter(v.method for v in checked).items())),
            "seconds": round(sum(r.verdict.seconds for r in records
                                 if not r.verdict.cached), 3),
            "checked": sum(not v.cached for v in checked),
            "reused": sum(v.cached for v in checked),
            "failures": [r.tag for r in records if not r.verdict.ok]}


def summary_line(records: list[Statement]) -> str:
    s = summary(records)
    methods = ", ".join(f"{n} {m}" for m, n in s["by_method"].items()) or "none"
    failed = f"; {len(s['failures'])} FAILED: {', '.join(s['failures'])}" if s["failures"] else ""
    reused = (f"; {s['reused']} result{'' if s['reused'] == 1 else 's'} reused from the cache"
              if s["reused"] else "")
    definitions = f"{s['definitions']} definition{'' if s['definitions'] == 1 else 's'}"
    return (f"{s['claims']} claims and {s['refuted']} refuted statements checked ({methods}) "
            f"in {s['seconds']:.1f} s, {definitions}, {s['given']} given"
            f"{reused}{failed}")


def write_json(records: list[Statement], path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"summary": summary(records), "records": [r.record() for r in records]}
    write_atomic(path, (json.dumps(document, indent=1, default=str) + "\n").encode())
