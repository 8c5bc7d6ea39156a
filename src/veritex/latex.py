"""The document's math printer: one sympy LatexPrinter subclass, used for every formula.

Notation comes from the objects themselves, so the engine knows no assignment:
- a Function subclass with a `latex_name` prints as that name (`\\sigma`, `\\sigma'`);
- a MatrixSymbol prints in bold, as vectors and matrices do in the document;
- `Notation` is a piece of notation (a name like `J^{*}`) that is shown, never computed with.
"""

from __future__ import annotations

import sympy
from sympy.printing.latex import LatexPrinter


class Notation(sympy.Symbol):
    """A symbol whose LaTeX is given verbatim, for names sympy cannot spell (`\\bar{v}`)."""

    def __new__(cls, tex: str, **assumptions):
        obj = super().__new__(cls, f"notation:{tex}", **assumptions)
        obj.tex = tex
        return obj

    def __getnewargs_ex__(self):
        return (self.tex,), {}


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
