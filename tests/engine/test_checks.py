"""Each check method: a true claim holds, a false one fails and says why."""

import numpy as np
import pytest
import sympy as sp

from defined import sigmoid
from veritex import checks
from veritex.claims import Check, claim, inequality
from veritex.config import Tolerances
from veritex.latex import Notation


x, y = sp.symbols("x y", real=True)
g = sp.Symbol("gamma", positive=True)
T = Tolerances()


def run(method, stated, derived=None, **options):
    return checks.run(Check(method, stated, derived, options), T)


def test_equal_proves_a_sigmoid_identity_symbolically():
    outcome = run("equal", sigmoid(x) * (1 - sigmoid(x)), sp.diff(1 / (1 + sp.exp(-x)), x))
    assert outcome.ok and outcome.method == "symbolic"


def test_equal_rejects_a_wrong_matrix_entry_and_names_it():
    outcome = run("equal", sp.Matrix([[x, 1], [0, y]]), sp.Matrix([[x, 1], [0, -y]]))
    assert not outcome.ok
    assert "entry (2, 2)" in str(outcome.detail) and "stated" in str(outcome.detail)


def test_equal_substitutes_shorthand_before_comparing():
    c = sp.Symbol("c")
    assert run("equal", sigmoid(c), sigmoid(x + y), where={c: x + y}).ok


def test_equal_falls_back_to_numbers_and_says_so():
    plus = (-g + sp.sqrt(g**2 - 1)) / 2
    outcome = run("equal", -g / 2, sp.re(plus), domain={g: (0.0, 1.0)})
    assert outcome.ok and outcome.method == "numeric"
    assert outcome.params["points"] == T.numeric_points
    assert not run("equal", -g / 2, sp.re(plus), domain={g: (1.0, 3.0)}).ok


def test_roots_needs_every_root_with_multiplicity():
    lam = sp.Symbol("lambda")
    poly = (lam + 1) ** 2 * (lam - 2)
    assert run("roots", [-1, -1, 2], poly, variable=lam).ok
    assert not run("roots", [-1, 2], poly, variable=lam).ok
    assert not run("roots", [-1, -1, 3], poly, variable=lam).ok


def test_eigenpairs():
    m = sp.Matrix([[0, -1], [1, 0]])
    assert run("eigenpairs", [(sp.I, (sp.I, 1))], m).ok
    assert not run("eigenpairs", [(sp.I, (-sp.I, 1))], m).ok
    assert not run("eigenpairs", [(sp.I, (0, 0))], m).ok


def test_sign_of_a_defined_function_symbolic_and_sampled():
    assert checks.run(inequality(sigmoid(x), ">", 0).check, T).ok
    assert checks.run(inequality(sigmoid(x), ">", 0).check, T).method == "symbolic"
    sampled = checks.run(inequality(-g + sp.sqrt(g**2 - 1), "<", 0, domain={g: (1.0, 5.0)})
                         .check, T)
    assert sampled.ok and sampled.method == "numeric" and "worst margin" in sampled.params
    assert not checks.run(inequality(x**2 - 1, ">", 0, domain={x: (-2.0, 2.0)}).check, T).ok


def test_rank_and_a_bound_on_a_computed_number():
    assert run("rank", 1, sp.Matrix([[1, 2], [2, 4]])).ok
    assert not run("rank", 2, sp.Matrix([[1, 2], [2, 4]])).ok
    drift = Notation("drift")
    assert checks.run(inequality(drift, r"\le", 1e-6, where={drift: 3e-7}).check, T).ok
    assert not checks.run(inequality(drift, r"\le", 1e-6, where={drift: 3e-6}).check, T).ok


def test_an_infinite_value_never_equals_a_finite_one():
    assert not run("equal", sp.Integer(1), sp.oo).ok
    assert run("equal", sp.oo, sp.oo).ok


def test_unknown_method_is_refused():
    with pytest.raises(KeyError):
        run("telepathy", 1, 1)


# ---- montecarlo --------------------------------------------------------------------------

