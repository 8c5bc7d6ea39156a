"""Functions shared by several questions, as sympy objects that know their notation
(`latex_name`) and their closed form (`definition`, which the checks unfold)."""

from __future__ import annotations

import sympy as sp


class sigmoid(sp.Function):
    """The logistic function, printed sigma."""

    latex_name = r"\sigma"

    def fdiff(self, argindex=1):
        return sigmoid_prime(self.args[0])

    def definition(self):
        return 1 / (1 + sp.exp(-self.args[0]))


class sigmoid_prime(sp.Function):
    """The logistic function's derivative, printed sigma'."""

    latex_name = r"\sigma'"

    def fdiff(self, argindex=1):
        u = self.args[0]
        return sigmoid_prime(u) * (1 - 2 * sigmoid(u))

    def definition(self):
        u = self.args[0]
        return sigmoid(u) * (1 - sigmoid(u))
