"""Incremental builds: the one place that decides what an earlier build left usable.

A build asks it four kinds of question, each answered from the cache's index and entries:
- the whole build: did anything it reads change since the last good PDF? (`up_to_date`)
- a unit (chunk or inline expression): is its result stored, and if not, why must it run?
  (`Incremental.units`: `chunk`, `result`, `keep`, `why`)
- a check: what is a claim known by, and is its verdict stored? (`Incremental.checks`)
- LaTeX: did its input change since the PDF it made? (`Incremental.latex`)

The keys themselves are made in `plan` (a unit's parts) and stored by `cache.Store`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import cache
from .config import BuildConfig
from .plan import Planner, Unit, why


CHANGED = "a source changed while the build ran"      # an inputs digest nothing matches


@dataclass
class Result:
    """What one unit (chunk or inline expression) left: what the cache keeps under its key,
    and what the weave stage assembles the document from."""

    outputs: list                  # what it printed, as Pweave's stream outputs
    warnings: list                 # what it wrote to stderr (and the build's notes), as text
    figures: dict                  # file name -> the bytes of a figure it saved
    claims: list                   # the Statements it showed, tagged with placeholders
    steps: list                    # their steps, each pickled apart
    texts: list                    # (module line or None, line offset, LaTeX) typed in code
    contents: list = field(default_factory=list)   # per step: (digest, modules it names)
    seconds: float = 0.0           # how long it ran (in this build, or when it last ran)
    text: str = ""                 # an inline unit: the text it printed


class Units:
    """The units' results: stored under their keys (see `veritex.plan`), with the variables a
    chunk binds beside them; why a unit that has to run runs."""

    def __init__(self, store: cache.Store, planner: Planner):
        self.store, self.planner = store, planner
        self._before = store.index.get("units", {})
        self.after: dict[str, dict] = {}         # label -> the parts of its key, this build
        self._ran: set[str] = set()

    def chunk(self, label: str, code: str, options: dict) -> Unit:
        unit = self.planner.chunk(label, code, options)
        self.after[label] = unit.parts
        return unit

    def inline(self, label: str, code: str) -> Unit:
        unit = self.planner.inline(label, code)
        self.after[label] = unit.parts
        return unit

    def result(self, unit: Unit):
        """A unit's stored result when complete (with its variables, if it binds any)."""
        hit = self.store.get(unit.key)
        if hit is None or (unit.stores and self.store.get(f"{unit.key}-names") is None):
            return None
        return hit

    def answered(self, key: str, stores) -> bool:
        """A result is stored under `key` (with its variables, if it binds any `stores`)."""
        return self.store.has(key) and (not stores or self.store.has(f"{key}-names"))

    def names(self, key: str) -> bytes | None:
        """The pickled variables a stored chunk bound."""
        return self.store.get(f"{key}-names")

    def keep(self, unit: Unit, result: Result, names: bytes | None = None) -> None:
        """Store what a unit that ran produced (and its variables)."""
        if names is not None:
            self.store.put(f"{unit.key}-names", names)
        self.store.put(unit.key, result)

    def adopt(self, key: str) -> None:
        """A result another process stored under `key` (and its variables): this build's."""
        for stored in (key, f"{key}-names"):
            self.store.adopt(stored)

    def why(self, unit) -> str:
        """In words, why a unit that had to run ran; remembers that it did."""
        self._ran.add(unit.label)
        if self.store.fresh:
            return "the cache is ignored (--fresh)"
        return why(unit.parts, self._before.get(unit.label), self._ran)


class Checks:
    """What a claim is known by, and the verdicts stored under it."""

    def __init__(self, store: cache.Store, planner: Planner, engine: str):
        self.store, self.planner, self.engine = store, planner, engine

    def claim_keys(self, result: Result, unit_key: str) -> list[str]:
        """Each claim of a unit's result, known by what it states: its step's pickle, the
        sources of the project's modules that pickle names (the sampler a Monte Carlo claim
        calls, say) and the engine. A chunk that runs again, or a module edited elsewhere,
        leaves the claims it does not change with the outcome they had. (A result stored
        without contents: by the unit's key and the claim's place.)"""
        contents = result.contents
        if len(contents) != len(result.claims):
            return [f"{unit_key}:{index}" for index in range(len(result.claims))]
        return [cache.key_of({"step": step, "engine": self.engine,
                              "modules": self.planner.modules.sources(modules)})
                for step, modules in contents]

    def key(self, claim_key: str, refute: bool, tolerances) -> str | None:
        """Where a claim's verdict is stored: by what it states, how it is read, the
        tolerances."""
        if not claim_key:
            return None
        return cache.key_of({"claim": claim_key, "refute": refute,
                             "tolerances": repr(tolerances)})

    def verdict(self, key: str):
        return self.store.get(key)

    def keep(self, key: str, verdict) -> None:
        self.store.put(key, verdict)


