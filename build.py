#!/usr/bin/env python3
"""This repository's entry point: `veritex` on this project, run in its .venv.

    python build.py [pdf|build] [NAME...]   build report/solutions.pdf and report/assignment.pdf
    python build.py check|audit|watch [NAME...]
    options: --fresh, --strict, -q, --json PATH (see `veritex --help`)

The engine is the package under src/veritex (installed into .venv, editable, by make); the
documents are declared in pyproject.toml under [tool.veritex].
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
# `python build.py` from any interpreter runs in the project's .venv, where the pinned
# packages and the engine are (make creates it).
if (VENV / "bin" / "python").exists() and Path(sys.prefix).resolve() != VENV.resolve():
    os.execv(VENV / "bin" / "python", [str(VENV / "bin" / "python"), __file__, *sys.argv[1:]])

from veritex.cli import main  # noqa: E402

if __name__ == "__main__":
    argv = sys.argv[1:]
    if not argv or argv[0].startswith("-"):
        argv = ["build", *argv]
    elif argv[0] == "pdf":
        argv = ["build", *argv[1:]]
    sys.exit(main(["-C", str(ROOT), *argv]))
