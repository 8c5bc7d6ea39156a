"""The displayed left-hand side is decided too; an erratum's names mean what a check confirms;
what a Defined function declares besides its body agrees with it; the audit changes the left
side and the bindings a claim displays."""

import gc
import sys

import numpy as np
import pytest
import sympy as sp
from sympy.core.cache import clear_cache

from defined import sigmoid, sigmoid_prime
from veritex import audit, checks, claims, runtime, verify
from veritex.claims import DisplayError, Erratum, claim, given, inequality
from veritex.config import Tolerances
from veritex.errors import ClaimError, Location
from veritex.latex import Notation
from veritex.values import Defined
from veritex.statement import Kind, Statement
from veritex.verify import check_claim

x, y = sp.symbols("x y", real=True)
T = Tolerances()
HERE = Location("templates/t.tex.j2", 3, "c")
f, H, K = Notation("f"), Notation(r"\mathcal{H}"), Notation("K")


def decide(step, refute=False):
    return checks.decide(step.check, T, refute)


def refuted(step):
    return check_claim(Statement("E1", Kind.REFUTED, "source", step=step, where=HERE), T)


# ---- the left-hand side: an expression is decided against the derivation ------------------

def test_a_derivative_on_the_left_is_decided_against_the_derivation():
    right = claim(sp.Derivative(x**2, x), 2 * x, derived=2 * x)
    assert right.check.lhs == sp.Derivative(x**2, x)            # the claim keeps its left side
    outcome = decide(right)
    assert outcome.ok and outcome.side == ""
    assert "left side" in outcome.params
    wrong = decide(claim(sp.Derivative(x**3, x), 2 * x, derived=2 * x))
    assert not wrong.ok and wrong.side == "left"
    assert str(wrong.detail).startswith("its left-hand side, ")
    assert checks.run(claim(sp.Derivative(x**3, x), 2 * x, derived=2 * x).check, T).ok


def test_a_defined_function_on_the_left_is_unfolded_and_decided():
    assert decide(claim(sigmoid_prime(x), sigmoid(x) * (1 - sigmoid(x)),
                        derived=sp.Derivative(sigmoid(x), x))).ok
    wrong = decide(claim(sigmoid(x), sigmoid(x) * (1 - sigmoid(x)),
                         derived=sp.Derivative(sigmoid(x), x)))
    assert not wrong.ok and wrong.side == "left"


def test_a_left_side_with_a_bound_name_is_decided_on_its_value():
    # the left side shows H, bound to y: x - H is x - y, which is the derivation
    assert decide(claim(x - H, x - y, where={H: y}, derived=x - y)).ok
    wrong = decide(claim(x - H, x - y, where={H: 2 * y}, derived=x - y))
    assert not wrong.ok and wrong.side == "left"


def test_a_name_on_the_left_is_decided_only_when_bound():
    assert checks.left_side(claim(f, x**2, derived=x**2).check, T) is None
    assert decide(claim(f, x**2, derived=x**2)).ok
    bound_wrong = decide(claim(f, x**2, where={f: x**3}, derived=x**2))
    assert not bound_wrong.ok and bound_wrong.side == "left"
    assert decide(claim(f, x**2, where={f: x**2}, derived=x**2)).ok


def test_names_of_every_kind_on_the_left_are_not_decided():
    n = 2
    A = sp.MatrixSymbol("A", n, n)
    M = sp.Matrix([[x, 1], [0, y]])
    g = sp.Function("g")
    for lhs, rhs in ((x, x), (A, M), (g(x), x**2), (g(x, y), x * y)):
        step = claim(lhs, rhs, derived=rhs)
        assert checks.left_side(step.check, T) is None, lhs
        assert decide(step).ok, lhs
    # f(...) of an undefined f is a name whatever its arguments (E(X**2), say), as is a[i]
    assert checks.left_side(claim(g(x**2), x, derived=x).check, T) is None
    a = sp.IndexedBase("a")
    assert checks.left_side(claim(a[1], x, derived=x).check, T) is None


