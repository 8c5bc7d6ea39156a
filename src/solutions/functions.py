"""Functions shared by several questions, as `Defined` functions: each prints by its name
(`latex_name`) and unfolds, when a check runs, to its `body`, which is also what its displayed
definition shows."""

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
    """sigma', the derivative of the logistic function: it unfolds to the derivative of
    sigma's own body, so a claim about it is a claim about sigma."""

    latex_name = r"\sigma'"

    @staticmethod
    def body(u):
        return sp.Subs(sp.Derivative(sigmoid(_t), _t), _t, u)

    def fdiff(self, argindex=1):
        u = self.args[0]
        return sigmoid_prime(u) * (1 - 2 * sigmoid(u))


# Constants as a textbook writes them. sympy prints 1/2 times a sum as a displayed fraction
# over the whole sum, and log 2 with parentheses; these names print as \tfrac12 and \log 2,
# and WRITTEN binds them (with where=) to the numbers the checks use.
from veritex.latex import Notation  # noqa: E402

HALF = Notation(r"\tfrac12")
LOG2 = Notation(r"\log 2")
WRITTEN = {HALF: sp.Rational(1, 2), LOG2: sp.log(2)}


def half_of(*terms):
    """\\tfrac12 (a + b ...), in the order given."""
    inner = terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)
    return sp.Mul(HALF, inner, evaluate=False)


def framed(*items, after: str = ""):
    """What show() prints for a framed result: the first step's sentence of justification
    before the frame (it leads to the result, it is not the result), then the steps in a
    `result` box, and `after`, a closing sentence, inside it. Derivations are unpacked."""
    from dataclasses import replace

    from veritex.claims import Derivation
    steps = [step for item in items
             for step in (item.steps if isinstance(item, Derivation) else (item,))]
    lead, steps[0] = steps[0].why, replace(steps[0], why="")
    keep = r"\Needspace{6\baselineskip}"   # the sentence and the box's start on one page
    return [part for part in (keep + lead if lead else "", r"\begin{result}", *steps, after,
                              r"\end{result}") if part]
