"""Question 5: gradient ascent-descent dynamics of a GAN with a linear critic and Dirac data.

Definitions come first (critic, loss, penalty, velocity field); every displayed result is a
stated expression checked against what sympy derives from those definitions.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from matplotlib.figure import Figure
from scipy import optimize
from scipy.integrate import solve_ivp

from veritex.claims import Erratum, claim, define, derivation, given, inequality
from veritex.figures import styled
from veritex.latex import Notation, Pairs
from veritex.runtime import inline
from veritex.values import unfold

from .functions import sigmoid, sigmoid_prime

psi0, psi1, theta, x, u = sp.symbols("psi_0 psi_1 theta x u", real=True)
gamma = sp.Symbol("gamma", positive=True)
time = sp.Symbol("t", nonnegative=True)
lam = sp.Symbol("lambda")
c = sp.Symbol("c", real=True)              # shorthand for C_psi(theta) = psi0*theta + psi1
PARAMS = (psi0, psi1, theta)
ORIGIN = {psi0: 0, psi1: 0, theta: 0}
C_AT_THETA = {c: psi0 * theta + psi1}
START = (0.6, 0.4, 0.8)                  # (psi0, psi1, theta) where the simulations begin
PENALTIES = (0.0, 0.5, 2.0)              # the gammas simulated in the trajectory figure

v_ = Notation(r"\boldsymbol{v}(\psi, \theta)")
lam_plus, lam_minus = Notation(r"\lambda_+"), Notation(r"\lambda_-")
drift = Notation(r"\max_t \left|r^2(t) - r^2(0)\right|")
radius_rate = Notation(r"\frac{d}{dt}\left(\psi_0^2 + \theta^2\right)")
vbar_ = Notation(r"\bar{\boldsymbol{v}}(\psi, \theta)")


# ---- definitions: the model, the objective and the dynamics, derived by sympy ----------

def critic(at):
    return psi0 * at + psi1


def dirac_expectation(integrand, at):
    """E_{x ~ delta_at}[f(x)] = f(at)."""
    return integrand.subs(x, at)


def loss():
    """L(psi, theta) = E_{p_D} log sigma(C(x)) + E_{p_theta} log sigma(-C(x)), p_D = delta_0."""
    return (dirac_expectation(sp.log(sigmoid(critic(x))), 0)
            + dirac_expectation(sp.log(sigmoid(-critic(x))), theta))


def gradient_penalty():
    """R_1(psi) = E_{p_D} |d C / d x|^2."""
    return dirac_expectation(sp.diff(critic(x), x) ** 2, 0)


def velocity(penalty=0):
    """(grad_psi L - penalty/2 grad_psi R_1, -grad_theta L): ascent for the critic, descent
    for the generator."""
    L, R = loss(), gradient_penalty()
    return sp.Matrix([sp.diff(L, psi0) - penalty / 2 * sp.diff(R, psi0),
                      sp.diff(L, psi1) - penalty / 2 * sp.diff(R, psi1),
                      -sp.diff(L, theta)])


def squared_radius(slope, generator):
    """r^2 = psi0^2 + theta^2, the squared distance of (psi0, theta) from the origin: the
    quantity 5.3 shows is conserved, and the simulations track."""
    return slope**2 + generator**2


def only_zero(expr, symbol):
    """The single real zero of `expr` in `symbol`, solved for by sympy (an error if there is
    not exactly one)."""
    (point,) = sp.solveset(unfold(expr), symbol, sp.S.Reals)
    return point


def jacobian(penalty=0):
    return velocity(penalty).jacobian(PARAMS)


def characteristic_polynomial(matrix):
    return (matrix - lam * sp.eye(matrix.rows)).det()


# ---- the stated answers ------------------------------------------------------------------

def stated_velocity(penalty=0):
    s = sigmoid(c)
    return sp.Matrix([-theta * s - penalty * psi0, sigmoid(-psi1) - s, psi0 * s])


def stated_jacobian(penalty=0):
    s, ds = sigmoid(c), sigmoid_prime(c)
    return sp.Matrix([
        [-theta**2 * ds - penalty, -theta * ds, -s - psi0 * theta * ds],
        [-theta * ds, -sigmoid_prime(-psi1) - ds, -psi0 * ds],
        [s + psi0 * theta * ds, psi0 * ds, psi0**2 * ds]])


def stated_jacobian_at_origin(penalty=0):
    half = sp.Rational(1, 2)
    return sp.Matrix([[-penalty, 0, -half], [0, -half, 0], [half, 0, 0]])


def stated_eigenvalues(penalty=0):
    root = sp.sqrt(penalty**2 - 1)
    return [-sp.Rational(1, 2), (-penalty + root) / 2, (-penalty - root) / 2]


def written_eigenvalues(penalty=0):
    """The eigenvalues as the quadratic formula writes them, (-gamma +- sqrt(gamma^2 - 1))/2,
    one fraction over the whole numerator (sympy would split it into two)."""
    if penalty == 0:
        return stated_eigenvalues(penalty)
    root, half = sp.sqrt(penalty**2 - 1), sp.Rational(1, 2)
    return [-half] + [sp.Mul(half, sp.Add(-penalty, sign * root, evaluate=False),
                             evaluate=False) for sign in (1, -1)]


def written_eigenpairs(penalty=0):
    """stated_eigenpairs, each eigenvalue written as the quadratic formula writes it."""
    return [(value, vector) for value, (_, vector)
            in zip(written_eigenvalues(penalty), stated_eigenpairs(penalty))]


def stated_eigenpairs(penalty=0):
    """(eigenvalue, eigenvector): u = (0, 1, 0) for -1/2; u = (2 lambda, 0, 1) for the pair."""
    first, *pair = stated_eigenvalues(penalty)
    return [(first, (0, 1, 0))] + [(value, (2 * value, 0, 1)) for value in pair]


# ---- derivations, as the document shows them ---------------------------------------------

def _at_origin(expr):
    return expr.subs(ORIGIN)


def notation():
    return derivation(
        given(Notation(r"C_\psi(x)"), critic(x), name="the critic", reason="the problem's critic",
              kind="statement"),
        define(sigmoid(u), name="the logistic function"),
        claim(sigmoid_prime(u), sigmoid(u) * (1 - sigmoid(u)),
              derived=sp.Derivative(sigmoid(u), u), name="derivative of σ",
              why=r"Its derivative, written $\sigma'$ below, is"),
    )


def velocity_derivation(penalty=0):
    lhs = v_ if penalty == 0 else vbar_
    return derivation(
        claim(Notation(r"\mathcal{L}(\psi, \theta)"),
              sp.log(sigmoid(psi1)) + sp.log(sigmoid(-psi0 * theta - psi1)), derived=loss(),
              name="the loss under Dirac data",
              why=r"Both distributions are Dirac masses, so each expectation is its integrand "
                  r"evaluated at the mass: at \given[statement]{$0$} for $p_D$ and at $\theta$ "
                  r"for $p_\theta$.") if penalty == 0 else
        claim(Notation(r"\mathcal{R}_1(\psi)"), psi0**2, derived=gradient_penalty(),
              name="the gradient penalty",
              why=r"The critic's slope in $x$ is $\psi_0$ everywhere, so"),
        *([] if penalty else [
            claim(sp.Derivative(sp.log(sigmoid(u)), u), sigmoid(-u),
                  derived=sp.Derivative(sp.log(sigmoid(u)), u), name="derivative of log σ",
                  why=r"The chain rule needs one derivative, that of $\log\sigma$, which is "
                      r"$\sigma'/\sigma$: by the one above, "
                      + inline(claim(sigmoid_prime(u) / sigmoid(u), 1 - sigmoid(u),
                                     derived=sp.diff(sp.log(sigmoid(u)), u),
                                     name="derivative of log σ, as a ratio"))
                      + ", that is"),
            claim(sp.Derivative(sp.log(sigmoid(-u)), u), -sigmoid(u),
                  derived=sp.Derivative(sp.log(sigmoid(-u)), u), name="derivative of log σ(-u)",
                  why=r"and, with the inner derivative "
                      + inline(claim(sp.Derivative(-u, u), -1, derived=sp.diff(-u, u),
                                     name="the inner derivative"))
                      + ","),
        ]),
        claim(lhs, stated_velocity(penalty), derived=velocity(penalty), where=C_AT_THETA,
              name="the velocity field" + (" with penalty" if penalty else ""),
              why=(r"Differentiating (the critic ascends, the generator descends), with "
                   r"\given[definition]{$c = C_\psi(\theta)$}, where "
                   + inline(claim(Notation(r"C_\psi(\theta)"), psi0 * theta + psi1,
                                  derived=critic(theta), name="the critic at the generated point"))
                   + r", and the inner derivatives "
                   + inline(claim(Notation(r"\bigl(\partial c/\partial\psi_0, "
                                           r"\partial c/\partial\psi_1, \partial c/\partial\theta"
                                           r"\bigr)"),
                                  sp.Tuple(theta, 1, psi0),
                                  derived=tuple(sp.diff(critic(theta), p) for p in PARAMS),
                                  name="the inner derivatives"))
                   + ":")
              if not penalty else
              r"Differentiating as in 5.1, the penalty adds "
              + inline(claim(Notation(r"-\tfrac{\gamma}{2}\,\partial\mathcal{R}_1/\partial\psi_0"),
                             -penalty * psi0, derived=velocity(penalty)[0] - velocity()[0],
                             name="the penalty's term"))
              + " to the first component:"),
    )


def stationary_derivation(penalty=0):
    if penalty:
        return _stationary_with_penalty(penalty)
    v = velocity(penalty)
    at_zero_psi0_theta = v[1].subs({psi0: 0, theta: 0})
    slope = sp.Derivative(sigmoid(-psi1) - sigmoid(psi1), psi1)
    name = r"\bar{v}" if penalty else "v"
    return derivation(
        inequality(sigmoid(u), ">", 0, name="σ is positive",
                   why=r"The third component vanishes only if "
                       + inline(claim(psi0, 0, derived=only_zero(v[2], psi0),
                                      name="the third component's zero"))
                       + ", since"),
        claim(Notation(rf"{name}_{{\psi_0}}(0, \psi_1, \theta)"), -theta * sigmoid(psi1),
              derived=v[0].subs(psi0, 0), name="first component at zero slope",
              why=r"With a zero slope the first component is"),
        claim(Notation(rf"{name}_{{\psi_1}}(0, \psi_1, 0)"), sigmoid(-psi1) - sigmoid(psi1),
              derived=at_zero_psi0_theta, name="second component at zero slope and θ",
              why=r"so "
                  + inline(claim(theta, 0, derived=only_zero(v[0].subs(psi0, 0), theta),
                                 name="the first component's zero"))
                  + ", and then the second component is"),
        claim(slope, -sigmoid_prime(-psi1) - sigmoid_prime(psi1), derived=slope,
              name="slope of the second component",
              why=r"which is strictly decreasing in $\psi_1$: its derivative"),
        inequality(-sigmoid_prime(-psi1) - sigmoid_prime(psi1), "<", 0,
                   name="second component is decreasing",
                   why=r"is negative, as "
                       + inline(inequality(sigmoid_prime(u), ">", 0, name="σ′ is positive"))
                       + ":"),
        claim(Notation(r"\boldsymbol{v}(0, 0, 0)" if penalty == 0 else
                       r"\bar{\boldsymbol{v}}(0, 0, 0)"),
              sp.Matrix([0, 0, 0]), derived=_at_origin(v), name="the origin is stationary",
              why=r"so its only zero is "
                  + inline(claim(psi1, 0, derived=only_zero(at_zero_psi0_theta, psi1),
                                 name="the second component's zero"))
                  + ". The only stationary point is the origin:"),
    )


def _stationary_with_penalty(penalty):
    """5.4: only the first component changes, and not where 5.1's argument uses it."""
    v, bare = velocity(penalty), velocity()
    same_ = Notation(r"(v_{\psi_1}, v_\theta)")
    return derivation(
        claim(Notation(r"(\bar{v}_{\psi_1}, \bar{v}_\theta)"), same_,
              where={same_: (bare[1], bare[2])}, derived=(v[1], v[2]),
              name="two components unchanged",
              why=r"The second and third components are those of 5.1,"),
        claim(Notation(r"\bar{v}_{\psi_0}(0, \psi_1, \theta)"), -theta * sigmoid(psi1),
              derived=v[0].subs(psi0, 0), name="first component at zero slope, penalised",
              why=r"so the third still forces "
                  + inline(claim(psi0, 0, derived=only_zero(v[2], psi0),
                                 name="the third component's zero, penalised"))
                  + r", and there the first component is the same as in 5.1 (the penalty term "
                    r"$-\gamma\psi_0$ vanishes):"),
        claim(Notation(r"\bar{\boldsymbol{v}}(0, 0, 0)"), sp.Matrix([0, 0, 0]),
              derived=_at_origin(v), name="the origin is stationary, penalised",
              why=r"The rest of 5.1's argument applies unchanged ("
                  + inline(claim(theta, 0, derived=only_zero(v[0].subs(psi0, 0), theta),
                                 name="the first component's zero, penalised"))
                  + ", then "
                  + inline(claim(psi1, 0,
                                 derived=only_zero(v[1].subs({psi0: 0, theta: 0}), psi1),
                                 name="the second component's zero, penalised"))
                  + r"), and the only stationary point is again the origin:"),
    )


