"""The warm start of `veritex watch`: what every build imports, imported once, and each build
a fork of the process that holds it.

A cold build spends seconds before its first chunk runs: an interpreter starts, then Pweave,
IPython, sympy, numpy, matplotlib and the document's own modules are imported. The watcher
pays that once. Each build is a fork of the watcher (`supervise.run` in a `processes.WARM` process), so it
starts with those imports done, runs its chunks in a kernel of its own, and ends; the watcher
itself never runs a chunk, so no build sees what an earlier build did.

Before each build `refresh` makes the watcher's imports equal to a fresh start's:
- a module under src/ whose file changed is dropped, with every module that imports it, and
  the build imports it again from the new file (the others stay warm);
- when that cannot be proved, the watcher says why in one line and starts again, clean: the
  engine or an installed package changed, or a changed module ran code at import that may have
  changed state outside itself (a call, `plt.rcParams[...] = ...`), which dropping the module
  does not undo.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import sys
from pathlib import Path

from . import cache
from .config import BuildConfig
from .limits import TimeLimit, time_limit
from .plan import Modules, names

# What the engine imports later on behalf of a library the document uses: sympy's simplify
# (every equality check) imports sympy.physics.units on its first call, figures are saved
# with matplotlib's PDF backend. Imported with the library, before kernels and check workers
# fork, each of them does not import it again.
ON_FIRST_USE = {"sympy": ("sympy.physics.units",),
                "matplotlib": ("matplotlib.backends.backend_pdf",)}
KERNEL = ("ipykernel.inprocess.ipkernel", "ipykernel.debugger")   # what a kernel's start imports
# What every build imports before and while its first chunk runs (the engine's own needs; the
# libraries a document uses come with its modules); one that is not installed is skipped.
LIBRARIES = ("numpy", "sympy", "matplotlib.figure", "IPython", "ipykernel.inprocess",
             "ipykernel.inprocess.blocking", "pweave", "cloudpickle", "jinja2", *KERNEL,
             *(name for later in ON_FIRST_USE.values() for name in later))
STAGES = ("veritex.pipeline", "veritex.render", "veritex.weave", "veritex.verify",
          "veritex.checks", "veritex.prose", "veritex.appendix", "veritex.typeset",
          "veritex.runtime", "veritex.claims", "veritex.values", "veritex.latex",
          "veritex.figures")
IMPORT_LIMIT = 10.0      # seconds a document module may take to import in the watcher


def preload() -> None:
    """Import what every build imports (a library that is not installed is skipped), and what
    a kernel imports when it starts (its debugger, among others)."""
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")   # as `veritex.weave` does
    _import_each((*LIBRARIES, *STAGES))


def _import_each(names_) -> None:
    """Import each module that is installed."""
    for name in names_:
        try:
            importlib.import_module(name)
        except ImportError:
            continue


def import_libraries(src_dir: Path, codes) -> None:
    """Import the installed libraries that these pieces of code, and the project's modules
    they import (followed through theirs), use, with what the engine imports on their behalf
    and what a kernel imports as it starts; never a module of the project itself, whose code
    runs in a kernel or is imported by `Warm`."""
    modules = Modules(src_dir)
    wanted = set().union(*(names(code)[2] for code in codes))
    wanted |= modules.imports(wanted)
    src = str(src_dir.resolve())
    for name in sorted(wanted):
        if name.startswith("veritex") or modules.file(name) is not None:
            continue
        try:
            spec = importlib.util.find_spec(name.split(".")[0])
            if spec is None or (spec.origin or "").startswith(src):
                continue
            importlib.import_module(name)
        except Exception:                   # a name imported from a module, or a broken one
            continue
    _import_each((*(name for library, later in ON_FIRST_USE.items() if library in sys.modules
                    for name in later), *KERNEL))


class Warm:
    """The watcher's imports: libraries, the engine, and the project's modules (each with the
    digest of the file it was imported from)."""

    def __init__(self, config: BuildConfig):
        self.src_dir = config.src_dir.resolve()
        self.engine = cache.engine_fingerprint()
        preload()
        if str(self.src_dir) not in sys.path:
            sys.path.insert(0, str(self.src_dir))
        self.imported: dict[str, bytes] = {}     # module -> its file, as imported
        self._import(self._project_modules())

    def _import(self, modules) -> None:
        for name in modules:
            try:
                with time_limit(IMPORT_LIMIT):
                    importlib.import_module(name)
            except (Exception, TimeLimit):      # the build imports it and says what is wrong
                sys.modules.pop(name, None)
        self._record()

    def _project_modules(self) -> list[str]:
        found = []
        for path in sorted(cache.source_files(self.src_dir, "*.py")):
            parts = path.relative_to(self.src_dir).with_suffix("").parts
            if parts[0] == "veritex" or not all(part.isidentifier() for part in parts):
                continue
            found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
        return found

    def _loaded(self) -> dict[str, Path]:
        """The project's modules imported now, and their files."""
        loaded = {}
        for name, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None)
            if not file or name.startswith("veritex"):
                continue
            path = Path(file).resolve()
            if path.is_relative_to(self.src_dir):
                loaded[name] = path
        return loaded

    def _record(self) -> None:
        self.imported = {name: _read(path) for name, path in self._loaded().items()}

    def refresh(self) -> tuple[list[str], str]:
        """Make the imports equal to a fresh start's: (the modules dropped, so that the build
        re-imports from their new files; the reason to start clean instead, or "")."""
        if cache.engine_fingerprint() != self.engine:
            return [], "the engine or an installed package changed"
        loaded = self._loaded()
        changed = {name for name, path in loaded.items()
                   if _read(path) != self.imported.get(name)}
        for name in sorted(changed):
            if _reaches_outside(self.imported.get(name, b"")):
                return [], (f"{name} changed, and its import ran code that may have changed "
                            "state outside it")
        dropped = set(changed)
        while True:                        # and every module that imports a dropped one
            more = {name for name, path in loaded.items() if name not in dropped
                    and _imports(path) & dropped}
            if not more:
                break
            dropped |= more
        for name in dropped:
            sys.modules.pop(name, None)
        importlib.invalidate_caches()
        self._import(sorted(dropped))                      # from their files as they are now
        return sorted(dropped), ""


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _imports(path: Path) -> set[str]:
    """The modules a file imports (names and their parents: `a.b` also gives `a`)."""
    try:
        modules = names(path.read_text(encoding="utf-8"))[2]
    except (OSError, UnicodeDecodeError):
        return set()
    return modules | {module.rsplit(".", 1)[0] for module in modules if "." in module}


def _reaches_outside(source: bytes) -> bool:
    """Whether a module's top level does more than bind its own names: a bare call, or an
    assignment into an attribute or item (`plt.rcParams["font.size"] = 9`, `np.random.seed`)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    for node in tree.body:
        if isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant):
            return True
        targets = (node.targets if isinstance(node, ast.Assign) else
                   [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else [])
        if any(not isinstance(target, (ast.Name, ast.Tuple, ast.List)) for target in targets):
            return True
    return False
