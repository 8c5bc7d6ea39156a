"""Question 2: amortized against instance-wise variational inference.

2.1 is proved symbolically on a one-dimensional linear-Gaussian model, where every term has a
closed form for an arbitrary Gaussian q. 2.2 and 2.3 are answered by an experiment on a
two-dimensional linear-Gaussian model whose exact posterior has a full covariance; the family
Q is the diagonal Gaussians, and the amortized encoder is restricted to scale each coordinate
of x separately, so it cannot reach every instance-wise optimum at once.
"""

from __future__ import annotations

from functools import lru_cache, partial

import numpy as np
import sympy as sp
from matplotlib.figure import Figure
from scipy import optimize

from veritex.claims import Erratum, claim, derivation, given, inequality
from veritex.figures import styled
from veritex.latex import Notation
from veritex.runtime import inline
from veritex.values import rounded
from veritex.values import Defined

# ---- 2.1: the decomposition, in closed form -------------------------------------------------

x, z, w_, m_q = sp.symbols("x z w mu_q", real=True)
sigma, s_q = sp.symbols("sigma s_q", positive=True)


def log_normal(at, mean, variance):
    return -sp.log(2 * sp.pi * variance) / 2 - (at - mean)**2 / (2 * variance)


class normal(Defined):
    """The Gaussian density N(at | mean, variance), printed by name; its body is the density
    whose logarithm `log_normal` is."""

    @staticmethod
    def body(at, mean, variance):
        return sp.exp(log_normal(at, mean, variance))

    def _latex(self, printer):
        at, mean, variance = (printer._print(arg) for arg in self.args)
        return rf"\mathcal{{N}}\bigl({at} \mid {mean}, {variance}\bigr)"


# The model of 2.1, as the reader sees it: the densities that log_joint() and expect_q() use.
PRIOR = normal(z, 0, 1)                          # p(z)
LIKELIHOOD = normal(x, w_ * z, sigma**2)         # p_theta(x | z)
Q = normal(z, m_q, s_q**2)                       # an arbitrary Gaussian q
Z_MOMENTS = {1: Q.args[1], 2: Q.args[1]**2 + Q.args[2]}     # E_q[z], E_q[z^2]


def log_density(density):
    """log N(at | mean, variance) of a `normal`, as a polynomial in its argument."""
    return log_normal(*density.args)


def model_given(which: str):
    """One density of the model of 2.1, declared as the instance the steps are checked in."""
    lhs, density = {"prior": (Notation("p(z)"), PRIOR),
                    "likelihood": (Notation(r"p_\theta(x \mid z)"), LIKELIHOOD),
                    "q": (Notation("q(z)"), Q)}[which]
    return given(lhs, density, kind="assumption", name=f"the model of 2.1: {which}",
                 reason="the model the steps of 2.1 are checked in")


def expect_q(expr):
    """E_q of a polynomial of degree <= 2 in z, through the moments of q."""
    poly = sp.Poly(sp.expand(expr), z)
    return sp.expand(sum(coef * (Z_MOMENTS[k] if k else 1)
                         for (k,), coef in poly.terms()))


def expected_by_integration(expr):
    """E_q[expr] for q = N(1, 1/4) of the toy problem, as the integral against q's density
    (`expect_q` computes it from the moments instead)."""
    mean, std = TOY[m_q], TOY[s_q]
    density = sp.exp(-(z - mean)**2 / (2 * std**2)) / sp.sqrt(2 * sp.pi * std**2)
    return sp.Integral(expr * density, (z, -sp.oo, sp.oo))


def log_joint():
    """log p(x | z) + log p(z): p(z) = N(0, 1), p(x | z) = N(w z, sigma^2)."""
    return log_density(LIKELIHOOD) + log_density(PRIOR)


def log_evidence():
    return log_normal(x, 0, w_**2 + sigma**2)


def posterior():
    """The exact posterior N(mean, variance) of z given x."""
    variance = sigma**2 / (w_**2 + sigma**2)
    return w_ * x / (w_**2 + sigma**2), variance


def gaussian_kl(m1, v1, m2, v2):
    return (sp.log(v2 / v1) + (v1 + (m1 - m2)**2) / v2 - 1) / 2


def entropy():
    return sp.log(2 * sp.pi * sp.E * s_q**2) / 2


log_px_ = Notation(r"\log p_\theta(x)")
kl_ = Notation(r"D_{\mathrm{KL}}\bigl(q \,\|\, p_\theta(z \mid x)\bigr)")
entropy_ = Notation(r"\mathcal{H}[q]")


log_posterior_ = Notation(r"\log p_\theta(z \mid x)")
expected_log_q_ = Notation(r"\mathbb{E}_q\log q")


def bayes_rule():
    """log p(x, z) = log p(x) + log p(z | x), in the model: the evidence and the posterior's
    log-density against the joint's."""
    return claim(Notation(r"\log p_\theta(x, z)"),
                 sp.Add(log_px_, log_posterior_, evaluate=False),
                 where={log_px_: log_evidence(), log_posterior_: log_normal(z, *posterior())},
                 derived=log_joint(), name="Bayes' rule splits the joint")


