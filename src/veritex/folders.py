"""The places a build writes, made safe before it writes: it writes only inside the project,
never through a link, and never over something the user made."""

from __future__ import annotations

import os
from pathlib import Path

from .config import BuildConfig
from .errors import VeritexError


def prepare(config: BuildConfig, warn) -> None:
    """The places a build writes must be what it expects: a folder the user made where the
    PDF goes is theirs to move (an error); anything else in the build folder is build output,
    replaced with a warning. The build writes only inside the project: a report folder that
    links out of it is refused, and a link in the build folder is removed, never written
    through."""
    report, pdf = config.report_dir, config.pdf_path
    root = config.root.resolve()
    if report.is_symlink() and not report.resolve().is_relative_to(root):
        raise VeritexError(f"{config.report}: a link to {report.resolve()}, outside the "
                           "project, and the build writes only inside it; make it a folder")
    if report.exists() and not report.is_dir():
        raise VeritexError(f"{config.shown(report)}: not a folder, and the PDFs go there; "
                           "move it away")
    if (pdf.exists() or pdf.is_symlink()) and not pdf.is_file():
        raise VeritexError(f"{config.shown(pdf)}: not a file (a folder, or a broken link), "
                           "and the PDF goes there; move it away")
    for folder in (report / "build", *config.layout.folders):
        if folder.is_symlink():
            warn(f"warning: {config.shown(folder)} was a link (to {os.readlink(folder)}); "
                 "removed, the build writes its own folder there (build output)")
            folder.unlink()
        elif folder.exists() and not folder.is_dir():
            warn(f"warning: {config.shown(folder)} was not a folder; replaced (build output)")
            folder.unlink()
    _unlink_links(config, warn)


def _unlink_links(config: BuildConfig, warn) -> None:
    """Remove every link inside the build folder (run.json, claims.json, the cache, a
    .partial file...): the build writes those files, and writing would follow the link."""
    if not config.build_dir.is_dir():
        return
    for folder, folders, names in os.walk(config.build_dir, followlinks=False):
        for name in (*folders, *names):
            path = Path(folder) / name
            if path.is_symlink():
                warn(f"warning: {config.shown(path)} was a link (to {os.readlink(path)}); "
                     "removed (build output)")
                path.unlink()
