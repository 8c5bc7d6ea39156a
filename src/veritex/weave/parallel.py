"""Independent units at once: before the weave stage's pass in document order, the units the
cache cannot answer run in several kernels, each in a process of its own, on separate cores.

The plan (`veritex.plan`) already knows what each unit reads from which earlier unit. A unit
is ready once every unit it depends on is answered (in the cache, or just run); ready units go
to idle kernels in document order. A kernel keeps the units that use a module of the project
it imported first (so that the module's state, a cached experiment say, is built once), and
prefers the units that read what it holds; it loads the variables of the dependencies it did
not run itself from the cache, as a build that reuses them does. Each result goes into the
cache under the unit's key, and its claims to the checker at once. The weave stage's pass then
finds every result in the cache and assembles the document in order: numbering, output and
error locations are the pass's, as in a build that runs one unit at a time. The kernels see
what a build that reuses cached units sees, so they give the same results as one kernel
(`VERITEX_JOBS=1`) when every unit's result depends only on what it reads (see `veritex.plan`
for the one known limit: a change made in place to an earlier chunk's object).

What does not fit is left to that pass, which runs it in its own kernel as before: a unit
whose variables cannot be pickled (and everything after it that reads them), an inline unit
that binds names, a chunk with Pweave's rarer options (`term`, `source`, an incomplete chunk),
and everything after a unit that failed (its error is the pass's to report, at the first failing
unit in document order), or whose kernel died (the pass runs it again, in the build's own
process, where a crash is located by the supervisor).

The kernels are forks of the build process, made after it has imported the libraries the
units import, so no interpreter starts and no library is imported twice. Fewer than MIN_UNITS
units to run, or one core: the pass runs them all, as before.
"""

from __future__ import annotations

import os

import pweave

from .. import processes, warm
from ..config import BuildConfig
from ..incremental import Incremental
from ..plan import Planner, names
from ..progress import QUIET, Progress
from . import units as reading
from .pool import Elsewhere, Job, Pool


MIN_UNITS = 4               # fewer units to run than this: one kernel, the pass's own


JOBS = "VERITEX_JOBS"       # environment: at most this many kernels at once (1: one at a time)


def jobs() -> int:
    """How many kernels run at once: the cores this process may use (the checks share them),
    or fewer if VERITEX_JOBS says so."""
    cores = processes.cores()
    try:
        wanted = int(os.environ.get(JOBS, cores))
    except ValueError:
        wanted = cores
    return max(1, min(wanted, cores))


def prerun(source: str, config: BuildConfig, incremental: Incremental, reader, checker=None,
           progress: Progress = QUIET) -> Elsewhere:
    """Run, in parallel kernels, the units of `source` (the rendered Pweave source) that the
    cache cannot answer; what ran and what failed."""
    elsewhere = Elsewhere()
    count = jobs()
    if count < 2:
        return elsewhere
    units = _plan(source, config, incremental, reader)
    if units is None:
        return elsewhere
    answered = {job.index for job in units if _answered(job, incremental)}
    # an inline unit that binds names always runs in the pass (its names are not stored)
    todo = {job.index: job for job in units if job.index not in answered
            and not (job.inline and job.stores)}
    if len(todo) < MIN_UNITS:        # a kernel's start would cost more than it could save
        return elsewhere
    for job in todo.values():        # in document order, as the pass would say it
        job.why = incremental.units.why(job)
    # the installed libraries they use, imported once, before the kernels fork
    warm.import_libraries(config.src_dir, [job.code for job in units])
    if checker is not None:            # the check workers too, with these imports: one each
        checker.start(fork=True, workers=count)       # core, as the kernels (they alternate)
    elsewhere.kernels = min(count, len(todo))
    pool = Pool(elsewhere.kernels, config, incremental, checker, progress)
    pool.run(units, todo, answered, elsewhere)
    return elsewhere


def _plan(source: str, config: BuildConfig, incremental: Incremental, reader):
    """Every unit of the document in order, keyed as the pass will key it, with the units it
    depends on; None if the document has a chunk that only the pass can run."""
    parser = reader(string=source)
    try:
        parser.parse()
    except Exception:                       # malformed options: the pass reports them
        return None
    planner = Planner(config.src_dir, incremental.engine)
    defaults = pweave.rcParams["chunk"]["defaultoptions"]
    units, last = [], {}                    # (label, key) -> index of the unit that made it
    for chunk in parser.parsed:
        if chunk["type"] == "code":
            options = {**defaults, **chunk["options"]}
            if (not options.get("complete", True) or options.get("term")
                    or "source" in options or not options.get("evaluate", True)):
                return None
            label = options.get("name") or reading.label(chunk)
            unit = planner.chunk(label, chunk["content"], options)
            units.append(Job(len(units), label, unit.key, chunk["content"],
                              reading.first_line(options["header_line"], chunk["content"]),
                              options.get("timeout") or config.limits.chunk,
                              tuple(sorted(unit.stores)), False, unit.parts))
            _link(units[-1], last, units, planner.modules)
        elif chunk["type"] == "doc":
            for inline in reading.inline_units(chunk["content"], chunk["first_line"])[1]:
                unit = planner.inline(inline.label, inline.code)
                units.append(Job(len(units), inline.label, unit.key, inline.runs,
                                  inline.line, config.limits.chunk, tuple(sorted(unit.stores)),
                                  True, unit.parts))
                _link(units[-1], last, units, planner.modules)
    return units


def _link(job: Job, last: dict, units: list, modules) -> None:
    """Its dependencies, from its key's parts: each names a unit as (label, key); and the
    project's modules it uses: those it imports itself (not a package's __init__), and those
    of the units whose names it reads (`q2.errata()` uses the q2 an earlier chunk imported)."""
    for name, pair in job.parts["deps"].items():
        index = last.get(tuple(pair))
        if index is not None:
            job.deps.add(index)
            if not name.startswith("chunk "):
                job.needs[name] = index
    job.modules = {path for path in modules.sources(names(job.code)[2])
                   if not path.endswith("__init__.py")}
    job.modules = set().union(job.modules, *(units[index].modules
                                             for index in job.needs.values()))
    last[(job.label, job.key)] = job.index


def _answered(job: Job, incremental: Incremental) -> bool:
    return incremental.units.answered(job.key, job.stores)
