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
import re
import shutil
import signal
import sys
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from multiprocessing.connection import wait

import pweave

from . import supervise, warm
from .config import BuildConfig
from .incremental import Incremental
from .plan import Planner, names
from .progress import QUIET, Progress
from .verify import Pickled

_INLINE = re.compile(r"(<%.*?%>)", re.DOTALL)


@dataclass
class Elsewhere:
    """What ran in other kernels during this build: unit key -> why it ran; unit key -> the
    error it raised (the kernel's error message, for the pass to locate)."""

    ran: dict = field(default_factory=dict)
    failed: dict = field(default_factory=dict)
    kernels: int = 0             # how many ran at once (0: none, the pass ran every unit)


@dataclass
class _Job:
    index: int
    label: str
    key: str
    code: str
    first_line: int
    limit: float | None
    stores: tuple
    inline: bool
    parts: dict                                   # its key's parts (see `veritex.plan`)
    deps: set = field(default_factory=set)        # the units it depends on (indices)
    needs: dict = field(default_factory=dict)     # name it reads -> the unit that binds it
    why: str = ""                                 # why it runs (see `Incremental.why`)

    modules: set = field(default_factory=set)     # the project's modules it uses (files)


MIN_UNITS = 4               # fewer units to run than this: one kernel, the pass's own
JOBS = "VERITEX_JOBS"       # environment: at most this many kernels at once (1: one at a time)


def jobs() -> int:
    """How many kernels run at once: the cores this process may use (the checks share them),
    or fewer if VERITEX_JOBS says so."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
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
        job.why = incremental.why(_Unit(job))
    # the installed libraries they use, imported once, before the kernels fork
    warm.import_libraries(config.src_dir, [job.code for job in units])
    if checker is not None:            # the check workers too, with these imports: one each
        checker.start(fork=True, workers=count)       # core, as the kernels (they alternate)
    elsewhere.kernels = min(count, len(todo))
    pool = _Pool(elsewhere.kernels, config, incremental, checker, progress)
    pool.run(units, todo, answered, elsewhere)
    return elsewhere


class _Unit:
    """The plan's view of a job, as `Incremental.why` takes it."""

    def __init__(self, job: _Job):
        self.label, self.parts, self.key = job.label, job.parts, job.key


def _plan(source: str, config: BuildConfig, incremental: Incremental, reader):
    """Every unit of the document in order, keyed as the pass will key it, with the units it
    depends on; None if the document has a chunk that only the pass can run."""
    from .weave import inline_code, inline_label
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
            label = options.get("name") or f"chunk {chunk.get('number', '?')}"
            body = chunk["content"][1:]
            first = (options["header_line"] + 1
                     + body[: len(body) - len(body.lstrip())].count("\n"))
            unit = planner.chunk(label, chunk["content"], options)
            units.append(_Job(len(units), label, unit.key, chunk["content"], first,
                              options.get("timeout") or config.limits.chunk,
                              tuple(sorted(unit.stores)), False, unit.parts))
        elif chunk["type"] == "doc":
            parts = _INLINE.split(chunk["content"])
            for i, part in enumerate(parts):
                if not part.startswith("<%"):
                    continue
                expression = part.startswith("<%=")
                code = part[3 if expression else 2:-2].strip()
                line = chunk["first_line"] + "".join(parts[:i]).count("\n")
                label = inline_label(code, expression)
                unit = planner.inline(label, code)
                units.append(_Job(len(units), label, unit.key, inline_code(code, expression),
                                  line, config.limits.chunk, tuple(sorted(unit.stores)), True,
                                  unit.parts))
                _link(units[-1], last, units, planner.modules)
            continue
        else:
            continue
        _link(units[-1], last, units, planner.modules)
    return units


def _link(job: _Job, last: dict, units: list, modules) -> None:
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


def _answered(job: _Job, incremental: Incremental) -> bool:
    return incremental.store.has(job.key) and (
        not job.stores or incremental.store.has(f"{job.key}-names"))