def expected_log_posterior():
    """E_q log p(z | x) = -KL(q || p(z | x)) + E_q log q: the expectation through the moments
    of q, against the closed-form divergence."""
    mean, variance = posterior()
    return claim(Notation(r"\mathbb{E}_q\log p_\theta(z\mid x)"),
                 sp.Add(-kl_, expected_log_q_, evaluate=False),
                 where={kl_: gaussian_kl(m_q, s_q**2, mean, variance),
                        expected_log_q_: expect_q(log_density(Q))},
                 derived=expect_q(log_normal(z, mean, variance)),
                 name="the expected log-posterior")


def decomposition():
    mean, variance = posterior()
    kl = gaussian_kl(m_q, s_q**2, mean, variance)
    return derivation(
        claim(Notation(r"\mathbb{E}_{q}\bigl[\log p_\theta(x \mid z)p(z)\bigr]"),
              sp.Add(log_px_, -kl_, -entropy_, evaluate=False),
              where={log_px_: log_evidence(), kl_: kl, entropy_: entropy()},
              derived=expect_q(log_joint()),
              name="the ECLL decomposition"),
    )


w_0 = sp.Symbol("w_0", positive=True)
OBSERVED = {x: 2, sigma: 1}              # one observation where the likelihood peaks inside


def posterior_at(w_value):
    """q = p_{w_value}(z | x): the exact posterior, frozen at one value of the weight."""
    mean, variance = posterior()
    return mean.subs(w_, w_value), variance.subs(w_, w_value)


def frozen_posterior():
    """What a fixed q = p_{w_0}(z | x) does to the two objectives: its divergence from
    p_w(z | x) still depends on w (only its slope vanishes at w_0), yet at the likelihood's
    maximiser w* the expected complete-data log-likelihood peaks at w* too."""
    mean, variance = posterior()
    q_mean, q_variance = posterior_at(w_0)
    divergence = gaussian_kl(q_mean, q_variance, mean, variance)
    weight = sp.Symbol("w", positive=True)      # the model's weight, as the maximisers see it
    likelihood = log_evidence().subs(OBSERVED).subs(w_, weight)
    best = sp.sqrt(sp.Integer(OBSERVED[x])**2 - OBSERVED[sigma]**2)   # w*^2 = x^2 - sigma^2
    q_mean, q_variance = posterior_at(best)
    ecll = expect_q(log_joint()).subs({m_q: q_mean, s_q: sp.sqrt(q_variance)}).subs(OBSERVED)
    ecll = ecll.subs(w_, weight)
    point = sp.Integer(1)                       # where the curvature is read
    at_one = {x: point, sigma: point, w_0: point}
    value_, slope_, curvature_ = (
        Notation(r"D_{\mathrm{KL}}\bigl(p_{w_0}(z\mid x)\,\|\,p_w(z\mid x)\bigr)"
                 r"\big|_{w = w_0}"),
        Notation(r"\partial_w D_{\mathrm{KL}}\bigl(p_{w_0}(z\mid x)\,\|\,"
                 r"p_w(z\mid x)\bigr)\big|_{w = w_0}"),
        Notation(r"\partial_w^2 D_{\mathrm{KL}}\bigl(p_{w_0}(z\mid x)\,\|\,"
                 r"p_w(z\mid x)\bigr)\big|_{w = w_0}"))
    observed = "the observation the two maximisers are compared on"
    return derivation(
        claim(slope_, sp.Integer(0), derived=sp.diff(divergence, w_).subs(w_, w_0),
              name="the divergence is flat at w₀",
              why=r"For a fixed $q$ the objective is the log-likelihood minus a divergence "
                  r"that still depends on the weight, so its maximiser need not be the "
                  r"likelihood's, even when $q$ is an exact posterior. Freeze it at some weight,"
                  r" \given[assumption]{$q = p_{w_0}(z\mid x)$}: the divergence vanishes there, "
                  + inline(claim(value_, sp.Integer(0), derived=divergence.subs(w_, w_0),
                                 name="the divergence vanishes at w₀"))
                  + r", and its slope there is zero,"),
        claim(curvature_, sp.Rational(1, 2),
              derived=sp.diff(divergence, w_, 2).subs(w_, w_0).subs(at_one),
              name="the divergence is curved at w₀",
              why=r"but it still depends on $w$ (here at "
                  + inline(given(Notation(r"w_0 = x = \sigma"), point, kind="assumption",
                                 name="the point of the curvature",
                                 reason="the point the curvature is read at"))
                  + r"), and pulls the maximiser towards $w_0$:"),
        claim(Notation(r"w^* = \arg\max_{w > 0} \log p_w(x)"), best, derived=likelihood,
              method="argmax", variable=weight, domain={weight: (0.5, 3.0)},
              name="the likelihood's maximiser",
              why=r"What does hold: if $q$ is the posterior at the likelihood's maximiser "
                  r"$w^*$, the divergence is zero there and non-negative elsewhere, so "
                  r"$w^*$ also maximises the expected complete-data log-likelihood. On one "
                  r"observation, "
                  + inline(given(x, OBSERVED[x], kind="assumption", name="the observation",
                                 reason=observed))
                  + " with "
                  + inline(given(sigma, OBSERVED[sigma], kind="assumption",
                                 name="the noise of the observation", reason=observed))
                  + ","),
        claim(Notation(r"\arg\max_{w > 0} \mathbb{E}_{p_{w^*}(z\mid x)}\bigl[\log p_w(x\mid z)"
                       r"p(z)\bigr]"), best, derived=ecll, method="argmax", variable=weight,
              domain={weight: (0.5, 3.0)}, name="the ECLL peaks at the same weight"),
    )