def lyapunov_derivation():
    """5.3: the offset psi1 cannot run away while (psi0, theta) turn."""
    v = velocity()
    offset = psi1 + psi0 * theta / 2
    v_offset_ = Notation(r"v_{\psi_1}(\psi, \theta)")
    return derivation(
        claim(Notation(r"v_{\psi_1}(\psi, \theta)"),
              -sp.sinh(offset) / (2 * sp.cosh(psi1 / 2) * sp.cosh((psi0 * theta + psi1) / 2)),
              derived=v[1], name="the offset's velocity",
              why=r"For the offset, the second component of the field can be written"),
        inequality(sp.Abs(psi0 * theta), r"\le",
                   sp.Mul(sp.Rational(1, 2), psi0**2 + theta**2, evaluate=False),
                   name="the product is bounded by the radius",
                   why=r"so "
                       + inline(inequality(sp.Mul(offset, v_offset_, evaluate=False), r"\le", 0,
                                           where={v_offset_: v[1]},
                                           name="the offset is pulled back"))
                       + r": $\psi_1$ decreases while the bracket is positive and increases "
                         r"while it is negative; and the product is bounded by the radius:"),
    )


def stationary_point():
    """(psi0*, psi1*, theta*) = (0, 0, 0), against the zero of the velocity field that a root
    finder reaches from the simulations' start."""
    field = numeric_velocity(0.0)
    found = optimize.root(lambda state: field(*state), START, tol=1e-14).x
    return claim(Notation(r"(\psi_0^*, \psi_1^*, \theta^*)"), sp.Tuple(0, 0, 0),
                 derived=tuple(sp.Float(value) for value in found),
                 name="the stationary point, numerically")


