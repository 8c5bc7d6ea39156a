"""The chunk's side of the engine: what code inside a template calls.

    show(derivation)     print it as LaTeX and record each claim with the template line
    show(erratum)        print a refuted statement of the reference and its correction
    inline(step)         a claim (or given statement) in running text: $lhs = rhs$ and its tag
    math(expr)           inline LaTeX ($...$) for an expression, in the document's notation
    figure(fig, name, caption)   save a matplotlib Figure reproducibly and print its float

Every piece of text typed in code that reaches the PDF (a justification, an erratum's
summary, a caption, a string shown) is recorded with where it was typed, so that the
typed-mathematics scan (`veritex.prose`) can hold it to the same rule as template prose.

The weave stage calls `start`, `enter_chunk`, `end_chunk`, `save_names` and `load_names`;
chunks never do. Equations are printed with a placeholder for their tag (`@@vtx3@@`, the
chunk's fourth entry): the weave stage numbers them across the document, so a chunk's output
stays the same, and can be reused from the cache, when chunks before it gain or lose claims.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

import cloudpickle

from . import figures, markup, pickling
from .claims import Derivation, DisplayError, Erratum, Step
from .display import derivation_latex, erratum_latex, inline_latex
from .latex import latex
from .statement import Kind, Statement


class _State:
    def __init__(self, figure_dir: Path | None = None):
        self.figure_dir = figure_dir
        self.claims: list[Statement] = []   # tagged with placeholders, without their steps
        self.steps: list[Step] = []       # their steps, pickled apart (see end_chunk)
        self.figures: list[str] = []
        self.texts: list[tuple] = []      # (module line or None, chunk offset, LaTeX)
        self.chunk, self.first_line, self.namespace = "?", 1, None
        self.processes: dict[int, str] = {}      # the processes running when the chunk began
        self.guarded: dict[str, str] = {}        # the build's folders (resolved -> as shown)
        self.removed = ""                        # the one the chunk removed or moved
        self.running = False                     # a chunk's code is running


_state = _State()


def start(figure_dir: str, root: str) -> None:
    """In the kernel, before the first chunk: where figures go, and the project's folder
    (claims made in its modules name their file relative to it)."""
    global _state
    from . import claims
    claims.ROOT = Path(root).resolve()
    _state = _State(Path(figure_dir))
    _state.figure_dir.mkdir(parents=True, exist_ok=True)
    build = _state.figure_dir.parent                   # report/build/<name>
    _state.guarded = {str(folder.resolve()): folder.resolve().relative_to(claims.ROOT).as_posix()
                      for folder in (build, build.parent, build.parent.parent)
                      if folder.resolve().is_relative_to(claims.ROOT)}
    global _hooked
    if not _hooked:                          # a hook cannot be removed: one per process
        sys.addaudithook(_removals)
        _hooked = True


_hooked = False


# the audit events of removing or moving a path (Python's own: shutil, os)
_REMOVING = {"shutil.rmtree", "os.remove", "os.rmdir", "os.rename"}


def _removals(event: str, args) -> None:
    """Note a chunk that removes or moves one of the build's own folders (the build fails
    at that chunk). The engine's own writes inside them happen outside a chunk's code."""
    if event in _REMOVING and _state.running and not _state.removed and args:
        try:
            path = os.path.realpath(os.fsdecode(args[0]))
        except (TypeError, ValueError):
            return
        _state.removed = _state.guarded.get(path, "")


def enter_chunk(label: str, first_line: int) -> None:
    """Called before each chunk runs; the caller's globals identify the chunk's own frames."""
    _state.chunk, _state.first_line = label, first_line
    _state.namespace = sys._getframe(1).f_globals
    _state.claims, _state.steps, _state.figures, _state.texts = [], [], [], []
    _state.processes = _descendants()
    _state.removed, _state.running = "", True


def _descendants() -> dict[int, str]:
    """pid -> command line of every process under this one."""
    import psutil
    found = {}
    for process in psutil.Process().children(recursive=True):
        try:
            found[process.pid] = " ".join(process.cmdline()) or process.name()
        except psutil.Error:
            continue
    return found


def end_chunk(path: str) -> None:
    """After a chunk: write what it displayed and the figures it saved, for the weave stage."""
    _state.running = False
    # each step pickled apart: a check unpickles only its own, in another process
    steps = [_pickled(step) for step in _state.steps]
    modules = _project_modules()
    Path(path).parent.mkdir(parents=True, exist_ok=True)     # even if a chunk removed it
    with open(path, "wb") as sink:
        pickle.dump({"claims": _state.claims, "steps": steps, "figures": _state.figures,
                     "texts": _state.texts, "left": _left_running(),
                     "removed": _state.removed,
                     "contents": [_content(data, modules) for data in steps]}, sink)
    _state.claims, _state.steps, _state.figures, _state.texts = [], [], [], []


def _left_running() -> list[str]:
    """The processes the chunk started that still run (named for its warning; the build
    stops them at its end, see processes.end_descendants)."""
    before = _state.processes
    return [f"{command[:100]} (pid {pid})" for pid, command in _descendants().items()
            if pid not in before]


def _pickled(value) -> bytes:
    """value pickled by Python's own pickler; by cloudpickle when that cannot, or when it
    would name something defined in a chunk (in __main__: a Monte Carlo sampler, say), which
    cloudpickle carries by its code instead, so that another process can load it and its key
    changes with that code. (cloudpickle alone calls back into Python for every object: many
    times slower on a large expression.)"""
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:                  # a lambda, a local function
        return cloudpickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    if b"__main__" in data:
        return cloudpickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return data


def _project_modules() -> tuple[str, ...]:
    """The imported modules that may be the project's: those with a file outside the Python
    installation (a .venv is sys.prefix, the standard library sys.base_prefix). Which are the
    project's, `Incremental.claim_keys` knows."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    installed = tuple(os.path.join(p, "") for prefix in prefixes
                      for p in (prefix, os.path.realpath(prefix)))
    return tuple(sorted(name for name, module in list(sys.modules.items())
                        if isinstance(getattr(module, "__file__", None), str)
                        and not module.__file__.startswith(installed)))


