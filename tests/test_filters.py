import pytest

from veritex.filters import escape_tex


@pytest.mark.parametrize("text, expected", [
    ("plain words", "plain words"),
    ("50% & more", r"50\% \& more"),
    (r"a\b", r"a\textbackslash{}b"),
    ("{x}_$#^~", r"\{x\}\_\$\#\textasciicircum{}\textasciitilde{}"),
])
def test_escape_tex(text, expected):
    assert escape_tex(text) == expected