def critic_at_stationary_point():
    """sigma(C_psi) = 1/2 where the critic is the constant 0."""
    critic_ = Notation(r"C_\psi")
    there = critic(x).subs(ORIGIN)
    return claim(sigmoid(critic_), sp.Rational(1, 2), where={critic_: there},
                 derived=sigmoid(there), name="the critic's output there")


def decay_rate():
    """-Re lambda_pm = gamma / 2 for a weak penalty, 0 < gamma < 1."""
    _, plus, _ = stated_eigenvalues(gamma)
    return claim(Notation(r"-\operatorname{Re}\lambda_\pm"), gamma / 2, derived=-sp.re(plus),
                 domain={gamma: (0.0, 1.0)}, when=gamma < 1, name="decay rate, γ < 1")


def jacobian_derivation(penalty=0):
    general, star = ((r"J(\psi, \theta)", r"J^*") if penalty == 0
                     else (r"\bar{J}(\psi, \theta)", r"\bar{J}^*"))
    added = () if not penalty else (
        claim(Notation(r"\bar{J}(\psi, \theta) - J(\psi, \theta)"), sp.diag(-penalty, 0, 0),
              derived=jacobian(penalty) - jacobian(),
              name="what the penalty adds to the Jacobian",
              why=r"The penalty term $-\gamma\psi_0$ depends on $\psi_0$ alone, so"),)
    return derivation(
        *added,
        claim(Notation(general), stated_jacobian(penalty), derived=jacobian(penalty),
              where=C_AT_THETA, name="the Jacobian" + (" with penalty" if penalty else ""),
              why=(r"Differentiating each component of the velocity field with respect to "
                   r"$(\psi_0, \psi_1, \theta)$, with \given[definition]{$c = \psi_0\theta + "
                   r"\psi_1$}: each $\sigma(c)$ contributes $\sigma'(c)$ times the inner "
                   r"derivative ($\theta$, one or $\psi_0$), and where it is multiplied "
                   r"by $\theta$ or $\psi_0$ the product rule adds a second term, as in "
                   + inline(claim(sp.Derivative(-theta * sigmoid(psi0 * theta + psi1), theta),
                                  -sigmoid(c) - psi0 * theta * sigmoid_prime(c),
                                  where=C_AT_THETA,
                                  derived=sp.diff(-theta * sigmoid(psi0 * theta + psi1), theta),
                                  name="entry (1, 3) by the product rule")) + ":")
              if not penalty else
              r"It adds $-\gamma$ to the first diagonal entry and leaves the rest of 5.2's "
              r"Jacobian as it was:"),
        claim(Notation(star), stated_jacobian_at_origin(penalty),
              derived=_at_origin(jacobian(penalty)), name="the Jacobian at the origin",
              why=(r"At the origin "
                   + inline(claim(c, 0, where={c: _at_origin(C_AT_THETA[c])},
                                  derived=_at_origin(critic(theta)), name="c at the origin"))
                   + ", "
                   + inline(claim(sigmoid(0), sp.Rational(1, 2), derived=sigmoid(0),
                                  name="σ at 0")) + " and "
                   + inline(claim(sigmoid_prime(0), sp.Rational(1, 4),
                                  derived=sp.Derivative(sigmoid(u), u).subs(u, 0),
                                  name="derivative of σ at 0")) + ":")
              if not penalty else r"At the origin, with the same values of $\sigma$ and "
                                  r"$\sigma'$ as in 5.2:"),
    )


def factored_polynomial(penalty=0):
    """-(lambda + 1/2)(lambda^2 + penalty lambda + 1/4), kept in factored form for display."""
    quadratic = lam**2 + penalty * lam + sp.Rational(1, 4)
    return sp.Mul(-1, lam + sp.Rational(1, 2), quadratic, evaluate=False)


def spectrum_derivation(penalty=0):
    derived_star = _at_origin(jacobian(penalty))
    polynomial = characteristic_polynomial(derived_star)
    return derivation(
        claim(Notation(r"\det(J^* - \lambda I)" if penalty == 0 else
                       r"\det(\bar{J}^* - \lambda I)"),
              factored_polynomial(penalty), derived=polynomial,
              name="the characteristic polynomial",
              why="Expanding the determinant along the second row gives the characteristic "
                  "polynomial, already factored:"),
        claim(lam, sp.FiniteSet(*written_eigenvalues(penalty)), derived=polynomial,
              method="roots", variable=lam, relation=r"\in",
              name="the eigenvalues", why="Its roots are the eigenvalues:"),
        claim(None, Pairs(written_eigenpairs(penalty)), derived=derived_star,
              method="eigenpairs", name="the eigenvectors", relation="",
                   why=(r"The kernel of $J^* - \lambda I$" if penalty == 0
                        else r"The kernel of $\bar{J}^* - \lambda I$")
                   + r" for each of them gives the eigenvectors, one per eigenvalue:"),
    )


def radius_derivation(penalty=0):
    """How the squared distance of (psi0, theta) from the origin evolves along the flow."""
    v = velocity(penalty)
    rate = 2 * psi0 * v[0] + 2 * theta * v[2]
    return derivation(
        claim(Notation(r"\frac{d}{dt}\left(\psi_0^2 + \theta^2\right)"),
              -2 * penalty * psi0**2, derived=rate, name="rate of the radius",
              why=(r"Along the flow, " + inline(chain_rule_for_radius()) + ", which is")
              if not penalty else
                  r"The computation of 5.3, with the penalised field, gives"),
    )


