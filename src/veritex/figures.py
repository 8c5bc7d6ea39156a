"""Figure styles, registered by name, applied while a figure is drawn and while it is saved.

Figures are matplotlib `Figure` objects made without pyplot, so no global state is touched.
"""

from __future__ import annotations

import functools
import logging

STYLES = {
    # Sized for an 11pt page at 0.85 of the text width; fonts match the body's size in print.
    "document": {
        "figure.figsize": (6.4, 3.0),
        "font.size": 9.5,
        "axes.titlesize": 9.5,
        "axes.labelsize": 9.5,
        "legend.fontsize": 8.5,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "lines.linewidth": 1.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "pdf.fonttype": 3,             # glyphs drawn in the PDF (selectable, with a Unicode
                                       # map), in a quarter of the time TrueType takes
        "svg.hashsalt": "veritex",     # no random ids
        "savefig.bbox": "tight",
    },
}


def styled(function=None, *, style: str = "document"):
    """Decorator: draw the figure under a registered style."""
    if function is None:
        return functools.partial(styled, style=style)

    @functools.wraps(function)
    def draw(*args, **kwargs):
        import matplotlib           # here: a document without figures never imports it
        with matplotlib.rc_context(STYLES[style]):
            return function(*args, **kwargs)

    return draw


def save(fig, path, style: str = "document") -> None:
    """Save as PDF without dates or tool names, so the same figure gives the same bytes."""
    # fontTools, subsetting fonts into the PDF, logs a warning for fonts whose time stamps
    # predate 1970 (some of matplotlib's own); it is about the font file, not the figure
    import matplotlib
    fonts = logging.getLogger("fontTools")
    level, fonts.level = fonts.level, logging.ERROR
    with matplotlib.rc_context(STYLES[style]):
        try:
            fig.savefig(path, metadata={"CreationDate": None, "ModDate": None,
                                        "Creator": None, "Producer": None})
        finally:
            fonts.setLevel(level)