def _uniform_means(rng, size):
    """Samples of U(0, 1), whose mean is 1/2."""
    return rng.random(size)


def test_montecarlo_accepts_a_true_expectation_and_states_its_parameters():
    outcome = run("montecarlo", sp.Rational(1, 2), _uniform_means)
    assert outcome.ok and outcome.method == "montecarlo"
    assert outcome.params["samples"] == T.mc_samples and outcome.params["k"] == T.mc_k


def test_montecarlo_rejects_a_false_expectation_by_its_z_score():
    outcome = run("montecarlo", sp.Rational(51, 100), _uniform_means)
    assert not outcome.ok
    assert "standard errors from the stated 0.51" in str(outcome.detail)


def test_montecarlo_is_deterministic_for_a_given_seed():
    first = run("montecarlo", sp.Rational(1, 2), _uniform_means)
    second = run("montecarlo", sp.Rational(1, 2), _uniform_means)
    assert first.params["worst z"] == second.params["worst z"]
    other = checks.run(Check("montecarlo", sp.Rational(1, 2), _uniform_means),
                       Tolerances(seed=1))
    assert other.params["worst z"] != first.params["worst z"]


def test_montecarlo_checks_every_component_of_a_vector():
    def pairs(rng, size):
        return np.stack([rng.random(size), 1 + rng.random(size)], axis=1)
    assert run("montecarlo", sp.Matrix([0.5, 1.5]), pairs).ok
    outcome = run("montecarlo", sp.Matrix([0.5, 1.6]), pairs)
    assert not outcome.ok and "component 2" in str(outcome.detail)


# ---- inequality, limit, argmax -------------------------------------------------------------

def test_inequality_is_decided_symbolically_when_sympy_can():
    outcome = checks.run(inequality(x**2 + 1, ">", 0).check, T)
    assert outcome.ok and outcome.method == "symbolic"
    assert not checks.run(inequality(x**2 + 1, "<", 0).check, T).ok


def test_inequality_on_numbers_reports_the_failing_entry_and_the_worst_margin():
    a, b = Notation("a"), Notation("b")
    step = inequality(a, r"\ge", b, where={a: np.array([2.0, 1.0, 3.0]),
                                           b: np.array([1.0, 1.5, 0.0])})
    outcome = checks.run(step.check, T)
    assert not outcome.ok and "entry 2" in str(outcome.detail)
    assert outcome.params["worst margin"] == "-0.5"


def test_inequality_falls_back_to_a_seeded_sample_of_the_domain():
    step = inequality(sp.sin(x), ">", 0, domain={x: (0.1, 3.0)})
    outcome = checks.run(step.check, T)
    assert outcome.ok and outcome.method == "numeric" and "worst margin" in outcome.params
    step = inequality(sp.sin(x), ">", 0, domain={x: (0.1, 4.0)})
    assert not checks.run(step.check, T).ok


def test_a_chain_checks_every_link_and_names_the_one_that_fails():
    value = Notation("v")
    assert checks.run(inequality(0.3, r"\le", value, "<", 0.4, where={value: 0.35}).check, T).ok
    outcome = checks.run(inequality(0.3, r"\le", value, "<", 0.4, where={value: 0.45}).check, T)
    assert not outcome.ok and str(outcome.detail).startswith("link 2")


def test_an_unknown_relation_is_refused():
    with pytest.raises(ValueError, match="unknown relation"):
        inequality(x, "=>", 0)


def test_limit_computes_the_limit_and_compares():
    p = sp.Symbol("p", positive=True)
    assert run("limit", sp.oo, sp.Limit((1 - p) / p, p, 0, "+")).ok
    outcome = run("limit", sp.Integer(1), sp.Limit((1 - p) / p, p, 1, "-"))
    assert not outcome.ok and "the limit is 0" in str(outcome.detail)


