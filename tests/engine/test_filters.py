import pytest

from veritex.filters import escape_tex


@pytest.mark.parametrize("text, expected", [
    ("plain words", "plain words"),
    ("50% & more", r"50\% \& more"),
    (r"a\b", r"a\textbackslash{}b"),
    ("{x}_$#^~", r"\{x\}\_\$\#\textasciicircum{}\textasciitilde{}"),
    ("0 < g | h > 1", r"0 \textless{} g \textbar{} h \textgreater{} 1"),
    ("λ₊ as p → 0⁺", r"\ensuremath{\lambda_{+}} as p \ensuremath{\to} 0\ensuremath{^{+}}"),
    ("Γ² is a variance", r"\ensuremath{\Gamma^{2}} is a variance"),
    ("σ′ > 0 for γ ≥ 1", r"\ensuremath{\sigma^{\prime}} \textgreater{} 0 for "
                        r"\ensuremath{\gamma} \ensuremath{\ge} 1"),
    ("Xᵀ X", r"X\ensuremath{^{\top}} X"),
    ("F⁻¹(x) and ψ₁₂", r"F\ensuremath{^{-1}}(x) and \ensuremath{\psi_{12}}"),   # one script
    ("√2⋅δ", r"\ensuremath{\surd}2\ensuremath{\cdot \delta}"),
])
def test_escape_tex(text, expected):
    assert escape_tex(text) == expected


def test_spoken_expressions_print_in_the_pdf():
    import sympy as sp
    from veritex.message import spoken
    assert spoken(sp.Symbol("eta")) == "η" and spoken(sp.oo) == "∞"
    assert spoken(sp.Symbol("psi_0")) == "ψ₀"
    assert spoken(sp.Symbol("w_i")) == "w_i"            # ᵢ has no LaTeX here: plain form
    assert spoken(sp.Rational(1, 3) + sp.Symbol("x") ** sp.Rational(1, 3)) == "x**(1/3) + 1/3"
