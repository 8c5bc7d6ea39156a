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


_SILENT_MACROS = re.compile(r"\\(?:boldsymbol|mathcal|mathrm|operatorname|left|right|"
                            r"[bB]ig[lr]?|quad|[;,!])(?![a-zA-Z])")


def _plain(tex: str) -> str:
    """`\\bar{\\boldsymbol{v}}(\\psi, \\theta)` -> `bar v(psi, theta)`."""
    text = re.sub(r"\\t?frac\{([^{}]*)\}\{([^{}]*)\}", r"\1/\2", tex)
    text = _SILENT_MACROS.sub(" ", text).replace("}\\", "} \\")
    text = re.sub(r"\\([a-zA-Z]+)(?![a-zA-Z])\s*(?=[a-zA-Z{\\])", r"\1 ", text)
    text = re.sub(r"\\([a-zA-Z]+)", r"\1", text).replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", text).replace(" (", "(").strip()


def plain(expr) -> str:
    """One-line plain text of a sympy object (matrices as nested lists)."""
    if isinstance(expr, sympy.MatrixBase):
        return f"Matrix({sympy.sstr(expr.tolist())})"
    if isinstance(expr, (list, tuple)):
        return "[" + ", ".join(plain(item) for item in expr) + "]"
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
