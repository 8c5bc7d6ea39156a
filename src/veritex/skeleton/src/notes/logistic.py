"""The logistic function: a definition, claims about it, and a figure.

`claim(lhs, rhs, derived=...)` displays `lhs = rhs` and the build checks that `rhs` equals
`derived`, which is worked out here from the definition, never typed in as the answer.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from veritex.claims import claim, define, step
from veritex.figures import styled
from veritex.values import Defined

x = sp.Symbol("x", real=True)


class sigma(Defined):
    """The logistic function; printed as sigma, checked through its body."""

    latex_name = r"\sigma"

    @staticmethod
    def body(u):
        return 1 / (1 + sp.exp(-u))


# Each function makes one step; @step names it after the function and prints its docstring
# before the equation as the step's justification.
@step
def the_logistic_function():
    """The logistic function squashes the real line into the open interval between zero and
    one:"""
    return define(sigma(x))


@step
def its_derivative():
    """Its derivative, which every gradient of a logistic model uses, is"""
    return claim(sp.Derivative(sigma(x), x), sigma(x) * (1 - sigma(x)),
                 derived=sp.diff(sigma.body(x), x))


@step
def its_symmetry():
    """and it is symmetric about one half:"""
    return claim(sigma(-x), 1 - sigma(x), derived=sigma.body(-x))


@step
def its_value_at_zero():
    return claim(sigma(0), sp.Rational(1, 2), derived=sigma.body(0))


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
