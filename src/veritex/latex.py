"""The document's math printer: one sympy LatexPrinter subclass, used for every formula.

Notation comes from the objects themselves, so the engine knows no assignment:
- a Function subclass with a `latex_name` prints as that name (`\\sigma`, `\\sigma'`);
- a MatrixSymbol prints in bold, as vectors and matrices do in the document;
- `Notation` is a piece of notation (a name like `J^{*}`) that is shown, never computed with.
"""

from __future__ import annotations

import re

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from .values import printed_digits


class Notation(sympy.Symbol):
    """A symbol whose LaTeX is given verbatim, for names sympy cannot spell (`\\bar{v}`).

    Its plain name (for copy-paste and messages) is the TeX with macros reduced to words.
    """

    def __new__(cls, tex: str, **assumptions):
        obj = super().__new__(cls, _plain(tex), **assumptions)
        obj.tex = tex
        return obj

    def __getnewargs_ex__(self):
        return (self.tex,), {}


class Pairs(sympy.Tuple):
    """Eigenpairs `((value, (u1, u2, ...)), ...)`, shown one per line as `lambda = v: u = (...)`.
    The `eigenpairs` check decides these very pairs."""

    def __new__(cls, *pairs):
        if len(pairs) == 1 and isinstance(pairs[0], list):     # Pairs([(value, vector), ...])
            pairs = pairs[0]
        return super().__new__(cls, *(sympy.Tuple(value, sympy.Tuple(*vector))
                                      for value, vector in pairs))


# Macros that only style their argument, and symbols with a plain spelling.
_STYLES = {"boldsymbol", "mathbf", "mathcal", "mathrm", "mathbb", "mathit", "operatorname", "text",
           "textstyle", "displaystyle", "left", "right", "big", "Big", "bigl", "bigr", "Bigl",
           "Bigr", "bigg", "biggl", "biggr"}
_SYMBOLS = {"mid": "|", "cdot": "*", "times": "x", "le": "<=", "leq": "<=", "ge": ">=",
            "geq": ">=", "ne": "!=", "to": "->", "infty": "oo", "sim": "~", "approx": "~=",
            "odot": "⊙", "top": "T", "ldots": "...", "cdots": "...", "dots": "...",
            "in": "in", "lVert": "||", "rVert": "||", "vert": "|"}
_RELATIONS = {"mid", "le", "leq", "ge", "geq", "ne", "to", "sim", "approx", "in", "times", "odot"}
_INNERMOST = re.compile(r"(\\[a-zA-Z]+|[_^])?\{([^{}]*)\}")


def _group(text: str) -> str:
    """A sub- or superscript or a fraction's part: bare if it is one token, else in ()."""
    text = text.strip()
    return text if re.fullmatch(r"[\w\\*']+", text) else f"({text})"


def _unbrace(match: re.Match) -> str:
    head, body = match[1] or "", match[2]
    if head in ("_", "^"):
        body, head = _group(body), head
    elif head and head[1:] not in _STYLES:
        body, head = f"({body})", head
    else:
        head = ""
    # Keep words apart: \odot\boldsymbol{R} -> \odot R, \operatorname{Re}\lambda -> Re \lambda
    before, after = match.string[:match.start()], match.string[match.end():match.end() + 1]
    space_before = not head and re.search(r"\\[a-zA-Z]+$", before)
    return ((" " if space_before else "") + head + body
            + (" " if after == "\\" or after.isalpha() else ""))


def _word(match: re.Match) -> str:
    name = match[1]
    if name in _STYLES or name in _RELATIONS:
        return f" {_SYMBOLS.get(name, '')} "
    following = match.string[match.end():match.end() + 1]
    word = _SYMBOLS.get(name, name)
    return f"{word} " if following.isalnum() or following == "\\" else word