def test_an_inequality_has_no_separate_left_side():
    assert inequality(x**2 + 1, ">", 0).check.lhs is None
    step = inequality(H, r"\le", 1, where={H: 0.5})
    assert checks.left_side(step.check, T) is None and decide(step).ok


def test_a_limit_on_the_left_is_computed_and_compared():
    shown = sp.Limit(sp.sin(x) / x, x, 0)
    assert decide(claim(shown, 1, derived=shown, method="limit")).ok
    wrong = decide(claim(sp.Limit(sp.sin(2 * x) / x, x, 0), 1, derived=shown,
                         method="limit"))
    assert not wrong.ok and wrong.side == "left"


def test_other_methods_compare_a_bound_left_name_with_the_stated_side():
    r = Notation("r")
    m = sp.Matrix([[1, 2], [2, 4]])
    assert decide(claim(r, 1, derived=m, method="rank", where={r: 1})).ok
    wrong = decide(claim(r, 1, derived=m, method="rank", where={r: 2}))
    assert not wrong.ok and wrong.side == "left"


# ---- refuted statements: the left side is the document's, never the source's -----------------

def test_a_refuted_statement_with_the_right_left_side_stands_refuted():
    step = claim(sp.Derivative(x**2, x), x, derived=2 * x, name="source")
    outcome = decide(step, refute=True)
    assert not outcome.ok and outcome.side == ""
    record = refuted(step)
    assert record.ok and record.side == ""


def test_a_refuted_statement_with_a_wrong_left_side_fails_the_build():
    step = claim(sp.Derivative(x**3, x), x, derived=2 * x, name="source")
    outcome = decide(step, refute=True)
    assert not outcome.ok and outcome.side == "left"
    record = refuted(step)
    assert not record.ok and record.side == "left"
    failure = verify._failure(Statement("E1", Kind.REFUTED, "source", step=step, where=HERE, verdict=record))
    assert "is false: its left-hand side" in str(failure)
    assert "listed as an erratum" not in str(failure)


def test_a_refuted_statement_with_a_wrong_left_side_fails_even_when_its_rhs_holds():
    # both the refutation and the left side fail: the left side decides
    step = claim(sp.Derivative(x**3, x), 2 * x, derived=2 * x, name="source")
    record = refuted(step)
    assert not record.ok and record.side == "left"


def test_a_refuted_statement_that_holds_is_still_reported_as_an_erratum_that_holds():
    step = claim(sp.Derivative(x**2, x), 2 * x, derived=2 * x, name="source")
    record = refuted(step)
    assert not record.ok and record.side == ""
    failure = verify._failure(Statement("E1", Kind.REFUTED, "source", step=step, where=HERE, verdict=record))
    assert "listed as an erratum" in str(failure)


def test_a_refuted_statement_with_a_bound_left_name_is_decided_on_its_binding():
    assert refuted(claim(f, x**3, where={f: x**2}, derived=x**2)).ok
    record = refuted(claim(f, x**3, where={f: x**3}, derived=x**2))
    assert not record.ok and record.side == "left"


def test_a_refuted_statement_of_a_method_without_a_value_refuses_a_formula_on_its_left():
    # rank's derivation is a matrix, not the value shown: only the stated side is decided
    step = claim(x + 1, 3, derived=sp.Matrix([[1, 2], [2, 4]]), method="rank")
    assert decide(step).ok is False                     # not refuted: x + 1 is not 1
    with pytest.raises(checks.MalformedCheck):
        decide(step, refute=True)
    with pytest.raises(ClaimError):
        refuted(step)


# ---- Defined functions: what they declare besides their body -------------------------------

class sides_square(Defined):
    """u^2, with its derivative declared (rightly)."""

    @staticmethod
    def body(u):
        return u**2

    def fdiff(self, argindex=1):
        return 2 * self.args[0]


class sides_product(Defined):
    """u v, with both partial derivatives declared (rightly)."""

    @staticmethod
    def body(u, v):
        return u * v

    def fdiff(self, argindex=1):
        return self.args[1] if argindex == 1 else self.args[0]


