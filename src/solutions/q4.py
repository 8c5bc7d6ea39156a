"""Question 4: the optimal discriminator, the Jensen-Shannon divergence it measures, and the
density ratio it encodes.

The algebra is pointwise in x (f0 = f0(x), f1 = f1(x) are positive numbers); the integrals are
checked on two concrete densities by numerical quadrature, and against a discriminator that
is actually fitted on samples.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp
from matplotlib.figure import Figure
from scipy import integrate, stats

from veritex.claims import Erratum, claim, derivation, given, inequality
from veritex.figures import styled
from veritex.latex import Notation
from veritex.runtime import inline
from .functions import LOG2, WRITTEN, half_of

f0, f1 = sp.symbols("f_0 f_1", positive=True)       # the two densities at one point x
y = sp.Symbol("y", positive=True)                   # the value D(x), in (0, 1)
D_ = Notation(r"D^*(\boldsymbol{x})")
mu_ = Notation(r"\mu")


def pointwise_objective(value):
    """The integrand of E_{p1} log D + E_{p0} log(1 - D) at one x, with D(x) = value."""
    return f1 * sp.log(value) + f0 * sp.log(1 - value)


def stated_optimum():
    return f1 / (f0 + f1)


def mixture():
    return (f0 + f1) / 2


def jsd_integrand():
    """(1/2)[f0 log(f0/m) + f1 log(f1/m)], m = (f0 + f1)/2: the JSD's integrand."""
    m = mixture()
    return (f0 * sp.log(f0 / m) + f1 * sp.log(f1 / m)) / 2


def stated_jsd_integrand(optimum):
    """The same integrand through D*: (1/2)[f0 log 2(1 - D*) + f1 log 2 D*]."""
    return (f0 * (sp.log(2) + sp.log(1 - optimum)) + f1 * (sp.log(2) + sp.log(optimum))) / 2


def stated_density(optimum):
    """f1 = f0 D* / (1 - D*)."""
    return sp.Mul(f0, optimum, evaluate=False) / (1 - optimum)


def _expand(expr):
    return sp.expand(sp.expand_log(expr, force=True))


# ---- two concrete densities ---------------------------------------------------------------

P0 = stats.norm(0.0, 1.0)           # the generator's distribution, f0
P1 = stats.norm(1.5, 0.7)           # the data, f1
QUADRATURE = {"epsabs": 1e-13, "epsrel": 1e-12, "limit": 200}


class law(sp.Function):
    """The normal distribution N(mean, std^2), as the document writes it; its parameters are
    kept exact (1.5 is 3/2), so that a typed law and a computed one compare."""

    def __new__(cls, mean, std):
        return super().__new__(cls, sp.nsimplify(mean), sp.nsimplify(std))

    def _latex(self, printer):
        mean, std = (f"{float(arg):g}" for arg in self.args)
        return rf"\mathcal{{N}}\left({mean}, {std}^{{2}}\right)"


def law_of(distribution) -> sp.Basic:
    """The law of a scipy normal distribution, from its own mean and standard deviation."""
    return law(sp.Float(distribution.mean()), sp.Float(distribution.std()))


def optimal(x):
    return P1.pdf(x) / (P0.pdf(x) + P1.pdf(x))


def jsd_direct() -> float:
    """JSD from its definition, by quadrature: (KL(p0||m) + KL(p1||m)) / 2."""
    def integrand(x):
        a, b = P0.pdf(x), P1.pdf(x)
        m = (a + b) / 2
        return 0.5 * (a * np.log(a / m) + b * np.log(b / m))
    return integrate.quad(integrand, -12, 12, **QUADRATURE)[0]


def discriminator_expectations(discriminator=optimal) -> tuple[float, float]:
    """(E_{p1} log D, E_{p0} log(1 - D)), by quadrature."""
    first = integrate.quad(lambda x: P1.pdf(x) * np.log(discriminator(x)), -12, 12,
                           **QUADRATURE)[0]
    second = integrate.quad(lambda x: P0.pdf(x) * np.log1p(-discriminator(x)), -12, 12,
                            **QUADRATURE)[0]
    return first, second


