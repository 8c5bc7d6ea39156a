"""Question 1: dropout on the inputs of a linear regression, compared with weight decay.

Each stated formula is one Python function of (X, y, w, ...) that works on matrix symbols (the
general formula, as printed), on explicit matrices of symbols (what sympy proves) and on numpy
arrays (the Monte Carlo checks and the experiments): the printed formula is the checked one.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache, partial

import numpy as np
import sympy as sp
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from veritex.claims import Erratum, claim, derivation, given, inequality
from veritex.figures import styled
from veritex.latex import Notation
from veritex.runtime import inline
from veritex.values import rounded

from .linalg import (SquaredNorm, generic, gradient, hadamard, hessian, identity, inverse,
                     product, sqnorm, transpose, written)

p = sp.Symbol("p", positive=True)            # keep probability of an input, 0 < p < 1
lam = Notation(r"\lambda^{L_2}", positive=True)
KEEP = {p: (0.02, 0.98)}                     # where numeric fallbacks sample p

# The general objects, as the document prints them.
n, d = sp.symbols("n d", integer=True, positive=True)
X_, R_ = sp.MatrixSymbol("X", n, d), sp.MatrixSymbol("R", n, d)
y_, w_ = sp.MatrixSymbol("y", n, 1), sp.MatrixSymbol("w", d, 1)
G_ = sp.MatrixSymbol("Gamma", d, d)
Xt_ = sp.MatrixSymbol(r"\tilde{X}", n, d)      # X Gamma^-1, the columns scaled to unit norm
lam_dropout_ = Notation(r"\lambda^{\mathrm{dropout}}")
Gamma_ii_ = Notation(r"\Gamma_{ii}")

# A small problem with generic entries: what sympy proves the formulas on.
N, D = 3, 2
Xg, Rg, yg, wg = generic("x", N, D), generic("r", N, D), generic("y", N), generic("w", D)
MASKS = list(Rg)

# Names of the running text, bound to what they stand for when checked.
v_, vg = sp.MatrixSymbol("v", n, 1), generic("v", N)           # any vector
var_R_ = Notation(r"\operatorname{Var}R_{ki}")                 # the variance of one mask
mean_R_ = Notation(r"(\mathbb{E}R_{ki})")                      # its mean, squared in the text
weighted_ = Notation(r"\sum_i \Gamma_{ii}^2 w_i^2")


# ---- definitions --------------------------------------------------------------------------

def dropout_loss(X, y, w, R):
    """L(w) = ||y - (X o R) w||^2 for one mask R."""
    return sqnorm(written(y, product(-1, hadamard(X, R), w)))


def gamma_matrix(X):
    """Gamma = diag((X^T X)_ii^(1/2)): the column norms of X on a diagonal."""
    if isinstance(X, np.ndarray):
        return np.diag(np.sqrt(np.diag(X.T @ X)))
    if isinstance(X, sp.MatrixBase):
        return sp.diag(*[sp.sqrt((X.T * X)[i, i]) for i in range(X.shape[1])])
    return G_


def bernoulli_mean(expr, masks, keep):
    """E over independent Bernoulli(keep) masks of a polynomial in them: a mask to any
    positive power is itself (r^k = r for r in {0, 1}), and independent factors multiply,
    so each monomial's expectation is `keep` to the number of distinct masks in it."""
    expr = sp.expand(expr)
    expr = expr.replace(lambda e: e.is_Pow and e.base in masks, lambda e: e.base)
    return sp.expand(expr.subs({m: keep for m in masks}))


def l2_loss(X, y, w, weight):
    return sqnorm(y - X @ w) + weight * sqnorm(w)


# ---- the stated answers (each one function for display, proof and numbers) ----------------

def stated_mask_mean(X, keep):
    return keep * X


def stated_second_moment(X, keep, G):
    return written(keep**2 * X.T @ X, keep * (1 - keep) * G**2)


def stated_expected_loss(X, y, w, keep, G):
    return sqnorm(y - keep * X @ w) + keep * (1 - keep) * sqnorm(G @ w)


def expanded_loss(X, y, w, R):
    """L(w) with the square multiplied out (a 1 x 1 matrix), its terms in the order written."""
    masked = hadamard(X, R)
    return written(product(y.T, y), product(-2, y.T, masked, w),
                   product(w.T, transpose(masked), masked, w))


def expanded_expected_loss(X, y, w, keep, G):
    """E[L(w)] term by term: the two moments in place of the masked factors (1 x 1)."""
    return written(product(y.T, y), product(-2 * keep, y.T, X, w),
                   product(w.T, stated_second_moment(X, keep, G), w))


def stated_gradient(X, y, w, keep, G):
    return written(-2 * keep * X.T @ (y - keep * X @ w), 2 * keep * (1 - keep) * G**2 @ w)


def stated_hessian(X, keep, G):
    return written(2 * keep**2 * X.T @ X, 2 * keep * (1 - keep) * G**2)


def dropout_lambda(keep):
    return (1 - keep) / keep


def stated_dropout_solution(X, y, keep, G):
    """p w^dropout = (X^T X + lambda^dropout Gamma^2)^(-1) X^T y."""
    return inverse(X.T @ X + dropout_lambda(keep) * G**2) @ X.T @ y


def stated_l2_gradient(X, y, w, weight):
    return written(-2 * X.T @ (y - X @ w), 2 * weight * w)


def stated_l2_solution(X, y, weight):
    return inverse(X.T @ X + weight * identity(X, X.shape[1])) @ X.T @ y


def least_squares(X, y):
    return inverse(X.T @ X) @ X.T @ y


# ---- derived from the definitions ----------------------------------------------------------

def expected_loss():
    return bernoulli_mean(dropout_loss(Xg, yg, wg, Rg), MASKS, p)


def hessian_of_expected_loss():
    return hessian(expected_loss(), wg)


# ---- a concrete problem of realistic size --------------------------------------------------

LOSS_SAMPLES = 400_000  # the masks the Monte Carlo check of 1.1 draws
DATA_SEED = 7          # the data of the experiments (the checks' own seed is in Tolerances)
KEEP_P = 0.8


def problem(rows: int = 60, cols: int = 5):
    """Correlated features with very different scales, and a noisy linear target."""
    rng = np.random.default_rng(DATA_SEED)
    scales = np.geomspace(0.3, 3.0, cols)
    mixing = np.eye(cols) + 0.4 * rng.standard_normal((cols, cols)) / np.sqrt(cols)
    X = rng.standard_normal((rows, cols)) @ mixing * scales
    w_true = rng.standard_normal(cols)
    y = X @ w_true + 0.5 * rng.standard_normal(rows)
    return X, y[:, None], rng.standard_normal(cols)[:, None]