class sides_logistic(Defined):
    """The logistic function, with an evaluation rule at 0 (rightly 1/2)."""

    @staticmethod
    def body(u):
        return 1 / (1 + sp.exp(-u))

    @classmethod
    def eval(cls, u):
        if u == 0:
            return sp.S.Half
        return None


def _every_defined() -> set:
    found, pending = set(), list(Defined.__subclasses__())
    while pending:
        function = pending.pop()
        found.add(function)
        pending.extend(function.__subclasses__())
    return found


@pytest.fixture
def undecided(monkeypatch):
    """The Defined functions that exist now count as decided (only the test's own are left to
    `_decide_definitions`); after the test, the wrong functions it made are gone again, or, if
    something still holds one, counted as decided, so no later registration stops at them."""
    before, original = _every_defined(), runtime._DECIDED
    monkeypatch.setattr(runtime, "_DECIDED", set(before))
    yield
    clear_cache()                       # sympy caches the functions' instances
    gc.collect()
    original.update(_every_defined() - before)


def test_the_test_functions_declare_their_identities_rightly():
    for function in (sides_square, sides_product, sides_logistic, sigmoid, sigmoid_prime):
        assert checks.declared(function, T) is None, function.__name__


def test_a_derivative_declared_with_the_wrong_sign_is_found(undecided):
    class sides_bad_slope(Defined):
        @staticmethod
        def body(u):
            return u**2

        def fdiff(self, argindex=1):
            return -2 * self.args[0]

    problem = checks.declared(sides_bad_slope, T)
    assert problem is not None
    assert "fdiff" in str(problem) and "argument 1" in str(problem)


def test_a_partial_derivative_declared_for_the_wrong_argument_is_found(undecided):
    class sides_bad_partial(Defined):
        @staticmethod
        def body(u, v):
            return u * v**2

        def fdiff(self, argindex=1):
            u, v = self.args
            return v**2 if argindex == 1 else u * v        # 2 u v is the derivative in v

    problem = checks.declared(sides_bad_partial, T)
    assert problem is not None and "argument 2" in str(problem)


def test_an_evaluation_rule_that_disagrees_with_the_body_is_found(undecided):
    class sides_bad_rule(Defined):
        @staticmethod
        def body(u):
            return 1 / (1 + sp.exp(-u))

        @classmethod
        def eval(cls, u):
            if u == 0:
                return sp.Integer(1)                        # the body gives 1/2
            return None

    problem = checks.declared(sides_bad_rule, T)
    assert problem is not None and "eval" in str(problem)


def test_an_inherited_wrong_derivative_is_found(undecided):
    class sides_bad_parent(Defined):
        @staticmethod
        def body(u):
            return u**3

        def fdiff(self, argindex=1):
            return 3 * self.args[0]**2

    class sides_bad_child(sides_bad_parent):
        @staticmethod
        def body(u):
            return u**4                                     # the parent's fdiff stays

    assert checks.declared(sides_bad_parent, T) is None
    assert checks.declared(sides_bad_child, T) is not None


def test_a_function_declaring_nothing_but_its_body_is_not_decided():
    class sides_plain(Defined):
        @staticmethod
        def body(u):
            return sp.sin(u)

    assert checks.declared(sides_plain, T) is None
    assert checks.declared(Defined, T) is None              # no body: an abstract family


def test_registration_stops_at_a_wrong_declaration_naming_its_line(undecided):
    line = sys._getframe().f_lineno + 1
    class sides_bad_registered(Defined):                    # noqa: E306
        @staticmethod
        def body(u):
            return u**2

        def fdiff(self, argindex=1):
            return -2 * self.args[0]

    assert runtime._defined_at(sides_bad_registered).endswith(f"test_sides.py:{line}")
    with pytest.raises(DisplayError) as raised:
        runtime._decide_definitions()
    message = str(raised.value)
    assert message.startswith("sides_bad_registered.fdiff, at ")    # the method's own line
    assert f"test_sides.py:{line + 5}: its declared derivative (fdiff)" in message
    assert sides_bad_registered not in runtime._DECIDED
    with pytest.raises(DisplayError, match="sides_bad_registered"):      # every time
        runtime._decide_definitions()