SAMPLES, FIT_SEED = 20_000, 11


def _features(x):
    return np.stack([np.ones_like(x), x, x**2], axis=-1)


@lru_cache(maxsize=1)
def fitted_weights() -> tuple:
    """Logistic regression on (1, x, x^2), by Newton's method: data (p1) labelled 1,
    generator samples (p0) labelled 0. Two Gaussians have a quadratic log-ratio, so this
    family contains D*."""
    rng = np.random.default_rng(FIT_SEED)
    x = np.concatenate([P1.rvs(SAMPLES, random_state=rng), P0.rvs(SAMPLES, random_state=rng)])
    labels = np.concatenate([np.ones(SAMPLES), np.zeros(SAMPLES)])
    phi, w = _features(x), np.zeros(3)
    for _ in range(50):
        prob = 1 / (1 + np.exp(-phi @ w))
        step = np.linalg.solve(phi.T @ (phi * (prob * (1 - prob))[:, None]),
                               phi.T @ (labels - prob))
        w += step
        if np.abs(step).max() < 1e-12:
            break
    return tuple(w)


def fitted(x):
    return 1 / (1 + np.exp(-_features(np.asarray(x, float)) @ np.array(fitted_weights())))


def jsd_from_samples() -> float:
    """The estimator a practitioner would use: the fitted discriminator on fresh samples."""
    rng = np.random.default_rng(FIT_SEED + 1)
    real, fake = P1.rvs(SAMPLES, random_state=rng), P0.rvs(SAMPLES, random_state=rng)
    return float(np.log(2) + (np.mean(np.log(fitted(real)))
                              + np.mean(np.log1p(-fitted(fake)))) / 2)


GRID = np.linspace(-3.5, 4.0, 301)


def recovery_error() -> float:
    """max_x |f0 D/(1 - D) - f1| with the fitted D, on the plotted range."""
    d = fitted(GRID)
    return float(np.max(np.abs(P0.pdf(GRID) * d / (1 - d) - P1.pdf(GRID))))


# ---- derivations ---------------------------------------------------------------------------

def optimum_derivation():
    objective = pointwise_objective(y)
    return derivation(
        given(Notation(r"V(D)"), Notation(r"\int f_1(\boldsymbol{x})\log D(\boldsymbol{x}) "
                                          r"+ f_0(\boldsymbol{x})\log\bigl(1 - D(\boldsymbol{x})"
                                          r"\bigr)\,d\boldsymbol{x}"),
              name="the discriminator's objective", reason="the problem's objective",
              kind="statement"),
        claim(Notation(r"\frac{\partial}{\partial y}\bigl(f_1\log y + f_0\log(1-y)\bigr)"),
              f1 / y - f0 / (1 - y), derived=sp.diff(objective, y),
              name="first-order condition",
              why=r"The integral is largest when its integrand is largest at every "
                  r"$\boldsymbol{x}$ separately, so fix $\boldsymbol{x}$ and write "
                  r"\given[definition]{$y = D(\boldsymbol{x})$}, a probability strictly "
                  r"between 0 and 1, and \given[notation]{$f_i = f_i(\boldsymbol{x})$}, both "
                  r"positive at this point. The derivative of the integrand in $y$ is"),
        claim(sp.Derivative(pointwise_objective(y), (y, 2)), -f1 / y**2 - f0 / (1 - y)**2,
              derived=sp.Derivative(pointwise_objective(y), (y, 2)),
              name="the second derivative",
              why=r"It vanishes at a single point, and the second derivative,"),
        claim(D_, stated_optimum(), derived=objective, method="argmax", variable=y,
              name="the optimal discriminator",
              why=r"is negative: the integrand is strictly concave, and its maximiser is"),
    )


