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

from . import markup
from .values import printed_digits


class Notation(sympy.Symbol):
    """A symbol whose LaTeX is given verbatim, for names sympy cannot spell (`\\bar{v}`).

    Its plain name (for copy-paste and messages) is the TeX with macros reduced to words.
    """

    def __new__(cls, tex: str, **assumptions):
        obj = super().__new__(cls, _plain(tex), **assumptions)
        obj.tex = tex
        return obj

    def __getnewargs_ex__(self):                  # a check process gets it whole
        return (self.tex,), self.assumptions0


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
    end = markup.group_end(text, at)
    closed = text[at:end].count("{") == text[at:end].count("}")
    return text[at + 1:end - 1 if closed else end], end


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


class _ReadingOrder(LatexPrinter):
    """The order of terms and factors as a reader expects them: sums as factors last, named
    quantities in the order written, terms of vectors without a scalar factor first."""

    def _print_Mul(self, expr) -> str:
        """Sums as factors go last: sigma(u) (1 - sigma(u)), not (1 - sigma(u)) sigma(u); a
        product of named quantities keeps the order it was written in (Mul(..., evaluate=False))."""
        if expr.atoms(Notation):                # named quantities: in the order written
            return self._in_order(expr)
        factors = list(expr.as_ordered_factors())
        moved = ([f for f in factors if not f.is_Add] + [f for f in factors if f.is_Add])
        if moved == factors or expr.is_commutative is False:
            return super()._print_Mul(expr)
        return self._in_order(sympy.Mul(*moved, evaluate=False))

    def _in_order(self, expr) -> str:
        order = self._settings["order"]
        self._settings["order"] = "none"
        try:
            return super()._print_Mul(expr)
        finally:
            self._settings["order"] = order

    def _print_MatAdd(self, expr) -> str:
        return self._reading_order(expr)

    def _print_Add(self, expr, order=None) -> str:
        if expr.atoms(sympy.MatrixSymbol):      # a scalar formula of vectors: ||y - Xw||^2 + ...
            return self._reading_order(expr)
        if expr.atoms(Notation):                # named quantities: in the order written
            return super()._print_Add(expr, order or "none")   # (Add(..., evaluate=False))
        return super()._print_Add(expr, order)

    def _as_ordered_terms(self, expr, order=None):
        terms = super()._as_ordered_terms(expr, order)
        if (order or self.order) is None and isinstance(expr, sympy.Add):
            return _natural_order(terms)
        return terms

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



class _Numbers(_ReadingOrder):
    """Numbers as a reader writes them: a rounded number to its digits, powers of ten in
    scientific form."""

    def _print_Rational(self, expr) -> str:
        """A power of ten below 1/1000 in scientific form: 10^{-12}, not 1/1000000000000."""
        scientific = _power_of_ten(expr.q)
        if scientific >= 4 and abs(expr.p) < 10:
            mantissa = "" if expr.p == 1 else ("-" if expr.p == -1 else rf"{expr.p} \cdot ")
            return rf"{mantissa}10^{{-{scientific}}}"
        return super()._print_Rational(expr)

    def _print_Integer(self, expr) -> str:
        """A round number of ten million or more in scientific form: 4 \\cdot 10^{7}."""
        number = int(expr)
        zeros = len(str(abs(number))) - len(str(abs(number)).rstrip("0"))
        if abs(number) >= 10**7 and zeros >= 4 and len(str(abs(number)).rstrip("0")) == 1:
            digit = str(number).rstrip("0")
            return (rf"10^{{{zeros}}}" if digit == "1" else rf"{digit} \cdot 10^{{{zeros}}}")
        return super()._print_Rational(expr)

    # Road map: \begin{aligned} \lambda = <value>: &\quad \boldsymbol{u} = <column> \\ ...

    def _print_Float(self, expr) -> str:
        """A number made by `values.rounded` shows exactly its significant digits (0.10,
        314, 1.23 \\cdot 10^{5}); any other float prints as sympy prints it, but a mantissa of
        one: 10^{-12}, not 1.0 \\cdot 10^{-12}."""
        digits = printed_digits(expr)
        if digits is None:
            printed = super()._print_Float(expr)
            return printed[len(r"1.0 \cdot "):] if printed.startswith(r"1.0 \cdot 10^") \
                else printed
        mantissa, _, exponent = f"{float(expr):#.{digits}g}".partition("e")
        mantissa = mantissa.rstrip(".")
        return rf"{mantissa} \cdot 10^{{{int(exponent)}}}" if exponent else mantissa