def test_registration_walks_subclasses_of_subclasses(undecided):
    class sides_good_parent(Defined):
        @staticmethod
        def body(u):
            return u**3

        def fdiff(self, argindex=1):
            return 3 * self.args[0]**2

    class sides_bad_grandchild(sides_good_parent):
        @staticmethod
        def body(u):
            return 2 * u**3

    with pytest.raises(DisplayError, match="sides_bad_grandchild"):
        runtime._decide_definitions()


def test_a_step_shown_stops_at_a_wrong_declaration(undecided):
    class sides_bad_shown(Defined):
        @staticmethod
        def body(u):
            return u**2

        def fdiff(self, argindex=1):
            return -2 * self.args[0]

    with pytest.raises(DisplayError, match="sides_bad_shown"):
        runtime.inline(claim(f, x**2, derived=x**2))


def test_right_declarations_are_decided_once(undecided, monkeypatch):
    class sides_good_once(Defined):
        @staticmethod
        def body(u):
            return u**2

        def fdiff(self, argindex=1):
            return 2 * self.args[0]

    decided = []
    declared = checks.declared
    monkeypatch.setattr(checks, "declared",
                        lambda function, tolerances: decided.append(function)
                        or declared(function, tolerances))
    runtime._decide_definitions()
    runtime._decide_definitions()
    assert decided == [sides_good_once] and sides_good_once in runtime._DECIDED


def test_a_declaration_that_cannot_be_decided_stops_registration(undecided):
    class sides_undecidable(Defined):
        @staticmethod
        def body(u):
            raise ValueError("no closed form on symbols")

        def fdiff(self, argindex=1):
            return self.args[0]

    with pytest.raises(DisplayError, match="sides_undecidable.*could not be decided"):
        runtime._decide_definitions()


# ---- the audit: the left side and the displayed bindings must matter -----------------------

def test_every_change_of_a_formula_on_the_left_is_caught():
    step = claim(sp.Derivative(x**2, x), 2 * x, derived=2 * x)
    assert audit._holds(step.check, T)
    changed = list(audit.left_changes(step.check))
    assert len(changed) >= 4                             # sign, x2, +1, +epsilon
    for description, check in changed:
        assert description.startswith("the left-hand side"), description
        assert check.lhs != step.check.lhs and check.stated == step.check.stated
        assert checks.run(check, T).ok                   # the stated side alone still holds
        assert not audit._holds(check, T), description


def test_a_name_on_the_left_is_changed_through_its_binding_only():
    g = sp.Function("g")
    for lhs in (f, sp.MatrixSymbol("A", 2, 2), g(x)):
        assert list(audit.left_changes(claim(lhs, x, derived=x).check)) == []
    assert list(audit.left_changes(inequality(x**2 + 1, ">", 0).check)) == []
    bound = claim(f, x**2, where={f: x**2}, derived=x**2)
    assert list(audit.left_changes(bound.check)) == []
    changed = list(audit.binding_changes(bound.check))
    assert [d for d, _ in changed] == ["the binding of f multiplied by 2",
                                      "the binding of f with 1 added"]
    assert not any(audit._holds(check, T) for _, check in changed)


def test_every_change_of_a_displayed_binding_is_caught():
    step = claim(f, x - H, where={H: y}, derived=x - y)
    assert audit._holds(step.check, T)
    changed = list(audit.binding_changes(step.check))
    assert len(changed) == 2
    for description, check in changed:
        assert description.startswith(r"the binding of \mathcal{H}"), description
        assert not audit._holds(check, T), description


def test_a_binding_the_claim_does_not_display_is_not_changed():
    step = claim(f, x - H, where={H: y, K: 3}, derived=x - y)
    described = [d for d, _ in audit.binding_changes(step.check)]
    assert described and not any("K" in d for d in described)
    assert list(audit.binding_changes(claim(f, x, derived=x).check)) == []


