"""The units of a rendered source, as Pweave's reader finds them: code chunks, with options
parsed as literals (never executed) and the line their code starts at, and the inline units
of prose chunks (`<%= expr %>`, `<% statements %>`), each at its own line. The weave pass and
the parallel planner both read the source through here.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from pweave.readers import PwebReader

INLINE = re.compile(r"(<%.*?%>)", re.DOTALL)


class ChunkFailed(Exception):
    """A unit's error at its rendered line; the weave stage turns it into a ChunkError at the
    template's line."""

    def __init__(self, line: int, chunk: str | None, message: str, origin=None):
        super().__init__(message)
        self.line, self.chunk, self.message, self.origin = line, chunk, message, origin


def parse_options(option_string: str, line: int, defaults) -> dict:
    """`label, echo=True, width='3in'` -> options; values are Python literals only."""
    options = dict(defaults)
    label, _, rest = option_string.partition(",")
    if "=" in label:
        label, rest = "", option_string
    try:
        call = ast.parse(f"f({rest})", mode="eval").body
        if call.args:
            raise ValueError("options after the label must be name=value")
        for keyword in call.keywords:
            options[keyword.arg] = ast.literal_eval(keyword.value)
        timeout = options.get("timeout")
        if timeout is not None and (isinstance(timeout, bool) or
                                    not isinstance(timeout, (int, float)) or timeout <= 0):
            raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    except (SyntaxError, ValueError) as error:
        raise ChunkFailed(line, label.strip() or None,
                          f"malformed chunk options {option_string.strip()!r}: {error}")
    options["name"] = label.strip() or None
    options["header_line"] = line
    options["option_string"] = option_string
    return options


class Reader(PwebReader):
    """Pweave's noweb reader with safe options and the chunk's header line kept."""

    defaults: dict = {}

    def getoptions(self, line):
        option_string = re.findall(self.code_begin, line)[0]
        return parse_options(option_string, self.lineNo, self.defaults)

    def parse(self):
        """Also give each prose chunk its first line, which locates its inline code; a label
        given to two chunks is an error at the second (messages and the cache name units by
        their labels, as knitr refuses a duplicate label)."""
        super().parse()
        total = len(self.rawtext.splitlines())
        seen = set()
        for chunk in self.parsed:
            name, line = chunk.get("options", {}).get("name"), chunk.get("options", {}).get(
                "header_line")
            if chunk["type"] == "code" and name:
                if name in seen:
                    raise ChunkFailed(line, name, f"the chunk label {name!r} is already an "
                                      "earlier chunk's: give each chunk its own")
                seen.add(name)
            if chunk["type"] == "doc":        # it ends before the next chunk's header
                end = chunk.get("start_line", total + 1)
                chunk["first_line"] = end - chunk["content"].count("\n")


def reader(defaults) -> type[Reader]:
    """The reader class, with the project's chunk defaults (Pweave takes a class)."""
    return type("Reader", (Reader,), {"defaults": dict(defaults)})


def label(chunk: dict) -> str:
    return chunk.get("name") or f"chunk {chunk.get('number', '?')}"


def first_line(header_line: int, content: str) -> int:
    """The rendered line of a chunk's first line of code (blank lines after its header skipped)."""
    body = content[1:]
    return header_line + 1 + body[: len(body) - len(body.lstrip())].count("\n")


@dataclass(frozen=True)
class Inline:
    """One inline unit of a prose chunk, at its own rendered line."""

    code: str            # as typed between the delimiters
    expression: bool     # `<%= expr %>` (prints str(expr)) rather than `<% statements %>`
    line: int
    index: int           # its place in the prose's parts (see `inline_units`)

    @property
    def label(self) -> str:
        return f"<%{'=' if self.expression else ''} {self.code[:40]} %>"

    @property
    def runs(self) -> str:
        """What the kernel runs: `<%= expr %>` prints str(expr), not Pweave's repr."""
        return f"print(({self.code}), end='')" if self.expression else self.code


def inline_units(content: str, first: int) -> tuple[list[str], list[Inline]]:
    """A prose chunk (starting at rendered line `first`) split into its parts, and its inline
    units, each naming the part it replaces."""
    parts = INLINE.split(content)
    found = []
    for i, part in enumerate(parts):
        if part.startswith("<%"):
            expression = part.startswith("<%=")
            found.append(Inline(part[3 if expression else 2:-2].strip(), expression,
                                first + "".join(parts[:i]).count("\n"), i))
    return parts, found
