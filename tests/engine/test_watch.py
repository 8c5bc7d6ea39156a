"""`veritex watch`: a build per save, one line each, and a failing build does not stop it."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import threading

import pytest

from helpers import edit, needs_latex, small_project, veritex

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
        assert watcher.next().startswith("watching templates/ and src/")
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