# ---- 2.2 and 2.3: the experiment --------------------------------------------------------------

W = np.array([[1.0, 0.9], [0.4, 1.2]])      # the decoder p(x | z) = N(W z, NOISE^2 I), fixed
NOISE, N_POINTS, DATA_SEED = 0.5, 200, 5
N_NEW, NEW_SEED = 20, 6                         # held-out points, for the cost of a new point
LAMBDA = np.eye(2) + W.T @ W / NOISE**2         # posterior precision, the same for every x
A = np.linalg.solve(LAMBDA, W.T) / NOISE**2     # posterior mean = A x


def data(n: int = N_POINTS, seed: int = DATA_SEED) -> np.ndarray:
    rng = np.random.default_rng(seed)
    z_true = rng.standard_normal((n, 2))
    return z_true @ W.T + NOISE * rng.standard_normal((n, 2))


def log_gaussian(at, mean, cov):
    """log N(at; mean, cov) row by row; cov is one matrix, or a diagonal per row (an array
    of variances with the shape of `at`)."""
    diff = at - mean
    if np.ndim(cov) == 2 and np.shape(cov) == (2, 2):
        quad = np.einsum("...i,ij,...j->...", diff, np.linalg.inv(cov), diff)
        logdet = np.log(np.linalg.det(cov))
    else:
        quad, logdet = _row_sum(diff**2 / cov), _row_sum(np.log(cov))
    return -0.5 * (quad + logdet + 2 * np.log(2 * np.pi))


def _row_sum(values):
    """np.sum(values, axis=-1), added in the same order (left to right, as numpy does for a
    row of fewer than eight), without numpy's slow reduction along a length-2 axis."""
    total = values[..., 0]
    for column in range(1, values.shape[-1]):
        total = total + values[..., column]
    return total


def log_marginal(xs) -> np.ndarray:
    """log p(x_i), exactly: x = W z + noise is Gaussian with covariance W W^T + NOISE^2 I."""
    return log_gaussian(xs, 0.0, W @ W.T + NOISE**2 * np.eye(2))


def kl_diagonal(means, variances, xs):
    """KL(N(means, diag variances) || p(z | x)) for every point, in closed form."""
    diff = xs @ A.T - means
    return 0.5 * (np.sum(_PRECISIONS * variances, axis=-1)
                  + np.einsum("ni,ij,nj->n", diff, LAMBDA, diff) - 2
                  + _LOG_DET_COV - np.sum(np.log(variances), axis=-1))


# the posterior's constants, computed once: the optimisers evaluate the KL tens of thousands
# of times
_PRECISIONS = np.diag(LAMBDA)
_LOG_DET_COV = np.log(np.linalg.det(np.linalg.inv(LAMBDA)))


def _unpack(params):
    return params[:2], np.exp(2 * params[2:])        # (mean parameters, variances)


@lru_cache(maxsize=1)
def experiment() -> dict:
    """Fit both ways by numerical optimisation of the ELBO (equivalently, of the KL, since
    theta is fixed) and return per-point KLs and the optimisers' costs."""
    xs = data()

    def amortized_loss(params):          # q_phi(z | x) = N(diag(phi_scale) x, diag(var))
        scale, var = _unpack(params)
        return np.sum(kl_diagonal(xs * scale, var, xs))

    amortized = optimize.minimize(amortized_loss, np.zeros(4), method="BFGS", tol=1e-12)
    scale, var = _unpack(amortized.x)
    instance = [fit_instance(point) for point in xs]
    new = [fit_instance(point) for point in data(N_NEW, NEW_SEED)]
    return {"xs": xs, "amortized": kl_diagonal(xs * scale, var, xs),
            "amortized_means": xs * scale, "amortized_variances": np.tile(var, (N_POINTS, 1)),
            "instance": np.array([fit.fun for fit in instance]),
            "amortized_evaluations": amortized.nfev,
            "amortized_point_terms": amortized.nfev * N_POINTS,   # each evaluation sums n KLs
            "instance_evaluations": sum(fit.nfev for fit in instance),
            "new_point_evaluations": np.array([fit.nfev for fit in new]),
            "amortized_parameters": amortized.x.size,
            "instance_parameters": sum(fit.x.size for fit in instance),
            "exact_instance": instance_closed_form(xs)}


def fit_instance(point):
    """q_i = N(m_i, diag(v_i)) for one point: its own optimisation problem."""
    def loss(params):
        means, variances = _unpack(params)
        return kl_diagonal(means[None], variances[None], point[None])[0]
    return optimize.minimize(loss, np.zeros(4), method="BFGS", tol=1e-12)


def instance_closed_form(xs) -> np.ndarray:
    """The KL of the best diagonal Gaussian: the posterior mean, and variances 1 / Lambda_jj."""
    return kl_diagonal(*instance_optimum(xs), xs)


