"""The `veritex` command: `veritex COMMAND [NAME...] [options]`, the commands in one table,
`COMMANDS` (build, check, audit, export, watch, new; `veritex --help` lists them).

The project is the current folder or the nearest one above it with a `veritex.toml` (or a
`pyproject.toml` with [tool.veritex]); `-C DIR` names another. A mistake in the input (the
project file, a template, a chunk, a false claim, LaTeX) prints one line,
`templates/<file>:<line> [<chunk>]: <what went wrong>`, and exits 1. Only a bug of the engine
itself shows a Python traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import signal
import tempfile
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from . import processes, supervise
from .config import BuildConfig
from .errors import Stopped, VeritexError
from .progress import Progress

@dataclass(frozen=True)
class Command:
    """One command: what it says in --help, and what it runs: on each document, in a
    supervised child process (`document`), or on the project, in this process (`project`)."""

    help: str
    document: Callable | None = None     # (config, args, progress) -> exit status
    project: Callable | None = None      # (documents, args) -> exit status; None for `new`


def _build(config: BuildConfig, args, progress: Progress, latex: bool = True):
    """The pipeline on one document: the PDF, or (latex=False) every check without it; the
    statements and their records when it stops before LaTeX."""
    from . import pipeline
    return pipeline.build(config, latex=latex, json_path=args.json, fresh=args.fresh,
                          progress=progress, profile=args.profile)


def _pdf(config: BuildConfig, args, progress: Progress) -> int:
    _build(config, args, progress)
    return 0


def _check(config: BuildConfig, args, progress: Progress) -> int:
    _build(config, args, progress, latex=False)
    return 0


def _audit(config: BuildConfig, args, progress: Progress) -> int:
    """Every survivor of the audit and every weak check on its own line, then the score; 1
    if there is any."""
    from . import audit
    from .statement import Kind
    claims, records = _build(config, args, progress, latex=False)
    sampled = {record.tag for record in records if "seed" in record.verdict.params}
    result = audit.audit(list(claims), config.tolerances, progress=progress,
                         root=config.root, sampled=sampled, src=config.src_dir)
    for line in (*result.survivors, *result.weaknesses):
        print(line, file=sys.stderr)
    print(audit.score_line(result, sum(c.kind is Kind.CLAIM for c in claims),
                           sum(c.kind is Kind.DEFINITION for c in claims)))
    return 1 if result.survivors or result.weaknesses else 0


def _export(config: BuildConfig, args, progress: Progress) -> int:
    from . import export
    _build(config, args, progress)
    export.export(config, progress.say)
    return 0


def _watch(documents, args) -> int:
    from .watch import watch
    # every save's build uses the cache, and writes its records in the build folder
    watch(documents, ["-C", str(documents[0].root), *options(args, omit=("fresh", "json"))],
          main)
    return 0


COMMANDS = {
    "build": Command("build the project's documents (all, or those named): report/NAME.pdf",
                     document=_pdf),
    "check": Command("every verification, without LaTeX", document=_check),
    "audit": Command("change every claim and definition: each change must fail",
                     document=_audit),
    "export": Command("a built document as LaTeX that compiles alone: report/NAME-latex/ "
                      "and its zip",
                      document=_export),
    "watch": Command("rebuild whenever a template or a source file is saved", project=_watch),
    "new": Command("start a project in DIR: a document, a module, tests, a Makefile"),
}


def parser() -> argparse.ArgumentParser:
    commands = "".join(f"\n  {name:<7} {command.help}" for name, command in COMMANDS.items())
    parse = argparse.ArgumentParser(
        prog="veritex", formatter_class=argparse.RawDescriptionHelpFormatter,
        description=f"Build documents whose mathematics is checked.\n\ncommands:{commands}",
        epilog="`veritex new DIR` starts a project, with the authoring guide in its "
               "docs/authoring.md (the guide ships with the engine: veritex/docs/authoring.md).")
    parse.add_argument("command", choices=COMMANDS, help="one of the commands above")
    parse.add_argument("names", nargs="*", metavar="NAME",
                       help="documents to build (default: all); for new, the folder")
    parse.add_argument("-C", dest="project", type=Path, default=None, metavar="DIR",
                       help="the project's folder (default: found from the current folder)")
    parse.add_argument("--json", type=Path, help="with check: also write the claim records here")
    parse.add_argument("--fresh", action="store_true",
                       help="ignore the build cache: run every chunk and check")
    parse.add_argument("--draft", action="store_true",
                       help="typed mathematics that is neither checked nor given is only a "
                            "warning, and the PDF says DRAFT on its first page (the default "
                            "stops on it)")
    parse.add_argument("--strict", action="store_true",
                       help="the default; accepted for older scripts")
    parse.add_argument("--profile", action="store_true",
                       help="say how long every chunk and inline expression took")
    parse.add_argument("-q", "--quiet", action="store_true",
                       help="print only errors and warnings (no progress lines or bars)")
    return parse


def options(args, omit=()) -> list[str]:
    """Every option as parsed, as a command line again: each the parser knows (but the
    project's folder, which the caller names, and those in `omit`), so that a new option
    reaches a build's child without a line here."""
    argv = []
    for action in parser()._actions:
        value = getattr(args, action.dest, None)
        if (not action.option_strings or not hasattr(args, action.dest)
                or action.dest in ("project", *omit) or value == action.default):
            continue
        flag = action.option_strings[-1]
        argv += [flag] if isinstance(value, bool) else [flag, str(value)]
    return argv


def child_argv(config: BuildConfig, args) -> list[str]:
    """The command line of the child that runs `args.command` on one document."""
    return [args.command, config.name, "-C", str(config.root), *options(args)]


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_intermixed_args(argv)
    try:
        if args.command == "new":
            from .scaffold import new
            if len(args.names) != 1:
                raise VeritexError("usage: veritex new DIR (one folder)")
            new(Path(args.names[0]))
            return 0
        from . import project
        root = project.find(args.project or Path.cwd())
        documents = project.load(root).select(args.names)
        if args.draft:
            documents = tuple(replace(document, draft=True) for document in documents)
    except VeritexError as error:
        print(error, file=sys.stderr)
        return 1
    command = COMMANDS[args.command]
    if command.project is not None:
        return command.project(documents, args)
    if args.json and len(documents) > 1:
        print("--json needs one document: name it (veritex check NAME --json PATH)",
              file=sys.stderr)
        return 1
    # a stop raises Stopped, so that a KeyboardInterrupt a chunk raises itself is told apart
    # from a real stop (and reported at its line); the supervisor sends Ctrl-C as SIGUSR1
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGUSR1, _stop)
    status = 0
    for config in documents:
        if len(documents) > 1 and not args.quiet:
            print(f"== {config.name} ({config.template})", flush=True)
        status = max(status, _one(config, args))
        if status > 1:                       # stopped by a signal: do not go on
            break
    return status