first_ = Notation(r"\mathbb{E}_{p_1}\log D^*(\boldsymbol{x})")
second_ = Notation(r"\mathbb{E}_{p_0}\log\bigl(1 - D^*(\boldsymbol{x})\bigr)")
estimate_error_ = Notation(r"\bigl|\widehat{\mathrm{JSD}} - \mathrm{JSD}\bigr|")
recovery_error_ = Notation(r"\max_{\boldsymbol{x}}\Bigl|f_0\frac{\hat D}{1 - \hat D} - "
                           r"f_1\Bigr|")


def jsd_derivation():
    return derivation(
        claim(Notation(r"\tfrac12\Bigl(f_0\log\frac{f_0}{\mu} + f_1\log\frac{f_1}{\mu}\Bigr)"),
              half_of(sp.Mul(f0, sp.Add(LOG2, sp.log(1 - D_), evaluate=False),
                             evaluate=False),
                      sp.Mul(f1, sp.Add(LOG2, sp.log(D_), evaluate=False), evaluate=False)),
              where={D_: stated_optimum(), **WRITTEN},
              derived=_expand(jsd_integrand()), name="the JSD integrand through D*",
              why=r"With the mixture "
                  + inline(claim(mu_, sp.Mul(sp.Rational(1, 2), f0 + f1, evaluate=False),
                                 where={mu_: mixture()}, derived=mixture(),
                                 name="the mixture"))
                  + r", the optimum gives "
                  + inline(claim(f1 / mu_, 2 * D_, where={D_: stated_optimum(), mu_: mixture()},
                                 derived=f1 / mixture(), name="f₁ over the mixture"))
                  + " and "
                  + inline(claim(f0 / mu_, 2 * (1 - D_),
                                 where={D_: stated_optimum(), mu_: mixture()},
                                 derived=f0 / mixture(), name="f₀ over the mixture"))
                  + r", so the integrand of the "
                  r"divergence becomes"),
        claim(Notation(r"\mathrm{JSD}(p_0, p_1)"),
              sp.Add(LOG2, half_of(first_, second_), evaluate=False),
              where={**dict(zip((first_, second_), discriminator_expectations())), **WRITTEN},
              derived=sp.Float(jsd_direct(), 16), name="JSD through the discriminator",
              why=r"Integrating, the two constant terms add up to "
                  + inline(claim(Notation(r"\int\tfrac12\bigl(f_0 + f_1\bigr)\log 2\,"
                                          r"d\boldsymbol{x}"),
                                 LOG2, where=WRITTEN,
                                 derived=sp.Float(constant_terms(), 16),
                                 name="the constant terms"))
                  + r", since each density integrates to one:"),
    )


def constant_terms() -> float:
    """The integral of (f0 + f1) log 2 / 2, the terms of the JSD integrand through D* that do
    not involve D*, by quadrature on the two Gaussians."""
    return integrate.quad(lambda x: (P0.pdf(x) + P1.pdf(x)) * np.log(2) / 2, -12, 12,
                          **QUADRATURE)[0]


def objective_at_optimum():
    """V(D*) = 2 JSD - log 4, both sides by quadrature on the two Gaussians."""
    jsd_ = Notation(r"\mathrm{JSD}(p_0, p_1)")
    return claim(Notation(r"V(D^*)"), sp.Add(2 * jsd_, -sp.log(4), evaluate=False),
                 where={jsd_: jsd_direct()},
                 derived=sp.Float(sum(discriminator_expectations()), 16),
                 name="the objective at its optimum")


def optimum_from_objective():
    """The stationary point of the pointwise objective in y, solved for by sympy."""
    (point,) = sp.solve(sp.diff(pointwise_objective(y), y), y)
    return point


def complement_of_optimum():
    """1 - D* = f0 / (f0 + f1): what 4.2 divides by, zero where only f1 is positive."""
    return claim(1 - D_, f0 / (f0 + f1), where={D_: stated_optimum()},
                 derived=1 - optimum_from_objective(), name="the complement of D*")