def elbo_diagonal(means, variances, xs) -> np.ndarray:
    """L(q; x_i) = E_q log p(x_i | z) + E_q log p(z) + H[q] for q = N(means_i, diag
    variances_i), row by row, in closed form (independent of `kl_diagonal`)."""
    d, k = xs.shape[-1], means.shape[-1]
    misfit = _row_sum((xs - means @ W.T)**2) + variances @ np.sum(W**2, axis=0)
    likelihood = -0.5 * (d * np.log(2 * np.pi * NOISE**2) + misfit / NOISE**2)
    prior = -0.5 * (k * np.log(2 * np.pi) + _row_sum(means**2 + variances))
    return likelihood + prior + 0.5 * _row_sum(np.log(2 * np.pi * np.e * variances))


SPLIT_SEED = 7                                  # the random posteriors of the evidence split
elbo_q_ = Notation(r"\mathcal{L}(q; \boldsymbol{x}_i)")
kl_q_ = Notation(r"D_{\mathrm{KL}}\bigl(q\,\|\,p_\theta(\boldsymbol{z}\mid\boldsymbol{x}_i)\bigr)")


def evidence_split():
    """log p(x_i) = L(q; x_i) + KL(q || p(z | x_i)) at the experiment's points, for a random
    diagonal Gaussian q at each point and for the two fitted posteriors."""
    e = experiment()
    xs = e["xs"]
    rng = np.random.default_rng(SPLIT_SEED)
    posteriors = ((2 * rng.standard_normal(xs.shape), np.exp(rng.uniform(-3, 1, xs.shape))),
                  (e["amortized_means"], e["amortized_variances"]), instance_optimum(xs))
    means, variances = (np.concatenate(part) for part in zip(*posteriors))
    points = np.tile(xs, (len(posteriors), 1))
    return claim(Notation(r"\log p_\theta(\boldsymbol{x}_i)"),
                 sp.Add(elbo_q_, kl_q_, evaluate=False),
                 where={elbo_q_: elbo_diagonal(means, variances, points),
                        kl_q_: kl_diagonal(means, variances, points)},
                 derived=log_marginal(points), name="the evidence splits")


def elbo_order():
    """L(q_phi*; x_i) <= L(q_i*; x_i) at every point of the experiment."""
    e = experiment()
    amortized_, instance_ = (Notation(r"\mathcal{L}(q_{\phi^*}; \boldsymbol{x}_i)"),
                             Notation(r"\mathcal{L}(q_i^*; \boldsymbol{x}_i)"))
    return inequality(amortized_, r"\le", instance_,
                      where={amortized_: elbo_diagonal(e["amortized_means"],
                                                       e["amortized_variances"], e["xs"]),
                             instance_: elbo_diagonal(*instance_optimum(e["xs"]), e["xs"])},
                      name="amortized ELBO at most instance ELBO")


def kl_order():
    """KL(q_phi* || p) >= KL(q_i* || p) at every point of the experiment."""
    e = experiment()
    amortized_, instance_ = (Notation(r"D_{\mathrm{KL}}(q_{\phi^*}\|p_\theta)"),
                             Notation(r"D_{\mathrm{KL}}(q_i^*\|p_\theta)"))
    return inequality(amortized_, r"\ge", instance_,
                      where={amortized_: e["amortized"], instance_: e["exact_instance"]},
                      name="amortized KL at least instance KL, at every point")


def comparison():
    """The result of 2.2 on the experiment: the amortized divergence is at least the
    instance-wise one at every point."""
    e = experiment()
    return e, derivation(
        inequality(kl_amortized_, r"\ge", kl_instance_,
                   where={kl_amortized_: e["amortized"], kl_instance_: e["exact_instance"]},
                   name="amortized KL at least instance KL",
                   why=r"At every training point the amortized posterior is at least as far "
                       r"from the true posterior as the best member of $\mathcal{Q}$ fitted "
                       r"to that point:"),
    )


def comparison_checks(e):
    """How the fits of 2.2 were checked: the instance-wise optimum against its closed form,
    and the average gap against the closed form of the best encoder of the family."""
    gap = e["amortized"] - e["instance"]
    return derivation(
        claim(kl_instance_,
              sp.Mul(sp.Rational(1, 2), sp.log(diagonal_ / det_), evaluate=False),
              where={diagonal_: float(np.prod(np.diag(LAMBDA))), det_: np.linalg.det(LAMBDA)},
              derived=sp.Matrix(e["instance"]),
              name="instance-wise optimum",
              why=r"The instance-wise optima match the closed form of the best diagonal "
                  r"Gaussian (the posterior mean, and variances "
                  + inline(claim(Notation(r"v_j^*"), 1 / lambda_jj_,
                                 where={lambda_jj_: np.diag(LAMBDA)},
                                 derived=best_diagonal_variances(),
                                 name="the best diagonal variances"))
                  + r", with $\Lambda$ the posterior precision) at each of the "
                  + inline(given(n_sym, N_POINTS, kind="assumption",
                                 name="the number of points", reason="the experiment"))
                  + r" points:"),
        claim(Notation(r"\tfrac1n\textstyle\sum_i \bigl(D_{\mathrm{KL}}(q_{\phi^*}\|p) - "
                       r"D_{\mathrm{KL}}(q_i^*\|p)\bigr)"), gap_closed_,
              where={gap_closed_: amortized_gap_closed_form(e["xs"]).mean()},
              derived=gap.mean(), name="the amortization gap",
              why=r"and the average gap of the fitted encoder is the gap of the best encoder of "
                  r"the family, in closed form: its scales $\boldsymbol{a}$ solve a "
                  r"least-squares problem with residuals \given[definition]{$\boldsymbol{r}_i = "
                  r"\boldsymbol{A}\boldsymbol{x}_i - \boldsymbol{a}\odot\boldsymbol{x}_i$}, "
                  r"$\boldsymbol{A}\boldsymbol{x}_i$ "
                  r"being the posterior mean:"),
    )


