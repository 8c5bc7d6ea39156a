"""The logistic function: a definition, claims about it, and a figure.

`claim(lhs, rhs, derived=...)` displays `lhs = rhs` and the build checks that `rhs` equals
`derived`, which is worked out here from the definition, never typed in as the answer.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from veritex.claims import claim, define
from veritex.figures import styled
from veritex.values import Defined

x = sp.Symbol("x", real=True)


class sigma(Defined):
    """The logistic function; printed as sigma, checked through its body."""

    latex_name = r"\sigma"

    @staticmethod
    def body(u):
        return 1 / (1 + sp.exp(-u))


def definition():
    return define(sigma(x), name="the logistic function")


def derivative():
    return claim(sp.Derivative(sigma(x), x), sigma(x) * (1 - sigma(x)),
                 derived=sp.diff(sigma.body(x), x), name="its derivative")


def symmetry():
    return claim(sigma(-x), 1 - sigma(x), derived=sigma.body(-x), name="its symmetry")


def at_zero():
    return claim(sigma(0), sp.Rational(1, 2), derived=sigma.body(0), name="its value at zero")


@styled
def figure():
    grid = np.linspace(-6, 6, 400)
    values = 1 / (1 + np.exp(-grid))
    fig = Figure(figsize=(5.5, 2.6))
    axes = fig.subplots()
    axes.plot(grid, values, label=r"$\sigma(x)$")
    axes.plot(grid, values * (1 - values), "--", label=r"$\sigma'(x)$")
    axes.set(xlabel="$x$")
    axes.legend(loc="upper left")
    return fig
