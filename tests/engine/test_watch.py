"""`veritex watch`: a build per save, one line each, and a failing build does not stop it."""

from __future__ import annotations

import queue
import re
import shutil
import signal
import subprocess
import threading
import time

import psutil

import pytest

from helpers import edit, needs_latex, run_build, small_project, veritex

pytestmark = needs_latex

TEMPLATE = r"""\documentclass{article}
\begin{document}
Some prose.
<<value>>=
x = 6 * 7
print(f"The value is {x}.")
@
\end{document}
"""


class Watcher:
    def __init__(self, project):
        self.process = subprocess.Popen(veritex(project, "watch"),
                                        cwd=project, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def next(self, timeout: float = 120) -> str:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail("the watcher printed nothing")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=30)


def test_watch_rebuilds_on_save_and_survives_a_failing_build(tmp_path):
    project = small_project(tmp_path / "project", TEMPLATE)
    template = project / "templates/solutions.tex.j2"
    watcher = Watcher(project)
    try:
        assert watcher.next().startswith("watching templates/ and src/ (builds start warm")
        built = r"^\d\d:\d\d:\d\d \(\d+\.\d s\) "
        assert re.match(built + r"re-ran value; LaTeX ran; report/solutions\.pdf$",
                        watcher.next())
        edit(template, "Some prose.", "Other prose.")
        assert re.match(built + r"re-ran nothing; LaTeX ran; report/solutions\.pdf$",
                        watcher.next())
        edit(template, "x = 6 * 7", "x = 6 / 0")
        assert re.match(built + "build failed:$", watcher.next())
        assert watcher.next() == ("templates/solutions.tex.j2:5 [value]: ZeroDivisionError: "
                                  "division by zero")
        edit(template, "x = 6 / 0", "x = 6 * 8")
        assert re.match(built + r"re-ran value; LaTeX ran; report/solutions\.pdf$",
                        watcher.next())
    finally:
        assert watcher.stop() == 0
    text = subprocess.run(["pdftotext", str(project / "report/solutions.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Other prose." in text and "The value is 48." in text


MODULE = '''"""Numbers for the watched document."""
import sympy as sp

BASE = 6


def value():
    return sp.Integer(BASE) * 7
'''

WARM_TEMPLATE = r"""\documentclass{article}
\usepackage{amsmath}
\begin{document}
<<first>>=
from notes import numbers
print(f"The value is ${numbers.value()}$.")
@
<<second>>=
print(f"Twice that is ${2 * numbers.value()}$.")
@
\end{document}
"""


def test_a_warm_build_weaves_what_a_cold_build_weaves(tmp_path):
    """The watcher's builds are forks of a process that imported the document's module
    before the save; the module it changed is imported again, and the woven LaTeX is that of
    a cold build of the same files, byte for byte."""
    project = small_project(tmp_path / "project", WARM_TEMPLATE,
                            {"notes/__init__.py": "", "notes/numbers.py": MODULE})
    watcher = Watcher(project)
    try:
        assert re.match(r"watching templates/ and src/ \(builds start warm: imports done in "
                        r"\d+\.\d s\); Ctrl-C stops$", watcher.next())
        assert "re-ran first, second; LaTeX ran" in watcher.next()
        edit(project / "src/notes/numbers.py", "BASE = 6", "BASE = 8")
        line = watcher.next()
        assert "(reloaded notes.numbers) re-ran first, second; LaTeX ran" in line, line
    finally:
        assert watcher.stop() == 0
    woven = (project / "report/build/solutions/solutions.tex").read_text()
    assert "The value is $56$." in woven and "Twice that is $112$." in woven
    cold = tmp_path / "cold"
    shutil.copytree(project, cold, ignore=shutil.ignore_patterns("report", "__pycache__"))
    (cold / "report").mkdir()
    result = run_build(cold, "pdf")           # a fork of this test process: it never imported
                                              # notes.numbers, so the module is cold there
    assert result.returncode == 0, result.stderr
    assert (cold / "report/build/solutions/solutions.tex").read_text() == woven


def test_a_module_whose_import_reaches_outside_it_starts_the_watcher_again_clean(tmp_path):
    """A module whose import changed state elsewhere (here, numpy's printing) cannot be
    taken back by importing it again: the watcher says so and starts over, clean."""
    module = MODULE + "\nimport numpy\nnumpy.set_printoptions(precision=3)\n"
    project = small_project(tmp_path / "project", WARM_TEMPLATE,
                            {"notes/__init__.py": "", "notes/numbers.py": module})
    watcher = Watcher(project)
    try:
        watcher.next()
        assert "LaTeX ran" in watcher.next()
        edit(project / "src/notes/numbers.py", "BASE = 6", "BASE = 9")
        assert re.match(r"^\d\d:\d\d:\d\d starting again, clean: notes\.numbers changed, and "
                        r"its import ran code that may have changed state outside it$",
                        watcher.next())
        assert watcher.next().startswith("watching templates/ and src/")
        assert "re-ran first, second; LaTeX ran" in watcher.next()
    finally:
        assert watcher.stop() == 0
    assert "The value is $63$." in (project / "report/build/solutions/solutions.tex").read_text()


HANGS = r"""\documentclass{article}
\begin{document}
<<hangs>>=
import time
time.sleep(SECONDS)
print("Woke.")
@
\end{document}
"""


def _until(watcher, pattern: str, timeout: float = 60) -> str:
    """The first line the watcher prints that matches `pattern`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = watcher.next(timeout=max(0.1, deadline - time.monotonic()))
        if re.search(pattern, line):
            return line
    pytest.fail(f"the watcher never printed {pattern!r}")


def test_watch_says_where_a_slow_build_is_and_a_save_restarts_it(tmp_path):
    project = small_project(tmp_path / "project", HANGS.replace("SECONDS", "600"))
    template = project / "templates/solutions.tex.j2"
    watcher = Watcher(project)
    try:
        _until(watcher, r"^watching")
        assert "[hangs]" in _until(watcher, r"still building solutions after 5 s")
        saved = time.monotonic()
        template.write_text(HANGS.replace("SECONDS", "0"))      # the fix, saved meanwhile
        assert "a save came in" in _until(watcher, r"build stopped")
        assert "re-ran hangs" in _until(watcher, r"re-ran")
        assert time.monotonic() - saved < 30
    finally:
        watcher.stop()


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM])
def test_stopping_watch_during_a_hung_chunk_ends_it_and_its_children(tmp_path, number):
    project = small_project(tmp_path / "project", HANGS.replace("SECONDS", "600"))
    watcher = Watcher(project)
    try:
        _until(watcher, r"^watching")
        _until(watcher, r"still building solutions after 5 s")
        children = psutil.Process(watcher.process.pid).children(recursive=True)
        stopped = time.monotonic()
        watcher.process.send_signal(number)
        watcher.process.wait(timeout=10)
        assert time.monotonic() - stopped < 4          # its 2 s grace, and the exit
        time.sleep(0.5)
        assert not [child for child in children if child.is_running()
                    and child.status() != psutil.STATUS_ZOMBIE]
    finally:
        if watcher.process.poll() is None:
            watcher.process.kill()
