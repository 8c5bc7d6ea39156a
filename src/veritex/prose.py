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
- given, of one of four kinds the template says: inside an environment the document declares
  given with a comment `% veritex: given environment <name>` (the task box: the problem's
  statement), or inside `\\given[kind]{...}` with kind
    statement   the problem's own words, quoted: it must appear, symbol for symbol, in the
                task box (so a number changed in the quote no longer matches);
    assumption  what the answer assumes (a flow of some form, a positive parameter);
    notation    a name for something (`\\boldsymbol{J}_f` for the Jacobian);
    definition  what a name means (`\\mu`, the mixture);
  an assumption, notation or definition states no number: a number in it is a value the
  code uses, so it is printed from the code (`<%= value %>`) or checked;
- restated: inside `\\restates{name}{...}`, a result the document checks, said again in
  running text: the formula must be, symbol for symbol, what the build printed for the claim
  of that name (so a number changed in the restatement no longer matches);
- undeclared: anything else, and a given that breaks these rules. The build stops, one
  located line each; a draft only warns.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import markup
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


KINDS = ("statement", "assumption", "notation", "definition")
_UNDECLARED = ("typed mathematics, neither checked nor declared given: {tex} (print it with "
               "<%= inline(...) %> or declare it: \\given[kind]{{...}})")


@dataclass(frozen=True)
class Formula:
    where: Location
    tex: str
    problem: str = _UNDECLARED         # what is wrong with it, {tex} standing for the formula

    def __str__(self) -> str:
        return f"{self.where}: " + self.problem.format(tex=_short(self.tex))


@dataclass
class Typed:
    """The typed formulas of a document, by how each is accounted for."""

    checked: int = 0
    given: Counter = field(default_factory=Counter)      # kind -> formulas
    undeclared: list[Formula] = field(default_factory=list)
    restated: list[tuple[Formula, str]] = field(default_factory=list)   # (formula, claim name)

    def warnings(self) -> list[str]:
        return [str(formula) for formula in self.undeclared]


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
    body = _without_notation(math)
    return bool(_RELATION.search(body) or _NUMBER.search(body))


def _without_notation(math: str) -> str:
    """The formula without values printed from code and sub- and superscript notation."""
    body = math.replace("\\codeunit", " ")
    while True:
        stripped = _NOTATION.sub(" ", body)
        if stripped == body:
            return body
        body = stripped


