"""Rendered lines map back to the template lines that produced them."""

from types import MappingProxyType

from veritex import render
from veritex.config import BuildConfig


def rendered_from(tmp_path, templates: dict[str, str], context=None):
    (tmp_path / "templates").mkdir()
    for name, text in templates.items():
        (tmp_path / "templates" / name).write_text(text)
    config = BuildConfig(root=tmp_path, template="main.tex.j2",
                         context=MappingProxyType(context or {}))
    return render.render(config)


def test_lines_map_through_blocks_includes_and_loops(tmp_path):
    result = rendered_from(tmp_path, {
        "main.tex.j2": "first\n((* if true *))\nkept\n((* endif *))\n"
                       "((* include 'part.tex.j2' *))\n((* for i in [1, 2] *))\nloop ((( i )))\n"
                       "((* endfor *))\nlast\n",
        "part.tex.j2": "part one\npart two\n",
    })
    lines = result.text.split("\n")
    where = {line: (loc.template, loc.line) for line, loc in zip(lines, result.line_map)}
    assert lines[:7] == ["first", "kept", "part one", "part two", "loop 1", "loop 2", "last"]
    assert where["first"] == ("templates/main.tex.j2", 1)
    assert where["kept"] == ("templates/main.tex.j2", 3)
    assert where["part two"] == ("templates/part.tex.j2", 2)
    assert where["loop 2"] == ("templates/main.tex.j2", 7)
    assert where["last"] == ("templates/main.tex.j2", 9)


def test_a_multiline_value_maps_to_its_template_line(tmp_path):
    result = rendered_from(tmp_path, {"main.tex.j2": "a\n((( value )))\nb\n"},
                           {"value": "x\ny\nz"})
    lines = result.text.split("\n")
    assert lines[:5] == ["a", "x", "y", "z", "b"]
    assert [result.line_map[i].line for i in range(5)] == [1, 2, 2, 2, 3]


def test_no_sentinel_survives_rendering(tmp_path):
    result = rendered_from(tmp_path, {"main.tex.j2": "x ((( 1 + 1 ))) y\n((* set a = 1 *))\n"})
    assert result.text == "x 2 y\n"