def _content(data: bytes, modules: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """What a step states, for the key of its check: the digest of its pickle, and the
    project's modules its pickle names (a function or class pickled by name, as in
    `partial(q2.bias_samples, ...)`, leaves its code out; the key adds their sources: see
    `Incremental.claim_keys`). A name that appears by chance only adds a module to the key."""
    return hashlib.sha256(data).hexdigest(), tuple(m for m in modules if m.encode() in data)


def save_names(path: str, names: list[str]) -> None:
    """Store the chunk's top-level variables, so a later chunk can run without re-running
    this one. Prints the names that cannot be stored (the chunk is then never cached)."""
    namespace = sys._getframe(1).f_globals
    kept, failed = {}, []
    for name in names:
        if name not in namespace:
            continue
        try:
            kept[name] = _pickled(namespace[name])
        except Exception as error:           # anything unpicklable: report, do not cache
            failed.append(f"{name} ({type(error).__name__})")
    if failed:
        print("unstorable: " + ", ".join(failed), end="")
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)     # even if a chunk removed it
    with open(path, "wb") as sink:
        pickle.dump(kept, sink)


def load_names(path: str) -> None:
    """Put back the variables a cached chunk had made."""
    namespace = sys._getframe(1).f_globals
    with open(path, "rb") as source:
        stored = pickle.load(source)
    namespace.update({name: pickling.loads(data) for name, data in stored.items()})


def _calling_line() -> int:
    """The rendered line of the chunk statement that is running now (its outermost frame)."""
    frame, line = sys._getframe(1), None
    while frame is not None:
        if frame.f_globals is _state.namespace:
            line = frame.f_lineno
        frame = frame.f_back
    return _state.first_line + (line or 1) - 1