def chain_rule_for_radius():
    """d/dt (psi0^2 + theta^2) = 2 psi0 psi0' + 2 theta theta', by the chain rule along a
    path (psi0(t), theta(t))."""
    slope_t, generator_t = sp.Function("psi_0")(time), sp.Function("theta")(time)
    dslope_, dgenerator_ = Notation(r"\dot\psi_0"), Notation(r"\dot\theta")
    return claim(radius_rate, 2 * psi0 * dslope_ + 2 * theta * dgenerator_,
                 where={psi0: slope_t, theta: generator_t, dslope_: slope_t.diff(time),
                        dgenerator_: generator_t.diff(time)},
                 derived=sp.diff(squared_radius(slope_t, generator_t), time),
                 name="the chain rule for the radius")


def real_parts_without_penalty():
    return derivation(
        claim(Notation(r"(\operatorname{Re}\lambda_1, \operatorname{Re}\lambda_2, "
                       r"\operatorname{Re}\lambda_3)"),
              sp.Tuple(-sp.Rational(1, 2), 0, 0),
              derived=tuple(sp.re(v) for v in stated_eigenvalues(0)),
              name="real parts without penalty",
              why="Their real parts are"),
    )


def stated_linear_flow():
    """e^{J* t}: the offset psi_1 decays, (psi_0, theta) turn at angular frequency 1/2."""
    half = time / 2
    return sp.Matrix([[sp.cos(half), 0, -sp.sin(half)],
                      [0, sp.exp(-half), 0],
                      [sp.sin(half), 0, sp.cos(half)]])


def linear_flow_derivation():
    """The linearised dynamics solved, from the derived Jacobian (sigmoid unfolded)."""
    derived = (sp.simplify(unfold(_at_origin(jacobian()))) * time).exp()
    return derivation(
        claim(Notation(r"e^{J^* t}"), stated_linear_flow(), derived=derived,
              domain={time: (0.0, 20.0)}, name="the linearised flow",
              why=r"Near the origin \given[assumption]{$\dot{\boldsymbol{u}} \approx "
                  r"J^*\boldsymbol{u}$} for \given[definition]{$\boldsymbol{u} = (\psi_0, \psi_1, "
                  r"\theta)$}, whose solution is " + inline(linear_solution()) + " with"),
    )


def linear_solution():
    """u(t) = e^{J* t} u(0): the stated flow applied to a generic start, against the solution
    sympy finds for the linearised system with that start."""
    start = sp.symbols("a_0 b_0 c_0", real=True)
    state = [sp.Function(name)(time) for name in ("u_1", "u_2", "u_3")]
    matrix = sp.simplify(unfold(_at_origin(jacobian())))
    system = [sp.Eq(f.diff(time), rate) for f, rate in zip(state, matrix * sp.Matrix(state))]
    solved = sp.dsolve(system, state, ics={f.subs(time, 0): a for f, a in zip(state, start)})
    flow_, start_ = Notation(r"e^{J^* t}"), Notation(r"\boldsymbol{u}(0)")
    return claim(Notation(r"\boldsymbol{u}(t)"), sp.Mul(flow_, start_, evaluate=False),
                 where={flow_: stated_linear_flow(), start_: sp.Matrix(start)},
                 derived=sp.Matrix([equation.rhs for equation in solved]),
                 domain={time: (0.0, 20.0)}, name="the linearised solution")


def pair_discriminant():
    """The discriminant of the pair's factor of the characteristic polynomial of the
    penalised J* (its monic quadratic factor, from sympy's factorisation): its sign decides
    whether the pair is complex or real."""
    matrix = sp.simplify(unfold(_at_origin(jacobian(gamma))))
    _, factors = sp.factor_list(characteristic_polynomial(matrix), lam)
    (quadratic,) = [factor for factor, _ in factors if sp.degree(factor, lam) == 2]
    return sp.discriminant(sp.Poly(quadratic, lam).monic().as_expr(), lam)


def critical_penalty():
    """The penalty weight at which the pair's discriminant vanishes: its positive zero."""
    (point,) = sp.solveset(pair_discriminant(), gamma, sp.Interval.open(0, sp.oo))
    return point


def penalty_cases():
    """The three regimes of gamma for the pair lambda_pm = (-gamma +- sqrt(gamma^2 - 1)) / 2."""
    _, plus, minus = stated_eigenvalues(gamma)
    discriminant, critical = pair_discriminant(), critical_penalty()
    at_one = stated_jacobian_at_origin(critical)
    at_one_polynomial = characteristic_polynomial(
        sp.simplify(unfold(_at_origin(jacobian(critical)))))
    triple = [root for root, count in sp.roots(at_one_polynomial, lam).items()
              for _ in range(count)]
    return derivation(
        claim(Notation(r"\operatorname{Re}\lambda_\pm"), -gamma / 2, when=gamma < 1,
              derived=sp.re(plus), domain={gamma: (0.0, 1.0)}, name="real part, γ < 1",
              why=r"\emph{Weak penalty:} the discriminant of the pair is "
                  + inline(inequality(discriminant, "<", 0, domain={gamma: (0.0, float(critical))},
                                      when=gamma < critical, name="the weak-penalty regime"))
                  + r", so the square root is imaginary and the pair is complex with"),
        claim(Notation(r"\det(\bar{J}^*_{\mathrm{c}} - \lambda I)"),
              -(lam + sp.Rational(1, 2)) ** 3, derived=characteristic_polynomial(at_one),
              name="characteristic polynomial at γ = 1",
              why=r"\emph{The boundary:} the discriminant vanishes at "
                  + inline(claim(gamma, 1, derived=critical, name="the boundary regime"))
                  + r". Write \given[notation]{$\bar{J}^*_{\mathrm{c}}$} for the Jacobian at "
                    r"that weight (critical damping); its three eigenvalues merge,"),
        claim(Notation(r"\operatorname{rank}\left(\bar{J}^*_{\mathrm{c}} + "
                       r"\tfrac12 I\right)"), sp.Integer(1), derived=at_one + sp.eye(3) / 2,
              method="rank", name="rank at γ = 1",
                   why=r"and the eigenvalue "
                       + inline(claim(lam, -sp.Rational(1, 2), derived=sp.Matrix(triple),
                                      name="the triple eigenvalue"))
                       + r" of multiplicity 3 has only a two-dimensional eigenspace, since"),
        claim(Notation(r"\lambda_+\lambda_-"), sp.Rational(1, 4), derived=sp.expand(plus * minus),
              name="product of the pair",
              why=r"\emph{Strong penalty:} the discriminant is "
                  + inline(inequality(discriminant, ">", 0,
                                      domain={gamma: (float(critical), 10.0)},
                                      when=gamma > critical, name="the strong-penalty regime"))
                  + r", so the pair is real and distinct, and by Vieta's formulas"),
        claim(Notation(r"\lambda_+ + \lambda_-"), -gamma, derived=plus + minus,
              name="sum of the pair", why="and"),
        inequality(lam_plus, "<", 0, where={lam_plus: plus}, domain={gamma: (1.0, 10.0)},
                   when=gamma > 1,
                   name="λ₊ is negative for γ > 1",
                   why="so both are negative; in particular the larger one is"),
        claim(Notation(r"\lim_{\gamma\to\infty} \gamma\,\lambda_+"), -sp.Rational(1, 4),
              derived=sp.limit(gamma * plus, gamma, sp.oo), name="slowest rate for large γ",
              why=r"but "
                  + inline(claim(Notation(r"\lim_{\gamma\to\infty}\lambda_+"), 0,
                                 derived=sp.Limit(plus, gamma, sp.oo), method="limit",
                                 name="the slowest rate vanishes"))
                  + r", inversely proportional to the penalty:"),
    )


