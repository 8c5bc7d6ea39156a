"""Which template line each line of the rendered document came from.

Jinja does not say where its output came from, so before rendering every template line that
produces output gets an invisible sentinel before its newline, naming its file and line; after
rendering the sentinels are read off and removed. Output lines without a sentinel (the inner
lines of a multi-line value) belong to the template line that ends them, the next sentinel.
"""

from __future__ import annotations

import difflib
import re

from . import markup
from .errors import Location

_OPEN, _CLOSE = "\ue000", "\ue001"
_SENTINEL = re.compile(f"{_OPEN}(.*?):(\\d+){_CLOSE}")


def mark_lines(source: str, name: str, tag_pattern: re.Pattern) -> str:
    """Put a sentinel before each newline that lies outside Jinja tags.

    A newline right after a block or comment tag is left alone: Jinja's trim_blocks removes
    it, and a sentinel there would turn a control line into a blank output line.
    """
    out, pos = [], 0
    tags = [(m.start(), m.end(), m.group(0)) for m in tag_pattern.finditer(source)]
    tag_ends = {end for _, end, text in tags if not text.startswith("(((")}
    inside = _inside_ranges(tags)
    line = 1
    for i, char in enumerate(source):
        if char != "\n":
            continue
        if not inside(i) and i not in tag_ends:
            out.append(source[pos:i] + f"{_OPEN}{name}:{line}{_CLOSE}")
            pos = i
        line += 1
    out.append(source[pos:])
    return "".join(out)


def _inside_ranges(tags):
    spans = [(start, end) for start, end, _ in tags]

    def inside(index: int) -> bool:
        return any(start <= index < end for start, end in spans)

    return inside


def split_marked(text: str) -> tuple[str, list[Location]]:
    """Remove the sentinels; return the clean text and each output line's template location."""
    lines = text.split("\n")
    located: list[Location | None] = []
    for line in lines:
        found = _SENTINEL.findall(line)
        located.append(Location(found[-1][0], int(found[-1][1])) if found else None)
    following = None
    for i in range(len(located) - 1, -1, -1):        # back-fill from the line that ends a value
        following = located[i] = located[i] or following
    last = next((loc for loc in located if loc), Location("<unknown>", 0))
    line_map = [loc or last for loc in located]
    return _SENTINEL.sub("", text), line_map


_CHUNK_HEADER = re.compile(r"^<<(.*)>>=\s*$")


def woven_origin(rendered, woven: str, line: int) -> tuple[Location, bool]:
    """Where line `line` of the woven LaTeX came from, and whether that is exact.

    `rendered` is the Pweave source (its `.text` and `.location()`). Lines copied from it
    (prose, with any inline values filled in) map to their template line exactly. A line a
    chunk printed maps to that chunk, named by the comment the weave stage puts before each
    chunk's output; not exactly: the template holds the chunk's code, not what it printed.
    """
    source, target = rendered.text.split("\n"), woven.split("\n")
    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if not j1 <= line - 1 < j2:
            continue
        if tag == "equal":
            return rendered.location(i1 + line - j1), True
        for text in reversed(target[j1:line]):
            printed = markup.PRINTED.match(text)
            if printed:
                return Location(printed[1], int(printed[2]), printed[3]), False
        if i2 - i1 == j2 - j1 and not any(_CHUNK_HEADER.match(s) for s in source[i1:i2]):
            return rendered.location(i1 + line - j1), True     # a line with inline values
        return rendered.location(max(i1, 1)), False
    return rendered.location(line), False