def _blank(text: str, start: int, end: int) -> str:
    """Text with [start, end) replaced by spaces, newlines kept (line numbers stay)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def _task_spans(text: str, environments: set[str]) -> list[tuple[int, int]]:
    spans = []
    for name in environments:
        pattern = re.compile(rf"\\begin\{{{re.escape(name)}\}}.*?\\end\{{{re.escape(name)}\}}",
                             re.DOTALL)
        spans.extend((m.start(), m.end()) for m in pattern.finditer(text))
    return spans


def _given_spans(text: str, environments: set[str]) -> list[tuple[int, int, str | None]]:
    """(start, end, kind) of every given part of a text: the task box's environments (kind
    "task": the problem's statement itself), and each \\given[kind]{...} (kind None when it
    names none)."""
    spans = [(start, end, "task") for start, end in _task_spans(text, environments)]
    for match in re.finditer(r"\\given(?:\[([^\]]*)\])?\{", text):
        spans.append((match.start(), markup.group_end(text, match.end() - 1), match[1]))
    return spans


# spacing and sizing that do not change what a formula says
_LAYOUT = re.compile(r"\\(?:[,;:! ]|quad|qquad|left|right|[bB]ig{1,2}[lr]?|displaystyle|"
                     r"textstyle)(?![a-zA-Z])|\s+")


def normalized(math: str) -> str:
    """A formula without its spacing and sizing: how a quote is matched with the task box."""
    return _LAYOUT.sub("", math)


_POWER = re.compile(r"\^\{?\d+\}?")


def _typed_number(math: str, kind: str = "") -> bool:
    """A digit outside sub- and superscript notation: a value, which code should print. In
    notation, a power is part of a name (the squares Gamma^2, the space R^3)."""
    body = _without_notation(math)
    return bool(_NUMBER.search(_POWER.sub(" ", body) if kind == "notation" else body))


QUOTE = 6       # characters: a shorter quote must be a whole formula of the task box


def _quotes(quote: str, task) -> bool:
    """Whether `quote` is a formula of the task box (`task`: their normalized texts), or, when
    it is long enough to mean something by itself, a part of one ("0" is in every text that
    has a number; "\\gamma>0" is a statement)."""
    return quote in task or (len(quote) >= QUOTE and any(quote in formula for formula in task))


def _given_problem(kind: str | None, math: str, task) -> str | None:
    """Why a formula declared given of this kind may not be, or None."""
    if kind is None:
        return ("a given formula says which kind it is, \\given[kind]{{...}} with kind "
                f"{', '.join(KINDS)}: {{tex}}")
    if kind not in KINDS:
        return f"unknown kind of given {kind!r} (known: {', '.join(KINDS)}): {{tex}}"
    if kind == "statement":
        if not _quotes(normalized(math), task):
            return ("a quoted statement of the problem that its task box does not hold, "
                    "symbol for symbol: {tex} (quote it exactly, or check it with inline(...))")
        return None
    if _typed_number(math, kind):
        return (f"a number typed in a given {kind}: {{tex}} (a value the answer uses is "
                "printed from the code that uses it, <%= value %>, or checked with "
                "<%= inline(claim(...)) %>; a result is never a given)")
    return None


def scan_text(text: str, locate, environments: set[str], typed: Typed,
              task: frozenset = frozenset()) -> None:
    """Account for the formulas of one text; `locate(line)` gives the Location of its line,
    `task` the normalized formulas of the document's task boxes (what a quote must match)."""
    typed.checked += len(_CHECKED_CALLS.findall(text))
    text = _CHECKED_CALLS.sub(lambda m: _blank(m.group(0), 0, len(m.group(0))), text)
    text = _CODE.sub(lambda m: "\\codeunit" + "\n" * m.group(0).count("\n"), text)
    text = "\n".join(_COMMENT.sub("", line) for line in text.split("\n"))
    given = _given_spans(text, environments)
    restates = [(m.start(), markup.group_end(text, m.end() - 1), m[1])
                for m in re.finditer(r"\\restates\{([^{}]*)\}\{", text)]
    for match in _MATH.finditer(text):
        math = next(group for group in (match[1], match[2], match[3], match[4], match[7])
                    if group is not None)
        if text.startswith(f"\\{markup.TAG}{{", match.end()):    # printed by inline() in code
            typed.checked += 1
            continue
        if not states_something(math):
            continue
        where = locate(text.count("\n", 0, match.start()) + 1)
        restating = [span for span in restates if span[0] <= match.start() < span[1]]
        if restating:
            typed.restated.append((Formula(where, match.group(0)), restating[-1][2]))
            continue
        inside = [span for span in given if span[0] <= match.start() < span[1]]
        if not inside:
            typed.undeclared.append(Formula(where, match.group(0)))
            continue
        if any(kind == "task" for _, _, kind in inside):      # the problem's statement
            typed.given["statement"] += 1
            continue
        kind = max(inside)[2]                                 # the innermost \given
        problem = _given_problem(kind, math, task)
        if problem is None:
            typed.given[kind] += 1
        else:
            typed.undeclared.append(Formula(where, match.group(0), problem))





def printed(woven: str) -> dict[str, str]:
    """tag -> the normalized LaTeX the build printed for it: a displayed statement's
    ActualText (its source), or the inline formula before its tag."""
    found = {tag: normalized(bytes.fromhex(text).decode("utf-16-be"))
             for text, tag in markup.DISPLAYED.findall(woven)}
    found.update((tag, normalized(text)) for text, tag in markup.INLINE.findall(woven))
    return found


def unrestated(typed: Typed, records, woven: str) -> list[Formula]:
    """The restatements that do not say what the claim they name says (or name none)."""
    shown = printed(woven)
    by_name: dict[str, list[str]] = {}
    for record in records:
        if record.kind.word == "claim":
            by_name.setdefault(record.name, []).append(shown.get(record.tag, ""))
    wrong = []
    for formula, name in typed.restated:
        said = normalized(formula.tex.strip("$"))
        if name not in by_name:
            problem = f"\\restates{{{name}}}: no checked claim has that name: "
        elif said not in by_name[name]:
            problem = (f"does not restate the claim {name!r} symbol for symbol (the build "
                       f"printed ${by_name[name][0]}$): ")
        else:
            continue
        wrong.append(Formula(formula.where, formula.tex, _braces(problem) + "{tex}"))
    return wrong


def _braces(text: str) -> str:
    """Text kept as it is by str.format."""
    return text.replace("{", "{{").replace("}", "}}")


def task_formulas(text: str, environments: set[str]) -> frozenset:
    """The normalized formulas inside the task boxes of a text."""
    found = set()
    for start, end in _task_spans(text, environments):
        for match in _MATH.finditer(text, start, end):
            found.add(normalized(next(group for group in (match[1], match[2], match[3],
                                                          match[4], match[7])
                                      if group is not None)))
    return frozenset(found)


def scan(rendered, texts) -> Typed:
    """The typed formulas of the template prose (`rendered`) and of text typed in code
    (`texts`: (Location, LaTeX) pairs)."""
    source = rendered.text
    environments = set(_DIRECTIVE.findall(source))
    prose = _CHUNK.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    task = task_formulas(prose, environments)
    typed = Typed()
    scan_text(prose, rendered.location, environments, typed, task)
    for where, text in texts:
        scan_text(text, lambda line, where=where: where, environments, typed, task)
    return typed