def test_argmax_needs_both_conditions():
    f0, f1 = sp.symbols("f_0 f_1", positive=True)
    yy = sp.Symbol("y", positive=True)
    objective = f1 * sp.log(yy) + f0 * sp.log(1 - yy)
    assert run("argmax", f1 / (f0 + f1), objective, variable=yy).ok
    outcome = run("argmax", f0 / (f0 + f1), objective, variable=yy)
    assert not outcome.ok and "derivative" in str(outcome.detail)
    # a stationary point that is a minimum is refused by the second-order condition
    assert not run("argmax", sp.Integer(0), x**2, variable=x).ok
    # a maximiser outside the variable's domain is refused: -sqrt(3) is not positive
    w = sp.Symbol("w", positive=True)
    likelihood = -sp.log(w**2 + 1) / 2 - 4 / (2 * (w**2 + 1))
    assert run("argmax", sp.sqrt(3), likelihood, variable=w).ok
    outcome = run("argmax", -sp.sqrt(3), likelihood, variable=w)
    assert not outcome.ok and "not positive" in str(outcome.detail)


def test_tolerances_are_validated():
    with pytest.raises(ValueError, match="mc_samples"):
        Tolerances(mc_samples=0)
    with pytest.raises(ValueError, match="numeric_rtol"):
        Tolerances(numeric_rtol="tight")


def test_a_claim_may_tighten_a_tolerance_but_not_loosen_it():
    base = Tolerances()
    assert base.tightened({"numeric_rtol": 1e-12, "domain": {}}).numeric_rtol == 1e-12
    assert base.tightened({"mc_samples": 2 * base.mc_samples}).mc_samples == 2 * base.mc_samples
    assert base.tightened({"seed": 1}).seed == base.seed          # the seed is not a tolerance
    with pytest.raises(ValueError, match="would loosen"):
        base.tightened({"mc_k": base.mc_k + 1})
    with pytest.raises(ValueError, match="would loosen"):
        base.tightened({"numeric_points": 1})


def test_a_rounded_number_is_checked_to_its_printed_digits():
    from veritex.latex import latex
    from veritex.values import rounded
    value = sp.pi * 100
    assert latex(rounded(value, 3)) == "314" and latex(rounded(0.1, 2)) == "0.10"
    assert latex(rounded(123456.7, 3)) == r"1.23 \cdot 10^{5}"
    holds = checks.run(claim(Notation("T"), rounded(value, 4), derived=value).check, T)
    assert holds.ok and holds.params["digits"] == "4"
    for wrong in (rounded(315, 3), rounded(value, 3) * 2, rounded(3.14, 3)):
        outcome = checks.run(claim(Notation("T"), wrong, derived=value).check, T)
        assert not outcome.ok and "rounds to 314" in str(outcome.detail), str(outcome.detail)
    # a plain float is not a rounded number: it is compared within the numeric tolerance
    assert not checks.run(claim(Notation("T"), sp.Float(314.159), derived=value).check, T).ok
    with pytest.raises(ValueError):
        rounded(value, 0)


# A failure's words are printed twice: as text for the terminal, as LaTeX for an erratum's
# "refuted by" line, where its mathematics goes through the document's printer.
def test_a_failure_reads_as_mathematics_in_the_pdf():
    lam = Notation(r"\lambda^{L_2}")
    long = sum(x**k for k in range(1, 30)) * lam
    outcome = run("equal", long, long + y)
    tex = outcome.detail.tex()
    assert r"$\lambda^{L_2} = " in tex and "$y = " in tex, tex
    for internal in ("**", "operations", "textasciicircum", "Matrix(", "!="):
        assert internal not in tex, (internal, tex)
    assert "at lambda^L_2=1.07" in str(outcome.detail)        # the terminal's plain text


def test_a_wrong_eigenvector_says_what_the_matrix_does_to_it():
    m = sp.Matrix([[0, -1], [1, 0]])
    outcome = run("eigenpairs", [(sp.I, (-sp.I, 1))], m)
    assert not outcome.ok
    tex = outcome.detail.tex()
    assert "is not an eigenvector for $i$" in tex and "!=" not in tex and "Matrix" not in tex


