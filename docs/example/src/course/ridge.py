"""Problem 3: the bias and the variance of ridge regression, checked exactly and by Monte
Carlo, and a figure of the trade-off."""


import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from veritex.claims import claim, step
from veritex.figures import styled
from veritex.latex import Notation

from .least_squares import Xg, X, n, d

lam, sigma = sp.symbols("lambda sigma", positive=True)
w, eps = sp.MatrixSymbol("w", d, 1), sp.MatrixSymbol("varepsilon", n, 1)
A = sp.MatrixSymbol("A", d, d)
wg = sp.Matrix(sp.symbols("w1:3", real=True))
eg = sp.Matrix(sp.symbols("e1:4", real=True))       # the noise, one entry per observation
ON = {X: Xg, w: wg, A: (Xg.T * Xg + lam * sp.eye(2)).inv()}
MEAN = Notation(r"\mathbb{E}[\hat{\boldsymbol{w}}]")
BIAS = Notation(r"\mathbb{E}[\hat{\boldsymbol{w}}] - \boldsymbol{w}")


def estimate(X, w, noise, weight):
    """The ridge estimate from y = X w + noise."""
    return (X.T * X + weight * sp.eye(X.cols)).inv() * X.T * (X * w + noise)


def expectation_over_noise(expr):
    """E over noise of independent entries of mean 0 and variance sigma^2, for an expression
    of degree at most two in the noise: its value at zero, plus sigma^2 / 2 times the sum of
    its second derivatives in each entry (no expansion of the rational coefficients)."""
    return expr.subs({e: 0 for e in eg}) + sigma**2 / 2 * sum(
        sp.diff(expr, e, 2).subs({f: 0 for f in eg}) for e in eg)


@step
def its_bias():
    """With the noise of mean zero, the estimate's mean falls short of $\\boldsymbol{w}$ by"""
    mean = estimate(Xg, wg, eg, lam).applyfunc(expectation_over_noise)
    return claim(BIAS, -lam * A * w, where=ON,
                 derived=mean - wg)


@step
def its_variance():
    """and, with noise entries of standard deviation $\\sigma$, its covariance is"""
    spread = estimate(Xg, wg, eg, lam) - estimate(Xg, wg, sp.zeros(3, 1), lam)
    return claim(Notation(r"\operatorname{Cov}(\hat{\boldsymbol{w}})"),
                 sigma**2 * A * X.T * X * A,
                 where=ON, derived=(spread * spread.T).applyfunc(expectation_over_noise))


# ---- a numeric instance, for the Monte Carlo check and the figure ----------------------
X_NUM = np.array([[1.0, 0.2], [0.3, 1.1], [0.9, -0.4]])
W_NUM, SIGMA_NUM, LAM_NUM = np.array([1.0, -0.5]), 0.3, 0.7


def estimates(rng, size, weight=LAM_NUM):
    """`size` ridge estimates, each from a fresh draw of Gaussian noise: one row each."""
    noise = SIGMA_NUM * rng.standard_normal((size, len(X_NUM)))
    targets = X_NUM @ W_NUM + noise
    solve = np.linalg.inv(X_NUM.T @ X_NUM + weight * np.eye(2)) @ X_NUM.T
    return targets @ solve.T


@step
def its_mean_sampled():
    """Drawing the noise many times, the average estimate agrees with the mean that the bias
    gives:"""
    mean = sp.Matrix(np.linalg.inv(X_NUM.T @ X_NUM + LAM_NUM * np.eye(2))
                     @ X_NUM.T @ X_NUM @ W_NUM)
    return claim(MEAN, mean.applyfunc(lambda v: round(v, 3)),
                 derived=estimates, method="montecarlo", relation=r"\approx")


@styled
def figure():
    weights = np.geomspace(0.01, 30, 60)
    inverse = [np.linalg.inv(X_NUM.T @ X_NUM + k * np.eye(2)) for k in weights]
    bias = [np.sum((k * a @ W_NUM) ** 2) for k, a in zip(weights, inverse)]
    variance = [SIGMA_NUM**2 * np.trace(a @ X_NUM.T @ X_NUM @ a) for a in inverse]
    fig = Figure(figsize=(5.5, 2.6))
    axes = fig.subplots()
    axes.loglog(weights, bias, label="squared bias")
    axes.loglog(weights, variance, "--", label="variance")
    axes.set(xlabel=r"$\lambda$")
    axes.legend()
    return fig