def density_ratio():
    """f1/f0 = D*/(1 - D*)."""
    return claim(f1 / f0, D_ / (1 - D_), where={D_: stated_optimum()}, derived=f1 / f0,
                 name="the density ratio")


def jsd_with(discriminator) -> float:
    """log 2 + (E_p1 log D + E_p0 log(1 - D)) / 2 for a given D, by quadrature: the formula
    of 4.1 with D in place of D* (the population value, no sampling)."""
    def integrand(x):
        d = discriminator(x)
        return 0.5 * (P1.pdf(x) * np.log(d) + P0.pdf(x) * np.log1p(-d))
    return float(np.log(2) + integrate.quad(integrand, -12, 12, **QUADRATURE)[0])


lower_ = Notation(r"\log 2 + \tfrac12\bigl(\mathbb{E}_{p_1}\log\hat D + \mathbb{E}_{p_0}"
                  r"\log(1 - \hat D)\bigr)")
jsd_ = Notation(r"\mathrm{JSD}(p_0, p_1)")


def jsd_numbers():
    direct = jsd_direct()
    estimate = jsd_from_samples()
    return direct, estimate, derivation(
        inequality(estimate_error_, r"\le", sp.Float(0.001),
                   where={estimate_error_: abs(estimate - direct)},
                   name="JSD from a fitted discriminator",
                   why=r"On fresh samples, the estimate from the fitted discriminator is close "
                       r"to the exact divergence:"),
        inequality(lower_, r"<", jsd_, where={lower_: jsd_with(fitted), jsd_: direct},
                   name="a fitted discriminator: a lower bound",
                   why=r"Apart from sampling error, an imperfect discriminator biases the "
                       r"estimate downwards: any discriminator other than $D^*$ scores less on "
                       r"the objective, so "
                       r"the same formula with a trained but imperfect $\hat D$ in place of "
                       r"$D^*$ (expectations taken exactly) is a lower bound "
                       r"on the divergence:"),
    )


def density_derivation():
    return derivation(
        claim(Notation(r"f_1(\boldsymbol{x})"), stated_density(D_),
              where={D_: stated_optimum()}, derived=f1,
              name="density from the discriminator",
              why=r"Since $f_0$ and $f_1$ are both positive on the common support, $D^*$ "
                  r"lies strictly between 0 and 1 and "
                  + inline(claim(D_ / (1 - D_), f1 / f0, derived=stated_optimum()
                                 / (1 - stated_optimum()), where={D_: stated_optimum()},
                                 name="the odds of D*")) + ", hence"),
        inequality(recovery_error_, r"\le", sp.Float(0.02),
                   where={recovery_error_: recovery_error()},
                   name="density from the fitted discriminator",
                   why=r"With the fitted $\hat D$ in place of $D^*$, on the range of "
                       r"Figure~\ref{fig:q4-density}, the recovered density is close to "
                       r"the true one:"),
    )


@styled
def density_figure():
    fig = Figure(figsize=(6.4, 2.9))
    left, right = fig.subplots(1, 2)
    d_fit = fitted(GRID)
    left.plot(GRID, P0.pdf(GRID), label=r"$f_0$ (generator)")
    left.plot(GRID, P1.pdf(GRID), label=r"$f_1$ (data)")
    left.plot(GRID, P0.pdf(GRID) * d_fit / (1 - d_fit), "k--", linewidth=1.2,
              label=r"$f_0\hat D/(1-\hat D)$")
    left.set(xlabel=r"$x$", ylabel="density", title="densities")
    left.legend(loc="upper left", fontsize=7.5)
    right.plot(GRID, optimal(GRID), label=r"$D^* = f_1/(f_0+f_1)$")
    right.plot(GRID, d_fit, "k--", linewidth=1.2, label=r"$\hat D$, fitted on samples")
    right.set(xlabel=r"$x$", ylabel=r"$D(x)$", title="discriminators", ylim=(-0.02, 1.02))
    right.legend(loc="upper left", fontsize=7.5)
    fig.tight_layout()
    return fig