class _Pool:
    """The kernels, and the schedule: ready units to idle kernels, results back."""

    def __init__(self, count: int, config: BuildConfig, incremental: Incremental, checker,
                 progress: Progress):
        self.count, self.config, self.incremental = count, config, incremental
        self.checker, self.progress = checker, progress

    def run(self, units: list, todo: dict, answered: set, elsewhere: Elsewhere) -> None:
        context = get_context("fork")
        kernels = []
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            with supervise.frozen():
                for _ in range(self.count):
                    mine, theirs = context.Pipe()
                    process = context.Process(target=_kernel, args=(theirs, self.config),
                                              daemon=True)
                    process.start()
                    theirs.close()
                    kernels.append(_Worker(process, mine))
            self._schedule(units, todo, set(answered), kernels, elsewhere)
        finally:
            for kernel in kernels:
                kernel.stop()

    def _schedule(self, units, todo: dict, answered: set, kernels: list,
                  elsewhere: Elsewhere) -> None:
        stopped, owners = False, {}
        bar = self.progress.bar("chunks", total=len(todo), unit="unit")
        try:
            while True:
                for kernel in kernels:
                    if stopped or kernel.job is not None or not kernel.alive:
                        continue
                    job = _next(todo, answered, kernel, owners)
                    if job is not None:
                        kernel.send(job, self._loads(units, job, kernel))
                busy = {kernel.connection: kernel for kernel in kernels if kernel.job}
                if not busy:
                    break                    # what is left waits for a unit the pass runs
                for connection in wait(list(busy)):
                    kernel = busy[connection]
                    job, answer = kernel.job, kernel.receive()
                    if answer is None or answer[0] == "failed":
                        # the pass stops at the first error in document order: it reports a
                        # unit's error, or runs a unit whose kernel died in its own process
                        if answer is not None:
                            elsewhere.failed[job.key] = answer[1]
                        stopped = True
                    elif answer[0] == "kept":
                        for key in (job.key, f"{job.key}-names"):
                            self.incremental.store.adopt(key)
                        answered.add(job.index)
                        elsewhere.ran[job.key] = job.why
                        kernel.bound.update(dict.fromkeys(job.stores, job.index))
                        self._submit(job)
                    else:                    # its variables cannot be stored: the pass
                        kernel.bound.update(dict.fromkeys(job.stores, None))
                    bar.update()
        finally:
            bar.close()

    def _loads(self, units: list, job: _Job, kernel) -> list[bytes]:
        """The stored variables of the dependencies whose values this kernel does not hold
        (it did not make them, or it has since run a later unit that rebinds a name)."""
        loads = []
        for index in sorted({index for name, index in job.needs.items()
                             if kernel.bound.get(name, -1) != index}):
            unit = units[index]
            loads.append(self.incremental.store.get(f"{unit.key}-names"))
            kernel.bound.update(dict.fromkeys(unit.stores, index))
        return loads

    def _submit(self, job: _Job) -> None:
        """Hand the unit's claims to the checker now, while other units still run."""
        if self.checker is None:
            return
        result = self.incremental.store.get(job.key)
        keys = self.incremental.claim_keys(result, job.key)
        for index, claim in enumerate(result["claims"]):
            self.checker.submit(replace(claim, step=Pickled(result["steps"][index]),
                                        key=keys[index]))


def _next(todo: dict, answered: set, kernel, owners: dict) -> _Job | None:
    """The first ready unit in document order (every unit it depends on answered) that this
    kernel may take, preferring one that reads what it holds. A kernel keeps the units that
    import a module of the project it imported first (`owners`): the module's state, its
    caches among it, is then built once, as in a build that runs one unit at a time."""
    ready = [job for job in todo.values() if job.deps <= answered
             and _may_take(kernel, job, owners)]
    if not ready:
        return None
    job = min(ready, key=lambda job: (not any(kernel.bound.get(name) == index
                                              for name, index in job.needs.items()),
                                      job.index))
    del todo[job.index]
    for module in job.modules:
        owners.setdefault(module, kernel)
    return job


def _may_take(kernel, job: _Job, owners: dict) -> bool:
    """No other kernel alone has imported the modules it uses."""
    owned = {owners[module] for module in job.modules if module in owners}
    return not owned or kernel in owned


class _Worker:
    def __init__(self, process, connection):
        self.process, self.connection = process, connection
        self.job, self.alive = None, True
        self.bound: dict = {}          # name -> the unit whose value of it this kernel holds

    def send(self, job: _Job, loads: list) -> None:
        self.job = job
        self.connection.send((job, loads))

    def receive(self):
        try:
            answer = self.connection.recv()
        except (EOFError, OSError):
            self.alive, answer = False, None
        self.job = None
        return answer

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _kernel(connection, config: BuildConfig) -> None:
    """One kernel's process: run the units it is sent, store each result in the cache."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    supervise.die_with_parent()
    from .cache import Store
    from .weave import kernel_for
    store = Store(config.build_dir / "cache", warn=lambda *_: None)
    failures = []

    def failed(out):
        failures.append(out)
        return _Failed()

    work = config.build_dir / "cache-work" / f"kernel-{os.getpid()}"
    kernel = kernel_for(config, failed, work)
    sys.stdout = sys.__stdout__ = open(os.devnull, "w")    # what the kernel says to itself
    try:
        while True:
            message = connection.recv()
            if message is None:
                break
            job, loads = message
            kernel.pending.extend(loads)
            try:
                result, stored = kernel.run_unit(job.label, job.first_line, job.code,
                                                 job.limit, job.stores, job.inline)
            except _Failed:
                connection.send(("failed", failures.pop()))
                continue
            if stored is None:
                connection.send(("unstored",))
                continue
            if stored:
                store.put(f"{job.key}-names", stored)
            store.put(job.key, result)
            connection.send(("kept",))
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        kernel.close()
        connection.close()
        shutil.rmtree(work, ignore_errors=True)
        os._exit(0)


class _Failed(Exception):
    """A unit raised; the kernel's error goes back to the build."""

