"""Jinja filters: pure str -> str functions, registered by name in REGISTRY."""

from __future__ import annotations

# Every character TeX gives a meaning to, and what prints it literally.
_TEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
    "#": r"\#", "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}",
    # The default OT1 text fonts have no < > or |; their slots hold other glyphs.
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}


def escape_tex(text: object) -> str:
    """Text (not math) for LaTeX: every special character prints as itself."""
    return "".join(_TEX_SPECIALS.get(char, char) for char in str(text))


REGISTRY = {"escape_tex": escape_tex}