# ---- errata of the reference solution ------------------------------------------------------

loss_ = Notation(r"\mathcal{L}_D(D^*)")
jsd_ = Notation(r"\mathrm{JSD}(p_0, p_1)")


def discriminator_loss(discriminator=optimal) -> float:
    """The loss a discriminator is trained to minimise, the binary cross-entropy:
    -(E_{p1} log D + E_{p0} log(1 - D)), by quadrature."""
    return -sum(discriminator_expectations(discriminator))


def largest_divergence():
    """The supremum of the JSD integrand over the mixture density, over the share
    r = f0 / (f0 + f1) in (0, 1): the JSD, the integral of the mixture times that ratio, is
    at most this, and comes as close as one likes when the supports separate."""
    share = sp.Symbol("r", positive=True)
    at = {f0: share, f1: 1 - share}
    ratio = jsd_integrand().subs(at) / mixture().subs(at)
    return sp.calculus.util.maximum(ratio, share, sp.Interval.open(0, 1))


def errata():
    loss = {loss_: discriminator_loss()}
    return [
        Erratum(
            r"Question 4.1, the integrand of the second term",
            r"To apply the functional derivative, the reference calls the integrand of the "
            r"second term, \given[statement]{$\mathbb{E}_{p_0}\log(1 - D(\boldsymbol{x}))$}, "
            r"$g_0(y, \boldsymbol{x})$, but writes it with $\log y$, as if the term were "
            r"$\mathbb{E}_{p_0}\log D$: the complement of $y$ is dropped (below). Its next line "
            r"differentiates the right function, so the optimum survives. It also never checks "
            r"that the stationary point is a maximum (the second-order condition of 4.1 above "
            r"does).",
            claim(Notation(r"g_0(y, \boldsymbol{x})"), f0 * sp.log(y),
                  derived=pointwise_objective(y) - f1 * sp.log(y), domain={y: (0.01, 0.99)},
                  name="g₀ (reference)"),
            claim(Notation(r"g_0(y, \boldsymbol{x})"), f0 * sp.log(1 - y),
                  derived=pointwise_objective(y) - f1 * sp.log(y), name="g₀"),
        ),
        Erratum(
            r"Question 4.1, the discriminator's loss",
            r"After the (correct) identity with the log-likelihood, the reference says the "
            r"log-likelihood is the discriminator's loss. The loss a discriminator is trained "
            r"to minimise is the binary cross-entropy, minus the log-likelihood; at the "
            r"optimum "
            + inline(claim(loss_, sp.Add(-first_, -second_, evaluate=False),
                           where={loss_: discriminator_loss(),
                                  **dict(zip((first_, second_), discriminator_expectations()))},
                           derived=-sp.Float(sum(discriminator_expectations()), 16),
                           name="the loss at the optimum"))
            + r". Plugging the loss in as written flips the sign of the second term, and since "
            r"the loss is positive the estimate would exceed the largest value the divergence "
            r"can take, "
            + inline(claim(Notation(r"\sup_{p_0, p_1}\mathrm{JSD}(p_0, p_1)"), sp.log(2),
                           derived=largest_divergence(), name="the largest divergence"))
            + r". On the two Gaussians above, by quadrature:",
            claim(jsd_, sp.Add(sp.log(2), loss_ / 2, evaluate=False), where=loss,
                  derived=sp.Float(jsd_direct(), 16), name="JSD through the loss (reference)"),
            claim(jsd_, sp.Add(sp.log(2), -loss_ / 2, evaluate=False), where=loss,
                  derived=sp.Float(jsd_direct(), 16), name="JSD through the loss"),
        ),
    ]
