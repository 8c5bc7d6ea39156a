"""What one build did, for people and tools: `report/build/<name>/run.json`, written by every
build (`veritex.pipeline`), read by the watcher and the benchmark.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from .cache import write_atomic
from .config import BuildConfig

NOTHING_CHANGED = "nothing changed"          # why LaTeX did not run: no input changed at all
UNCHANGED_INPUT = "its input did not change"  # the LaTeX input is the last PDF's
INPUT_CHANGED = "its input changed"
NO_PDF = "no earlier PDF"


@dataclass
class Run:
    inputs: str = ""                     # the digest of everything the build read
    units: list = field(default_factory=list)    # per chunk and inline unit: label, ran, why
    kernels: int = 0                     # kernels that ran units at once (0: one at a time)
    checks: dict = field(default_factory=dict)   # {"checked": n, "reused": n}
    latex: dict = field(default_factory=lambda: {"ran": False, "why": ""})

    @property
    def nothing_changed(self) -> bool:
        return self.latex["why"] == NOTHING_CHANGED

    def latex_ran(self, ran: bool, why: str) -> None:
        self.latex = {"ran": ran, "why": why}

    def write(self, config: BuildConfig) -> None:
        config.build_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(config.layout.run, (json.dumps(asdict(self), indent=1) + "\n").encode())

    @classmethod
    def read(cls, config: BuildConfig) -> "Run | None":
        try:
            return cls(**json.loads(config.layout.run.read_text()))
        except (OSError, ValueError, TypeError):
            return None