kl_instance_as_written_ = Notation(r"D_{\text{KL}}(q_i^*(\boldsymbol{z}) || p_{\theta}"
                                   r"(\boldsymbol{z} | \boldsymbol{x}))")
kl_amortized_as_written_ = Notation(r"D_{\text{KL}}(q_{\phi^*}(\boldsymbol{z} | "
                                    r"\boldsymbol{x})) || p_{\theta}(\boldsymbol{z} | "
                                    r"\boldsymbol{x}))")
kl_amortized_ = Notation(r"D_{\mathrm{KL}}\bigl(q_{\phi^*}(z\mid x_i)\,\|\,"
                         r"p_\theta(z\mid x_i)\bigr)")
kl_instance_ = Notation(r"D_{\mathrm{KL}}\bigl(q_i^*\,\|\,p_\theta(z\mid x_i)\bigr)")
diagonal_, det_ = Notation(r"\textstyle\prod_j \Lambda_{jj}"), Notation(r"\det\Lambda")
lambda_jj_ = Notation(r"\Lambda_{jj}")
gap_closed_ = Notation(r"\tfrac1n\textstyle\sum_i \tfrac12\boldsymbol{r}_i^{\top}\Lambda"
                       r"\boldsymbol{r}_i")


def amortized_gap_closed_form(xs) -> np.ndarray:
    """The gap of the best encoder of the family, per point, in closed form: its variances are
    1 / Lambda_jj like the instance-wise ones, and its scales a solve the least-squares problem
    min_a sum_i r_i^T Lambda r_i with r_i = A x_i - a * x_i; the gap is r_i^T Lambda r_i / 2."""
    system = sum(np.diag(x) @ LAMBDA @ np.diag(x) for x in xs)
    scales = np.linalg.solve(system, sum(np.diag(x) @ LAMBDA @ A @ x for x in xs))
    residuals = xs @ A.T - xs * scales
    return 0.5 * np.einsum("ni,ij,nj->n", residuals, LAMBDA, residuals)


def gaussian_kl_precision(m1, S1, m2, P2):
    """KL(N(m1, S1) || N(m2, P2^-1)) in k dimensions, the closed form, with the second
    Gaussian given by its precision P2."""
    d = m2 - m1
    return ((P2 * S1).trace() + (d.T * P2 * d)[0, 0] - S1.shape[0]
            - sp.log(P2.det()) - sp.log(S1.det())) / 2


def best_diagonal_variances() -> sp.Matrix:
    """The variances of the diagonal Gaussian closest in KL to the posterior N(A x, LAMBDA^-1),
    whatever its means: where the divergence's derivatives in the variances vanish."""
    k = LAMBDA.shape[0]
    variances = sp.symbols(f"v_1:{k + 1}", positive=True)
    means = sp.Matrix(sp.symbols(f"m_1:{k + 1}", real=True))
    centre = sp.Matrix(sp.symbols(f"c_1:{k + 1}", real=True))
    kl = gaussian_kl_precision(means, sp.diag(*variances), centre, sp.Matrix(LAMBDA))
    (solution,) = sp.solve([sp.diff(kl, v) for v in variances], variances, dict=True)
    return sp.Matrix([solution[v] for v in variances])


def instance_optimum(xs):
    """The best diagonal Gaussian for each point: (means, variances)."""
    return xs @ A.T, np.tile(1 / np.diag(LAMBDA), (len(xs), 1))


def bias_samples(rng, size, xs, posteriors, batch=2000):
    """One row per sample: for each posterior (means, variances), the average over the points
    of log p(x_i) - [log p(x_i, z_i) - log q(z_i | x_i)], with z_i ~ q(. | x_i): a one-sample
    estimate of the bias of the ELBO as an estimate of log p(x_i)."""
    rows, log_px = [], log_marginal(xs)
    noise, prior = NOISE**2 * np.ones_like(xs), np.ones(xs.shape[-1])   # diagonal covariances
    for start in range(0, size, batch):
        m = min(batch, size - start)
        row = []
        for means, variances in posteriors:
            zs = means + np.sqrt(variances) * rng.standard_normal((m, *means.shape))
            log_joint = log_gaussian(xs, zs @ W.T, noise) + log_gaussian(zs, 0.0, prior)
            elbo = log_joint - log_gaussian(zs, means, variances)
            row.append(np.mean(log_px - elbo, axis=1))
        rows.append(np.stack(row, axis=1))
    return np.concatenate(rows)