class Latex:
    """LaTeX's input, and the PDF it made from it."""

    def __init__(self, store: cache.Store, config: BuildConfig):
        self.store, self.config = store, config

    def sources(self, files: list[Path]) -> str:
        return cache.digest(cache.tree_fingerprint(self.config.build_dir, files)
                            + repr(self.config.latexmk_args) + self.config.epoch)

    def unchanged(self, sources: str, pdf_digest: str | None) -> bool:
        last = self.store.index.get("latex", {})
        return last.get("inputs") == sources and last.get("pdf") == pdf_digest

    def ran_before(self) -> bool:
        return bool(self.store.index.get("latex"))

    def must_force(self) -> bool:
        """Whether latexmk must run LaTeX even if it finds its own files unchanged: the date
        to stamp changed (a commit), or there is no record of the last run (a fresh build)."""
        return self.store.index.get("latex", {}).get("epoch") != self.config.epoch

    def ran(self, sources: str, pdf_digest: str) -> None:
        self.store.index["latex"] = {"inputs": sources, "pdf": pdf_digest,
                                     "epoch": self.config.epoch}


class Incremental:
    """The whole build's questions, and the parts that answer the others: `units`, `checks`,
    `latex`."""

    def __init__(self, config: BuildConfig, *, fresh: bool = False, warn=print):
        self.config = config
        self.store = cache.Store(config.layout.cache, fresh=fresh, warn=warn)
        self.engine = cache.engine_fingerprint()
        # the templates the last build read: a save to another one does not touch this document
        self.inputs = self._inputs(self.store.index.get("templates"))
        planner = Planner(config.src_dir, self.engine)
        self.units = Units(self.store, planner)
        self.checks = Checks(self.store, planner, self.engine)
        self.latex = Latex(self.store, config)
        self._at_start: str | None = None      # every source's digest when the build began

    def _inputs(self, templates: list[str] | None) -> str:
        """Everything a build reads: its templates (all of them, when not known), the
        sources, the engine and the settings."""
        config = self.config
        if templates is None:
            files = cache.source_files(config.templates_dir)
        else:
            files = [config.root / name for name in templates]
            if not all(path.is_file() for path in files):
                return "a template it read is gone"
        files += cache.source_files(config.src_dir)
        return cache.digest(cache.tree_fingerprint(config.root, files) + self.engine
                            + repr(config) + repr(templates))

    def started(self) -> None:
        """Before the build reads anything: what every source says now. A source saved while
        the build runs may have been read before or after the save; the build then records
        that it is not up to date, and the next one runs (see `built`)."""
        self._at_start = self._inputs(None)

    def up_to_date(self) -> bool:
        """Nothing the build reads changed, and the PDF is the one the last build made."""
        last = self.store.index.get("last", {})
        pdf = self.config.pdf_path
        return (last.get("inputs") == self.inputs and pdf.exists()
                and cache.digest(pdf.read_bytes()) == last.get("pdf"))

    def woven(self) -> None:
        """Every unit ran or was reused: their keys' parts are what the next build compares
        with, to say why a unit runs again."""
        self.store.index["units"] = self.units.after

    def built(self, pdf_digest: str | None, templates: tuple[str, ...]) -> bool:
        """A build went through: remember what it read and the PDF; drop unused entries.
        True if a source was saved while it ran: then the record says so, and the next
        build runs instead of finding nothing changed."""
        changed = self._at_start is not None and self._inputs(None) != self._at_start
        self.store.index["templates"] = list(templates)
        self.store.index["last"] = {"inputs": CHANGED if changed else
                                    self._inputs(list(templates)), "pdf": pdf_digest}
        self.store.prune()
        return changed

    def checked(self) -> None:
        """A check-only build went through: drop unused entries."""
        self.store.prune()

    def save(self) -> None:
        self.store.save_index()
