"""The build cache: results stored under a key made from everything that produced them.

A key is the sha256 of a JSON description of the inputs (a chunk's code and options, the keys
of the chunks it depends on, the source of the modules it imports, the engine's fingerprint).
Each entry is a file `<key>.pickle` holding the sha256 of its payload, then the payload; an
entry whose digest or key does not match is corrupt and is ignored with a warning, never
trusted. `index.json` remembers, per chunk, the parts of its last key, so a build can say
why a chunk ran.

The cache is build output, like the PDF: it is trusted as much as the tree it sits in.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import sys
from pathlib import Path

FORMAT = 1


def digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def key_of(parts: dict) -> str:
    return digest(json.dumps(parts, sort_keys=True, default=str))


def tree_fingerprint(root: Path, paths) -> str:
    """One digest for a set of files (relative names and contents)."""
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(digest(path.read_bytes()).encode())
    return h.hexdigest()


def source_files(folder: Path, pattern: str = "*") -> list[Path]:
    return [p for p in folder.rglob(pattern)
            if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")]


def engine_fingerprint() -> str:
    """The engine as installed (its code and LaTeX files, wherever the package lives), the
    versions of every installed distribution, and the interpreter: a change to any of them
    may change any result."""
    package = Path(__file__).resolve().parent
    files = [path for path in source_files(package)
             if path.suffix not in (".pyc",) and "__pycache__" not in path.parts]
    return digest(tree_fingerprint(package, files) + "\n".join(_distributions()) + sys.version)


def _distributions() -> list[str]:
    """The installed distributions, as their metadata folders name them (`sympy-1.14.0.dist-info`);
    reading the folder names is quicker than importlib.metadata, which opens every one."""
    found = set()
    for entry in sys.path:
        try:
            found.update(name for name in os.listdir(entry or ".")
                         if name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(found)


class Store:
    """Content-addressed entries plus the index, in one folder."""

    def __init__(self, folder: Path, *, fresh: bool = False, warn=print):
        self.folder, self.warn = folder, warn
        self.fresh = fresh
        self.index = {} if fresh else self._read_index()
        self.used: set[str] = set()          # keys read or written by this build
        self.written: set[str] = set()       # keys written by this build (any process)

    def _read_index(self) -> dict:
        path = self.folder / "index.json"
        if not (path.exists() or path.is_symlink()):
            return {}
        if not path.is_file() or path.is_symlink():
            self.warn(f"warning: ignoring the build cache's index ({path}): not a file")
            _remove(path)
            return {}
        try:
            index = json.loads(path.read_text())
            if not isinstance(index, dict) or index.get("format") != FORMAT:
                raise ValueError(f"format {index.get('format') if isinstance(index, dict) else '?'}"
                                 f", expected {FORMAT}")
            return index
        except (ValueError, OSError) as error:
            self.warn(f"warning: ignoring the build cache's index ({path}): {error}")
            return {}

    def get(self, key: str):
        """The payload stored under `key`, or None when missing, fresh, or corrupt."""
        path = self.folder / f"{key}.pickle"
        if (self.fresh and key not in self.written) or not (path.exists() or path.is_symlink()):
            return None
        if not path.is_file() or path.is_symlink():
            self.warn(f"warning: ignoring a cache entry that is not a file ({path.name})")
            _remove(path)
            return None
        self.used.add(key)
        try:
            data = path.read_bytes()
            stored_digest, payload = data[:64].decode("ascii"), data[64:]
            if digest(payload) != stored_digest:
                raise ValueError("its checksum does not match its content")
            entry = pickle.loads(payload)
            if not isinstance(entry, dict) or entry.get("key") != key:
                raise ValueError("it was stored under another key")
            return entry["payload"]
        except Exception as error:          # any failure to read means: do not trust it
            self.warn(f"warning: ignoring a corrupt cache entry ({path.name}): {error}")
            path.unlink(missing_ok=True)
            return None

    def has(self, key: str) -> bool:
        """An entry is stored under `key` (not read: `get` checks it)."""
        return (not self.fresh or key in self.written) and (self.folder / f"{key}.pickle").is_file()

    def adopt(self, key: str) -> None:
        """The entry under `key` was written in this build by another process."""
        self.written.add(key)

    def put(self, key: str, payload) -> None:
        self.used.add(key)
        self.written.add(key)
        data = pickle.dumps({"key": key, "payload": payload}, protocol=pickle.HIGHEST_PROTOCOL)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{key}.pickle"
        if path.is_dir() and not path.is_symlink():
            _remove(path)
        write_atomic(path, digest(data).encode("ascii") + data)

    def prune(self) -> int:
        """After a complete build: drop the entries it did not use (older versions)."""
        stale = [path for path in self.folder.glob("*.pickle") if path.stem not in self.used]
        for path in stale:
            _remove(path)
        return len(stale)

    def save_index(self) -> None:
        self.index["format"] = FORMAT
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.folder / "index.json",
                     json.dumps(self.index, indent=1, sort_keys=True).encode())


def _remove(path: Path) -> None:
    """Remove a file, a link or a folder that the cache cannot use (it is build output)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside, then rename over: a reader never sees half a file."""
    staging = path.with_name(f".{path.name}.partial")
    staging.unlink(missing_ok=True)            # a link there would be written through
    staging.write_bytes(data)
    os.replace(staging, path)                  # replaces a link at `path`, not its target


def write_if_changed(path: Path, text: str) -> bool:
    """Leave an identical file alone (its time stamp too); True if the file changed."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text.encode("utf-8"))
    return True