K, n_sym = sp.symbols("K n", positive=True, integer=True)


def bias_identity(e):
    """log p(x_i) - L(q; x_i) = KL(q || p(z | x_i)) for both fitted posteriors, at every point
    of the experiment: the bias of the ELBO is the divergence of the posterior used."""
    posteriors = ((e["amortized_means"], e["amortized_variances"]), instance_optimum(e["xs"]))
    means, variances = (np.concatenate(part) for part in zip(*posteriors))
    points = np.tile(e["xs"], (len(posteriors), 1))
    return claim(Notation(r"\log p_\theta(\boldsymbol{x}_i) - \mathcal{L}(q; \boldsymbol{x}_i)"),
                 kl_q_, where={kl_q_: kl_diagonal(means, variances, points)},
                 derived=log_marginal(points) - elbo_diagonal(means, variances, points),
                 name="the bias of the ELBO is the divergence",
                 why=r"For any posterior $q$ it uses, the ELBO falls short of the "
                     r"log-likelihood by")


def costs(e):
    """2.3 (a) and (b) in numbers, one derivation each: the bias is the KL, the cost of a new
    point (the parameters stored, (c), are `memory_costs`)."""
    posteriors = ((e["amortized_means"], e["amortized_variances"]), instance_optimum(e["xs"]))
    per_new = e["new_point_evaluations"]
    mean_kl_ = Notation(r"\tfrac1n\textstyle\sum_i D_{\mathrm{KL}}\bigl(q\,\|\,"
                        r"p_\theta(z\mid x_i)\bigr)")
    bias = claim(
        Notation(r"\tfrac1n\textstyle\sum_i \bigl(\log p_\theta(x_i) - "
                 r"\mathcal{L}(q; x_i)\bigr)"), mean_kl_,
        where={mean_kl_: sp.Matrix([e["amortized"].mean(), e["exact_instance"].mean()])},
        derived=partial(bias_samples, xs=e["xs"], posteriors=posteriors), method="montecarlo",
        name="ELBO bias equals the KL, both posteriors",
        why=r"The bias was also estimated by sampling $z \sim q$, with the exact "
            r"$\log p_\theta(x_i)$ of the linear-Gaussian model; the estimates are the "
            r"divergences of the two posteriors within their sampling error (as a pair: the "
            r"amortized posterior first, the instance-wise one second):")
    fewest_ = Notation(r"\min_j \#\mathrm{evaluations}(q_j^*)")
    encoder_ = Notation(r"\#\mathrm{evaluations}\bigl(q_{\phi^*}(z\mid x_j)\bigr)")
    computation = inequality(
        fewest_, ">", encoder_, where={fewest_: int(per_new.min()), encoder_: 0},
        name="a new point costs an optimisation",
        why=rf"For {N_NEW} new points $x_j$, the encoder gives $q_{{\phi^*}}(z\mid x_j)$ in "
            rf"one pass, with no evaluation of the objective; instance-wise inference must fit "
            rf"each one, between {per_new.min()} and {per_new.max()} evaluations per point:")
    return {"bias": derivation(bias), "computation": derivation(computation)}


def average_biases(e):
    """2.3 (a) in numbers: the average amortization gap, and the average bias of the
    instance-wise posteriors, each printed to three digits and checked against the fits."""
    gap = float((e["amortized"] - e["instance"]).mean())
    own = float(e["instance"].mean())
    return (claim(Notation(r"\bar{g}"), rounded(gap, 3), derived=gap,
                  name="the average amortization gap"),
            claim(Notation(r"\bar{b}"), rounded(own, 3), derived=own,
                  name="the average instance-wise bias"))


def fitting_work(e):
    """2.3 (b): per-point ELBO terms evaluated while fitting, the instance-wise fits over the
    amortized one, to three digits (each amortized evaluation sums n terms)."""
    ratio = sp.Rational(e["instance_evaluations"], e["amortized_point_terms"])
    return claim(Notation(r"\rho"),
                 rounded(float(ratio), 3), derived=ratio, name="the ratio of work when fitting")


def memory_costs(e):
    """2.3 (c): the parameters each approach stores. Its text prints two given sizes with
    inline(), which numbers them in the chunk that calls it: call it where it is shown."""
    amortized_count, instance_count = 2 * K, 2 * K * n_sym
    sizes = {K: W.shape[1], n_sym: N_POINTS}
    memory = (
        claim(Notation(r"\#\phi"), amortized_count, where=sizes,
              derived=sp.Integer(e["amortized_parameters"]), name="amortized parameters",
              why=r"Counting the numbers each approach stores after fitting, with "
                  + inline(given(K, sizes[K], kind="assumption", name="the latent dimensions",
                                 reason="the experiment"))
                  + r" latent dimensions, the encoder keeps"),
        claim(Notation(r"\textstyle\sum_i \#(\mu_i, \sigma_i)"), instance_count,
              where=sizes, derived=sp.Integer(e["instance_parameters"]),
              name="instance-wise parameters",
              why=r"whatever $n$, while the instance-wise posteriors of the "
                  + inline(given(n_sym, sizes[n_sym], kind="assumption",
                                 name="the number of points", reason="the experiment"))
                  + r" points keep"))
    return derivation(*memory)


