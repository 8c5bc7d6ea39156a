"""Defined functions for the engine's tests (a document of its own would write its own)."""

from __future__ import annotations

import sympy as sp

from veritex.values import Defined

_t = sp.Dummy("t", real=True)


class sigmoid(Defined):
    """The logistic function, printed sigma."""

    latex_name = r"\sigma"

    @staticmethod
    def body(u):
        return 1 / (1 + sp.exp(-u))

    def fdiff(self, argindex=1):
        return sigmoid_prime(self.args[0])


class sigmoid_prime(Defined):
    """sigma', which unfolds to the derivative of sigma's own body."""

    latex_name = r"\sigma'"

    @staticmethod
    def body(u):
        return sp.Subs(sp.Derivative(sigmoid(_t), _t), _t, u)

    def fdiff(self, argindex=1):
        u = self.args[0]
        return sigmoid_prime(u) * (1 - 2 * sigmoid(u))