def sample_losses(X, y, w, keep, rng, size):
    """L(w) for `size` independent masks (one loss per row)."""
    out = np.empty(size)
    for start in range(0, size, 4000):
        masks = rng.random((min(4000, size - start), *X.shape)) < keep
        residual = y[None, :, 0] - np.einsum("snd,d->sn", X * masks, w[:, 0])
        out[start:start + len(masks)] = np.sum(residual**2, axis=1)
    return out


def sample_gradients(X, y, w, keep, rng, size):
    """grad_w L(w) = -2 (X o R)^T (y - (X o R) w) for `size` masks (one gradient per row)."""
    out = np.empty((size, X.shape[1]))
    for start in range(0, size, 4000):
        masked = X * (rng.random((min(4000, size - start), *X.shape)) < keep)
        residual = y[None, :, 0] - np.einsum("snd,d->sn", masked, w[:, 0])
        out[start:start + len(masked)] = -2 * np.einsum("snd,sn->sd", masked, residual)
    return out


# ---- derivations ---------------------------------------------------------------------------

GENERAL = (X_, y_, w_)         # the operands of the printed formulas
GENERIC = (Xg, yg, wg)         # the operands of the proofs
# What the printed formulas' symbols stand for when they are checked: one formula, printed
# on matrix symbols and checked on the generic problem.
ON_GENERIC = {X_: Xg, y_: yg, w_: wg, R_: Rg, G_: gamma_matrix(Xg),
              Xt_: Xg * gamma_matrix(Xg).inv(), n: N, d: D}


def solved_weights(loss, scale=1):
    """The weights where the gradient of `loss` vanishes, solved for (times `scale`)."""
    roots = sp.solve(list(gradient(loss, wg)), list(wg), dict=True)[0]
    return sp.Matrix([roots[w] for w in wg]) * scale


def setup():
    return derivation(
        given(Notation(r"L(\boldsymbol{w})"), dropout_loss(X_, y_, w_, R_), kind="statement",
              name="the dropout loss", reason="the problem's loss"),
        given(Notation(r"\Gamma_{ii}"), sp.sqrt(XtX_ii_), name="Γ", kind="statement",
              reason="the problem's notation",
              why=r"and $\boldsymbol{\Gamma}$ is diagonal, with"),
    )


def moments():
    """E[X o R] and E[(X o R)^T (X o R)], proved entry by entry on a generic 3 x 2 problem."""
    masked = hadamard(Xg, Rg)
    mean = masked.applyfunc(lambda e: bernoulli_mean(e, MASKS, p))
    second = (masked.T * masked).applyfunc(lambda e: bernoulli_mean(e, MASKS, p))
    mask = Rg[0, 0]
    mask_mean = bernoulli_mean(mask, MASKS, p)
    variance = {var_R_: bernoulli_mean((mask - mask_mean)**2, MASKS, p), mean_R_: mask_mean}
    on_diagonal = {XtX_ii_: (Xg.T * Xg)[0, 0], Gamma_ii_: gamma_matrix(Xg)[0, 0]}
    return derivation(
        claim(Notation(r"\mathbb{E}_{\boldsymbol{R}}[\boldsymbol{X}\odot\boldsymbol{R}]"),
              stated_mask_mean(X_, p), where=ON_GENERIC, derived=mean,
              name="mean of the masked input",
              why=r"Entry $(k, i)$ of $\boldsymbol{X}\odot\boldsymbol{R}$ is $X_{ki}R_{ki}$, "
                  r"and " + inline(claim(Notation(r"\mathbb{E}R_{ki}"), p,
                                         derived=bernoulli_mean(Rg[0, 0], MASKS, p),
                                         name="mean of a mask")) + ", so"),
        claim(Notation(r"\mathbb{E}_{\boldsymbol{R}}\left[(\boldsymbol{X}\odot\boldsymbol{R}"
                       r")^{\top}(\boldsymbol{X}\odot\boldsymbol{R})\right]"),
              stated_second_moment(X_, p, G_), where=ON_GENERIC, derived=second,
              name="second moment of the masked input",
              why=r"Entry $(i, j)$ of $(\boldsymbol{X}\odot\boldsymbol{R})^{\top}(\boldsymbol{X}"
                  r"\odot\boldsymbol{R})$ is $\sum_k X_{ki}X_{kj}R_{ki}R_{kj}$. Off the diagonal, "
                  r"for two different columns $i$ and $j$, the two masks are independent, so "
                  + inline(claim(Notation(r"\mathbb{E}[R_{ki}R_{kj}]"), p**2,
                                 derived=bernoulli_mean(Rg[0, 0] * Rg[0, 1], MASKS, p),
                                 name="two independent masks"))
                  + r"; on the diagonal they are one mask, and, as "
                  + inline(claim(Notation(r"\mathbb{E}[R_{ki}^2]"),
                                 sp.Add(var_R_, mean_R_**2, evaluate=False), where=variance,
                                 derived=bernoulli_mean(mask**2, MASKS, p),
                                 name="second moment of a mask from its variance"))
                  + ", "
                  + inline(claim(Notation(r"\mathbb{E}[R_{ki}^2]"),
                                 sp.Add(p * (1 - p), p**2, evaluate=False),
                                 derived=bernoulli_mean(Rg[0, 0]**2, MASKS, p),
                                 name="one mask squared"))
                  + r". The diagonal thus gets an extra "
                  + inline(claim(sp.Mul(p * (1 - p), XtX_ii_, evaluate=False),
                                 sp.Mul(p * (1 - p), Gamma_ii_**2, evaluate=False),
                                 where=on_diagonal,
                                 derived=second[0, 0] - p**2 * (Xg.T * Xg)[0, 0],
                                 name="the extra on the diagonal"))
                  + ":"),
    )


