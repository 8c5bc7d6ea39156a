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