def _one(config: BuildConfig, args) -> int:
    """Run the command on one document in a child process (see `veritex.supervise`); its
    exit status."""
    if processes.is_child():
        processes.become_subreaper()             # what a chunk starts ends with the build
        status = _here(config, args)
        for left in processes.end_descendants():
            print(f"warning: a process started during the build was still running at its "
                  f"end, and was stopped: {left}", file=sys.stderr)
        processes.report("exit", str(status))
        return status
    if args.command == "build" and not args.fresh:      # no child for a build with nothing
        from . import pipeline                          # to do
        try:
            if pipeline.up_to_date(config, Progress(quiet=args.quiet)):
                return 0
        except VeritexError as error:
            print(error, file=sys.stderr)
            return 1
    status, said = supervise.supervised(config, child_argv(config, args), main)
    if said:
        print(said, file=sys.stderr)
    return status


def _here(config: BuildConfig, args) -> int:
    """Run the command on one document in this process; its exit status."""
    try:
        with one_build_at_a_time(config):
            return COMMANDS[args.command].document(config, args, Progress(quiet=args.quiet))
    except VeritexError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt as stop:
        number = stop.signal if isinstance(stop, Stopped) else signal.SIGINT
        print(f"build stopped by {number.name}; {config.shown(config.pdf_path)} "
              "is as it was", file=sys.stderr)
        return 128 + number


def _stop(number, frame):
    raise Stopped(signal.SIGINT if number == signal.SIGUSR1 else number)


def lock_path(config: BuildConfig) -> Path:
    """The document's lock: outside the project, so that removing report/ (or its build
    folder) during a build cannot let a second build in; one per project folder and document."""
    folder = Path(tempfile.gettempdir()) / f"veritex-locks-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    where = hashlib.sha256(str(config.root.resolve()).encode()).hexdigest()[:16]
    return folder / f"{where}-{config.name}.lock"


@contextlib.contextmanager
def one_build_at_a_time(config: BuildConfig, wait: float = 600):
    """Hold the document's lock (an flock: the system drops it when its holder dies, so no
    lock outlives its build). A second build of the same document waits for the first."""
    from filelock import FileLock, Timeout
    lock = FileLock(lock_path(config))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"another build of {config.name} is running; waiting for it to finish",
              file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise VeritexError(f"another build of {config.name} has held its lock for "
                               f"{wait:.0f} s; stop it, or wait and try again") from None
    try:
        yield
    finally:
        lock.release()