def _argument(text: str, at: int) -> tuple[str, int]:
    """The macro argument starting at `at` (a balanced {group} or one character), and its end."""
    while at < len(text) and text[at].isspace():
        at += 1
    if at >= len(text) or text[at] != "{":
        return text[at:at + 1], at + 1
    depth = 0
    for end in range(at, len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            return text[at + 1:end], end + 1
    return text[at + 1:], len(text)


def _fractions(text: str) -> str:
    """`\\frac{a}{b}` -> `a/b`, each part in () unless it is one token, innermost first."""
    while match := re.search(r"\\[dt]?frac(?![a-zA-Z])", text):
        numerator, at = _argument(text, match.end())
        denominator, end = _argument(text, at)
        before = text[:match.start()].rstrip()
        fraction = f"{_group(_plain(numerator))}/{_group(_plain(denominator))}"
        if before[-1:].isalnum():            # an argument: log(a/b), not log a/b
            fraction = f"({fraction})"
        text = f"{before} {fraction} {text[end:]}"
    return text


def _plain(tex: str) -> str:
    """`\\bar{\\boldsymbol{v}}(\\psi, \\theta)` -> `bar(v)(psi, theta)`: LaTeX math as one
    line of plain text, for copying out of the PDF (ActualText)."""
    text = tex.replace(r"\|", "||").replace(r"\#", "#").replace(r"\{", "(").replace(r"\}", ")")
    text = _fractions(re.sub(r"\\(?:[,;:! ]|q?quad(?![a-zA-Z]))|~", " ", text))
    count = 1
    while count:
        text, count = _INNERMOST.subn(_unbrace, text)
    text = re.sub(r"\\([a-zA-Z]+)\s*", _word, text)
    text = re.sub(r"\s+([)\]])", r"\1", re.sub(r"\s+", " ", text))
    return re.sub(r"(?<=[\w*'])\s+([(\[])", r"\1", text).strip()


def plain(expr) -> str:
    """One-line plain text of a sympy object (matrices as nested lists)."""
    if isinstance(expr, sympy.MatrixBase):
        return f"Matrix({sympy.sstr(expr.tolist())})"
    if isinstance(expr, (list, tuple)):
        return "[" + ", ".join(plain(item) for item in expr) + "]"
    if isinstance(expr, sympy.Basic) and expr.atoms(Notation):
        return sympy.sstr(expr, order="none")       # named quantities, in the order written
    return sympy.sstr(expr)


class VeritexPrinter(LatexPrinter):
    _default_settings = {
        **LatexPrinter._default_settings,
        "mat_delim": "(",
        "mat_str": "matrix",
        "imaginary_unit": "i",
    }

    def _print_Notation(self, expr) -> str:
        return expr.tex

    def _print_MatrixSymbol(self, expr) -> str:
        return r"\boldsymbol{%s}" % self._print(sympy.Symbol(expr.name))

    def _print_MatAdd(self, expr) -> str:
        return self._reading_order(expr)

    def _print_Add(self, expr, order=None) -> str:
        if expr.atoms(sympy.MatrixSymbol):      # a scalar formula of vectors: ||y - Xw||^2 + ...
            return self._reading_order(expr)
        if expr.atoms(Notation):                # named quantities: in the order written
            return super()._print_Add(expr, order or "none")   # (Add(..., evaluate=False))
        return super()._print_Add(expr, order)

    def _reading_order(self, expr) -> str:
        """Terms without a scalar factor first, subtracted ones last: y - p X w, X^T X + l G."""
        def split(term):
            if term.is_MatMul or term.is_Mul:
                scalars = [f for f in term.args if not getattr(f, "is_Matrix", False)
                           and not f.atoms(sympy.MatrixSymbol)]
            else:
                scalars = []
            coefficient = sympy.Mul(*scalars)
            negative = coefficient.could_extract_minus_sign()
            return negative, coefficient != 1, (-term if negative else term)
        tex = ""
        for i, (negative, _, term) in enumerate(sorted(map(split, expr.args),
                                                       key=lambda t: t[:2])):
            tex += ("-" if i == 0 else " - ") if negative else ("" if i == 0 else " + ")
            tex += self.parenthesize(term, PRECEDENCE["Add"], strict=False) if negative \
                else self._print(term)
        return tex

    # Road map: \begin{aligned} \lambda = <value>: &\quad \boldsymbol{u} = <column> \\ ...
    def _print_Pairs(self, expr) -> str:
        rows = [rf"\lambda = {self._print(value)}: &\quad \boldsymbol{{u}} = "
                rf"{self._print(sympy.Matrix(list(vector)))}" for value, vector in expr.args]
        return r"\begin{aligned}" + r" \\[2pt] ".join(rows) + r"\end{aligned}"

    def _print_Float(self, expr) -> str:
        """A number made by `values.rounded` shows exactly its significant digits (0.10,
        314, 1.23 \\cdot 10^{5}); any other float prints as sympy prints it."""
        digits = printed_digits(expr)
        if digits is None:
            return super()._print_Float(expr)
        mantissa, _, exponent = f"{float(expr):#.{digits}g}".partition("e")
        mantissa = mantissa.rstrip(".")
        return rf"{mantissa} \cdot 10^{{{int(exponent)}}}" if exponent else mantissa

    def _print_Identity(self, expr) -> str:
        return r"\boldsymbol{I}"

    def _print_Transpose(self, expr) -> str:
        return r"%s^{\top}" % self.parenthesize(expr.arg, PRECEDENCE["Pow"], strict=True)

    def _print_HadamardProduct(self, expr) -> str:
        return r" \odot ".join(self.parenthesize(arg, PRECEDENCE["Mul"], strict=True)
                                for arg in expr.args)

    def _print_Function(self, expr, exp=None) -> str:
        name = getattr(type(expr), "latex_name", None)
        if name is None:
            return super()._print_Function(expr, exp)
        args = ", ".join(self._print(arg) for arg in expr.args)
        head = f"{name}^{{{exp}}}" if exp else name
        return rf"{head}\left({args}\right)"


def latex(expr, **settings) -> str:
    """LaTeX for a sympy object in the document's notation."""
    return VeritexPrinter(settings).doprint(expr)