# ---- numbers and figures -----------------------------------------------------------------

def numeric_velocity(penalty: float):
    """The velocity field as a numpy function of (psi0, psi1, theta), from the sympy one."""
    components = [unfold(entry) for entry in velocity(penalty)]
    functions = sp.lambdify(PARAMS, components, "numpy")
    return lambda a, b, t: np.asarray(functions(a, b, t), dtype=float)


def simulate(penalty: float, start=START, duration: float = 80.0):
    """Integrate the continuous-time system from `start`; returns times and states (3 x T)."""
    field = numeric_velocity(penalty)
    times = np.linspace(0.0, duration, 1601)
    solution = solve_ivp(lambda t, state: field(*state), (0.0, duration), start,
                         t_eval=times, rtol=1e-10, atol=1e-12)
    return solution.t, solution.y


def radius_drift(penalty: float = 0.0) -> float:
    """Largest change of psi0^2 + theta^2 along a simulated trajectory."""
    _, (a, _, t) = simulate(penalty)
    radius = squared_radius(a, t)
    return float(np.max(np.abs(radius - radius[0])))


def simulation_derivation():
    r2_ = Notation(r"r^2")
    return derivation(
        inequality(drift, r"\le", sp.Float(1e-9), where={drift: radius_drift(0.0)},
                   name="simulated radius is conserved",
                   why=r"The simulation that draws Figure~\ref{fig:q5-trajectories} integrates "
                       r"the nonlinear flow numerically; it can be trusted because it keeps "
                       + inline(claim(r2_, psi0**2 + theta**2,
                                      where={r2_: squared_radius(psi0, theta)},
                                      derived=squared_radius(psi0, theta),
                                      name="the squared radius"))
                       + r" as the flow does, along the whole path without penalty:"),
    )


@styled
def simulated_start():
    return given(Notation(r"(\psi_0, \psi_1, \theta)(0)"), sp.Tuple(*START),
                 kind="assumption", reason="the start of the simulations",
                 name="the simulated start")


def simulated_weights():
    return given(gamma, sp.FiniteSet(*(sp.sympify(f"{weight:g}") for weight in PENALTIES)),
                 relation=r"\in", kind="assumption", reason="the weights simulated",
                 name="the simulated weights")


def trajectory_figure(penalties=PENALTIES):
    fig = Figure(figsize=(6.4, 2.8))
    phase, distance = fig.subplots(1, 2)
    for penalty in penalties:
        t, (a, b, th) = simulate(penalty)
        label = rf"$\gamma = {penalty:g}$"
        phase.plot(th, a, label=label)
        distance.semilogy(t, np.sqrt(a**2 + b**2 + th**2), label=label)
    phase.plot([START[2]], [START[0]], "ko", markersize=4, label="start")
    phase.set(xlabel=r"generator $\theta$", ylabel=r"critic slope $\psi_0$",
              title=r"path in the $(\theta, \psi_0)$ plane", aspect="equal")
    distance.set(xlabel="time $t$", ylabel="distance to the origin",
                 title="distance to the stationary point")
    distance.legend(loc="lower left")
    fig.tight_layout()
    return fig


@styled
def eigenvalue_figure(largest: float = 3.0):
    fig = Figure(figsize=(6.0, 2.8))
    axes = fig.subplots()
    gammas = np.linspace(0.0, largest, 601)
    values = [sp.lambdify(gamma, value, "numpy") for value in stated_eigenvalues(gamma)]
    names = [r"$\lambda = -\frac{1}{2}$", r"$\lambda_+$", r"$\lambda_-$"]
    styles = ["-", "-", "--"]
    for value, name, style in zip(values, names, styles):
        real = np.real(np.broadcast_to(value(gammas.astype(complex)), gammas.shape))
        axes.plot(gammas, real, style, label=rf"Re {name}")
    axes.axvline(1.0, color="0.4", linestyle=":", linewidth=1)
    axes.annotate("complex pair", (0.5, -1.6), ha="center", fontsize=8.5)
    axes.annotate("two real eigenvalues", (2.0, -0.75), ha="center", fontsize=8.5)
    axes.set(xlabel=r"penalty weight $\gamma$", ylabel=r"real part",
             title=r"eigenvalues of $\bar{J}^*$")
    axes.legend(loc="lower left")
    fig.tight_layout()
    return fig


# ---- errata of the reference solution ------------------------------------------------------

v_theta_ = Notation(r"v_\theta(\psi, \theta)")
vbar_theta_ = Notation(r"\bar{v}_\theta(\psi, \theta)")
data_term_moved_ = Notation(r"\mathbb{E}_{p_D}\!\left[-\frac{\partial}{\partial\theta}"
                            r"\log\sigma(C_\psi(x))\right]")
generator_term_moved_ = Notation(r"\mathbb{E}_{p_\theta}\!\left[-\frac{\partial}{\partial\theta}"
                                 r"\log\sigma(-C_\psi(x))\right]")
under_data_ = Notation(r"\mathbb{E}_{p_D}\left[\psi_0\,\sigma(C_\psi(x))\right]")
under_data_sic_ = Notation(r"\mathbb{E}_{p_D}\left[\phi_0\,\sigma(C_\psi(x))\right]")
second_row_ = Notation(r"\mathbb{E}_{p_{\theta}}\left[\psi_0\delta(-C_{\psi}(x))\right] - "
                       r"\mathbb{E}_{p_{\theta}}\left[\sigma(C_{\psi}(x))\right]")
offset_row_ = Notation(r"\mathbb{E}_{p_D}\left[\sigma(-C_{\psi}(x))\right] - "
                       r"\mathbb{E}_{p_{\theta}}\left[\sigma(C_{\psi}(x))\right]")