def expected_loss_derivation():
    loss_ = Notation(r"L(\boldsymbol{w})")
    expected_ = Notation(r"\mathbb{E}_{\boldsymbol{R}}[L(\boldsymbol{w})]")
    return derivation(
        claim(loss_, expanded_loss(*GENERAL, R_), where=ON_GENERIC,
              derived=sp.Matrix([dropout_loss(*GENERIC, Rg)]), name="the loss expanded",
              why=r"Multiplying out the square ("
                  + inline(claim(SquaredNorm(v_), v_.T @ v_, where={v_: vg},
                                 derived=sp.Matrix([vg.norm()**2]),
                                 name="a squared norm as an inner product"))
                  + r", and the two cross terms are equal scalars),"),
        claim(expected_, expanded_expected_loss(*GENERAL, p, G_), where=ON_GENERIC,
              derived=sp.Matrix([expected_loss()]), name="the expectation term by term",
              why=r"The expectation goes through each term. The mask enters the middle term "
                  r"once and the last term twice, so the two moments above replace it:"),
        claim(expected_, stated_expected_loss(*GENERAL, p, G_), where=ON_GENERIC,
              derived=expected_loss(), name="the expected dropout loss",
              why=r"Splitting the second moment in the last term into its two parts, the part "
                  r"with $\boldsymbol{X}^{\top}\boldsymbol{X}$ completes the square with the first "
                  r"two terms, and what is left is the penalty:"),
    )


def expected_loss_sampled():
    """The expected loss of 1.1 by sampling masks, on a concrete problem of realistic size."""
    X, y, w = problem()
    at_problem = stated_expected_loss(X, y, w, KEEP_P, gamma_matrix(X))
    return derivation(
        claim(Notation(r"\tfrac{1}{S}\textstyle\sum_{s=1}^{S} L(\boldsymbol{w}; "
                       r"\boldsymbol{R}_s)"), sp.Float(round(at_problem, 4)),
              derived=partial(sample_losses, X, y, w, KEEP_P), method="montecarlo",
              mc_samples=LOSS_SAMPLES,
              relation=r"\approx", name="expected loss, Monte Carlo",
              why=r"These exact checks rest on the rule that reduces the powers of a "
                  r"mask. Sampling tests the result without that rule, and at another size: "
                  r"on a problem with "
                  + inline(given(Notation("n"), X.shape[0], kind="assumption",
                                 name="rows of the sampled problem", reason="its size"))
                  + ", "
                  + inline(given(Notation("d"), X.shape[1], kind="assumption",
                                 name="columns of the sampled problem", reason="its size"))
                  + r", columns of very different norms and "
                  + inline(given(p, KEEP_P, kind="assumption", name="keep probability sampled",
                                 reason="the instance sampled"))
                  + r", the mean loss over "
                  + inline(given(Notation("S"), LOSS_SAMPLES, kind="assumption",
                                 name="masks sampled", reason="the size of the sample"))
                  + r" independent masks is, within its sampling error, the right-hand side "
                    r"of the result, evaluated on that problem:"),
    )


def dropout_solution_derivation():
    A = hessian_of_expected_loss() / 2
    G = gamma_matrix(Xg)
    derived_lambda = (A - p**2 * Xg.T * Xg)[0, 0] / (p**2 * (G**2)[0, 0])
    w_star = solved_weights(expected_loss())
    stationary = A * w_star                       # half the Hessian at the stationary point
    at_stationary = {**ON_GENERIC, w_: w_star, lam_dropout_: dropout_lambda(p)}
    coefficient = {**ON_GENERIC, lam_dropout_: dropout_lambda(p)}
    # the chain rule, on a nonlinear f of two variables with generic coefficients
    a = generic("a", 2)
    f = sp.Matrix([a[0] * wg[0] * wg[1] + sp.sin(wg[1]), sp.exp(a[1] * wg[0]) + wg[1]**2])
    return derivation(
        claim(Notation(r"\nabla_{\boldsymbol{w}}\,\mathbb{E}_{\boldsymbol{R}}[L]"),
              stated_gradient(*GENERAL, p, G_), where=ON_GENERIC,
              derived=gradient(expected_loss(), wg), name="gradient of the expected loss",
              why=r"By the chain rule, with $\boldsymbol{J_f}$ the Jacobian of $\boldsymbol{f}$, "
                  r"the gradient of a squared norm is "
                  + inline(claim(Notation(r"\nabla_{\boldsymbol{w}}\|\boldsymbol{f}(\boldsymbol{w})"
                                          r"\|^2"), 2 * J_f_.T @ f_vec_,
                                 where={J_f_: f.jacobian(wg), f_vec_: f},
                                 derived=gradient(sqnorm(f), wg),
                                 name="the chain rule for a squared norm"))
                  + r", so"),
        claim(Notation(r"\nabla^2_{\boldsymbol{w}}\,\mathbb{E}_{\boldsymbol{R}}[L]"),
              stated_hessian(X_, p, G_), where=ON_GENERIC,
              derived=hessian_of_expected_loss(), name="Hessian of the expected loss",
              why=r"and the Hessian is"),
        claim(lam_dropout_, dropout_lambda(p),
              derived=derived_lambda, name="the dropout coefficient",
              why=r"Setting the gradient to zero gives "
                  + inline(claim(product(stated_second_moment(X_, p, G_), w_), p * X_.T @ y_,
                                 where=at_stationary, derived=stationary,
                                 name="the stationarity equation"))
                  + r". Dividing by $p$ and writing the unknown as $p\boldsymbol{w}$ gives "
                  + inline(claim(product(written(X_.T @ X_, lam_dropout_ * G_**2), p * w_),
                                 X_.T @ y_, where=at_stationary, derived=stationary / p,
                                 name="the stationarity equation for p w"))
                  + ", where"),
        claim(Notation(r"p\,\boldsymbol{w}^{\mathrm{dropout}}"),
              stated_dropout_solution(X_, y_, p, G_), where=ON_GENERIC,
              derived=solved_weights(expected_loss(), p), name="the dropout minimiser",
              why=r"For $p$ strictly between zero and one this Hessian is positive definite as "
                  r"soon as no column of $\boldsymbol{X}$ is zero: the first term is positive "
                  r"semi-definite, and "
                  + inline(claim(product(w_.T, G_**2, w_), weighted_,
                                 where={**ON_GENERIC, weighted_: sum(
                                     G[i, i]**2 * wg[i]**2 for i in range(D))},
                                 derived=sp.Matrix([sum(sqnorm(Xg[:, i]) * wg[i]**2
                                                        for i in range(D))]),
                                 name="the penalty as a weighted sum of squares"))
                  + r" is positive for every nonzero $\boldsymbol{w}$ when every $\Gamma_{ii}$ is "
                    r"positive, that is, when no column is zero. The expected loss is then "
                    r"strictly convex; as "
                  + inline(claim(Notation(r"\nabla^2_{\boldsymbol{w}}\,\mathbb{E}_{\boldsymbol{R}}"
                                          r"[L]"),
                                 product(2 * p**2, written(X_.T @ X_, lam_dropout_ * G_**2)),
                                 where=coefficient, derived=hessian_of_expected_loss(),
                                 name="the Hessian through the dropout coefficient"))
                  + r", the matrix in parentheses is invertible, and the stationary point is the "
                    r"unique minimiser (a zero column would leave its weight free, as it never "
                    r"meets the data). Solving the stationarity equations gives it:"),
    )


