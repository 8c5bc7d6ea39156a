"""`veritex watch`: rebuild whenever a template or a source file is saved.

watchdog reports the saves; a burst of them (an editor writes, renames, touches) becomes one
build of each watched document, started once the folder has been quiet for a moment. Each
build is a child process of its own, so a failing build, or one that crashes, leaves the
watcher running, and prints one line: when, what re-ran (from the document's run.json), where
the PDF is, or the build's error in its usual one-line form. A document the save did not touch
says so (its build finds nothing to do).

The watcher is warm (`veritex.warm`): it imports what builds import once, and each build is a
fork of it, so a save costs the chunks that re-run and LaTeX, not an interpreter's start-up.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .config import BuildConfig
from .run import Run

QUIET_FOR = 0.1          # seconds without a save before a build starts
_IGNORED_SUFFIXES = (".pyc", ".swp", ".swx", ".tmp", "~")


class _Saves(FileSystemEventHandler):
    """Sets `changed` when a file that a build reads is written, created, moved or deleted."""

    def __init__(self):
        self.changed = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or event.is_directory:
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if any(path and _watched(Path(str(path))) for path in paths):
            self.changed.set()


def _watched(path: Path) -> bool:
    return (not path.name.startswith((".", "#")) and "__pycache__" not in path.parts
            and not path.name.endswith(_IGNORED_SUFFIXES))


class _StartClean(Exception):
    """The warm imports cannot be shown to equal a fresh start's (the reason)."""


def watch(documents, options, entry, out=None, warm: bool = True) -> None:
    """Build now, then after every save, until interrupted (Ctrl-C); each build a fork of
    this process running `entry` (the command's main) on its arguments."""
    out = out or sys.stdout
    config = documents[0]                  # the documents of a project share its folders
    started, ready = time.perf_counter(), ""
    if warm:                               # before the observer starts its threads
        from .warm import Warm
        warm = Warm(config)
        ready = f" (builds start warm: imports done in {time.perf_counter() - started:.1f} s)"
    saves = _Saves()
    observer = Observer()
    for folder in (config.templates_dir, config.src_dir):
        observer.schedule(saves, str(folder), recursive=True)
    observer.start()
    print(f"watching {config.templates_dir.name}/ and {config.src_dir.name}/{ready}; "
          "Ctrl-C stops", file=out, flush=True)
    try:
        saves.changed.set()                       # the first build: now
        while True:
            if not saves.changed.wait(timeout=1.0):
                continue
            while saves.changed.is_set():         # wait for the burst of saves to end
                saves.changed.clear()
                time.sleep(QUIET_FOR)
            for document in documents:
                print(build_once(document, options, len(documents) > 1, warm or None,
                                 saves.changed, out, entry), file=out, flush=True)
                if saves.changed.is_set():        # a save came in: start again from it
                    break
    except KeyboardInterrupt:
        pass
    except _StartClean as reason:
        print(f"{time.strftime('%H:%M:%S')} starting again, clean: {reason}", file=out,
              flush=True)
        _stop(observer)
        os.execv(sys.executable, sys.orig_argv)
    finally:
        _stop(observer)


def _stop(observer) -> None:
    """Stop watching. watchdog's inotify thread may be reading an event as it stops, and then
    logs "queue_events() called when the thread is inactive" (to the terminal, for want of a
    handler): it says nothing about the build, and is not said."""
    logging.getLogger("watchdog.observers.inotify").disabled = True
    observer.stop()
    observer.join()


SLOW = (5, 15, 30, 60, 120, 300)      # seconds into a build at which watch says it still runs


def build_once(config: BuildConfig, options=(), named: bool = False, warm=None,
               cancel=None, out=None, entry=None) -> str:
    """Run one quiet build (a fork of the warm watcher, or a new process); its outcome as the
    watcher's one line (plus the build's errors). A save (`cancel` set) stops the build; a
    build stopped otherwise (Ctrl-C, SIGTERM) stops the watcher too (KeyboardInterrupt).
    A slow build says where it is after a few seconds (on `out`)."""
    started = time.perf_counter()
    reloaded = []
    if warm is None:
        result = subprocess.run([sys.executable, "-m", "veritex", "build", "-q", *options,
                                 config.name], cwd=config.root, capture_output=True,
                                text=True, errors="replace")
        status, said = result.returncode, result.stderr.strip()
    else:
        reloaded, reason = warm.refresh()
        if reason:
            raise _StartClean(reason)
        from .supervise import supervised

        def waiting(seconds: int, where: str) -> None:
            if out is not None and seconds in SLOW:
                print(f"{time.strftime('%H:%M:%S')} still building {config.name} after "
                      f"{seconds} s" + (f", at {where}" if where else ""), file=out, flush=True)
        with tempfile.TemporaryFile() as output:
            status, died = supervised(config, ["build", "-q", *options, config.name], entry,
                                      output.fileno(), cancel=cancel, waiting=waiting)
            output.seek(0)
            said = "\n".join(part for part in (output.read().decode(errors="replace").strip(),
                                                died) if part)
    took = f"{time.strftime('%H:%M:%S')} ({time.perf_counter() - started:.1f} s)"
    if status > 128 and cancel is not None and cancel.is_set():
        return f"{took} build stopped: a save came in, building again"
    if status > 128:                      # Ctrl-C or SIGTERM: the watcher stops with it
        raise KeyboardInterrupt
    if named:
        took += f" {config.name}:"
    if reloaded:
        took += f" (reloaded {', '.join(reloaded)})"
    if status != 0:
        return f"{took} build failed:\n{said}" if said else f"{took} build failed"
    line = f"{took} {_what_ran(config)}; {config.shown(config.pdf_path)}"
    return f"{line}\n{said}" if said else line


def _what_ran(config: BuildConfig) -> str:
    run = Run.read(config)
    if run is None:
        return "built"
    if run.nothing_changed:
        return "no change since the last good build"
    ran = [unit["label"] for unit in run.units if unit["ran"]]
    shown = ", ".join(ran[:4]) + (f" and {len(ran) - 4} more" if len(ran) > 4 else "")
    units = f"re-ran {shown}" if ran else "re-ran nothing"
    latex = "LaTeX ran" if run.latex["ran"] else "LaTeX skipped"
    return f"{units}; {latex}"