def test_a_binding_to_data_is_changed_in_one_entry():
    c = sp.Symbol("c", positive=True)
    norms = np.array([1, 2, 3])
    step = claim(f, 2 * c, where={c: norms}, derived=sp.Matrix(2 * norms))
    assert audit._holds(step.check, T)
    changed = list(audit.binding_changes(step.check))
    assert len(changed) == 2
    for _, check in changed:
        bound = check.options["where"][c]
        assert list(bound[:-1]) == [1, 2] and bound[-1] != 3
        assert not audit._holds(check, T)
    assert list(norms) == [1, 2, 3]                      # the claim's own data is untouched


def test_an_inequality_and_the_shape_of_a_matrix_symbol_have_no_binding_changes():
    # a bound that holds with room to spare holds for a changed value: not asked of it
    step = inequality(H, r"\le", 1, where={H: sp.Rational(1, 2)})
    assert list(audit.binding_changes(step.check)) == []
    # n is the shape of X, which the display does not print: only X's binding is changed
    n = sp.Symbol("n", integer=True, positive=True)
    X = sp.MatrixSymbol("X", n, n)
    Xg = sp.Matrix([[1, x], [0, y]])
    step = claim(f, 2 * X, where={X: Xg, n: 2}, derived=2 * Xg)
    assert audit._holds(step.check, T)
    changed = list(audit.binding_changes(step.check))
    assert [d for d, _ in changed] == ["the binding of X multiplied by 2",
                                      "the binding of X with 1 added"]
    assert not any(audit._holds(check, T) for _, check in changed)


def test_the_audit_of_a_claim_lists_left_and_binding_changes_and_catches_them():
    step = claim(H * sp.Derivative(x**3, x), 3 * x**2 * y, where={H: y}, derived=3 * x**2 * y)
    findings, _ = audit.audit_claim(Statement("C1", Kind.CLAIM, step=step, where=HERE), T)
    changes = [finding.change for finding in findings]
    assert any(c.startswith("the stated side") for c in changes)
    assert any(c.startswith("the left-hand side") for c in changes)
    assert any(c.startswith(r"the binding of \mathcal{H}") for c in changes)
    assert all(finding.caught for finding in findings), \
        [str(finding) for finding in findings if not finding.caught]


def test_the_audit_leaves_refuted_statements_alone():
    step = claim(sp.Derivative(x**2, x), x, derived=2 * x)
    assert audit.audit_claim(Statement("E1", Kind.REFUTED, "source", step=step, where=HERE), T) == ([], [])


# ---- an erratum's bound names: some check the reader sees decides them ----------------------

WRONG = claim(f, x - H, where={H: y}, derived=x + y, name="source")


def test_a_bound_name_the_correction_does_not_bind_is_refused():
    with pytest.raises(DisplayError, match=r"source: the source's statement displays "
                                           r"\\mathcal\{H\}"):
        claims._refuse_unchecked_bindings(WRONG, claim(f, x + y, derived=x + y))


def test_a_bound_name_the_correction_binds_alike_and_shows_is_accepted():
    claims._refuse_unchecked_bindings(WRONG, claim(f, x + H, where={H: y}, derived=x + y))


def test_a_bound_name_the_correction_binds_to_another_value_is_refused():
    with pytest.raises(DisplayError):
        claims._refuse_unchecked_bindings(
            WRONG, claim(f, x + H, where={H: 2 * y}, derived=x + 2 * y))


def test_a_bound_name_the_correction_binds_alike_but_does_not_show_is_refused():
    with pytest.raises(DisplayError):
        claims._refuse_unchecked_bindings(WRONG, claim(f, x + y, where={H: y},
                                                       derived=x + y))


def test_a_bound_name_the_correction_shows_on_its_left_is_accepted():
    claims._refuse_unchecked_bindings(WRONG, claim(H, y, where={H: y}, derived=y))