v_psi1_ = Notation(r"v_{\psi_1}(\psi, \theta)")
dL_dpsi1_ = Notation(r"\frac{\partial \mathcal{L}(\psi, \theta)}{\partial \psi_1}")
penalised_row_sic_ = Notation(r"\mathbb{E}_{p_{\theta}} [\phi(-C_{\psi}(x))] - "
                              r"\mathbb{E}_{p_{\theta}} [\sigma(C_{\psi}(x))]")
under_generator_ = Notation(r"\mathbb{E}_{p_\theta}\left[\psi_0\,\sigma(C_\psi(x))\right]")
root_ = Notation(r"\sqrt{\gamma^2 - 1}")     # as the reference writes it, in 5.6
largest_rate_ = Notation(r"\max_{(\psi_0, \psi_1, \theta) \in \mathbb{R}^3}\, "
                         r"\frac{d}{dt}\left(\psi_0^2 + \theta^2\right)")


def derivative_moved_inside():
    """What moving -d/dtheta inside both expectations gives, each expectation then evaluated
    at its Dirac mass: the integrands do not involve theta, so both terms vanish."""
    return {data_term_moved_: dirac_expectation(-sp.diff(sp.log(sigmoid(critic(x))), theta), 0),
            generator_term_moved_: dirac_expectation(
                -sp.diff(sp.log(sigmoid(-critic(x))), theta), theta)}


def _moved_readings(moved):
    """Each expectation with the derivative moved inside, at its Dirac mass: zero."""
    return tuple(claim(name, sp.Integer(0), where={name: value},
                       derived=value, name="moved inside: zero",
                       why="Here" if k == 0 else "and")
                 for k, (name, value) in enumerate(moved.items()))


def largest_over_states(expr):
    """The maximum of `expr` over every state (psi0, psi1, theta) in R^3, one variable at a
    time (sympy's `maximum` on the real line)."""
    value = sp.simplify(unfold(expr))
    for symbol in PARAMS:
        value = sp.calculus.util.maximum(value, symbol, sp.S.Reals)
    return value


def unpenalised_pair_polynomial():
    """The factor of the characteristic polynomial of J* (no penalty) whose roots are the
    non-real eigenvalues, from the roots sympy finds."""
    matrix = sp.simplify(unfold(_at_origin(jacobian())))
    pair = [root for root in sp.roots(characteristic_polynomial(matrix), lam)
            if not root.is_real]
    return sp.expand(sp.Mul(*[lam - root for root in pair]))


