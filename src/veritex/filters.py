"""Jinja filters: pure str -> str functions, registered by name in REGISTRY."""

from __future__ import annotations

# Every character TeX gives a meaning to, and what prints it literally.
_TEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
    "#": r"\#", "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}",
    # The default OT1 text fonts have no < > or |; their slots hold other glyphs.
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}


_GREEK = dict(zip("αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΦΨΩ", (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma "
    "tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega").split()))
# Mathematics written in Unicode in a name or a sentence of text (λ₊ as p → 0⁺), and the
# LaTeX math that prints it: pdflatex's text fonts have none of these glyphs.
_MATH = {**{char: f"\\{name} " for char, name in _GREEK.items()},
         "→": r"\to ", "←": r"\leftarrow ", "≤": r"\le ", "≥": r"\ge ", "≠": r"\neq ",
         "≈": r"\approx ", "∞": r"\infty ", "∈": r"\in ", "±": r"\pm ", "·": r"\cdot ",
         "⋅": r"\cdot ",
         "×": r"\times ", "∂": r"\partial ", "∇": r"\nabla ", "‖": r"\| ", "√": r"\surd ",
         "⁺": "^{+}", "⁻": "^{-}", "₊": "_{+}", "₋": "_{-}", "ᵀ": r"^{\top}", "′": r"^{\prime}",
         **{sup: f"^{{{n}}}" for n, sup in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")},
         **{sub: f"_{{{n}}}" for n, sub in enumerate("₀₁₂₃₄₅₆₇₈₉")}}


def printable(text: str) -> bool:
    """Whether every character of `text` prints: ASCII, or mathematics escape_tex knows."""
    return all(char.isascii() or char in _MATH for char in text)


def escape_tex(text: object) -> str:
    """Text (not math) for LaTeX: every special character prints as itself, and mathematics
    written in Unicode (Greek letters, arrows, relations, super- and subscripts) as math, each
    run of it one \\ensuremath group."""
    out, math = [], []
    for char in str(text) + "\0":
        if char in _MATH:
            tex = _MATH[char]
            if math and tex[:2] in ("^{", "_{") and math[-1][:2] == tex[:2]:
                math[-1] = math[-1][:-1] + tex[2:]       # ⁻¹: one script, ^{-1}
                continue
            if math and tex[0] in "^_":                   # a script binds to what it follows
                math[-1] = math[-1].rstrip()
            math.append(tex)
            continue
        if math:
            out.append(r"\ensuremath{" + "".join(math).rstrip() + "}")
            math = []
        out.append(_TEX_SPECIALS.get(char, char))
    return "".join(out[:-1])


REGISTRY = {"escape_tex": escape_tex}
