"""The project file: which documents a project builds, from which templates, with what options.

A project is a folder with `veritex.toml`, or a `pyproject.toml` with a `[tool.veritex]`
table; the same keys either way (in pyproject.toml, under `tool.veritex.`):

    templates = "templates"          # optional: the folders, relative to the project
    src = "src"
    report = "report"

    [documents.notes]                # report/notes.pdf, built in report/build/notes/
    template = "notes.tex.j2"        # its main template, under templates/
    context = { handout = false }    # optional: variables every template of it sees
    tolerances = { numeric_rtol = 1e-12 }   # optional: only ever stricter than the defaults
    limits = { chunk = 600 }         # optional: time limits in seconds (chunk, check, latex)

Documents are built in the order the file lists them.
"""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType

from .config import BuildConfig, Tolerances
from .errors import Location, VeritexError
from .limits import Limits

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_FOLDERS = ("templates", "src", "report")
_DOCUMENT_KEYS = ("template", "context", "tolerances", "limits", "draft")


class ProjectError(VeritexError):
    """The project file is missing or says something the engine cannot use."""


@dataclass(frozen=True)
class Project:
    root: Path
    file: Path
    documents: tuple[BuildConfig, ...]

    def select(self, names) -> tuple[BuildConfig, ...]:
        """The documents named (all when none is); an unknown name is an error."""
        if not names:
            return self.documents
        known = {document.name: document for document in self.documents}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise ProjectError(f"no document named {unknown[0]!r} in this project "
                               f"(it has: {', '.join(known)})", Location(self.file.name, 1))
        return tuple(known[name] for name in dict.fromkeys(names))


def find(start: Path) -> Path:
    """The project folder: `start` or the nearest parent holding a project file."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "veritex.toml").is_file():
            return folder
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "tool" in _read(pyproject) and \
                "veritex" in _read(pyproject)["tool"]:
            return folder
    raise ProjectError(f"no veritex project here: neither {start} nor a folder above it has "
                       "a veritex.toml or a pyproject.toml with [tool.veritex]; "
                       "`veritex new DIR` starts one")


def load(root: Path) -> Project:
    """Read the project file of the project in `root` (see `find`)."""
    path = root / "veritex.toml"
    if path.is_file():
        table, prefix = _read(path), ""
    else:
        path = root / "pyproject.toml"
        table, prefix = _read(path).get("tool", {}).get("veritex"), "tool.veritex."
        if table is None:
            raise ProjectError(f"{path.name} has no [tool.veritex] table", Location(path.name, 1))
    where = Location(path.name, 1)
    unknown = set(table) - {*_FOLDERS, "documents"}
    if unknown:
        raise ProjectError(f"unknown key {prefix}{sorted(unknown)[0]} (known: "
                           f"{', '.join((*_FOLDERS, 'documents'))})", where)
    folders = {key: _string(table, key, prefix, where) for key in _FOLDERS if key in table}
    documents = table.get("documents")
    if not isinstance(documents, dict) or not documents:
        raise ProjectError(f"{prefix}documents lists no document; add one, e.g. "
                           f"[{prefix}documents.notes] with template = \"notes.tex.j2\"", where)
    configs = tuple(_document(root, name, options, folders, f"{prefix}documents.{name}", where)
                    for name, options in documents.items())
    return Project(root, path, configs)


def _document(root: Path, name: str, options, folders: dict, prefix: str,
              where: Location) -> BuildConfig:
    if not _NAME.match(name):
        raise ProjectError(f"{prefix}: a document's name becomes a file name; use letters, "
                           "digits, - and _ only", where)
    if not isinstance(options, dict):
        raise ProjectError(f"{prefix} must be a table with a template", where)
    unknown = set(options) - set(_DOCUMENT_KEYS)
    if unknown:
        raise ProjectError(f"unknown key {prefix}.{sorted(unknown)[0]} (known: "
                           f"{', '.join(_DOCUMENT_KEYS)})", where)
    if "template" not in options:
        raise ProjectError(f"{prefix} names no template (template = \"{name}.tex.j2\")", where)
    template = _string(options, "template", prefix + ".", where)
    context = options.get("context", {})
    if not isinstance(context, dict):
        raise ProjectError(f"{prefix}.context must be a table of variables", where)
    tolerances = options.get("tolerances", {})
    known = {f.name for f in fields(Tolerances)} - {"seed"}
    if not isinstance(tolerances, dict) or set(tolerances) - known:
        raise ProjectError(f"{prefix}.tolerances takes only {', '.join(sorted(known))}", where)
    try:
        tightened = Tolerances().tightened(tolerances)
    except ValueError as error:
        raise ProjectError(f"{prefix}.tolerances: {error}", where) from None
    limits = options.get("limits", {})
    known = {f.name for f in fields(Limits)}
    if not isinstance(limits, dict) or set(limits) - known:
        raise ProjectError(f"{prefix}.limits takes only {', '.join(sorted(known))} "
                           "(seconds)", where)
    try:
        limits = Limits(**limits)
    except ValueError as error:
        raise ProjectError(f"{prefix}.limits: {error}", where) from None
    draft = options.get("draft", False)
    if not isinstance(draft, bool):
        raise ProjectError(f"{prefix}.draft is true or false", where)
    config = BuildConfig(root=root, name=name, template=template,
                         context=MappingProxyType(dict(context)), tolerances=tightened,
                         limits=limits, draft=draft, epoch=source_date_epoch(root), **folders)
    if not (config.templates_dir / template).is_file():
        raise ProjectError(f"{prefix}.template: {config.shown(config.templates_dir / template)} "
                           "does not exist", where)
    return config


def _string(table: dict, key: str, prefix: str, where: Location) -> str:
    value = table[key]
    if not isinstance(value, str) or not value or Path(value).is_absolute() or ".." in \
            Path(value).parts:
        raise ProjectError(f"{prefix}{key} must be a path inside the project, not {value!r}",
                           where)
    return value


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise ProjectError(f"not valid TOML: {error}",
                           Location(path.name, int(line.group(1)) if line else 1)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ProjectError(f"cannot read {path.name}: {error}") from None


def source_date_epoch(root: Path) -> str:
    """The time stamped into the PDF: $SOURCE_DATE_EPOCH, else the last commit's, else 0."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root,
                                capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "0"
    stamp = result.stdout.strip()
    return stamp if result.returncode == 0 and stamp.isdigit() else "0"