def _typed(text: str, line: int, origin=None) -> None:
    """Remember text typed in code (origin: its file and line) that the PDF will show."""
    if text:
        _state.texts.append((origin, line - _state.first_line, text))


_DECIDED: set = set()       # the Defined functions whose declared identities were decided


def _decide_definitions() -> None:
    """Every `Defined` function imported so far: what it declares besides its body (its
    derivatives, an evaluation rule) agrees with the body, or the step stops at its line,
    naming the function's own line. Once per function and kernel."""
    from . import checks
    from .config import Tolerances
    from .values import Defined
    pending, found = list(Defined.__subclasses__()), []
    while pending:
        function = pending.pop()
        pending.extend(function.__subclasses__())
        if function not in _DECIDED:
            found.append(function)
    for function in found:
        try:
            problem = checks.declared(function, Tolerances())
        except Exception as error:          # sympy refusing the body on plain symbols
            problem = "body", f"its declared identities could not be decided: {error}"
        if problem is not None:
            member, why = problem
            where = _defined_at(getattr(function, member, function))
            raise DisplayError(f"{function.__name__}.{member}, at {where}: {why}")
        _DECIDED.add(function)


def _defined_at(code) -> str:
    """`src/pkg/module.py:12`: where a class or function is defined, relative to the project."""
    import inspect
    code = inspect.unwrap(getattr(code, "__func__", code))
    try:
        path = Path(inspect.getsourcefile(code)).resolve()
        line = inspect.getsourcelines(code)[1]
    except (OSError, TypeError):
        return getattr(code, "__module__", "?")
    from . import claims
    try:
        path = path.relative_to(claims.ROOT)
    except (ValueError, TypeError):
        pass
    return f"{path.as_posix()}:{line}"


def _register(step: Step, line: int, refute: bool = False) -> str:
    _decide_definitions()
    _typed(step.why, line, step.origin)
    placeholder = f"@@vtx{len(_state.claims)}@@"
    _state.claims.append(Statement(placeholder, Kind.of(step, refute), step.name,
                                   line - _state.first_line, step.origin))
    _state.steps.append(step)
    return placeholder


def show(*items) -> None:
    """Print derivations, steps, errata, expressions or LaTeX text, recording every step."""
    line = _calling_line()
    for item in items:
        if isinstance(item, Step):
            item = Derivation((item,))
        if isinstance(item, Erratum):
            _typed(f"{item.where}\n{item.summary}", line, item.wrong.origin)
            wrong = _register(item.wrong, line, refute=True)
            readings = tuple(_register(step, line) for step in item.readings)
            print(erratum_latex(item, wrong, _register(item.corrected, line), readings))
        elif isinstance(item, Derivation):
            tags = [_register(step, line) for step in item.steps]
            print(derivation_latex(item, tags))
        elif isinstance(item, str):
            _typed(item, line)
            print(item)
        else:
            print(f"\\[\n{latex(item)}\n\\]")


def math(expr) -> str:
    return f"${latex(expr)}$"


def inline(step: Step) -> str:
    """A claim or a given statement in running text, `<%= inline(claim(...)) %>`: printed
    from the objects its check decides, tagged like a displayed one, listed in the appendix."""
    if not isinstance(step, Step):
        raise TypeError(f"inline() takes a claim, a definition or a given statement, "
                        f"not {type(step).__name__}")
    line = _calling_line()
    tag = _register(step, line)
    return inline_latex(step, tag)


def figure(fig, name: str, caption: str, width: str = r"0.85\linewidth") -> None:
    """Save a matplotlib Figure as PDF without dates or tool names, and print its float."""
    path = _state.figure_dir / f"{name}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)      # even if the build folder went
    _typed(caption, _calling_line())
    figures.save(fig, path)
    _state.figures.append(path.name)
    print(markup.figure(f"{path.parent.name}/{path.name}", caption, name, width))