def test_a_binding_the_source_statement_does_not_display_is_not_asked_about():
    wrong = claim(f, x - H, where={H: y, K: 3}, derived=x + y, name="source")
    claims._refuse_unchecked_bindings(wrong, claim(f, x + H, where={H: y}, derived=x + y))
    claims._refuse_unchecked_bindings(claim(f, x, derived=x + 1, name="plain"),
                                      claim(f, x + 1, derived=x + 1))


def test_an_array_bound_alike_in_the_correction_is_accepted():
    c = Notation("c")
    counts = np.array([1, 2, 3])
    wrong = claim(f, 3 * c, where={c: counts}, derived=sp.Matrix(2 * counts), name="source")
    claims._refuse_unchecked_bindings(
        wrong, claim(f, 2 * c, where={c: counts.copy()}, derived=sp.Matrix(2 * counts)))
    with pytest.raises(DisplayError):
        claims._refuse_unchecked_bindings(
            wrong, claim(f, 2 * c, where={c: counts + 1}, derived=sp.Matrix(2 * counts + 2)))


def test_a_reading_that_states_the_binding_is_accepted_and_one_that_does_not_is_refused():
    corrected = claim(f, x + y, derived=x + y)
    claims._refuse_unchecked_bindings(WRONG, corrected, (claim(H, y, derived=y),))
    claims._refuse_unchecked_bindings(WRONG, corrected, (given(H, y, kind="assumption"),))
    with pytest.raises(DisplayError):
        claims._refuse_unchecked_bindings(WRONG, corrected, (claim(H, 2 * y, derived=2 * y),))


# Constructing the Erratum runs the check above (Erratum.__post_init__). While claims.py
# carried the line `pass  # TEMP _refuse_unchecked_bindings(...)`, this test failed.
def test_an_erratum_whose_source_statement_shows_an_unchecked_name_is_refused():
    with pytest.raises(DisplayError, match=r"\\mathcal\{H\}"):
        Erratum("p. 3", "The sign of the second term is wrong.", WRONG,
                claim(f, x + y, derived=x + y))
    Erratum("p. 3", "The sign of the second term is wrong.", WRONG,
            claim(f, x + H, where={H: y}, derived=x + y))


def test_a_correct_evaluation_rule_in_sympy_style_is_accepted():
    class sides_sinc(Defined):
        @staticmethod
        def body(u):
            return sp.sin(u) / u

        @classmethod
        def eval(cls, u):
            if u.is_zero:                        # sympy hands eval sympy numbers
                return sp.Integer(1)             # the limit of the body, which is nan there
            return None

    assert checks.declared(sides_sinc, T) is None


def test_a_bound_name_on_the_left_of_a_refuted_inequality_must_be_decided():
    wrong = inequality(H, r"\le", 1, where={H: sp.Integer(2)})
    corrected = inequality(H, r"\ge", 1, where={H: sp.Integer(3)})
    with pytest.raises(DisplayError):
        claims._refuse_unchecked_bindings(wrong, corrected)
    same = inequality(H, r"\ge", 1, where={H: sp.Integer(2)})
    claims._refuse_unchecked_bindings(wrong, same)


def test_a_refutation_prints_a_truth_that_some_holding_check_decides():
    # "L = 3" refuted against the derivation 2: the PDF prints "derived 2" beside it, so a
    # claim that holds must decide 2 for the same name
    L = sp.Symbol("L")
    wrong = claim(L, sp.Integer(3), derived=sp.Integer(1) + 1, name="as stated")
    about_another = claim(sp.Symbol("M"), sp.Integer(2), derived=sp.Integer(1) + 1)
    with pytest.raises(DisplayError, match="refutation prints the derived value"):
        Erratum("here", "wrong", wrong, about_another)
    Erratum("here", "wrong", wrong, claim(L, sp.Integer(2), derived=sp.Integer(1) + 1))
    Erratum("here", "wrong", wrong, about_another,
            readings=(claim(L, sp.Integer(2), derived=sp.Integer(1) + 1),))
    # a formula on the left is decided by the refuted statement's own check
    Erratum("here", "wrong", claim(x + x, 3 * x, derived=2 * x), about_another)