smallest_ = Notation(r"\lambda_{\min}\left(\nabla^2_{\boldsymbol{w}}\,"
                     r"\mathbb{E}_{\boldsymbol{R}}[L]\right)")


def dropout_numbers():
    """On the concrete problem: the closed form zeroes the sampled gradient on average, and
    the Hessian is positive definite."""
    X, y, _ = problem()
    G = gamma_matrix(X)
    w_star = stated_dropout_solution(X, y, KEEP_P, G) / KEEP_P
    smallest = np.linalg.eigvalsh(stated_hessian(X, KEEP_P, G)).min()
    return derivation(
        claim(Notation(r"\mathbb{E}_{\boldsymbol{R}}\left[\nabla_{\boldsymbol{w}} "
                       r"L(\boldsymbol{w}^{\mathrm{dropout}}; \boldsymbol{R})\right]"),
              sp.zeros(X.shape[1], 1), derived=partial(sample_gradients, X, y, w_star, KEEP_P),
              method="montecarlo", name="the minimiser, Monte Carlo", relation=r"\approx",
                   why=r"Sampling checks the closed form where the exact check cannot reach, on "
                       r"the concrete problem ("
                       + inline(given(p, KEEP_P, kind="assumption", name="keep probability sampled",
                                      reason="the instance sampled"))
                       + r") and with the masks drawn for real: the gradient of the sampled loss "
                         r"at the closed-form minimiser averages to zero in every coordinate,"),
        inequality(smallest_, ">", sp.Integer(0), where={smallest_: smallest},
                   name="the Hessian is positive definite",
                   why=r"and the Hessian of that problem is positive definite, as the "
                       r"argument above says it must be (no column of that problem is zero):"),
    )


def dropout_limits():
    return derivation(
        inequality(sp.Derivative(dropout_lambda(p), p), "<", sp.Integer(0),
                   name="λ decreases in p",
                   why=r"The coefficient decreases as the keep probability rises,"),
        claim(Notation(r"\lim_{p\to 0^+}\lambda^{\mathrm{dropout}}"), sp.oo,
              derived=sp.Limit(dropout_lambda(p), p, 0, "+"), method="limit",
              name="the coefficient as p tends to 0", why="from"),
        claim(Notation(r"\lim_{p\to 1^-}\lambda^{\mathrm{dropout}}"), sp.Integer(0),
              derived=sp.Limit(dropout_lambda(p), p, 1, "-"), method="limit",
              name="the coefficient as p tends to 1", why="to"),
        claim(Notation(r"\lim_{p\to 1^-} p\,\boldsymbol{w}^{\mathrm{dropout}}"),
              least_squares(X_, y_), where=ON_GENERIC,
              derived=stated_dropout_solution(Xg, yg, p, gamma_matrix(Xg)).subs(p, 1),
              name="no dropout is least squares",
              why=r"As $p$ tends to one, nothing is dropped any more and, when "
                  r"$\boldsymbol{X}$ has full column rank (so that "
                  r"$\boldsymbol{X}^{\top}\boldsymbol{X}$ is invertible, and the solution "
                  r"continuous in $p$ up to one), the solution tends to ordinary least squares:"),
    )


def l2_derivation():
    return derivation(
        given(Notation(r"L^{L_2}(\boldsymbol{w})"), l2_loss(X_, y_, w_, lam), kind="statement",
              name="the L2-regularised loss", reason="the problem's loss"),
        claim(Notation(r"\nabla_{\boldsymbol{w}} L^{L_2}"), stated_l2_gradient(*GENERAL, lam),
              where=ON_GENERIC,
              derived=gradient(l2_loss(*GENERIC, lam), wg), name="gradient of the L2 loss",
              why="Its gradient is"),
        claim(Notation(r"\nabla^2_{\boldsymbol{w}} L^{L_2}"),
              written(2 * X_.T @ X_, 2 * lam * sp.Identity(d)), where=ON_GENERIC,
              derived=hessian(l2_loss(*GENERIC, lam), wg), name="Hessian of the L2 loss",
              why=r"and its Hessian is positive definite for positive $\lambda^{L_2}$:"),
        claim(Notation(r"\boldsymbol{w}^{L_2}"), stated_l2_solution(X_, y_, lam),
              where=ON_GENERIC, derived=solved_weights(l2_loss(*GENERIC, lam)),
              name="the L2 minimiser",
              why="so the unique minimiser, where the gradient vanishes, is"),
    )


# ---- 1.4: how each method shrinks each coordinate -------------------------------------------

c = sp.Symbol("c_i", positive=True)       # the norm of column i, for display
C1, C2 = sp.symbols("c_1 c_2", positive=True)
XO = sp.Matrix([[C1, 0], [0, C2], [0, 0]])      # two orthogonal columns of norms c1, c2


def normalised_ridge(X, y, keep, G):
    """Gamma^-1 (Xn^T Xn + lambda^dropout I)^-1 Xn^T y with Xn = X Gamma^-1: L2 on the
    features rescaled to unit norm, mapped back."""
    Xn = Xt_ if isinstance(X, sp.MatrixSymbol) else X @ inverse(G)
    return inverse(G) @ stated_l2_solution(Xn, y, dropout_lambda(keep))


def ratios(numerator, denominator):
    return sp.Matrix([sp.simplify(a / b) for a, b in zip(numerator, denominator)])


