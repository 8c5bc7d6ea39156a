"""The engine's pure helpers, as flat tables of input and exact output: appendix cells,
LaTeX's first error, why a unit re-ran, where a woven line came from, retagging, the summary
line. No process starts; a change to any of these strings shows here first."""


import pytest

from veritex import appendix, concordance, plan, typeset, verify
from veritex.errors import Location, SourceLine
from veritex.render import Rendered
from veritex.statement import Kind, Statement, Verdict
from veritex.weave.numbering import retag

HERE = Location("templates/q.tex.j2", 12, "c")


def _decided(tag, kind, method, params, ok=True, seconds=0.5, cached=False, name="step"):
    return Statement(tag, kind, name, where=HERE,
                     verdict=Verdict(method, params, ok, "", seconds, cached))


@pytest.mark.parametrize("record, how", [
    (_decided("C1", Kind.CLAIM, "symbolic", {"entries": 4}), "symbolic"),
    (_decided("C2", Kind.CLAIM, "numeric", {"points": 24, "rtol": 1e-9, "seed": 7}),
     "numeric: 24 points, rtol 1e-09"),
    (_decided("C3", Kind.CLAIM, "montecarlo",
              {"samples": 40000, "k": 4.0, "seed": 7, "worst z": "1.25"}),
     r"Monte Carlo: 40000 draws, z 1.25 \textless{} 4"),
    (_decided("G1", Kind.GIVEN, "given", {"kind": "assumption", "reason": "the instance"}),
     "given (assumption): the instance"),
    (_decided("C4", Kind.CLAIM, "numeric", {"worst margin": "0.5", "domain x": "(0, 1)"}),
     "numeric: worst margin 0.5, domain x (0, 1)"),
])
def test_how_a_row_says_it_was_decided(record, how):
    assert appendix._how(record) == how


def test_a_check_made_on_one_instance_says_so():
    record = _decided("C5", Kind.CLAIM, "symbolic", {"entries": 4, "instance": "one"})
    assert appendix._how(record) == "symbolic: on one instance"


@pytest.mark.parametrize("log, error", [
    ("./doc.tex:12: Undefined control sequence.\nl.12 \\vtxnumber\n",
     ("doc.tex", 12, "Undefined control sequence \\vtxnumber (the engine's LaTeX side is "
                     "missing: add \\usepackage{veritex})")),
    ("./doc.tex:7: LaTeX Error: Environment foo undefined.\n",
     ("doc.tex", 7, "Environment foo undefined")),
    ("! Missing $ inserted.\n./doc.tex:30: Emergency stop.\n", ("doc.tex", 30, "Missing $ inserted")),
    ("! Paragraph ended before \\frac was complete.\n<to be read again>\nl.41 \n",
     ("doc.tex", 41, "Paragraph ended before \\frac was complete")),
    ("nothing went wrong here\n", None),
])
def test_latex_s_first_error(tmp_path, log, error):
    tex = tmp_path / "doc.tex"
    tex.write_text("x\n")
    assert typeset._first_error(tex, log) == error


PARTS = {"engine": "e1", "code": "c1", "options": {}, "modules": {"src/q.py": "m1"},
         "deps": {"x": ["setup", "k1"]}}


@pytest.mark.parametrize("before, ran, why", [
    (None, set(), "no cached result"),
    ({**PARTS, "engine": "e0"}, set(), "the engine or the pinned requirements changed"),
    ({**PARTS, "code": "c0"}, set(), "its code changed"),
    ({**PARTS, "options": {"echo": True}}, set(), "its options changed"),
    ({**PARTS, "modules": {"src/q.py": "m0"}}, set(), "src/q.py changed"),
    ({**PARTS, "deps": {"x": ["setup", "k0"]}}, {"setup"}, "it uses x from setup, which re-ran"),
    ({**PARTS, "deps": {"x": ["setup", "k0"]}}, set(), "it uses x from setup, which changed"),
    (PARTS, set(), "its cached result is missing"),
])
def test_why_a_unit_runs_again(before, ran, why):
    assert plan.why(PARTS, before, ran) == why


def test_a_woven_line_maps_to_its_template_line_or_to_the_chunk_that_printed_it():
    source = "\\section{A}\nText.\n<<c>>=\nshow(x)\n@\nMore.\n"
    rendered = Rendered(source, tuple(Location("t.tex.j2", n) for n in range(1, 8)))
    woven = ("\\section{A}\nText.\n% veritex: printed by t.tex.j2:3 [c]\n"
             "\\begin{equation}\n\\end{equation}\nMore.\n")
    assert concordance.woven_origin(rendered, woven, 2) == (Location("t.tex.j2", 2), True)
    assert concordance.woven_origin(rendered, woven, 4) == (Location("t.tex.j2", 3, "c"), False)
    assert concordance.woven_origin(rendered, woven, 6) == (Location("t.tex.j2", 6), True)


def test_retagging_replaces_placeholders_in_the_text_and_in_its_actual_text():
    placeholder = "@@vtx0@@"
    hexed = placeholder.encode("utf-16-be").hex().upper()
    out = {"output_type": "stream", "text": f"x \\vtxnumber{{{placeholder}}} {hexed}"}
    tagged = retag(out, {placeholder: "C7"})
    assert tagged["text"] == f"x \\vtxnumber{{C7}} {'C7'.encode('utf-16-be').hex().upper()}"
    assert out["text"].startswith("x \\vtxnumber{@@vtx0@@}")          # a copy, not in place


def test_the_summary_line():
    records = [_decided("C1", Kind.CLAIM, "symbolic", {}, seconds=1.25),
               _decided("C2", Kind.CLAIM, "numeric", {}, cached=True),
               _decided("E1", Kind.REFUTED, "symbolic", {}, ok=False, seconds=0.5),
               _decided("D1", Kind.DEFINITION, "definition", {}, seconds=0.0),
               _decided("G1", Kind.GIVEN, "given", {}, seconds=0.0)]
    assert verify.summary_line(records) == (
        "2 claims and 1 refuted statements checked (1 numeric, 2 symbolic) in 1.8 s, "
        "1 definition, 1 given; 1 result reused from the cache; 1 FAILED: E1")


def test_a_statement_s_record_is_what_claims_json_holds():
    record = _decided("C1", Kind.CLAIM, "symbolic", {"entries": 1}).record()
    assert record == {"tag": "C1", "name": "step", "where": {
        "template": "templates/q.tex.j2", "line": 12, "chunk": "c", "origin": None},
        "kind": "claim", "method": "symbolic", "params": {"entries": 1}, "ok": True,
        "detail": "", "seconds": 0.5, "cached": False, "detail_tex": "", "section": "",
        "side": ""}
    made = Statement("C2", Kind.CLAIM, where=Location("t", 1, None, SourceLine("src/m.py", 3)),
                     verdict=Verdict("symbolic", {}, True, "", 0.0))
    assert made.record()["where"]["origin"] == "src/m.py:3"
    assert str(made.where) == "t:1, made at src/m.py:3"