def errata():
    _, plus, minus = stated_eigenvalues(gamma)
    general = jacobian()
    rate = 2 * psi0 * velocity()[0] + 2 * theta * velocity()[2]
    # the first components as the reference writes them, the root first
    # (sympy would print -gamma + sqrt(gamma^2 - 1)): the root is a name bound to its value
    as_written = {root_: sp.sqrt(gamma**2 - 1)}
    reference_vector = (1 / sp.Add(root_, -gamma, evaluate=False), 0, 1)
    second_reference_vector = (-1 / sp.Add(root_, gamma, evaluate=False), 0, 1)
    corrected_pairs = [(value, (sp.Add(-gamma, sign * root_, evaluate=False), 0, 1))
                       for value, sign in zip(written_eigenvalues(gamma)[1:], (1, -1))]
    penalised = _at_origin(jacobian(gamma))
    critical = critical_penalty()
    at_boundary = [sp.Matrix(vector).subs(as_written).subs(gamma, critical)
                   for vector in ((0, 1, 0), reference_vector, second_reference_vector)]
    moved = derivative_moved_inside()
    generator_row = dirac_expectation(sigmoid(-critic(x)) - sigmoid(critic(x)), theta)
    largest_rate = largest_over_states(rate)
    moved_sum = sp.Add(data_term_moved_, generator_term_moved_, evaluate=False)
    # a planar flow whose linearisation is a rotation but whose radius grows
    a, b = sp.symbols("a b", real=True)
    spiral = sp.Matrix([-b + a * (a**2 + b**2), a + b * (a**2 + b**2)])
    spiral_at_origin = spiral.jacobian((a, b)).subs({a: 0, b: 0})
    return [
        Erratum(
            r"Question 5.1, moving the derivative in $\theta$ inside the expectation",
            r"Before computing the field, the reference moves the partial derivatives inside "
            r"the expectations. For $\psi$ this is valid, since neither $p_D$ nor $p_\theta$ "
            r"depends on $\psi$. For $\theta$ it is not: the distribution $p_\theta$ moves with "
            r"$\theta$, while the integrands do not involve $\theta$ at all, so the derivative "
            r"taken inside gives zero (below) and loses the whole dependence. The reference does not actually use this zero: "
              r"its third row ends up with the derivative in $x$ of the integrand, which is "
              r"what moving a point mass amounts to, and its final field is right.",
            claim(v_theta_, moved_sum, where=moved, derived=velocity()[2],
                  name="derivative moved inside (reference)",
                  why="Applied to the third component, the move the reference states gives"),
            claim(v_theta_, psi0 * sigmoid(c), where=C_AT_THETA, derived=velocity()[2],
                  name="the θ component",
                  why=r"Corrected: the expectation is evaluated first, at the generator's "
                      r"point mass $\theta$, and differentiated afterwards, as the definition of "
                      r"the field requires (with "
                      r"\given[definition]{$c = \psi_0\theta + \psi_1$}):"),
            readings=_moved_readings(moved),
        ),
        Erratum(
            r"Question 5.1, the third row of the last matrix",
            r"In the last matrix before the expectations are evaluated, the third component "
            r"is written as an expectation under $p_D$ instead of $p_\theta$. Under $p_D$, the "
            r"point mass at \given[statement]{$0$}, it reads the critic at the data instead of "
            r"at the "
            r"generated point. The slip stays "
              r"in this intermediate line: where the reference evaluates the expectations, its "
              r"third component is the right one, and so is the field it concludes with.",
            claim(v_theta_, under_data_sic_,
                  where={under_data_sic_: dirac_expectation(psi0 * sigmoid(critic(x)), 0)},
                  derived=velocity()[2], name="third component under the data's law (reference)",
                  why="The reference's third row reads"),
            claim(v_theta_, under_generator_,
                  where={under_generator_: dirac_expectation(psi0 * sigmoid(critic(x)), theta)},
                  derived=velocity()[2], name="third component, generator's law"),
            readings=(claim(under_data_sic_, psi0 * sigmoid(psi1),
                            derived=dirac_expectation(psi0 * sigmoid(critic(x)), 0),
                            name="the row under the data's law",
                            why=r"where the reference's $\phi_0$ [sic] is read as the critic's "
                                r"slope $\psi_0$ (no $\phi$ occurs in the question), and, under "
                                r"$p_D$,"),),
        ),
        Erratum(
            r"Question 5.1, the second row of the third matrix",
            r"In its computation of the field, the second of the two matrices with two rows "
            r"(the third matrix of the line, counting the vector of partial derivatives) has "
            r"as second component an expectation under $p_\theta$ of "
            r"$\psi_0\delta(-C_\psi(x))$, in place of the expectation under $p_D$ of "
            r"$\sigma(-C_\psi(x))$; the term resembles the numerator of the derivative in "
            r"$\theta$ behind the third component, which these two matrices leave out. The "
            r"matrices before and after it have the right second row, so the field it "
            r"concludes with is right.",
            claim(v_psi1_, second_row_,
                  where={second_row_: dirac_expectation(
                      psi0 * sigmoid_prime(-critic(x)) - sigmoid(critic(x)), theta)},
                  derived=velocity()[1], name="second component, third matrix (reference)",
                  why="The reference's second row reads"),
            claim(v_psi1_, offset_row_,
                  where={offset_row_: dirac_expectation(sigmoid(-critic(x)), 0)
                         - dirac_expectation(sigmoid(critic(x)), theta)},
                  derived=velocity()[1], name="second component, as expectations"),
            readings=(claim(second_row_,
                            psi0 * sigmoid_prime(-c) - sigmoid(c),
                            where={**C_AT_THETA, second_row_: dirac_expectation(
                                psi0 * sigmoid_prime(-critic(x)) - sigmoid(critic(x)), theta)},
                            derived=dirac_expectation(
                                psi0 * sigmoid_prime(-critic(x)) - sigmoid(critic(x)), theta),
                            name="the reference's second row at the generator",
                            why=r"where the reference's $\delta$ is our $\sigma'$ (its own "
                                r"notation for the logistic function's derivative), and, under "
                                r"$p_\theta$, the "
                                r"point mass at $\theta$, with $c$ as in 5.1,"),),
        ),
        Erratum(
            r"Question 5.2, the general Jacobian, entry (1, 3)",
            r"The reference differentiates $-\theta\sigma(c)$ with respect to $\theta$ as if "
            r"\given[definition]{$c = \psi_0\theta + \psi_1$} did not depend on $\theta$. The "
            r"missing term vanishes at the origin, so $J^*$ comes out right.",
            claim(Notation(r"J_{13}(\psi, \theta)"), -sigmoid(c), where=C_AT_THETA,
                  derived=general[0, 2], name="Jacobian entry (1, 3) (reference)"),
            claim(Notation(r"J_{13}(\psi, \theta)"),
                  -sigmoid(c) - psi0 * theta * sigmoid_prime(c), where=C_AT_THETA,
                  derived=general[0, 2], name="Jacobian entry (1, 3)"),
        ),
        Erratum(
            r"Question 5.3, stability in the $(\psi_0, \theta)$ plane",
            r"Because not every eigenvalue has a negative real part, the reference concludes "
            r"that the system is not stable in two directions around the stationary point, and "
            r"it later calls the oscillations in the directions $\psi_0$ and $\theta$ an "
            r"instability. Eigenvalues on the imaginary axis leave the question to the nonlinear "
            r"flow, and that flow settles it the other way: in the $(\psi_0, \theta)$ plane the "
            r"distance to the origin never changes, so a trajectory whose $(\psi_0, \theta)$ part "
            r"starts within $\varepsilon$ of the origin stays within $\varepsilon$ of it. The "
            r"reference's remark that the flow does not diverge is right, but the reason it "
            r"gives, that no eigenvalue has a positive real part, would not be enough on its "
            r"own: the flow "
            + inline(given(Notation(r"\dot a"), spiral[0], kind="assumption",
                           name="the flow's first component",
                           reason="a flow the refutation is read on"))
            + ", "
            + inline(given(Notation(r"\dot b"), spiral[1], kind="assumption",
                           name="the flow's second component",
                           reason="a flow the refutation is read on"))
            + r" has the eigenvalues "
            + inline(claim(lam, sp.FiniteSet(sp.I, -sp.I),
                           derived=characteristic_polynomial(spiral_at_origin),
                           method="roots", variable=lam, relation=r"\in",
                           name="eigenvalues of the spiral"))
            + r" at the origin, yet along it "
            + inline(claim(Notation(r"\frac{d}{dt}\left(a^2 + b^2\right)"),
                           2 * (a**2 + b**2) ** 2,
                           derived=2 * a * spiral[0] + 2 * b * spiral[1],
                           name="the spiral's radius grows"))
            + r", so every other trajectory moves away.",
            inequality(largest_rate_, ">", sp.Integer(0),
                       where={largest_rate_: largest_rate},
                       name="radius grows (reference)",
                       why=r"For a trajectory to leave a small neighbourhood of the origin in that "
                           r"plane, its distance to the origin has to grow somewhere along the "
                           r"flow. The instability the reference states thus requires"),
            claim(radius_rate, sp.Integer(0), derived=rate, name="the radius is conserved",
                  why=r"Corrected: the rate is zero at every point, so the distance in that "
                      r"plane is constant along every trajectory. The equilibrium is stable "
                      r"there in Lyapunov's sense, but not asymptotically stable:"),
            readings=(claim(largest_rate_, sp.Integer(0), where={largest_rate_: largest_rate},
                            derived=largest_rate, name="the largest rate",
                            why="The largest rate over every state is"),),
        ),
        Erratum(
            r"Question 5.4, moving the derivative inside the expectation, again",
            r"The reference computes the penalised field with the same move as in 5.1. The "
            r"penalty involves only $\psi$, so the third component is that of 5.1 and the "
            r"objection is the same: taken inside the expectations, the derivative in $\theta$ "
            r"gives zero. As in 5.1, the third row the reference actually writes (under "
            r"$p_\theta$ this time) and its final field are right.",
            claim(vbar_theta_, moved_sum, where=moved, derived=velocity(gamma)[2],
                  name="moved inside again (reference)",
                  why="Applied to the third component, the move gives"),
            claim(vbar_theta_, psi0 * sigmoid(c), where=C_AT_THETA, derived=velocity(gamma)[2],
                  name="the penalised θ component",
                  why=r"Corrected: the expectation is evaluated first, at the generator's "
                      r"point mass $\theta$, and differentiated afterwards (with "
                      r"\given[definition]{$c = \psi_0\theta + \psi_1$}):"),
            readings=_moved_readings(moved),
        ),
        Erratum(
            r"Question 5.4, the second row under the generator's law",
            r"In its computation of the penalised field, in the third matrix of the line "
            r"(counted as in 5.1: the vector of partial derivatives first), the reference "
            r"writes the second component of $\nabla_\psi\mathcal{L}$ "
            r"with both expectations under $p_\theta$. Its first term comes from the data and "
            r"belongs under $p_D$; under $p_\theta$ it reads the critic at the generated point "
            r"instead. The matrix before it and the field the reference concludes with have "
            r"the right second component.",
            claim(dL_dpsi1_, penalised_row_sic_, where={penalised_row_sic_: generator_row},
                  derived=velocity()[1], name="second component under the generator's law (reference)",
                  why="The reference's second row reads"),
            claim(dL_dpsi1_, offset_row_,
                  where={offset_row_: dirac_expectation(sigmoid(-critic(x)), 0)
                         - dirac_expectation(sigmoid(critic(x)), theta)},
                  derived=velocity()[1], name="the second component of the gradient"),
            readings=(claim(penalised_row_sic_, sigmoid(-c) - sigmoid(c),
                            where={**C_AT_THETA, penalised_row_sic_: generator_row},
                            derived=generator_row, name="the reference's row under the generator's law",
                            why=r"where we read the reference's $\phi$ [sic] as the logistic "
                                r"function $\sigma$. Whatever $\phi$ is, the row is wrong: "
                                r"for its first term to equal the right one, "
                                r"$\sigma(-\psi_1)$, at every $\psi_0\theta$, $\phi$ would "
                                r"have to be constant, which $\sigma(-\psi_1)$ is not. Under "
                                r"$p_\theta$, with $c$ as in 5.1,"),),
        ),
        Erratum(
            r"Question 5.5, entry (1, 3) of the penalised Jacobian: the slip of 5.2 again",
            r"The reference reuses its first row from 5.2 and only adds the derivatives of the "
            r"penalty term, so the missing term of 5.2 is missing here too: $-\theta\sigma(c)$ "
            r"is again differentiated with respect to $\theta$ as if $c$ did not depend on "
            r"$\theta$. The penalty's own "
            r"derivative in $\theta$ is indeed zero, the missing term vanishes at the origin, "
            r"and $\bar{J}^*$ comes out right.",
            claim(Notation(r"\bar{J}_{13}(\psi, \theta)"), -sigmoid(c), where=C_AT_THETA,
                  derived=jacobian(gamma)[0, 2], name="penalised entry (1, 3) (reference)"),
            claim(Notation(r"\bar{J}_{13}(\psi, \theta)"),
                  -sigmoid(c) - psi0 * theta * sigmoid_prime(c), where=C_AT_THETA,
                  derived=jacobian(gamma)[0, 2], name="penalised entry (1, 3)"),
        ),
        Erratum(
            r"Question 5.6, the eigenvectors with the penalty",
            r"The two eigenvectors of the pair are labelled with the eigenvalues without "
            r"penalty, "
            + inline(claim(lam, sp.FiniteSet(sp.I / 2, -sp.I / 2),
                           derived=unpenalised_pair_polynomial(), method="roots", variable=lam,
                           relation=r"\in", name="the pair without penalty"))
            + r", and their first components are swapped: the first vector's belongs to "
              r"the eigenvector of $\lambda_-$, not to that of $\lambda_+$, and the second "
              r"vector's the other way round (below). Read with the labels $\lambda_+$ and "
              r"$\lambda_-$, the two vectors are each other's. As written, with the labels of "
              r"5.3, neither is an eigenvector:",
            claim(None, Pairs([(sp.I / 2, reference_vector),
                               (-sp.I / 2, second_reference_vector)]), derived=penalised,
                  where=as_written, method="eigenpairs", relation="",
                  name="eigenvectors of the pair (reference)",
                  why=r"The reference states, for $\bar{J}^*$,"),
            claim(None, Pairs(corrected_pairs), derived=penalised, where=as_written,
                  method="eigenpairs", relation="", name="eigenvectors of the pair",
                  why=r"Corrected, each vector with its own eigenvalue, and checked:"),
            readings=(claim(reference_vector[0], 2 * lam_minus,
                            where={lam_minus: minus, **as_written},
                            derived=2 * minus, name="the first component of the reference's first vector",
                            why=r"The first vector's first component is twice $\lambda_-$,"),
                      claim(second_reference_vector[0], 2 * lam_plus,
                            where={lam_plus: plus, **as_written}, derived=2 * plus,
                            name="the first component of the reference's second vector",
                            why=r"and the second vector's is twice $\lambda_+$ (with "
                                r"$\lambda_\pm$ as in 5.6):"),),
        ),
        Erratum(
            r"Question 5.6, the boundary between the two regimes (a gap)",
            r"The reference ends 5.6 saying that there will be ``damping oscillations "
            r"(stability) in directions $\psi_0$, $\theta$'' for a penalty weight below one, "
            r"and that above one ``there won't be any oscillation and it'll exponentially "
            r"damp''. Its stability conclusion covers every weight, but its description of "
            r"the motion leaves out the boundary "
            + inline(claim(gamma, 1, derived=critical, name="the boundary weight"))
            + r", where its eigenvectors, given for every $\gamma$, no longer describe the "
              r"motion: with \given[notation]{$\boldsymbol{u}_1$} its eigenvector of "
              r"$\psi_1$ and \given[notation]{$\boldsymbol{u}_2$}, "
              r"\given[notation]{$\boldsymbol{u}_3$} the two of the pair, its formulas give "
              r"there one and the same vector twice (below), so the three do not span the "
              r"space and the motion is not a sum of three exponentials along them. Our "
              r"reading of the eigenvectors as a basis at that weight, which the reference does "
              r"not state but its direction-by-direction description relies on:",
            claim(Notation(r"\operatorname{rank}(\boldsymbol{u}_1, \boldsymbol{u}_2, "
                           r"\boldsymbol{u}_3)"), sp.Integer(3),
                  derived=sp.Matrix.hstack(*at_boundary), method="rank",
                  name="three eigenvectors at the boundary (reference)"),
            claim(Notation(r"\operatorname{rank}\left(\bar{J}^*_{\mathrm{c}} + "
                           r"\tfrac12 I\right)"), sp.Integer(1),
                  derived=_at_origin(jacobian(critical)).applyfunc(unfold) + sp.eye(3) / 2,
                  method="rank", name="a two-dimensional eigenspace",
                  why=r"Corrected: at that weight, with \given[notation]{$\bar{J}^*_{\mathrm{c}}$} "
                      r"the Jacobian there as in 5.6, the eigenvalue of multiplicity three has an "
                      r"eigenspace of dimension two only, so no basis of eigenvectors exists. "
                      r"The motion is critically damped: it decays without oscillating, but "
                      r"not as a sum of exponentials:"),
            readings=tuple(
                claim(Notation(rf"\boldsymbol{{u}}_{k}"), sp.Matrix([-1, 0, 1]), derived=column,
                      name=f"the reference's u{'₂₃'[k - 2]} at the boundary",
                      why=(r"Here, from the reference's formulas," if k == 2 else "and"))
                for k, column in ((2, at_boundary[1]), (3, at_boundary[2]))),
        ),
    ]
