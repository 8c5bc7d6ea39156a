"""A check's words about its verdict, as text and mathematics kept apart.

A `Message` is a sequence of parts: a `str` is prose; anything else is mathematics (a sympy
object, a number, an `Eq` for `symbol = value`). The same message prints two ways, as
sympy's printer does for one expression: `text()` for the terminal and claims.json, `tex()`
for the PDF (an erratum's "refuted by" line), where the mathematics goes through the
document's own printer. No check writes LaTeX or sympy's str form itself.
"""

from __future__ import annotations

import sympy

from .filters import escape_tex, printable
from .values import printed_digits, rounded


class Message(tuple):
    def __new__(cls, *parts):
        return super().__new__(cls, parts)

    def __add__(self, other):
        return Message(*self, *(other if isinstance(other, tuple) else (other,)))

    def __radd__(self, other):
        return Message(other, *self)

    def __str__(self) -> str:
        return self.text()

    def text(self) -> str:
        return "".join(part if isinstance(part, str) else _text(part) for part in self)

    def tex(self) -> str:
        from .latex import latex            # the printer, only when a PDF needs it
        return "".join(escape_tex(part) if isinstance(part, str) else f"${latex(part)}$"
                       for part in self)


def spoken(expr) -> str:
    """A short expression in words a reader sees both in the terminal and in the PDF's
    appendix: sympy's one-line Unicode form (η, ψ₀, ∞, √2⋅δ), or its plain form when that
    would take several lines or hold a character the PDF cannot print."""
    pretty = sympy.pretty(expr, use_unicode=True, wrap_line=False)
    return pretty if "\n" not in pretty and printable(pretty) else sympy.sstr(expr)


def number(value, digits: int = 3):
    """A float as a message shows it: `digits` significant digits (complex: both parts)."""
    value = complex(value)
    if value == 0:
        return sympy.Integer(0)
    if abs(value.imag) < 1e-12:
        return rounded(value.real, digits)
    return rounded(value.real, digits) + rounded(value.imag, digits) * sympy.I


def point(symbols, values) -> Message:
    """`a = 1.2, b = -0.3`: a sampled point, each coordinate exactly (the sampled points are
    short decimals, see `veritex.checks.sample_points`; three digits at least)."""
    parts = []
    for i, (symbol, value) in enumerate(zip(symbols, values)):
        parts += [", "] * bool(i) + [sympy.Eq(symbol, number(value, _exact_digits(value)),
                                              evaluate=False)]
    return Message(*parts)


def _exact_digits(value: float) -> int:
    """The fewest significant digits (3 to 14) that print `value` exactly."""
    value = float(value)
    return next((digits for digits in range(3, 15) if float(f"{value:.{digits}g}") == value),
                14)


def _text(part) -> str:
    if isinstance(part, sympy.Eq):
        return f"{_text(part.lhs)}={_text(part.rhs)}"
    if isinstance(part, sympy.MatrixBase):
        return sympy.sstr(part.tolist())
    if isinstance(part, sympy.Float) and printed_digits(part) is not None:
        return f"{float(part):.{printed_digits(part)}g}"
    if isinstance(part, sympy.Basic) and part.atoms(sympy.Float):
        return sympy.sstr(part.xreplace({f: sympy.Float(f"{float(f):.3g}")
                                         for f in part.atoms(sympy.Float)}))
    return sympy.sstr(part)
