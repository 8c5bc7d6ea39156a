"""`montecarlo`: E[X] equals the stated value, within k standard errors of a seeded sample."""

from __future__ import annotations

import numpy as np
import sympy

from ..claims import Check
from ..config import Tolerances
from ..message import Message, number
from .method import Method, Outcome, register


def montecarlo(check: Check, tolerances: Tolerances) -> Outcome:
    """E[X] equals the stated value, X drawn by `derived(rng, size)` (a picklable callable
    returning one row per sample). The mean of S samples must be within k standard errors of
    options['expected'] (default: stated) in every component; S, k and the seed come from the
    tolerances, so the verdict is the same on every build.
    """
    rng = np.random.default_rng(tolerances.seed)
    samples = np.asarray(check.derived(rng, tolerances.mc_samples), dtype=float)
    samples = samples.reshape(tolerances.mc_samples, -1)
    expected = check.options.get("expected", check.stated)
    expected = np.asarray(sympy.N(sympy.Matrix([expected]) if not isinstance(
        expected, (np.ndarray, sympy.MatrixBase)) else expected), dtype=float).reshape(-1)
    mean = samples.mean(axis=0)
    error = samples.std(axis=0, ddof=1) / np.sqrt(tolerances.mc_samples)
    floor = tolerances.numeric_atol + tolerances.numeric_rtol * np.abs(expected)
    scores = np.abs(mean - expected) / np.maximum(error, floor)
    worst = int(np.argmax(scores))
    params = {"samples": tolerances.mc_samples, "k": tolerances.mc_k,
              "seed": tolerances.seed, "worst z": f"{scores[worst]:.2f}"}
    if scores[worst] > tolerances.mc_k:
        component = f" in component {worst + 1}" if scores.size > 1 else ""
        return Outcome(False, "montecarlo", Message(
            "the sample mean ", number(mean[worst], 6), f"{component} is "
            f"{scores[worst]:.1f} standard errors from the stated ", number(expected[worst], 6)),
            params)
    return Outcome(True, "montecarlo", f"within {tolerances.mc_k:g} standard errors", params)


@register
class MonteCarlo(Method):
    name = "montecarlo"
    samples = True

    def decide(self, check: Check, tolerances: Tolerances) -> Outcome:
        return montecarlo(check, tolerances)

    def symbolic(self, stated) -> bool:
        return False
