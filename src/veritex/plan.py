"""Which chunk depends on which, and the cache key of each chunk and inline expression.

A chunk depends on the latest earlier chunk that binds each name it reads (found from the
code with `ast`, like knitr's autodep), on the chunks its `depends=` option names, and on the
source of every module under src/ it imports, followed through their own imports. Its key
hashes all of that with its code, its options and the engine's fingerprint, so a key changes
exactly when something the chunk could see changed.

Known limit: a chunk that changes an earlier chunk's object in place (`d["k"] = 1`) is not seen
as rebinding it; declare `depends=("label",)` on the readers, or rebind the name.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field
from pathlib import Path

from .cache import digest, key_of

_POSITIONAL = {"name", "header_line", "option_string", "first_line", "depends"}


@dataclass
class Unit:
    """A chunk or an inline expression, with its key and the parts the key was made from."""

    label: str
    key: str
    parts: dict
    stores: set = field(default_factory=set)


@functools.lru_cache(maxsize=1024)
def names(code: str) -> tuple[frozenset, frozenset, frozenset]:
    """(names read, names bound at top level, modules imported) of a piece of code. Parsed
    once per text: a build plans the same chunks and modules more than once."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return frozenset(), frozenset(), frozenset()
    reads, binds, modules = set(), set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (reads if isinstance(node.ctx, ast.Load) else binds).add(node.id)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
            binds.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            # a relative import keeps its dots (".functions"): the module that holds it
            # resolves them (Modules._module), a chunk has no package to resolve them in
            base = "." * node.level + (node.module or "")
            if node.module:
                modules.add(base)
            joint = "" if base.endswith(".") else "."
            modules.update(f"{base}{joint}{alias.name}" for alias in node.names)
            binds.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            binds.add(node.name)
    top = _top_level_bindings(tree)
    return frozenset(reads), frozenset(binds & top), frozenset(modules)


def _top_level_bindings(tree) -> set:
    """Names bound outside function and class bodies (what the next chunk can see)."""
    found = set()

    def visit(node, inside):
        for child in ast.iter_child_nodes(node):
            nested = inside or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                 ast.ClassDef, ast.Lambda))
            if not nested:
                if isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
                    found.add(child.id)
                elif isinstance(child, (ast.Import, ast.ImportFrom)):
                    found.update((a.asname or a.name).split(".")[0] for a in child.names)
                elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    found.add(child.name)
            visit(child, nested)

    visit(tree, False)
    return found


class Modules:
    """The digests of the modules under src/ that a set of imports reaches."""

    def __init__(self, src_dir: Path):
        self.src_dir = src_dir
        self._read: dict = {}          # module -> (its file as shown, digest, what it imports)

    def file(self, module: str) -> Path | None:
        """The file under src/ that defines `module`, None if it is not the project's."""
        base = self.src_dir.joinpath(*module.split("."))
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
        return None

    def sources(self, modules) -> dict:
        """The project's modules these imports reach (file as shown -> digest of its source)."""
        return {shown: digest_ for shown, (digest_, _) in sorted(self._reached(modules).items())}

    def imports(self, modules) -> set[str]:
        """Everything the project's modules these imports reach import in turn."""
        return set().union(*(imports for _, imports in self._reached(modules).values()))

    def _reached(self, modules) -> dict:
        """file as shown -> (digest, imports) of each project module the imports reach."""
        found, todo = {}, list(modules)
        while todo:
            read = self._module(todo.pop())
            if read is None or read[0] in found:
                continue
            shown, digest_, imports = read
            found[shown] = (digest_, imports)
            todo.extend(imports)
        return found

    def _module(self, module: str):
        """(file as shown, digest, its imports and parent package) of a module of the project,
        read once per planner: every chunk that imports it asks again."""
        if module not in self._read:
            path = self.file(module)
            if path is None or module.startswith("veritex"):   # the engine has its own key
                self._read[module] = None
            else:
                text = path.read_text(encoding="utf-8")
                parent = {module.rsplit(".", 1)[0]} if "." in module else set()
                package = module if path.name == "__init__.py" else module.rpartition(".")[0]
                imports = {_absolute(name, package) for name in names(text)[2]}
                self._read[module] = (path.relative_to(self.src_dir.parent).as_posix(),
                                      digest(text), imports | parent)
        return self._read[module]


def _absolute(name: str, package: str) -> str:
    """`.functions` imported in package `solutions` is `solutions.functions`; `..x` one
    package up. Names without dots are returned as they are."""
    level = len(name) - len(name.lstrip("."))
    if not level:
        return name
    base = package.split(".")[:len(package.split(".")) - (level - 1)] if package else []
    rest = name[level:]
    return ".".join([*base, rest] if rest else base)


class Planner:
    """Walks the chunks in document order, keeping which unit last bound each name."""

    def __init__(self, src_dir: Path, engine: str):
        self.modules, self.engine = Modules(src_dir), engine
        self.bound: dict[str, tuple[str, str]] = {}     # name -> (label, key)
        self.by_label: dict[str, str] = {}

    def _deps(self, reads: set, explicit=()) -> dict:
        deps = {name: list(self.bound[name]) for name in sorted(reads) if name in self.bound}
        for label in explicit:
            if label in self.by_label:
                deps[f"chunk {label}"] = [label, self.by_label[label]]
        return deps

    def chunk(self, label: str, code: str, options: dict) -> Unit:
        reads, binds, modules = names(code)
        shown = {k: v for k, v in options.items() if k not in _POSITIONAL}
        parts = {"code": digest(code), "options": digest(repr(sorted(shown.items()))),
                 "deps": self._deps(reads, options.get("depends") or ()),
                 "modules": self.modules.sources(modules), "engine": self.engine}
        unit = Unit(label, key_of(parts), parts, binds)
        self.bound.update({name: (label, unit.key) for name in binds})
        self.by_label[label] = unit.key
        return unit

    def inline(self, label: str, code: str) -> Unit:
        reads, binds, modules = names(code)
        parts = {"code": digest(code), "deps": self._deps(reads),
                 "modules": self.modules.sources(modules), "engine": self.engine}
        unit = Unit(label, key_of(parts), parts, binds)
        self.bound.update({name: (label, unit.key) for name in binds})
        return unit


def why(parts: dict, before: dict | None, ran: set) -> str:
    """In words, why a unit whose result is not in the cache has to run."""
    if not before:
        return "no cached result"
    if parts["engine"] != before.get("engine"):
        return "the engine or the pinned requirements changed"
    if parts["code"] != before.get("code"):
        return "its code changed"
    if parts.get("options") != before.get("options"):
        return "its options changed"
    changed = [name for name, digest_ in parts["modules"].items()
               if before.get("modules", {}).get(name) != digest_]
    if changed:
        return f"{changed[0]} changed"
    for name, (label, key) in parts["deps"].items():
        if before.get("deps", {}).get(name) != [label, key]:
            return f"it uses {name} from {label}, which {'re-ran' if label in ran else 'changed'}"
    return "its cached result is missing"
