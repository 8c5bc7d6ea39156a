"""Chunk options are parsed as literals, never executed."""

import pytest

from veritex.weave.units import ChunkFailed as _ChunkFailed, parse_options


def test_label_and_literal_options():
    options = parse_options("fig-1, echo=True, width='3in', size=(6, 4)", 12, {"echo": False})
    assert options["name"] == "fig-1"
    assert options["echo"] is True and options["width"] == "3in" and options["size"] == (6, 4)
    assert options["header_line"] == 12


def test_defaults_apply_without_options():
    assert parse_options("", 3, {"echo": False})["echo"] is False


@pytest.mark.parametrize("bad", ["x, echo=__import__('os').system('true')", "x, echo=",
                                 "x, 1"])
def test_code_in_options_is_refused(bad):
    with pytest.raises(_ChunkFailed, match="malformed chunk options"):
        parse_options(bad, 7, {})


def test_a_label_given_to_two_chunks_stops_the_build_at_the_second(tmp_path):
    from helpers import run_build, small_project
    template = ("\\documentclass{article}\n\\begin{document}\n<<same>>=\nx = 1\n@\n"
                "Text.\n<<same>>=\ny = 2\n@\n<<other>>=\nz = 3\n@\n\\end{document}\n")
    root = small_project(tmp_path / "p", template)
    result = run_build(root, "check")
    assert result.returncode == 1
    said = result.stderr.strip().splitlines()
    assert said == ["templates/solutions.tex.j2:7 [same]: the chunk label 'same' is already "
                    "an earlier chunk's: give each chunk its own"], result.stderr