@styled
def gap_figure():
    e = experiment()
    norms = np.linalg.norm(e["xs"], axis=1)
    order = np.argsort(norms)
    fig = Figure(figsize=(6.0, 2.8))
    axes = fig.subplots()
    axes.plot(norms[order], e["amortized"][order], "o", markersize=3,
              label=r"amortized, $q_{\phi^*}(z\mid x_i)$")
    axes.plot(norms[order], e["instance"][order], "s", markersize=3,
              label=r"instance-wise, $q_i^*$")
    axes.set(xlabel=r"$\|x_i\|$", ylabel="KL to the true posterior (nats)",
             title="per-point posterior error, 200 data points")
    axes.legend(loc="upper left")
    fig.tight_layout()
    return fig


# ---- errata of the reference solution ------------------------------------------------------

t = sp.Symbol("theta", real=True)
max_sum_, max_f_, max_g_ = (Notation(r"\max_\theta (f + g)"), Notation(r"\max_\theta f"),
                            Notation(r"\max_\theta g"))
elbo_amortized_ = Notation(r"\mathcal{L}(\theta, q_{\phi^*}; x_i)")
elbo_instance_ = Notation(r"\mathcal{L}(\theta, q_i^*; x_i)")
mean_bias_amortized_ = Notation(r"\tfrac1n\textstyle\sum_i\bigl(\log p_\theta(x_i) - "
                                r"\mathcal{L}(q_{\phi^*}; x_i)\bigr)")
mean_bias_instance_ = Notation(r"\tfrac1n\textstyle\sum_i\bigl(\log p_\theta(x_i) - "
                               r"\mathcal{L}(q_i^*; x_i)\bigr)")
bias_instance_ = Notation(r"\bigl(\log p_\theta(x_i) - \mathcal{L}(q_i^*)\bigr)_{i}")
max_ecll_ = Notation(r"\max_\theta \mathbb{E}_{q}\bigl[\log p_\theta(x\mid z)p(z)\bigr]")
objective_ = Notation(r"\mathbb{E}_{q}\bigl[\log p_\theta(x, z)\bigr]")
TOY = {x: 2, sigma: 1, m_q: 1, s_q: sp.Rational(1, 2)}     # q = N(1, 1/4), one observation
phi_count_ = Notation(r"\#\phi")
storage_ratio_ = Notation(r"\frac{\sum_i \#(\mu_i, \sigma_i)}{\#\phi}")
d_in, hidden = sp.symbols("d H", positive=True, integer=True)
HIDDEN = 64                                     # an encoder network, for 2.3(c)


def mlp_parameters(sizes) -> int:
    """Weights and biases of a fully connected network with these layer sizes."""
    return sum((fan_in + 1) * fan_out for fan_in, fan_out in zip(sizes, sizes[1:]))