def comparison_derivation():
    solved = solved_weights(expected_loss(), p)
    ols = least_squares(XO, yg)
    return derivation(
        claim(Notation(r"p\,\boldsymbol{w}^{\mathrm{dropout}}"),
              normalised_ridge(X_, y_, p, G_), where=ON_GENERIC, derived=solved,
              name="dropout is L2 on normalised features",
              why=r"Dropout is weight decay applied after every feature is rescaled to unit "
                  r"norm: with no zero column, $\boldsymbol{\Gamma}$ is invertible, and with "
                  r"\given[definition]{$\tilde{\boldsymbol{X}} = \boldsymbol{X}"
                  r"\boldsymbol{\Gamma}^{-1}$} the dropout solution, obtained here by solving the "
                  r"stationarity equations "
                  r"directly, is"),
        claim(Notation(r"\begin{pmatrix} w^{L_2}_1 / w^{\mathrm{OLS}}_1 \\ "
                       r"w^{L_2}_2 / w^{\mathrm{OLS}}_2 \end{pmatrix}"),
              sp.Matrix([C1**2 / (C1**2 + lam), C2**2 / (C2**2 + lam)]),
              derived=ratios(stated_l2_solution(XO, yg, lam), ols),
              name="L2 shrinkage with orthogonal columns",
              why=r"The difference is clearest when the columns are orthogonal, with norms "
                  r"$c_i$. Weight decay then shrinks each least-squares weight by its own "
                  r"factor, which depends on the column's norm:"),
        claim(Notation(r"p\,w^{\mathrm{dropout}}_i / w^{\mathrm{OLS}}_i"), p,
              derived=ratios(stated_dropout_solution(XO, yg, p, gamma_matrix(XO)), ols),
              name="dropout shrinkage with orthogonal columns",
              why=r"while dropout shrinks every effective weight $p\,w_i$ by the same factor, "
                  r"whatever the norm:"),
    )


var_1_ = Notation(r"\operatorname{Var}(\boldsymbol{X}_{:,1})")
mean_1_ = Notation(r"\overline{\boldsymbol{X}}_{:,1}")


def second_moment():
    """Gamma_11^2 = n (mean^2 + Var) for the first column of the generic design, with Var the
    population variance (normalised by n): the uncentred second moment, n Var only for a
    centred column."""
    column = Xg[:, 0]
    column_mean = sum(column) / N
    variance = sqnorm(column - sp.ones(N, 1) * column_mean) / N
    return claim(Notation(r"\Gamma_{11}^2"), n * (var_1_ + mean_1_**2),
                 where={n: N, var_1_: variance, mean_1_: column_mean},
                 derived=(gamma_matrix(Xg)**2)[0, 0], name="Γ² is a second moment")


def orthogonal_design(norms=np.geomspace(0.25, 6.0, 9), rows: int = 40):
    """Orthogonal columns with the given norms (from a QR factorisation) and a target."""
    rng = np.random.default_rng(DATA_SEED)
    Q, _ = np.linalg.qr(rng.standard_normal((rows, len(norms))))
    X = Q * norms
    y = X @ rng.uniform(0.5, 1.5, len(norms)) + 0.3 * rng.standard_normal(rows)
    return X, y[:, None]


L2_WEIGHT = 2.0          # not 1: at 1, lambda and lambda^2 could not be told apart


def shrinkage(X, y, keep=KEEP_P, weight=L2_WEIGHT):
    """Per-coordinate ratios to least squares, from solving each problem numerically."""
    ols = np.linalg.lstsq(X, y, rcond=None)[0][:, 0]
    l2 = np.linalg.solve(X.T @ X + weight * np.eye(X.shape[1]), X.T @ y)[:, 0]
    G = gamma_matrix(X)
    dropout = np.linalg.solve(X.T @ X + dropout_lambda(keep) * G**2, X.T @ y)[:, 0]
    return l2 / ols, dropout / ols


def shrinkage_numbers():
    X, y = orthogonal_design()
    norms = np.sqrt(np.diag(X.T @ X))
    l2, dropout = shrinkage(X, y)
    return derivation(
        claim(Notation(r"w^{L_2}_i / w^{\mathrm{OLS}}_i"),
              c**2 / (c**2 + lam), where={c: norms, lam: L2_WEIGHT}, derived=sp.Matrix(l2),
              name="L2 shrinkage in the figure",
              why=r"The markers of Figure~\ref{fig:q1-shrinkage} solve each regularised "
                  r"problem on nine orthogonal columns with norms from "
                  + inline(claim(Notation(r"c_1"), rounded(norms[0], 2), derived=norms[0],
                                 name="the smallest column norm in the figure"))
                  + " to "
                  + inline(claim(Notation(r"c_9"), rounded(norms[-1], 1), derived=norms[-1],
                                 name="the largest column norm in the figure"))
                  + ", with "
                  + inline(given(lam, sp.nsimplify(L2_WEIGHT), kind="assumption",
                                 name="weight decay in the figure", reason="the instance plotted"))
                  + " and "
                  + inline(given(p, KEEP_P, kind="assumption",
                                 name="keep probability in the figure",
                                 reason="the instance plotted"))
                  + "; at each of the nine norms the solutions give"),
        claim(Notation(r"p\,w^{\mathrm{dropout}}_i / w^{\mathrm{OLS}}_i"), p, where={p: KEEP_P},
              derived=sp.Matrix(dropout),
              name="dropout shrinkage in the figure"),
    )


# ---- training with sampled masks ------------------------------------------------------------

