"""One document's build folder, `report/build/<name>/`: every file and folder in it named once,
with the stage that writes it. The other stages read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import markup


@dataclass(frozen=True)
class Layout:
    folder: Path          # report/build/<name>
    name: str             # the document's name

    @property
    def source(self) -> Path:
        """The rendered templates, Pweave's source (render -> weave)."""
        return self.folder / f"{self.name}.texw"

    @property
    def woven(self) -> Path:
        """What Pweave writes (weave), copied to `tex` when it changed."""
        return self.folder / f"{self.name}.woven"

    @property
    def tex(self) -> Path:
        """The woven LaTeX document (weave -> typeset)."""
        return self.folder / f"{self.name}.tex"

    @property
    def figures(self) -> Path:
        """The figures the chunks save (runtime), restored from the cache when reused."""
        return self.folder / "figures"

    @property
    def cache(self) -> Path:
        """The content-addressed cache (`veritex.cache.Store`, through `veritex.incremental`)."""
        return self.folder / "cache"

    @property
    def work(self) -> Path:
        """Where a kernel hands files to the build (the ledger of a unit, stored names)."""
        return self.folder / "cache-work"

    @property
    def run(self) -> Path:
        """What the build did (`veritex.run.Run`)."""
        return self.folder / "run.json"

    @property
    def claims(self) -> Path:
        """Every statement and how it was decided (verify)."""
        return self.folder / "claims.json"

    def beside(self, name: str) -> Path:
        """A file LaTeX reads beside the document (see `veritex.markup`'s *_FILE names)."""
        return self.folder / name

    @property
    def style(self) -> Path:
        return self.beside(markup.STYLE_FILE)

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders the build makes: links or files in their place are replaced."""
        return (self.folder, self.cache, self.figures, self.work)
