"""Typed mathematics: every formula a person typed that reaches the PDF, and whether it is
checked, declared given, or neither.

Where it looks: the template prose (the rendered source outside chunks, each line located in
its template) and the text typed in code that the PDF shows (justifications, errata,
captions), which the runtime records with the file and line that typed it.

What it counts: math between `$...$`, `\\(...\\)`, `\\[...\\]` or in a display environment that
states something, that is, holds a relation (`=`, `<`, `>`, `\\le`, `\\ge`, `\\ne`,
`\\approx`) or a number (a digit outside a subscript; `^{-1}` and `^{\\top}` are notation), or a
relation around a value printed from code. Each such formula is
- checked: printed by `inline(claim(...))` (in a template, `<%= inline(...) %>`), which
  registers it as a claim and puts its tag after it;
- given: inside `\\given{...}`, or inside an environment the document declares given with a
  comment `% veritex: given environment <name>` (a reader of the template sees both);
- undeclared: anything else. The build stops, one located line each; a draft only warns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import Location, VeritexError

_CODE = re.compile(r"<%.*?%>", re.DOTALL)
_CHECKED_CALLS = re.compile(r"<%=\s*inline\(.*?%>", re.DOTALL)   # printed by the build
_CHUNK = re.compile(r"^<<.*?>>=[^\n]*\n.*?^@[ \t]*$", re.DOTALL | re.MULTILINE)
_DIRECTIVE = re.compile(r"%\s*veritex:\s*given environment\s+([A-Za-z*]+)")
_COMMENT = re.compile(r"(?<!\\)%.*")
_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$|\\\((.+?)\\\)"
                   r"|\\\[(.+?)\\\]|\\begin\{(equation|align|gather|multline)(\*?)\}(.+?)"
                   r"\\end\{\5\6\}", re.DOTALL)
_NOTATION = re.compile(r"_\{[^{}]*\}|_\\?[A-Za-z0-9]|\^\{-1\}|\^\{?\\top\}?|\^\{?\*\}?"
                       r"|\\(?:label|ref|eqref|tag)\{[^{}]*\}")
_RELATION = re.compile(r"=|<|>|\\(?:le|leq|ge|geq|ne|neq|approx|leqslant|geqslant)(?![a-zA-Z])")
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class Formula:
    where: Location
    tex: str


@dataclass
class Typed:
    """The typed formulas of a document, by how each is accounted for."""

    checked: int = 0
    given: int = 0
    undeclared: list[Formula] = field(default_factory=list)

    def warnings(self) -> list[str]:
        return [f"{f.where}: typed mathematics, neither checked nor declared given: "
                f"{_short(f.tex)} (print it with <%= inline(...) %> or wrap it in \\given{{...}})"
                for f in self.undeclared]


class TypedMathError(VeritexError):
    """Formulas typed by hand that are neither checked nor declared given (not in a draft)."""

    def __init__(self, typed: Typed):
        super().__init__("\n".join(typed.warnings()))

    def __str__(self) -> str:
        return self.message


def _short(tex: str, limit: int = 70) -> str:
    tex = " ".join(tex.split())
    return tex if len(tex) <= limit else tex[:limit - 3] + "..."


def states_something(math: str) -> bool:
    """A relation, or a number outside subscripts and the notation of inverses and transposes.
    A value printed from code (`<%= x %>`) is not typed: alone it states nothing typed, but a
    relation around it (`n = <%= N %>`) is typed."""
    body = math.replace("\\vtxcode", " ")
    while True:
        stripped = _NOTATION.sub(" ", body)
        if stripped == body:
            break
        body = stripped
    return bool(_RELATION.search(body) or _NUMBER.search(body))


def _balanced(text: str, start: int) -> int:
    """The index just after the {group} opening at `start`."""
    depth = 0
    for end in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            return end + 1
    return len(text)


def _blank(text: str, start: int, end: int) -> str:
    """Text with [start, end) replaced by spaces, newlines kept (line numbers stay)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def _given_spans(text: str, environments: set[str]) -> list[tuple[int, int]]:
    spans = []
    for match in re.finditer(r"\\given\{", text):
        spans.append((match.start(), _balanced(text, match.end() - 1)))
    for name in environments:
        pattern = re.compile(rf"\\begin\{{{re.escape(name)}\}}.*?\\end\{{{re.escape(name)}\}}",
                             re.DOTALL)
        spans.extend((m.start(), m.end()) for m in pattern.finditer(text))
    return spans


def scan_text(text: str, locate, environments: set[str], typed: Typed) -> None:
    """Account for the formulas of one text; `locate(line)` gives the Location of its line."""
    typed.checked += len(_CHECKED_CALLS.findall(text))
    text = _CHECKED_CALLS.sub(lambda m: _blank(m.group(0), 0, len(m.group(0))), text)
    text = _CODE.sub(lambda m: "\\vtxcode" + "\n" * m.group(0).count("\n"), text)
    text = "\n".join(_COMMENT.sub("", line) for line in text.split("\n"))
    given = _given_spans(text, environments)
    for match in _MATH.finditer(text):
        math = next(group for group in (match[1], match[2], match[3], match[4], match[7])
                    if group is not None)
        if text.startswith("\\vtxtag{", match.end()):    # printed by inline() in code
            typed.checked += 1
            continue
        if not states_something(math):
            continue
        if any(start <= match.start() < end for start, end in given):
            typed.given += 1
        else:
            typed.undeclared.append(Formula(locate(text.count("\n", 0, match.start()) + 1),
                                            match.group(0)))



def scan(rendered, texts) -> Typed:
    """The typed formulas of the template prose (`rendered`) and of text typed in code
    (`texts`: (Location, LaTeX) pairs)."""
    source = rendered.text
    environments = set(_DIRECTIVE.findall(source))
    prose = _CHUNK.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    typed = Typed()
    scan_text(prose, rendered.location, environments, typed)
    for where, text in texts:
        scan_text(text, lambda line, where=where: where, environments, typed)
    return typed
