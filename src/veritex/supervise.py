"""Every build runs in a child process, watched by the `veritex` process that started it.
The child is `python -m veritex`, or, in a process that has already imported what a build
needs (the warm watcher, the tests: `WARM`), a fork of it, which skips Python's start-up.

The chunks run in the build's own process (Pweave's in-process kernel), so a chunk that calls
`os._exit`, or a crash in compiled code, ends that process at once, and nothing in it can
report the failure. The supervisor can: the child tells it, through a pipe, which unit it is
running and, at the end, its exit status; a child that ends without saying so died, and the
supervisor prints one located line and fails.

The supervisor also makes stopping prompt. Ctrl-C or SIGTERM is passed on to the child, which
unwinds as before (kernel, checks and LaTeX stopped, nothing half-made published); a child
still running 2 s later is killed with everything it started. And nothing outlives the build:
each process the build starts asks the system to kill it when its parent dies
(PR_SET_PDEATHSIG): the child, the check workers, latexmk, and pdflatex (through setpriv).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import select
import shutil
import signal
import subprocess
import sys
import time

ENV = "VERITEX_REPORT_FD"      # set in the child: the pipe to write reports to
GRACE = 2.0                    # seconds a stopped child has to finish before it is killed
# The signal the child gets for each that stops the supervisor. Ctrl-C goes on as SIGUSR1:
# inside a chunk, ipykernel turns SIGINT into a KeyboardInterrupt, which a chunk can also
# raise itself; SIGUSR1 reaches the child's own handler (cli), which says "stopped by SIGINT".
FORWARDED = {signal.SIGINT: signal.SIGUSR1, signal.SIGTERM: signal.SIGTERM}

_reports = None
WARM = False       # this process has a build's imports: its children are forks of it
FORKED = False     # this process is such a fork (see `veritex.warm`)


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (a no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def become_subreaper() -> None:
    """Make the build's process the one that orphans of its descendants reparent to (a
    chunk's daemon, the child of a fork whose parent ended), instead of init: then
    `end_descendants` finds every process the build started (a no-op elsewhere than Linux)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(36, 1)      # PR_SET_CHILD_SUBREAPER
        except (OSError, AttributeError):
            pass


# Python's own helpers, which a process pool leaves until its parent ends (the audit's):
# stopped with the rest, but nothing a chunk did
_HELPERS = ("multiprocessing.resource_tracker", "multiprocessing.forkserver")


def end_descendants(grace: float = GRACE) -> list[str]:
    """Kill every process still running under this one, at the end of a build (the engine's
    own, kernels, check workers and LaTeX, have ended by then: what is left, a chunk
    started); what each was, for the build to say."""
    import psutil
    left = psutil.Process().children(recursive=True)
    described = []
    for process in left:
        try:
            command = " ".join(process.cmdline()) or process.name()
            if not any(helper in command for helper in _HELPERS):
                described.append(f"{command[:100]} (pid {process.pid})")
            process.kill()
        except psutil.Error:            # ended meanwhile
            continue
    psutil.wait_procs(left, timeout=grace)
    return described


def with_parent(command: list[str]) -> list[str]:
    """A command line that dies with its parent, for programs that start their own children
    (latexmk starts pdflatex): setpriv sets the same request on the program it runs."""
    if shutil.which("setpriv"):
        return ["setpriv", "--pdeathsig", "KILL", *command]
    return command


def is_child() -> bool:
    return ENV in os.environ


def report(kind: str, text: str = "") -> None:
    """In the child: tell the supervisor what is running now, or how the build ended."""
    global _reports
    if not is_child():
        return
    if _reports is None:
        _reports = os.fdopen(int(os.environ[ENV]), "w", buffering=1)
    _reports.write(f"{kind} {text}".rstrip().replace("\n", " ") + "\n")