def test_a_counterexample_prints_the_point_it_was_found_at_so_it_reproduces():
    # 4 a (a x + b)^2 against 2 a (a x + b): refuted at a sampled point; the point printed
    # is the point used, so the printed formula at the printed point gives the printed value
    a, b = sp.symbols("a b", real=True)
    stated = 4 * a * (a * x + b)**2
    outcome = run("equal", stated, 2 * a * (a * x + b))
    assert not outcome.ok
    text = str(outcome.detail)
    at = text.split("at ", 1)[1].split(":", 1)[0]
    point = {sp.Symbol(name, real=True): sp.Rational(value)
             for name, value in (pair.split("=") for pair in at.split(", "))}
    printed = float(text.split("the stated side is ")[1].split(",")[0])
    assert float(stated.subs(point)) == pytest.approx(printed, rel=1e-5)


def test_sampled_points_are_short_decimals_inside_their_interval():
    points = checks.sample_points([x, g], {x: (0.0, 1.0)}, T)
    for symbol, (low, high) in ((x, (0.0, 1.0)), (g, (0.05, 3.0))):
        values = points[symbol]
        assert ((values > low) & (values < high)).all()
        assert all(float(f"{value:.3g}") == value or float(f"{value:.4g}") == value
                   for value in values)


def test_a_strict_inequality_between_computed_numbers_holds_by_more_than_rounding():
    equal_but_for_rounding = inequality(sp.Float(0.28776877840510173), "<",
                                        sp.Float(0.28776877840510184))
    outcome = checks.run(equal_but_for_rounding.check, T)
    assert not outcome.ok and "within the rounding of the sides" in str(outcome.detail)
    assert checks.run(inequality(sp.Float(0.2877), "<", sp.Float(0.2878)).check, T).ok
    # not strict: equal numbers satisfy <=
    assert checks.run(inequality(sp.Float(0.5), r"\le", sp.Float(0.5)).check, T).ok


def test_a_bound_at_infinity_holds():
    assert checks.run(inequality(sp.Integer(-2), r"\le", sp.oo).check, T).ok
    assert checks.run(inequality(sp.Integer(-2), "<", sp.oo).check, T).ok


def test_a_product_of_vectors_bound_to_symbols_is_the_number_it_holds():
    a, b = sp.symbols("a b", real=True)
    w = sp.MatrixSymbol("w", 2, 1)
    norm = claim(Notation("n"), w.T * w, where={w: sp.Matrix([a, b])}, derived=a**2 + b**2)
    assert checks.decide(norm.check, T).ok
    wrong = claim(Notation("n"), w.T * w, where={w: sp.Matrix([a, b])}, derived=a**2)
    assert not checks.decide(wrong.check, T).ok


def test_what_stops_a_decision_is_named():
    a, b = sp.symbols("a b", real=True)
    w, u = sp.MatrixSymbol("w", 2, 1), sp.MatrixSymbol("u", 2, 1)
    loose = claim(Notation("n"), (w.T * u)[0, 0], where={w: sp.Matrix([a, b])},
                  derived=a**2)
    outcome = checks.decide(loose.check, T)
    assert not outcome.ok
    assert str(outcome.detail).endswith(
        "sympy could not decide, and the sides cannot be evaluated at a point: they contain "
        "the vector or matrix symbol u (bind it with where= to a matrix of symbols)")
    assert "undefined functions" not in str(outcome.detail)


def test_a_step_written_unevaluated_is_decided_once_its_matrices_are_bound():
    X = sp.MatrixSymbol("X", 3, 2)
    cyclic = sp.Trace(sp.MatMul((X.T * X).I, X.T, X, evaluate=False))
    hat = sp.Trace(X * (X.T * X).I * X.T)
    entries = sp.Matrix(3, 2, sp.symbols("x1:7", real=True))
    assert checks.decide(claim(hat, cyclic, derived=sp.Integer(2), where={X: entries}).check,
                         T).ok
    unbound = checks.decide(claim(hat, cyclic, derived=sp.Integer(2)).check, T)
    assert not unbound.ok and "the vector or matrix symbol X (bind it with where=" in \
        str(unbound.detail)
