"""Is an expression identically zero as a rational function? Decided with sympy's sparse
polynomials, without `together` or `expand` on expression trees and without any gcd.

Every part that is not a sum, product, integer power or rational number becomes an
indeterminate: a symbol, log(x), a matrix entry. Powers are taken apart first, so that
identities between them are seen:
- b**(p/q) is the p-th power of one indeterminate r = b**(1/q) (q the least common multiple
  over every rational power of b), tied to b by r**q = b;
- exp(k*t + ...) is a product of powers of exp(t/q), exp(-t) among them;
- I is an indeterminate with I**2 = -1.

The expression is brought over one denominator (the product of its distinct factors, each to
its highest power: structurally equal factors are merged, nothing is factored), and in the
numerator every r**q is replaced by b. A zero numerator proves the expression zero wherever
it is defined: every rule above holds for every complex value of its parts (principal branch
included). A non-zero one proves nothing (a relation it does not know, or floats): the caller
tries another way.
"""

from __future__ import annotations

from collections import Counter
from math import lcm

import sympy
from sympy.polys.domains import QQ
from sympy.polys.orderings import lex
from sympy.polys.rings import PolyRing


def is_zero(expr) -> bool:
    """True if expr is 0 as a rational function of its parts (see the module); False if that
    does not show it."""
    expr = sympy.sympify(expr)
    if expr.has(sympy.Float):
        return False                      # inexact: not for an exact proof
    parts = _Parts()
    parts.collect(expr)
    if not parts.bases and not parts.atoms:
        return expr == 0
    try:
        return _numerator(_Conversion(parts), expr) == 0
    except ZeroDivisionError:       # a factor below that is 0 itself: not defined anywhere
        return False


def _power(expr):
    """(b, p/q) for b**(p/q) with q > 1; None for anything else (exp(t)**(1/2) among them:
    it is not exp(t/2) for every complex t)."""
    if expr.is_Pow and expr.exp.is_Rational and not expr.exp.is_Integer \
            and not isinstance(expr.base, sympy.exp):
        return expr.base, expr.exp
    return None


def _exp_terms(expr):
    """exp(a + k*t): each term as (exp(t), k) for a rational k."""
    for term in sympy.Add.make_args(expr.args[0]):
        coefficient, rest = term.as_coeff_Mul()
        if coefficient.is_Rational and rest != 1:
            yield sympy.exp(rest, evaluate=False), coefficient
        else:                                   # a number alone: exp(2) as itself
            yield sympy.exp(term, evaluate=False), sympy.Integer(1)


class _Parts:
    """The indeterminates of an expression: atoms, and bases with the denominators of the
    rational powers they are raised to."""

    def __init__(self):
        self.atoms: set = set()
        self.bases: dict = {}           # base -> lcm of the denominators of its powers

    def collect(self, expr) -> None:
        if expr.is_Rational:
            return
        if expr.is_Add or expr.is_Mul:
            for arg in expr.args:
                self.collect(arg)
        elif expr.is_Pow and expr.exp.is_Integer:
            self.collect(expr.base)
        elif _power(expr) is not None:
            base, exponent = _power(expr)
            self._base(base, exponent.q)
            self.collect(base)              # b itself, for the relation r**q = b
        elif isinstance(expr, sympy.exp):
            for base, coefficient in _exp_terms(expr):
                self._base(base, coefficient.q)
        elif expr is sympy.I:
            self._base(sympy.Integer(-1), 2)
        else:
            self.atoms.add(expr)

    def _base(self, base, denominator: int) -> None:
        self.bases[base] = lcm(self.bases.get(base, 1), denominator)


