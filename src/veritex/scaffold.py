"""`veritex new DIR`: a working project to start from.

It copies the skeleton that ships with the engine (a template, a module with a definition,
checked claims and a figure, tests, a Makefile, a README, a CI workflow), the set-up scripts
the Makefile runs on a bare machine, and writes `requirements.txt`: this engine, as a wheel in
the project (so that its CI installs the same engine without this machine), and the test
runner, every version exact.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from . import __version__
from .errors import VeritexError

# skeleton names that a package cannot carry as they are
_RENAMED = {"gitignore": ".gitignore", "github": ".github"}


def new(target: Path) -> Path:
    """Write a new project into `target`, which must not exist or be empty."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise VeritexError(f"{target} already exists and is not an empty folder; "
                           "veritex new writes only into a new one")
    skeleton = resources.files("veritex") / "skeleton"
    setup = resources.files("veritex") / "setup"
    target.mkdir(parents=True, exist_ok=True)
    with resources.as_file(skeleton) as source:
        for path in sorted(Path(source).rglob("*")):
            if "__pycache__" in path.parts or path.is_dir():
                continue
            relative = Path(*(_RENAMED.get(part, part)
                              for part in path.relative_to(source).parts))
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)
    (target / "docs").mkdir(exist_ok=True)
    (target / "docs" / "authoring.md").write_text(
        resources.files("veritex").joinpath("docs", "authoring.md").read_text())
    (target / "tools").mkdir(exist_ok=True)
    for script in ("ensure-tex", "ensure-venv"):
        (target / "tools" / script).write_text(setup.joinpath(script).read_text())
    tests = setup.joinpath("requirements-test.txt").read_text()
    (target / "requirements.txt").write_text(
        "# Exact versions. The engine (a wheel in vendor/, its sha256 in vendor/SHA256SUMS)\n"
        "# brings its own pins (sympy, numpy, Pweave...).\n"
        f"{engine_requirement(target)}\n{tests}")
    _host_environment(target)
    print(f"wrote a veritex project in {target}; next: cd {target} && make pdf")
    return target


def engine_requirement(target: Path) -> str:
    """How a new project installs this engine, on this machine and in its CI on a fresh clone:
    a wheel of it in the project's vendor/ folder, its sha256 in vendor/SHA256SUMS (which
    tools/ensure-venv checks before installing), built from the folder the engine was installed
    from or copied from the wheel it was installed from (pip records either in
    direct_url.json); by version when it came from a package index."""
    try:
        direct = metadata.distribution("veritex").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        direct = None
    url = json.loads(direct).get("url", "") if direct else ""
    checkout = Path(__file__).resolve().parent.parent.parent
    if url.startswith("file://"):
        source = Path(url2pathname(urlparse(url).path))
    elif (checkout / "pyproject.toml").is_file():
        source = checkout
    else:
        return f"veritex=={__version__}"
    vendor = target / "vendor"
    vendor.mkdir(exist_ok=True)
    if source.suffix == ".whl":
        shutil.copy(source, vendor / source.name)
    else:
        _build_wheel(source, vendor)
    [wheel] = sorted(vendor.glob("veritex-*.whl"))
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    (vendor / "SHA256SUMS").write_text(f"{digest}  {wheel.name}\n")
    return f"./vendor/{wheel.name}"


# what a wheel of the engine is not built from: outputs, environments, caches
_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "report", "*.egg-info",
                                     "__pycache__", ".pytest_cache")


def _build_wheel(source: Path, vendor: Path) -> None:
    """pip's wheel of the engine's source folder, built in a copy of it: nothing is written
    into the source (setuptools would leave build/ and an egg-info there, and a stale file in
    build/ would end up in the wheel)."""
    print(f"building a wheel of the engine (from {source}) into {vendor}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "engine"
        shutil.copytree(source, copy, ignore=_NOT_SOURCE)
        built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                                "--disable-pip-version-check", "--wheel-dir", str(vendor),
                                str(copy)], capture_output=True, text=True)
    if built.returncode != 0:
        said = [line for line in built.stderr.splitlines() if "error" in line.lower()]
        raise VeritexError(f"could not build a wheel of the engine from {source}: "
                           + (said[0].strip() if said else "pip wheel failed"))


def _host_environment(target: Path) -> None:
    """The Python environment that ran `veritex new`, for the project's Makefile to use while
    it holds this engine and the test runner (no second environment to install); a fresh clone
    elsewhere, in CI say, makes its own .venv from requirements.txt."""
    (target / "tools" / "host-venv").write_text(f"{sys.prefix}\n")