def errata():
    e = experiment()
    f, g = -(t - 1)**2, -(t + 1)**2
    best = sp.calculus.util.maximum
    log_px = log_marginal(e["xs"])          # ELBO = log p(x_i) - KL, theta fixed
    maxima = {max_sum_: best(f + g, t, sp.S.Reals), max_f_: best(f, t, sp.S.Reals),
              max_g_: best(g, t, sp.S.Reals)}
    elbos = {elbo_amortized_: log_px - e["amortized"], elbo_instance_: log_px - e["exact_instance"]}
    objective = expect_q(log_joint()).subs(TOY).subs(w_, t)     # the ECLL as theta varies
    latent, data_dim = W.shape[1], W.shape[0]
    encoder = mlp_parameters((data_dim, HIDDEN, 2 * latent))   # mean and log-variance heads
    network = {d_in: data_dim, hidden: HIDDEN, K: latent, n_sym: N_POINTS, phi_count_: encoder}
    stored = sp.Rational(e["instance_parameters"], encoder)
    formula = hidden * (d_in + 1) + 2 * K * (hidden + 1)       # weights and biases, by layer
    toy = "the instance the refutation is read on"
    encoder_net = "the encoder network the storage is counted for"
    return [
        Erratum(
            r"Question 2.1, the maximum dropped",
            r"In the first line of its derivation the reference drops $\max_\theta$ from the "
            r"right-hand side, equating the maximum, a number, with the objective, a function "
            r"of $\theta$. The lines after it restore the maximum, so the argument is "
            r"unaffected. In the model of 2.1 with \given[assumption]{$w = \theta$}, "
            + inline(given(sigma, TOY[sigma], kind="assumption", name="the noise", reason=toy))
            + ", "
            + inline(given(x, TOY[x], kind="assumption", name="the observation", reason=toy))
            + " and "
            + inline(given(Notation("q(z)"), Q.subs(TOY), kind="assumption", name="the q",
                           reason=toy))
            + ":",
            claim(max_ecll_, objective_, where={objective_: objective},
                  derived=best(objective, t, sp.S.Reals), name="max dropped (reference)"),
            claim(max_ecll_, -sp.log(2 * sp.pi) - sp.Rational(41, 40),
                  derived=best(objective, t, sp.S.Reals), name="the maximum is a number"),
            readings=(claim(objective_, sp.expand(objective + sp.log(2 * sp.pi))
                            - sp.log(2 * sp.pi), where={objective_: objective},
                            derived=expected_by_integration(
                log_joint().subs(TOY).subs(w_, t)), name="the objective of θ",
                why="Here the objective is"),),
        ),
        Erratum(
            r"Question 2.1, splitting the maximum",
            r"The reference writes the maximum of a sum as the sum of the maxima. That is an "
            r"upper bound, with equality only when both terms peak at the same $\theta$. The "
            r"argument only needs that adding a term independent of $\theta$ does not move "
            r"the maximiser. With "
            + inline(given(Notation("f"), f, kind="assumption", name="the first term",
                           reason="the pair the refutation is read on"))
            + " and "
            + inline(given(Notation("g"), g, kind="assumption", name="the second term",
                           reason="the pair the refutation is read on"))
            + ":",
            claim(max_sum_, max_f_ + max_g_, where=maxima,
                  derived=best(f + g, t, sp.S.Reals), name="max of a sum (reference)"),
            inequality(max_sum_, r"\le", max_f_ + max_g_, where=maxima,
                       name="max of a sum, bounded",
                       why="Corrected, and checked on the same pair:"),
        ),
        Erratum(
            r"Question 2.2, the direction of the ELBO inequality",
            r"After correctly arguing that the amortized ELBO is at most the instance-wise one, "
            r"the reference restates the inequality the other way round before concluding "
            r"(rightly) about the KLs. On the experiment's points:",
            inequality(elbo_amortized_, r"\ge", elbo_instance_, where=elbos,
                       name="ELBO order reversed (reference)"),
            inequality(elbo_amortized_, r"\le", elbo_instance_, where=elbos,
                       name="ELBO order"),
        ),
        Erratum(
            r"Question 2.3(a), the bias in the best case; and the last sentence of 2.3(c)",
            r"The reference concludes that, when both methods are optimal in their families, "
            r"the two divergences, hence the two biases, are equal; closing 2.3(c), it puts the "
            r"price of amortization, a larger bias, only on the case where they are not "
            r"optimal. Optimal within its family, the amortized posterior is still limited by "
            r"what one encoder can output for all points at once; the bias "
            r"$\log p_\theta(x_i) - \mathcal{L}$ differs by the amortization gap. Its "
            r"equality, as written (the parenthesis after the first $\boldsymbol{x}$ of the "
            r"right side closes nothing [sic]), read at every training point of the "
            r"experiment of 2.2:",
            claim(kl_instance_as_written_, kl_amortized_as_written_,
                  where={kl_instance_as_written_: e["exact_instance"],
                         kl_amortized_as_written_: e["amortized"]},
                  derived=sp.Matrix(e["exact_instance"]),
                  name="equal divergence at the optimum (reference)"),
            claim(mean_bias_amortized_, mean_bias_instance_ + gap_closed_,
                  where={mean_bias_instance_: e["instance"].mean(),
                         gap_closed_: amortized_gap_closed_form(e["xs"]).mean()},
                  derived=e["amortized"].mean(), name="the amortized bias exceeds by the gap",
                  why=r"Corrected: on average over the points, the amortized bias is the "
                      r"instance-wise one plus the amortization gap, in closed form:"),
        ),
        Erratum(
            r"Question 2.3(c), counting the stored parameters",
            r"The reference counts $n$ networks for the instance-wise posteriors, one per "
            r"point against the single encoder, hence $n$ times the storage. But "
            r"each $q_i$ is one parameter vector of the family, not a network: "
            + inline(claim(Notation(r"\#(\mu_i, \sigma_i)"), 2 * K, where={K: latent},
                           derived=sp.Rational(e["instance_parameters"], N_POINTS),
                           name="numbers of one diagonal Gaussian"))
            + r" numbers for a diagonal Gaussian. The ratio therefore depends on the "
            r"size of the encoder, and is $n$ only when the encoder is as small as one "
            r"posterior, as the minimal encoder of 2.2 happens to be. For an encoder with one "
            r"hidden layer of "
            + inline(given(hidden, HIDDEN, kind="assumption", name="the hidden units",
                           reason=encoder_net))
            + r" units on the experiment's data ("
            + ", ".join(inline(given(symbol, network[symbol], kind="assumption", name=name,
                                     reason=encoder_net))
                        for symbol, name in ((d_in, "the data dimensions"),
                                             (K, "the latent dimensions"),
                                             (n_sym, "the number of points")))
            + "), "
            + inline(claim(phi_count_, formula, where=network, derived=sp.Integer(encoder),
                           name="parameters of an encoder network"))
            + ", that is "
            + inline(claim(phi_count_, sp.Integer(encoder), derived=formula.subs(network),
                           name="their number"))
            + r". The conclusion survives as long as the instance-wise posteriors hold more "
            r"numbers than the encoder, as here, "
            + inline(inequality(2 * K * n_sym, ">", phi_count_,
                                where={K: latent, n_sym: N_POINTS, phi_count_: encoder},
                                name="more numbers than the encoder"))
            + ":",
            claim(storage_ratio_, n_sym, where=network, derived=stored,
                  name="n times the storage (reference)"),
            claim(storage_ratio_, 2 * K * n_sym / phi_count_, where=network, derived=stored,
                  name="storage ratio"),
        ),
    ]