def train_with_dropout(X, y, keep=KEEP_P, steps: int = 30000):
    """Stochastic gradient descent on L(w; R) with a fresh mask per step, and the running
    (Polyak) average of the iterates over the second half; returns the averaged path."""
    rng = np.random.default_rng(DATA_SEED)
    G = gamma_matrix(X)
    rate = 0.5 / np.linalg.eigvalsh(stated_hessian(X, keep, G)).max()
    w = np.zeros(X.shape[1])
    average, path = np.zeros_like(w), np.empty((steps, X.shape[1]))
    for t in range(steps):
        masked = X * (rng.random(X.shape) < keep)
        w -= rate * -2 * masked.T @ (y[:, 0] - masked @ w)
        k = max(t - steps // 2, 0) + 1
        average = w.copy() if t <= steps // 2 else average + (w - average) / k
        path[t] = average
    return path


@lru_cache(maxsize=1)             # the derivation and the figure use the same run
def training_distances():
    """Relative distances of the averaged iterates to the dropout solution and to least
    squares, and the distance between those two solutions, all over ||w_dropout||."""
    X, y, _ = problem()
    target = (stated_dropout_solution(X, y, KEEP_P, gamma_matrix(X)) / KEEP_P)[:, 0]
    ols = np.linalg.lstsq(X, y, rcond=None)[0][:, 0]
    path = train_with_dropout(X, y)
    to_dropout = np.linalg.norm(path - target, axis=1) / np.linalg.norm(target)
    to_ols = np.linalg.norm(path - ols, axis=1) / np.linalg.norm(target)
    return to_dropout, to_ols, np.linalg.norm(target - ols) / np.linalg.norm(target)


def training_derivation():
    to_dropout, to_ols, apart = training_distances()
    return derivation(
        inequality(to_dropout_, r"\le", sp.Float(0.01), where={to_dropout_: to_dropout[-1]},
                   name="training reaches the closed form",
                   why=rf"Write \given[definition]{{$d_T = \|\bar{{\boldsymbol{{w}}}}_T - "
                       rf"\boldsymbol{{w}}^{{\mathrm{{dropout}}}}\| / \|\boldsymbol{{w}}^{{"
                       rf"\mathrm{{dropout}}}}\|$}} and \given[definition]{{$e_T = \|\bar{{"
                       rf"\boldsymbol{{w}}}}_T - \boldsymbol{{w}}^{{\mathrm{{OLS}}}}\| / \|"
                       rf"\boldsymbol{{w}}^{{\mathrm{{dropout}}}}\|$}} for the "
                       rf"relative distances of the averaged iterate after $T$ steps to the two "
                       rf"solutions. Training with a fresh mask at every step ends within 1\% of "
                       rf"the closed form after {len(to_dropout)} steps,"),
        inequality(sp.Add(apart_, -to_dropout_, evaluate=False), r"\le", to_ols_, r"\le",
                   sp.Add(apart_, to_dropout_, evaluate=False),
                   where={to_dropout_: to_dropout[-1], to_ols_: to_ols[-1], apart_: apart},
                   name="training does not reach least squares",
                   why=r"while the two solutions are far apart, "
                       + inline(claim(apart_, rounded(apart, 2), derived=apart,
                                      name="how far apart the two solutions are"))
                       + r" with \given[definition]{$\delta = \|\boldsymbol{w}^{\mathrm{dropout}}"
                         r" - \boldsymbol{w}^{\mathrm{OLS}}\| / \|\boldsymbol{w}^{\mathrm{dropout}}"
                         r"\|$}"
                         r", so by the triangle inequality the iterate stays about that far from "
                         r"the least-squares weights:"),
    )


# The relative distances of the averaged iterate after T steps, as the document names them.
to_dropout_ = Notation(r"d_T")
to_ols_ = Notation(r"e_T")
apart_ = Notation(r"\delta")


@styled
def shrinkage_figure():
    X, y = orthogonal_design()
    norms = np.sqrt(np.diag(X.T @ X))
    l2, dropout = shrinkage(X, y)
    grid = np.geomspace(norms[0] * 0.8, norms[-1] * 1.2, 200)
    fig = Figure(figsize=(6.0, 2.9))
    axes = fig.subplots()
    axes.semilogx(grid, grid**2 / (grid**2 + L2_WEIGHT), color="C0",
                  label=rf"weight decay, $c^2/(c^2+\lambda)$, $\lambda = {L2_WEIGHT:g}$")
    axes.semilogx(norms, l2, "o", color="C0", markersize=4, label="weight decay, solved")
    axes.axhline(KEEP_P, color="C1", label=rf"dropout, $p = {KEEP_P}$")
    axes.semilogx(norms, dropout, "s", color="C1", markersize=4, label="dropout, solved")
    axes.set(xlabel=r"column norm $c_i = \|\boldsymbol{X}_{:,i}\|$",
             ylabel=r"effective weight / OLS weight", ylim=(0, 1.05),
             title="shrinkage of each coordinate (orthogonal columns)")
    axes.xaxis.set_minor_formatter(NullFormatter())
    axes.legend(loc="lower right")
    fig.tight_layout()
    return fig


@styled
def training_figure():
    to_dropout, to_ols, _ = training_distances()
    steps = np.arange(1, len(to_dropout) + 1)
    fig = Figure(figsize=(6.0, 2.7))
    axes = fig.subplots()
    axes.loglog(steps, to_dropout, label=r"to the dropout closed form $\boldsymbol{w}^{"
                                          r"\mathrm{dropout}}$")
    axes.loglog(steps, to_ols, "--", label=r"to least squares $\boldsymbol{w}^{\mathrm{OLS}}$")
    axes.axvline(len(steps) // 2, color="0.5", linestyle=":", linewidth=1)
    axes.annotate("averaging starts ", (len(steps) // 2, 3e-3), fontsize=8, ha="right")
    axes.set(xlabel="SGD step (one fresh mask per step)",
             ylabel="relative distance", title="training with sampled dropout masks")
    axes.legend(loc="lower left")
    fig.tight_layout()
    return fig


# ---- errata of the reference solution ------------------------------------------------------

a_, b_, x_ = sp.symbols("a b x", real=True)
f_ = sp.Function("f")
# Names the errata display, bound to what they stand for on the generic problem.
with_p_ = Notation(r"\frac{\partial}{\partial \boldsymbol{w}}\|\boldsymbol{y} - p\boldsymbol{X}"
                   r"\boldsymbol{w}\|^2 + \frac{\partial}{\partial \boldsymbol{w}}\lambda^{L_2}"
                   r"\|\boldsymbol{w}\|^2")
diag_XtX_ = Notation(r"\operatorname{diag}(\boldsymbol{X}^{\top}\boldsymbol{X})")
XtX_ii_ = Notation(r"(\boldsymbol{X}^{\top}\boldsymbol{X})_{ii}")
XtX_ij_ = Notation(r"(\boldsymbol{X}^{\top}\boldsymbol{X})_{ij}")
J_f_, f_vec_ = sp.MatrixSymbol("J_f", 2, 2), sp.MatrixSymbol("f", 2, 1)
D_ = sp.MatrixSymbol("D", d, d)                          # diag(X^T X), for the errata
Xt_plus_ = sp.MatrixSymbol(r"\tilde{X}^{+}", d, n)       # the pseudo-inverse of X Gamma^-1
X_plus_ = sp.MatrixSymbol("X^{+}", d, n)                  # the pseudo-inverse of X
t_ = sp.Symbol("t", positive=True)                       # a coefficient tending to 0
# A design with a dependent column (X^T X singular), and a target: where the two limits part.
X_SINGULAR, Y_SINGULAR = sp.Matrix([[1, 2, 3], [0, 1, 1]]), sp.Matrix([1, 2])


dropout_limit_ = Notation(r"\lim_{\lambda\to 0}(\boldsymbol{X}^{\top}\boldsymbol{X} + "
                          r"\lambda\boldsymbol{\Gamma}^2)^{-1}\boldsymbol{X}^{\top}\boldsymbol{y}")


def dropout_limit(X, y, redraw=None):
    """Dropout's limit on a design with more columns than rows: the minimum-norm solution
    after the columns are scaled to unit norm, mapped back (the correction of 1.4's erratum)."""
    G = gamma_matrix(X)
    limit = limit_as_coefficient_vanishes(G**2, X, y)
    bound = {dropout_limit_: limit, G_: G, y_: y, Xt_plus_: (X * G.inv()).pinv()}
    return claim(dropout_limit_, G_.I @ Xt_plus_ @ y_, where=bound,
                 derived=limit_as_coefficient_vanishes(G**2, X, y), redraw=redraw,
                 name="the dropout limit",
                 why=r"Corrected: the weight-decay limit is the minimum-norm solution "
                     r"$\boldsymbol{X}^{+}\boldsymbol{y}$, while "
                     r"dropout's is the minimum-norm solution after the columns are scaled to "
                     r"unit norm (\given[definition]{$\tilde{\boldsymbol{X}} = \boldsymbol{X}"
                     r"\boldsymbol{\Gamma}^{-1}$}, with $\boldsymbol{\Gamma}$ invertible as no "
                     r"column is zero), mapped back:")


l2_limit_ = Notation(r"\lim_{\lambda\to 0}(\boldsymbol{X}^{\top}\boldsymbol{X} + "
                     r"\lambda\boldsymbol{I})^{-1}\boldsymbol{X}^{\top}\boldsymbol{y}")


def weight_decay_limit(X, y, redraw=None):
    """Weight decay's limit on a design with more columns than rows: the minimum-norm
    solution X+ y (the truth the 1.4 erratum's refutation prints)."""
    return claim(l2_limit_, X_plus_ @ y_, where={X_plus_: X.pinv(), y_: y},
                 derived=limit_as_coefficient_vanishes(sp.eye(X.cols), X, y), redraw=redraw,
                 name="the weight-decay limit",
                 why=r"the weight-decay limit is the minimum-norm solution, with "
                     r"\given[notation]{$\boldsymbol{X}^{+}$} the Moore--Penrose "
                     r"pseudo-inverse,")


def _singular_design(rng):
    """A fresh 2 x 3 design of small integers (no zero column, rank 2: as singular as the
    instance shown) and a fresh target."""
    while True:
        X = sp.Matrix(rng.integers(-3, 4, size=(2, 3)).tolist())
        if all(any(X[:, j]) for j in range(3)) and X.rank() == 2:
            break
    return X, sp.Matrix(rng.integers(-3, 4, size=(2, 1)).tolist())


def _dropout_limit_redrawn(rng):
    """The dropout limit's claim on a fresh singular design, for the audit."""
    return dropout_limit(*_singular_design(rng))


def _weight_decay_limit_redrawn(rng):
    """The weight-decay limit's claim on a fresh singular design, for the audit."""
    return weight_decay_limit(*_singular_design(rng))


def limit_as_coefficient_vanishes(penalty, X=X_SINGULAR, y=Y_SINGULAR):
    """lim_{t -> 0+} (X^T X + t P)^-1 X^T y on a singular design, entry by entry."""
    solution = (X.T * X + t_ * penalty).inv() * X.T * y
    return solution.applyfunc(lambda entry: sp.limit(sp.simplify(entry), t_, 0, "+"))


def errata():
    A, b, xv = generic("a", 2, 2), generic("b", 2), generic("x", 2)
    f = A * xv + b
    mask_mean = sp.expand(bernoulli_mean(hadamard(Xg, Rg)[:, 0].T * hadamard(Xg, Rg)[:, 0],
                                         MASKS, p)[0])
    diagonal = sp.diag(*[(Xg.T * Xg)[i, i] for i in range(D)])
    with_p = gradient(sqnorm(yg - p * Xg * wg) + lam * sqnorm(wg), wg)
    on_generic = {**ON_GENERIC, D_: diagonal}
    second = hadamard(Xg, Rg).T * hadamard(Xg, Rg)
    second = second.applyfunc(lambda e: bernoulli_mean(e, MASKS, p))
    expected_M = Notation(r"\mathbb{E}_{\boldsymbol{R}}[\boldsymbol{M}]")
    G = gamma_matrix(X_SINGULAR)
    first_mean = sum(Xg[:, 0]) / N
    first_variance = sqnorm(Xg[:, 0] - sp.ones(N, 1) * first_mean) / N
    singular = {dropout_limit_: limit_as_coefficient_vanishes(G**2), G_: G, y_: Y_SINGULAR,
                Xt_plus_: (X_SINGULAR * G.inv()).pinv()}     # pinv: sympy's Moore-Penrose
    return [
        Erratum(
            r"Question 1.1, the diagonal of $\mathbb{E}[\boldsymbol{M}]$",
            r"A diagonal entry of $\mathbb{E}_{\boldsymbol{R}}[\boldsymbol{M}]$, a number, is "
            r"equated with the matrix $\operatorname{diag}(\boldsymbol{X}^{\top}\boldsymbol{X})$"
            r" times a scalar. The intended statement concerns one entry.",
            claim(Notation(r"\mathbb{E}_{\boldsymbol{R}}[M_{ii}]"),
                  (p**2 + p * (1 - p)) * diag_XtX_,
                  where={diag_XtX_: diagonal},
                  derived=mask_mean, name="diagonal entry as a matrix (reference)"),
            claim(Notation(r"\mathbb{E}_{\boldsymbol{R}}[M_{ii}]"),
                  sp.Mul(p, XtX_ii_, evaluate=False),
                  where={XtX_ii_: (Xg.T * Xg)[0, 0]}, derived=mask_mean, name="a diagonal entry of E[M]"),
            readings=(claim(diag_XtX_, diagonal,
                            derived=(Xg.T * Xg).multiply_elementwise(sp.eye(D)),
                            name="the diagonal of XᵀX",
                            why=r"Here, on the generic instance of the checks of 1.1,"),),
        ),
        Erratum(
            r"Question 1.1, the expectation of $\boldsymbol{M}$ as a matrix",
            r"The next line assembles $\mathbb{E}_{\boldsymbol{R}}[\boldsymbol{M}]$, with "
            r"\given[definition]{$\boldsymbol{D} = \operatorname{diag}(\boldsymbol{X}^{\top}"
            r"\boldsymbol{X})$}, from the diagonal above plus the entries off it, "
            + inline(claim(Notation(r"\mathbb{E}_{\boldsymbol{R}}[M_{ij}]"),
                           sp.Mul(p**2, XtX_ij_, evaluate=False),
                           where={XtX_ij_: (Xg.T * Xg)[0, 1]}, derived=second[0, 1],
                           name="an entry of E[M] off the diagonal"))
            + r", one entry added to a matrix. Read as the matrix "
            r"$\boldsymbol{X}^{\top}\boldsymbol{X}$, that term counts the diagonal a second "
            r"time; the off-diagonal part is what is meant, and the line's final form is right.",
            claim(expected_M, written((p**2 + p * (1 - p)) * D_, p**2 * X_.T @ X_),
                  where=on_generic,
                  derived=second, name="E[M] with the diagonal twice (reference)"),
            claim(expected_M, written((p**2 + p * (1 - p)) * D_, p**2 * (X_.T @ X_ - D_)),
                  where=on_generic, derived=second, name="E[M] assembled"),
        ),
        Erratum(
            r"Question 1.2, the derivative of a squared norm",
            r"The chain rule for the squared norm of $\boldsymbol{f}(\boldsymbol{x})$ is written "
            r"with the "
            r"derivative of $\boldsymbol{f}^{\top}\boldsymbol{f}$ itself in place of the "
            r"Jacobian of $\boldsymbol{f}$. Read with one variable and an affine $f$, it "
            r"already fails.",
            claim(sp.Derivative(f_(x_)**2, x_), 2 * sp.Derivative(f_(x_) * f_(x_), x_) * f_(x_),
                  where={f_(x_): a_ * x_ + b_}, derived=sp.diff((a_ * x_ + b_)**2, x_),
                  name="chain rule (reference)"),
            claim(Notation(r"\nabla_{\boldsymbol{x}}\|\boldsymbol{f}(\boldsymbol{x})\|^2"),
                  2 * J_f_.T @ f_vec_, where={J_f_: f.jacobian(xv), f_vec_: f},
                  derived=gradient(sqnorm(f), xv), name="chain rule for a squared norm",
                  why=r"Corrected, with \given[definition]{$\boldsymbol{J_f} = "
                      r"\partial\boldsymbol{f}/\partial\boldsymbol{x}$} the Jacobian, and checked "
                      r"on \given[assumption]{"
                      r"$\boldsymbol{f}(\boldsymbol{x}) = \boldsymbol{A}\boldsymbol{x} + "
                      r"\boldsymbol{b}$} with generic entries, in two dimensions:"),
            readings=(given(f_(x_), a_ * x_ + b_, name="an affine f", kind="assumption",
                            reason="the instance the refutation is read on",
                            why="Here, with"),),
        ),
        Erratum(
            r"Question 1.3, the gradient of the L2 loss",
            r"The derivative starts from the squared norm of $\boldsymbol{y} - p\boldsymbol{X}"
            r"\boldsymbol{w}$, the dropout factor $p$ carried over from 1.2 into a problem without "
            r"dropout; the next line keeps it, and the final line is right.",
            claim(Notation(r"\nabla_{\boldsymbol{w}} L^{L_2}"), with_p_,
                  where={with_p_: with_p},
                  derived=gradient(l2_loss(*GENERIC, lam), wg), domain=KEEP,
                  name="L2 gradient with p (reference)"),
            claim(Notation(r"\nabla_{\boldsymbol{w}} L^{L_2}"),
                  stated_l2_gradient(*GENERAL, lam), where=ON_GENERIC,
                  derived=gradient(l2_loss(*GENERIC, lam), wg), name="gradient of the L2 loss"),
            readings=(claim(with_p_, -2 * p * X_.T @ (y_ - p * X_ @ w_) + 2 * lam * w_,
                            where={**ON_GENERIC, with_p_: with_p},
                            derived=gradient(sqnorm(yg - p * Xg * wg), wg) + 2 * lam * wg,
                            name="the gradient with p", why="Here"),),
        ),
        Erratum(
            r"Questions 1.2 and 1.4, the limits as the coefficients vanish",
            r"At the end of 1.2, as the keep probability tends to one, the reference says that "
            r"dropout recovers the least-squares solution $(\boldsymbol{X}^{\top}\boldsymbol{X})"
            r"^{-1}\boldsymbol{X}^{\top}\boldsymbol{y}$; the comparison of 1.4 says the same "
            r"of both methods as either coefficient tends to zero. That needs "
            r"$\boldsymbol{X}^{\top}\boldsymbol{X}$ invertible; without it both limits exist "
            r"but they are different solutions of the normal equations, as the design with a "
            r"dependent column below shows.",
            claim(l2_limit_, dropout_limit_, where=singular,
                  derived=limit_as_coefficient_vanishes(sp.eye(3)),
                  name="limits equal (reference)",
                  why=r"Our reading: both limits would be "
                      r"$(\boldsymbol{X}^{\top}\boldsymbol{X})^{-1}\boldsymbol{X}^{\top}"
                      r"\boldsymbol{y}$, hence equal:"),
            dropout_limit(X_SINGULAR, Y_SINGULAR, redraw=_dropout_limit_redrawn),
            readings=(given(X_, X_SINGULAR, kind="assumption",
                            name="a design with a dependent column",
                            reason="the instance the refutation is read on",
                            why="Here, with a dependent column,"),
                      given(y_, Y_SINGULAR, kind="assumption", name="a target",
                            reason="the instance the refutation is read on",
                            why="and the target"),
                      weight_decay_limit(X_SINGULAR, Y_SINGULAR,
                                         redraw=_weight_decay_limit_redrawn)),
        ),
        Erratum(
            r"Question 1.4, the penalty of dropout and the variance",
            r"The reference goes on to say that the square of $\boldsymbol{\Gamma}$ ``contains "
            r"the variance in every direction, regularization is affected by the variance in "
            r"each direction''. Its diagonal holds the columns' sums of squares, $n$ times "
            r"their uncentred second moments, not their variances. The difference matters: a "
            r"constant column, the intercept of a "
            r"regression, has no variance, yet dropout penalises its weight. With "
            r"$\operatorname{Var}(\boldsymbol{X}_{:,1})$ the variance of the first column "
            r"normalised by $n$ and $\overline{\boldsymbol{X}}_{:,1}$ its mean, the sentence "
            r"reads, on the generic design of 1.1:",
            claim(Notation(r"\Gamma_{11}^2"), n * var_1_, where={n: N, var_1_: first_variance},
                  derived=(gamma_matrix(Xg)**2)[0, 0], name="Γ² as a variance "
                  "(reference)"),
            replace(second_moment(), why=r"Corrected: the column's mean enters too, and only for a centred "
                    r"column is the entry $n$ times the variance:"),
        ),
    ]