class _Conversion:
    """The expression as (numerator polynomial, Counter of denominator factors)."""

    def __init__(self, parts: _Parts):
        bases = sorted(parts.bases, key=sympy.default_sort_key)
        atoms = sorted(parts.atoms, key=sympy.default_sort_key)
        # the roots first: lex order makes r**q the leading term of r**q - b
        symbols = sympy.symbols(f"r:{len(bases)}", cls=sympy.Dummy) + \
            sympy.symbols(f"a:{len(atoms)}", cls=sympy.Dummy)
        self.ring = PolyRing(symbols, QQ, lex) if symbols else None
        gens = self.ring.gens
        self.roots = dict(zip(bases, gens[:len(bases)]))
        self.atoms = dict(zip(atoms, gens[len(bases):]))
        self.denominators = parts.bases

    def convert(self, expr):
        ring = self.ring
        if expr.is_Rational:
            return ring(QQ(int(expr.p), int(expr.q))), Counter()
        if expr.is_Add:
            parts = [self.convert(arg) for arg in expr.args]
            common = Counter()
            for _, denominator in parts:
                for factor, k in denominator.items():
                    common[factor] = max(common[factor], k)
            total = ring.zero
            for numerator, denominator in parts:
                for factor, k in common.items():
                    if k > denominator.get(factor, 0):
                        numerator *= factor ** (k - denominator.get(factor, 0))
                total += numerator
            return total, common
        if expr.is_Mul:
            numerator, denominator = ring.one, Counter()
            for arg in expr.args:
                n, d = self.convert(arg)
                numerator *= n
                denominator.update(d)
            return numerator, denominator
        if expr.is_Pow and expr.exp.is_Integer:
            numerator, denominator = self.convert(expr.base)
            return self._raised(numerator, denominator, int(expr.exp))
        if _power(expr) is not None:
            base, exponent = _power(expr)
            return self._raised(self.roots[base], Counter(),
                                int(exponent * self.denominators[base]))
        if isinstance(expr, sympy.exp):
            numerator, denominator = ring.one, Counter()
            for base, coefficient in _exp_terms(expr):
                n, d = self._raised(self.roots[base], Counter(),
                                    int(coefficient * self.denominators[base]))
                numerator *= n
                denominator.update(d)
            return numerator, denominator
        if expr is sympy.I:                      # r**(q/2), r = (-1)**(1/q)
            return self.roots[sympy.Integer(-1)] ** (self.denominators[-1] // 2), Counter()
        return self.atoms[expr], Counter()

    def _raised(self, numerator, denominator: Counter, k: int):
        if k >= 0:
            return numerator ** k, Counter({f: j * k for f, j in denominator.items()})
        k = -k
        flipped = self.ring.one
        for factor, j in denominator.items():
            flipped *= factor ** (j * k)
        # divided by its leading coefficient: f and -f, 2f and f are then one factor
        leading = numerator.LC
        flipped *= self.ring(1 / leading ** k)
        if numerator.is_ground:
            return flipped, Counter()
        return flipped, Counter({numerator.quo_ground(leading): k})


def _numerator(conversion: _Conversion, expr):
    """The numerator over one denominator, every r**q in it replaced by its base."""
    numerator, _ = conversion.convert(expr)
    relations = [(conversion.ring.gens.index(root), conversion.denominators[base], base)
                 for base, root in conversion.roots.items()
                 if conversion.denominators[base] > 1 and not isinstance(base, sympy.exp)]
    for _ in range(len(relations)):          # a root inside another's base: once more
        changed = False
        for index, q, base in relations:
            if numerator and numerator.degree(index) >= q:
                numerator, changed = _reduced(conversion, numerator, index, q, base), True
        if not changed:
            break
    return numerator


def _reduced(conversion: _Conversion, poly, index: int, q: int, base):
    """poly with r**q replaced by b (r the index-th indeterminate, b = n/d), times the
    power of d that keeps it a polynomial."""
    groups: dict = {}
    for monomial, coefficient in poly.terms():
        times, left = divmod(monomial[index], q)
        monomial = monomial[:index] + (left,) + monomial[index + 1:]
        groups.setdefault(times, {})[monomial] = coefficient
    numerator, denominator = conversion.convert(base)
    product = conversion.ring.one
    for factor, k in denominator.items():
        product *= factor ** k
    top = max(groups)
    return sum((conversion.ring.from_dict(terms) * numerator ** times * product ** (top - times)
                for times, terms in groups.items()), conversion.ring.zero)
