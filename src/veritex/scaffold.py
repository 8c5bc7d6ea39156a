"""`veritex new DIR`: a working project to start from.

It copies the skeleton that ships with the engine (a template, a module with a definition,
checked claims and a figure, tests, a Makefile, a README, a CI workflow), the set-up scripts
the Makefile runs on a bare machine, and writes `requirements.txt`: this engine, from where it
was installed, and the test runner, every version exact.
"""

from __future__ import annotations

import json
import shutil
from importlib import metadata, resources
from pathlib import Path

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
    (target / "tools").mkdir(exist_ok=True)
    for script in ("ensure-tex", "ensure-venv"):
        (target / "tools" / script).write_text(setup.joinpath(script).read_text())
    tests = setup.joinpath("requirements-test.txt").read_text()
    (target / "requirements.txt").write_text(
        "# Exact versions. The engine brings its own pins (sympy, numpy, Pweave...).\n"
        f"{engine_requirement()}\n{tests}")
    print(f"wrote a veritex project in {target}; next: cd {target} && make pdf")
    return target


def engine_requirement() -> str:
    """How a new project installs this engine: from the folder or URL it was installed from
    (pip records that in direct_url.json), else from this checkout, else by version."""
    try:
        direct = metadata.distribution("veritex").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        direct = None
    if direct:
        url = json.loads(direct).get("url", "")
        if url:
            return f"veritex @ {url}"
    checkout = Path(__file__).resolve().parent.parent.parent
    if (checkout / "pyproject.toml").is_file():
        return f"veritex @ {checkout.as_uri()}"
    return f"veritex=={__version__}"
