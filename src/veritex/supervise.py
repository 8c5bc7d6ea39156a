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

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import processes
from .processes import ENV, GRACE, die_with_parent, frozen

# The signal the child gets for each that stops the supervisor. Ctrl-C goes on as SIGUSR1:
# inside a chunk, ipykernel turns SIGINT into a KeyboardInterrupt, which a chunk can also
# raise itself; SIGUSR1 reaches the child's own handler (cli), which says "stopped by SIGINT".
FORWARDED = {signal.SIGINT: signal.SIGUSR1, signal.SIGTERM: signal.SIGTERM}


def supervised(config, argv: list[str], entry, output: int | None = None, cancel=None,
               waiting=None) -> tuple[int, str]:
    """Run `veritex *argv` on one document in a supervised child (a fork of this process,
    running `entry(argv)`, when `output` is given or the process is warm; see `run`, which
    says what `cancel` and `waiting` do); its exit status, and the supervisor's one line if
    the child was stopped or died ("" otherwise)."""
    status, where, stopped, returncode = run(argv, Path.cwd(), entry, output=output,
                                             cancel=cancel, waiting=waiting)
    if status is not None:
        return status, ""
    pdf = config.shown(config.pdf_path)
    if stopped:
        return 128 + stopped, (f"build stopped by {signal.Signals(stopped).name}; "
                               f"{pdf} is as it was")
    place = f"{where}: " if where else ""
    return 1, (f"{place}the build's process died here ({how(returncode)}); "
               f"{pdf} is as it was")


def run(argv: list[str], cwd, entry, output: int | None = None, cancel=None, waiting=None
        ) -> tuple[int | None, str, int | None, int | None]:
    """Run `python -m veritex *argv` as the child; (its reported status, or None if it died
    without one; the last place it reported; the signal that stopped it, if any; its exit
    code as the system gives it). In a WARM process, or with `output` (a file descriptor to
    print to), the child is a fork of this process instead, which runs `entry(argv)` (the
    command's main; see `veritex.warm`).

    `cancel` (a threading.Event): once set, the child is stopped as by Ctrl-C (the watcher
    sets it on a save). `waiting(seconds, where)` is called about once a second while the
    child runs, with the place it last reported."""
    read, write = os.pipe()
    if output is None and not processes.WARM:
        child = subprocess.Popen([sys.executable, "-m", "veritex", *argv], cwd=cwd,
                                 env={**os.environ, ENV: str(write)}, pass_fds=(write,),
                                 start_new_session=True, preexec_fn=die_with_parent)
    else:
        child = _fork(argv, cwd, entry, write, output)
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


def _fork(argv: list[str], cwd, entry, reports: int, output: int | None) -> _Forked:
    """Fork this process into the child that runs `entry(argv)`, as `python -m veritex`
    would (a session of its own, dying with its parent, reporting through `reports`),
    printing to `output` (or where this process prints)."""
    sys.stdout.flush()
    sys.stderr.flush()
    with frozen():
        pid = os.fork()
    if pid:
        return _Forked(pid)
    processes.FORKED, status = True, 1
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
        status = entry(argv)
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
