import pytest

from veritex.filters import escape_tex


@pytest.mark.parametrize("text, expected", [
    ("plain words", "plain words"),
    ("50% & more", r"50\% \& more"),
    (r"a\b", r"a\textbackslash{}b"),
    ("{x}_$#^~", r"\{x\}\_\$\#\textasciicircum{}\textasciitilde{}"),
    ("0 < g | h > 1", r"0 \textless{} g \textbar{} h \textgreater{} 1"),
])
def test_escape_tex(text, expected):
    assert escape_tex(text) == expected
