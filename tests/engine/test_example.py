"""The authoring guide's worked example (docs/example: least squares, the softmax, ridge
regression) is a second document the engine is tested on: it checks, it keeps the author's
steps, and a one-token change to it stops the build at its line."""

import json
import shutil

from helpers import ROOT, edit, run_build

EXAMPLE = ROOT / "docs" / "example"


def _copy(tmp_path):
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("report", "__pycache__"))
    (target / "report").mkdir()
    return target


def test_the_example_checks_and_keeps_the_cyclic_step(tmp_path):
    root = _copy(tmp_path)
    result = run_build(root, "check", "--json", str(tmp_path / "claims.json"))
    assert result.returncode == 0, result.stderr
    records = json.loads((tmp_path / "claims.json").read_text())["records"]
    claims = [r for r in records if r["tag"].startswith("C")]
    assert len(claims) == 8 and all(r["ok"] for r in claims)
    woven = (root / "report" / "build" / "solutions" / "solutions.tex").read_text()
    # the trace moved cyclically, as written: not evaluated to the identity
    assert (r"\operatorname{tr}\left(\left(\boldsymbol{X}^{\top} \boldsymbol{X}\right)^{-1} "
            r"\boldsymbol{X}^{\top} \boldsymbol{X} \right)") in woven


def test_a_one_token_change_to_the_example_stops_at_its_line(tmp_path):
    root = _copy(tmp_path)
    edit(root / "src" / "course" / "softmax.py", "p - y, where", "y - p, where")
    result = run_build(root, "check")
    assert result.returncode == 1
    said = result.stderr.strip().splitlines()
    assert len(said) == 1 and "src/course/softmax.py" in said[0] and "is false" in said[0], \
        result.stderr