class VeritexPrinter(_Numbers):
    """The document's notation: Notation as declared, matrix symbols bold (accents over
    them), eigenpairs as an aligned list, integrals with limits beside the sign."""

    _default_settings = {
        **LatexPrinter._default_settings,
        "mat_delim": "(",
        "mat_str": "matrix",
        "imaginary_unit": "i",
    }

    def _print_Notation(self, expr) -> str:
        return expr.tex

    def _print_Symbol(self, expr, style="plain") -> str:
        """`w_hat` as \\hat{w}: an accent written as the name's last part."""
        base, accent = _accented(expr.name)
        if accent:
            return rf"\{accent}{{{super()._print_Symbol(sympy.Symbol(base), style)}}}"
        return super()._print_Symbol(expr, style)

    def _print_MatrixSymbol(self, expr) -> str:
        """Bold, its accent over the bold letter (`W_hat`)."""
        base, accent = _accented(expr.name)
        bold = r"\boldsymbol{%s}" % self._print(sympy.Symbol(base))
        return rf"\{accent}{{{bold}}}" if accent else bold

    def _print_DiagMatrix(self, expr) -> str:
        return rf"\operatorname{{diag}}\left({self._print(expr.args[0])}\right)"

    def _print_Pairs(self, expr) -> str:
        rows = [rf"\lambda = {self._print(value)}: &\quad \boldsymbol{{u}} = "
                rf"{self._print(sympy.Matrix(list(vector)))}" for value, vector in expr.args]
        return r"\begin{aligned}" + r" \\[2pt] ".join(rows) + r"\end{aligned}"

    def _print_Integral(self, expr) -> str:
        """Limits beside the sign, as in print: \\int_{a}^{b}, not \\int\\limits_{a}^{b}."""
        return super()._print_Integral(expr).replace(r"\int\limits", r"\int")

    def _print_log(self, expr, exp=None) -> str:
        return _unstretched(super()._print_log(expr, exp))

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
            return _unstretched(super()._print_Function(expr, exp))
        args = ", ".join(self._print(arg) for arg in expr.args)
        head = f"{name}^{{{exp}}}" if exp else name
        if _TALL.search(args):                          # tall: brackets that grow
            return rf"{head}\left({args}\right)"
        return rf"{head}({args})"                      # sigma(c), without \left's spacing


_TALL = re.compile(r"\\(frac|begin|sum|int|left|prod)")
_STRETCHED = re.compile(r"(\\[a-z]+(?:\^\{[^{}]*\})?)\{\\left\((.*) \\right\)\}", re.DOTALL)


def _unstretched(tex: str) -> str:
    """`\\log{\\left(2 \\right)}` -> `\\log(2)`: brackets that grow (and the space \\left adds
    after an operator name) only around a tall argument."""
    plain = _STRETCHED.fullmatch(tex)
    if plain and not _TALL.search(plain[2]):
        return f"{plain[1]}({plain[2]})"
    return tex


def _natural_order(terms: list) -> list:
    """Terms as a person writes them: a polynomial in descending powers of its main variable
    (the one raised highest: lambda^2 + gamma lambda + 1/4, not gamma lambda + lambda^2 + 1/4),
    terms that all apply functions simpler first (sigma(c) + psi0 theta sigma'(c)), and a
    positive term first ((m - b)^2, 1 - theta^2, not (-b + m)^2, -theta^2 + 1) unless it is
    the more complex one (-gamma/2 + sqrt(gamma^2 - 1)/2, as in the quadratic formula)."""
    main = _main_variable(terms)
    if main is not None:
        terms = sorted(terms, key=lambda term: -sympy.degree(term, main))
    elif all(term.atoms(sympy.Function) for term in terms):    # terms of functions: simpler
        terms = sorted(terms, key=sympy.count_ops)              # first, sigma + theta sigma'

    if terms[0].could_extract_minus_sign():
        positive = next((i for i, t in enumerate(terms) if not t.could_extract_minus_sign()),
                        None)
        # ...unless it is the more complex one: -gamma/2 + sqrt(gamma^2 - 1)/2 stays
        if positive is not None and \
                sympy.count_ops(terms[positive]) <= sympy.count_ops(-terms[0]):
            terms = [terms[positive], *terms[:positive], *terms[positive + 1:]]
    return terms


def _main_variable(terms: list):
    """The symbol with the highest power among the terms, if every term is a polynomial in
    it, that power is at least 2 and no other symbol reaches it; else None."""
    best, tie = None, False
    for symbol in set().union(*(term.free_symbols for term in terms)):
        if not all(term.is_polynomial(symbol) for term in terms):
            continue
        power = max(sympy.degree(term, symbol) for term in terms)
        if power >= 2 and (best is None or power > best[1]):
            best, tie = (symbol, power), False
        elif best is not None and power == best[1]:
            tie = True
    return None if best is None or tie else best[0]


_ACCENTS = ("hat", "bar", "tilde", "dot", "ddot", "vec", "check", "breve")


def _accented(name: str) -> tuple[str, str]:
    """(`w`, `hat`) for `w_hat`; (name, "") for a name without an accent part."""
    base, _, last = name.rpartition("_")
    return (base, last) if base and last in _ACCENTS else (name, "")


def _power_of_ten(number: int) -> int:
    """k if number is 10**k, else 0."""
    text = str(number)
    return len(text) - 1 if number > 1 and text == "1" + "0" * (len(text) - 1) else 0


def latex(expr, **settings) -> str:
    """LaTeX for a sympy object in the document's notation."""
    return VeritexPrinter(settings).doprint(expr)
