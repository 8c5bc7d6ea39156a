"""The document's own tests: every claim holds, and a false one stops the build."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERITEX = [sys.executable, "-m", "veritex"]


def test_every_claim_holds(tmp_path):
    result = subprocess.run([*VERITEX, "-C", str(ROOT), "check", "notes",
                             "--json", str(tmp_path / "claims.json")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    records = json.loads((tmp_path / "claims.json").read_text())["records"]
    assert records and all(record["ok"] for record in records)


def test_a_false_claim_stops_the_build(tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "build", "*.pdf"))
    module = copy / "src" / "notes" / "logistic.py"
    text = module.read_text()
    assert text.count("sigma(x) * (1 - sigma(x))") == 1
    module.write_text(text.replace("sigma(x) * (1 - sigma(x))", "sigma(x) * (sigma(x) - 1)"))
    result = subprocess.run([*VERITEX, "-C", str(copy), "check", "notes"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "templates/notes.tex.j2" in result.stderr
    assert "src/notes/logistic.py" in result.stderr
