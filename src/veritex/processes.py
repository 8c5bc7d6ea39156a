"""The build's processes, as the stages that start them need them: each dies with its parent
(PR_SET_PDEATHSIG), forks happen with the parent's objects out of the collector's reach, a
build's child reports to its supervisor (see `veritex.supervise`) what it is running, and what
a build's chunks left running is found and stopped at its end.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import shutil
import signal
import subprocess
import sys

ENV = "VERITEX_REPORT_FD"      # set in a build's child: the pipe to write reports to
GRACE = 2.0                    # seconds a stopped process has to finish before it is killed

_reports = None
WARM = False       # this process has a build's imports: its children are forks of it
FORKED = False     # this process is such a fork (see `veritex.warm`)


def cores() -> int:
    """The cores this process may use: what every pool of workers is sized from (the kernels
    of a parallel weave, the check workers, the audit's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


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
            if process.status() == psutil.STATUS_ZOMBIE:    # ended, only not yet reaped
                _reap(process.pid)
                continue
            command = " ".join(process.cmdline()) or process.name()
            if not any(helper in command for helper in _HELPERS):
                described.append(f"{command[:100]} (pid {process.pid})")
            process.kill()
        except psutil.Error:            # ended meanwhile
            continue
    psutil.wait_procs(left, timeout=grace)
    return described


def end_group(leader, grace: float = GRACE) -> None:
    """Stop the process group that `leader` (a Popen started with start_new_session) leads,
    and return only when every member has ended: latexmk and the TeX it started, which,
    orphaned, is this process's to reap (see `become_subreaper`)."""
    import psutil
    members = []
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            if os.getpgid(process.pid) == leader.pid:
                members.append(process)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(leader.pid, sig)
        try:
            leader.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
        if not psutil.wait_procs(members, timeout=grace)[1]:
            break
    for process in members:
        _reap(process.pid)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


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