def run(argv: list[str], cwd, output: int | None = None, cancel=None, waiting=None
        ) -> tuple[int | None, str, int | None, int | None]:
    """Run `python -m veritex *argv` as the child; (its reported status, or None if it died
    without one; the last place it reported; the signal that stopped it, if any; its exit
    code as the system gives it). In a WARM process, or with `output` (a file descriptor to
    print to), the child is a fork of this process instead (see `veritex.warm`).

    `cancel` (a threading.Event): once set, the child is stopped as by Ctrl-C (the watcher
    sets it on a save). `waiting(seconds, where)` is called about once a second while the
    child runs, with the place it last reported."""
    read, write = os.pipe()
    if output is None and not WARM:
        child = subprocess.Popen([sys.executable, "-m", "veritex", *argv], cwd=cwd,
                                 env={**os.environ, ENV: str(write)}, pass_fds=(write,),
                                 start_new_session=True, preexec_fn=die_with_parent)
    else:
        child = _fork(argv, cwd, write, output)
    os.close(write)
    stopped: list[int] = []

    def stop(number, frame):
        if not stopped:
            stopped.append(number)
            _signal(child, FORWARDED[number])

    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT,
                                                                   signal.SIGTERM)}
    status, where, buffer, deadline = None, "", "", None
    began, told = time.monotonic(), 0
    try:
        with os.fdopen(read, "r") as reports:
            while True:
                if cancel is not None and cancel.is_set() and not stopped:
                    stop(signal.SIGINT, None)
                if waiting is not None and time.monotonic() - began >= told + 1:
                    told = int(time.monotonic() - began)
                    waiting(told, where)
                if stopped and deadline is None:
                    deadline = time.monotonic() + GRACE
                # a short wait, so that a signal (its handler returns, and select goes on)
                # is noticed within a tenth of a second
                ready, _, _ = select.select([reports], [], [], 0.1)
                if deadline is not None and time.monotonic() > deadline:
                    _kill(child)                    # stopped, and still running: kill it
                    break
                if not ready:
                    if status is not None and child.poll() is not None:
                        break  # it ended and said so: a process that kept its end of the
                               # pipe is no reason to wait (the child stopped what it started)
                    continue
                chunk = os.read(reports.fileno(), 65536).decode(errors="replace")
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split("\n")
                for line in lines:
                    kind, _, text = line.partition(" ")
                    if kind == "running":
                        where = text
                    elif kind == "exit":
                        status = int(text)

        child.wait()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if child.poll() is None:
            _kill(child)
    return status, where, (stopped[0] if stopped else None), child.returncode


class _Forked:
    """A forked child, as much of subprocess.Popen as `run` uses."""

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


@contextlib.contextmanager
def frozen():
    """Around forking children that go on running Python: every object this process holds is
    out of its garbage collector's reach (gc.freeze) while it forks, so that a child's full
    collections never walk them (that walk costs time, and a copy of each memory page it
    touches). This process collects them again afterwards; a child keeps them frozen."""
    parent = os.getpid()
    gc.freeze()
    try:
        yield
    finally:
        if os.getpid() == parent:
            gc.unfreeze()


def _fork(argv: list[str], cwd, reports: int, output: int | None) -> _Forked:
    """Fork this process into the child that runs `veritex *argv`, as `python -m veritex`
    would (a session of its own, dying with its parent, reporting through `reports`),
    printing to `output` (or where this process prints)."""
    sys.stdout.flush()
    sys.stderr.flush()
    with frozen():
        pid = os.fork()
    if pid:
        return _Forked(pid)
    global FORKED
    FORKED, status = True, 1
    try:
        os.setsid()
        die_with_parent()
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGUSR1):
            signal.signal(number, signal.SIG_DFL)
        if output is not None:
            os.dup2(output, 1)
            os.dup2(output, 2)
        os.environ[ENV] = str(reports)
        os.chdir(cwd)
        from .cli import main
        status = main(argv)
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:                  # an engine bug: its traceback, as a process shows it
        import traceback
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def _signal(child, number: int) -> None:
    try:
        os.kill(child.pid, number)
    except ProcessLookupError:
        pass


def _kill(child) -> None:
    """The child and everything in its process group (check workers); latexmk and pdflatex,
    in groups of their own, die with their parent."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    child.wait()


def how(returncode: int | None) -> str:
    if returncode is None:
        return "no exit status"
    if returncode < 0:
        return f"killed by {signal.Signals(-returncode).name}"
    return f"exit status {returncode}, without finishing"
