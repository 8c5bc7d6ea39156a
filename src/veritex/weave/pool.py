"""The kernels of a parallel pass (see `veritex.weave.parallel`), each a fork of the build's
process, and their schedule: ready units to idle kernels, in document order, results back
into the cache and their claims to the checker.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from multiprocessing.connection import wait

from .. import processes
from ..config import BuildConfig
from ..incremental import Incremental
from ..progress import Progress
from ..statement import Pickled
from .kernel import KernelError, kernel_for


@dataclass
class Elsewhere:
    """What ran in other kernels during this build: unit key -> why it ran; unit key -> the
    error it raised (the kernel's error message, for the pass to locate)."""

    ran: dict = field(default_factory=dict)
    failed: dict = field(default_factory=dict)
    kernels: int = 0             # how many ran at once (0: none, the pass ran every unit)


@dataclass
class Job:
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


class Pool:
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
            with processes.frozen():
                for _ in range(self.count):
                    mine, theirs = context.Pipe()
                    process = context.Process(
                        target=_kernel, args=(theirs, self.config, self.incremental),
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
                        kernel.send(job, _loads(self.incremental, units, job, kernel))
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
                        self.incremental.units.adopt(job.key)
                        answered.add(job.index)
                        elsewhere.ran[job.key] = job.why
                        kernel.bound.update(dict.fromkeys(job.stores, job.index))
                        self._submit(job)
                    else:                    # its variables cannot be stored: the pass
                        kernel.bound.update(dict.fromkeys(job.stores, None))
                    bar.update()
        finally:
            bar.close()

    def _submit(self, job: Job) -> None:
        """Hand the unit's claims to the checker now, while other units still run."""
        if self.checker is None:
            return
        result = self.incremental.units.result(job)
        keys = self.incremental.checks.claim_keys(result, job.key)
        for index, claim in enumerate(result.claims):
            self.checker.submit(replace(claim, step=Pickled(result.steps[index]),
                                        key=keys[index]))


def _loads(incremental: Incremental, units: list, job: Job, kernel) -> list[bytes]:
    """The stored variables of the dependencies whose values this kernel does not hold
    (it did not make them, or it has since run a later unit that rebinds a name)."""
    loads = []
    for index in sorted({index for name, index in job.needs.items()
                         if kernel.bound.get(name, -1) != index}):
        unit = units[index]
        loads.append(incremental.units.names(unit.key))
        kernel.bound.update(dict.fromkeys(unit.stores, index))
    return loads


def _next(todo: dict, answered: set, kernel, owners: dict) -> Job | None:
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


def _may_take(kernel, job: Job, owners: dict) -> bool:
    """No other kernel alone has imported the modules it uses."""
    owned = {owners[module] for module in job.modules if module in owners}
    return not owned or kernel in owned


class _Worker:
    def __init__(self, process, connection):
        self.process, self.connection = process, connection
        self.job, self.alive = None, True
        self.bound: dict = {}          # name -> the unit whose value of it this kernel holds

    def send(self, job: Job, loads: list) -> None:
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


def _kernel(connection, config: BuildConfig, incremental: Incremental) -> None:
    """One kernel's process (a fork: `incremental` is the build's): run the units it is sent,
    store each result in the cache, where the build adopts it (`Units.adopt`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    processes.die_with_parent()
    work = config.layout.work / f"kernel-{os.getpid()}"
    kernel = kernel_for(config, work)
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
            except KernelError as error:
                connection.send(("failed", error.out))
                continue
            if stored is None:
                connection.send(("unstored",))
                continue
            incremental.units.keep(job, result, stored or None)
            connection.send(("kept",))
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        kernel.close()
        connection.close()
        shutil.rmtree(work, ignore_errors=True)
        os._exit(0)
