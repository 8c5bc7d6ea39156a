"""Nothing is lost and LaTeX cannot reach the machine.

- A build stopped by SIGINT or SIGTERM, while chunks run or while LaTeX runs, exits with the
  signal's code, leaves the PDF as it was and no lock behind; the next build works.
- Two builds of one folder at once: the second waits for the first; the PDF is whole.
- LaTeX runs without shell escape and may read and write only below the build folder.
- Text from data prints literally, through the one escaping filter.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time

import psutil
import pytest

from helpers import needs_latex, run_build, small_project, veritex

pytestmark = needs_latex

TEMPLATE = r"""\documentclass{article}
\pagestyle{empty}
\begin{document}
Before.
<<slow>>=
import pathlib, time
pathlib.Path("STARTED").write_text("")
time.sleep(SLEEP)
print("Slept.")
@
PROSE
\end{document}
"""

# pdflatex counting to 40 million: a few seconds of LaTeX, long enough to be interrupted
SLOW_LATEX = r"\newcount\n \loop\advance\n by 1 \ifnum\n<40000000 \repeat"
OLD_PDF = b"%PDF-1.5 the last good build\n"


def make(tmp_path, sleep: float = 0, prose: str = "After.") -> object:
    project = small_project(tmp_path / "project", _template(tmp_path, sleep, prose))
    (project / "report" / "solutions.pdf").write_bytes(OLD_PDF)
    return project


def _template(tmp_path, sleep: float, prose: str) -> str:
    started = tmp_path / "project" / "started"        # the slow chunk has begun
    return (TEMPLATE.replace("SLEEP", str(sleep)).replace("PROSE", prose)
            .replace("STARTED", str(started)))


def start(project, *args) -> subprocess.Popen:
    return subprocess.Popen(veritex(project, "pdf", *args),
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def wait_for(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def read_until(process: subprocess.Popen, text: str) -> None:
    """Read the build's progress lines until one contains `text`."""
    for line in process.stdout:
        if text in line:
            return
    pytest.fail(f"the build ended before printing {text!r}")


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_build_stopped_while_chunks_run_keeps_the_pdf(tmp_path, number):
    project = make(tmp_path, sleep=60)
    build = start(project)
    wait_for(lambda: (project / "started").exists())
    build.send_signal(number)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 128 + number
    assert stderr.strip() == (f"build stopped by {number.name}; report/solutions.pdf is as "
                              "it was")
    assert (project / "report/solutions.pdf").read_bytes() == OLD_PDF
    _next_build_works(project)


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_build_stopped_while_latex_runs_keeps_the_pdf(tmp_path, number):
    project = make(tmp_path, prose=SLOW_LATEX)
    build = start(project)
    read_until(build, "claims and")           # the last line before LaTeX starts
    wait_for(lambda: (project / "report/build/solutions/solutions.log").exists(), timeout=30)
    time.sleep(0.5)
    build.send_signal(number)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 128 + number, stderr
    assert f"build stopped by {number.name}" in stderr
    assert (project / "report/solutions.pdf").read_bytes() == OLD_PDF
    assert not list((project / "report").glob(".*.partial"))
    assert not _tex_running_in(project)
    _next_build_works(project)


@pytest.mark.parametrize("death, how", [
    ("import os; os._exit(0)", r"exit status 0, without finishing"),
    ("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", r"killed by SIGSEGV"),
], ids=["os._exit(0)", "SIGSEGV"])
def test_a_chunk_that_ends_the_process_is_a_located_failure(tmp_path, death, how):
    project = make(tmp_path)
    template = project / "templates/solutions.tex.j2"
    template.write_text(template.read_text().replace("print(\"Slept.\")", death))
    result = run_build(project, "pdf")
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.fullmatch(rf"templates/solutions\.tex\.j2:\d+ \[slow\]: the build's process "
                        rf"died here \({how}\); report/solutions\.pdf is as it was",
                        result.stderr.strip()), result.stderr
    assert (project / "report/solutions.pdf").read_bytes() == OLD_PDF
    assert not _running_in(project)
    _next_build_works(project)


@pytest.mark.parametrize("stage", ["chunks", "checks", "LaTeX"])
def test_kill_9_leaves_nothing_running(tmp_path, stage):
    project = make(tmp_path, sleep=60) if stage == "chunks" else make(tmp_path,
                                                                     prose=SLOW_LATEX)
    if stage == "checks":
        _endless_check(project)
    build = start(project)
    if stage == "chunks":
        wait_for(lambda: (project / "started").exists())
    elif stage == "checks":
        read_until(build, "chunks and inline expressions ran")
        time.sleep(1)
    else:
        wait_for(lambda: _tex_running_in(project), timeout=60)
    tree = psutil.Process(build.pid).children(recursive=True)   # all the build started
    assert tree
    build.kill()                                              # SIGKILL: no handler runs
    build.wait()
    wait_for(lambda: not [p for p in tree if p.is_running() and p.status() != "zombie"],
             timeout=5)
    assert not _running_in(project)
    assert (project / "report/solutions.pdf").read_bytes() == OLD_PDF
    _next_build_works(project)


def _endless_check(project) -> None:
    """A claim whose Monte Carlo check never ends."""
    (project / "src" / "endless.py").write_text(
        "def forever(rng, size):\n    while True:\n        pass\n")
    template = project / "templates/solutions.tex.j2"
    template.write_text(template.read_text().replace(
        'print("Slept.")', 'print("Slept.")\nfrom endless import forever\n'
        "show(claim(0, 0, derived=forever, method='montecarlo', name='endless'))"))


def test_stopping_during_a_long_check_takes_at_most_two_seconds(tmp_path):
    project = make(tmp_path)
    _endless_check(project)
    build = start(project)
    read_until(build, "chunks and inline expressions ran")     # the checks are running
    time.sleep(1)
    started = time.monotonic()
    build.send_signal(signal.SIGTERM)
    _, stderr = build.communicate(timeout=30)
    assert time.monotonic() - started < 2.5, stderr
    assert build.returncode == 128 + signal.SIGTERM
    assert "build stopped by SIGTERM; report/solutions.pdf is as it was" in stderr
    wait_for(lambda: not _running_in(project), timeout=3)
    assert (project / "report/solutions.pdf").read_bytes() == OLD_PDF


def _running_in(project) -> list[str]:
    """Every process the build started that still runs: the build's own (their command line
    names the project), check workers and LaTeX (by their working folder or parent)."""
    found = []
    for process in psutil.process_iter(["name", "cwd", "cmdline"]):
        info = process.info
        line = " ".join(info["cmdline"] or [])
        if process.pid == os.getpid():
            continue
        if str(project) in line or (info["cwd"] or "").startswith(str(project)):
            found.append(f"{info['name']}: {line[:80]}")
    return found


def _tex_running_in(project) -> list[str]:
    """latexmk or pdflatex processes working in the project (their command lines name only
    the .tex file, so they are found by their working folder)."""
    found = []
    for process in psutil.process_iter(["name", "cwd"]):
        name, cwd = process.info["name"] or "", process.info["cwd"] or ""
        if ("latex" in name or name == "perl") and cwd.startswith(str(project)):
            found.append(f"{name} in {cwd}")
    return found


def _next_build_works(project) -> None:
    template = project / "templates/solutions.tex.j2"
    template.write_text(_template(project.parent, 0, "After."))
    result = run_build(project, "pdf")
    assert result.returncode == 0, result.stderr
    assert "waiting" not in result.stderr                   # no lock was left behind
    assert _pdf_text(project).split() == ["Before.", "Slept.", "After."]


def test_a_second_build_waits_for_the_first(tmp_path):
    project = make(tmp_path, sleep=3)
    first = start(project)
    wait_for(lambda: (project / "started").exists())
    second = run_build(project, "pdf")
    first.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    assert "another build of solutions is running; waiting for it to finish" in second.stderr
    assert _pdf_text(project).split() == ["Before.", "Slept.", "After."]


def _pdf_text(project) -> str:
    return subprocess.run(["pdftotext", "-raw", str(project / "report/solutions.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout


# ---- LaTeX cannot reach the machine --------------------------------------------------------

def test_write18_runs_nothing(tmp_path):
    witness = tmp_path / "shell-escape-ran"
    project = make(tmp_path, prose=rf"\immediate\write18{{touch {witness}}}After.")
    result = run_build(project, "pdf")
    assert result.returncode == 0, result.stderr
    assert not witness.exists()
    assert "runsystem(touch" in (project / "report/build/solutions/solutions.log").read_text()


def test_latex_cannot_read_outside_the_build_folder(tmp_path):
    project = make(tmp_path, prose=r"\input{/etc/passwd}")
    result = run_build(project, "pdf")
    assert result.returncode == 1
    # kpathsea refuses the absolute path (openin_any=p): TeX finds no such file
    assert result.stderr.strip().endswith("LaTeX error: File `/etc/passwd.tex' not found")
    assert (project / "report/solutions.pdf").read_bytes() == OLD_PDF


@pytest.mark.parametrize("target", ["{outside}", "../../outside.txt"])
def test_latex_cannot_write_outside_the_build_folder(tmp_path, target):
    outside = tmp_path / "outside.txt"
    project = make(tmp_path, prose=r"\newwrite\f\immediate\openout\f=" +
                   target.format(outside=outside) + r"\immediate\write\f{x}After.")
    run_build(project, "pdf")
    assert not outside.exists() and not (project / "outside.txt").exists()
    assert (project / "report/solutions.pdf").read_bytes() == OLD_PDF


def test_text_values_print_literally(tmp_path):
    # through the filter in a template and in a chunk's output; in the PDF's text, with the
    # document's OT1 fonts, ^ and ~ are the accents U+02C6 and U+02DC, and _ is a drawn rule
    value = r"\ { } $ & # ^ _ % ~"
    project = make(tmp_path, prose="((( text | escape_tex )))\n\n<% print(escape_tex(text)) %>")
    template = project / "templates/solutions.tex.j2"
    template.write_text(f"((* set text = {value!r} *))\n" + template.read_text().replace(
        "import pathlib", f"from veritex.filters import escape_tex\ntext = {value!r}\n"
                          "import pathlib"))
    result = run_build(project, "pdf")
    assert result.returncode == 0, result.stderr
    printed = "\\ { } $ & # \u02c6 % \u02dc"
    assert _pdf_text(project).split("\n")[2:4] == [printed, printed]
    assert (project / "report/build/solutions/solutions.tex").read_text().count(r"\_") == 2


@pytest.fixture(autouse=True)
def _no_tex_left(tmp_path):
    """Whatever a failed test left running in its folder is stopped, so it cannot slow the rest."""
    yield
    for process in psutil.process_iter(["cwd"]):
        if (process.info["cwd"] or "").startswith(str(tmp_path)):
            with contextlib.suppress(psutil.Error):          # it may have ended meanwhile
                process.kill()
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_removing_the_build_folder_mid_build_blames_no_chunk_and_lets_no_second_in(tmp_path):
    project = make(tmp_path, sleep=3)
    first = start(project)
    wait_for(lambda: (project / "started").exists())
    shutil.rmtree(project / "report" / "build")
    second = run_build(project, "pdf")
    _, stderr = first.communicate(timeout=120)
    assert "another build of solutions is running; waiting for it to finish" in second.stderr
    assert first.returncode == 0, stderr
    assert second.returncode == 0, second.stderr
    assert _pdf_text(project).split() == ["Before.", "Slept.", "After."]


LINKED = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
<<one>>=
x = 1
@
The value is <%= x %>.
\end{document}
"""


@needs_latex
def test_the_build_never_writes_through_a_link_out_of_the_project(tmp_path):
    project = small_project(tmp_path / "linked", LINKED)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "report" / "build").symlink_to(elsewhere, target_is_directory=True)
    result = run_build(project, "pdf")
    assert result.returncode == 0, result.stderr
    assert "report/build was a link" in result.stderr
    assert not any(elsewhere.iterdir())                  # nothing written out there
    assert (project / "report" / "build").is_dir() and not (project / "report" / "build").is_symlink()
    # files of the build folder made links to files elsewhere: replaced, never written through
    folder = project / "report" / "build" / "solutions"
    victims = {name: tmp_path / f"victim-{name}" for name in ("run.json", "claims.json",
                                                              ".solutions.pdf.partial")}
    for name, victim in victims.items():
        victim.write_text("precious")
        (folder / name).unlink(missing_ok=True)
        (folder / name).symlink_to(victim)
    (project / "templates" / "solutions.tex.j2").write_text(LINKED.replace("x = 1", "x = 2"))
    again = run_build(project, "pdf")
    assert again.returncode == 0, again.stderr
    assert all(victim.read_text() == "precious" for victim in victims.values())
    assert not (folder / "run.json").is_symlink()


def test_a_report_folder_that_links_out_of_the_project_is_refused(tmp_path):
    project = small_project(tmp_path / "linked", LINKED)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "report").rmdir()
    (project / "report").symlink_to(elsewhere, target_is_directory=True)
    result = run_build(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("report: a link to ")
    assert "outside the project" in result.stderr and not any(elsewhere.iterdir())


def test_a_template_that_links_out_of_the_project_is_one_located_line(tmp_path):
    project = small_project(tmp_path / "linked", LINKED.replace(
        "The value is", '((* include "other.tex.j2" *))\nThe value is'))
    outside = tmp_path / "other.tex.j2"
    outside.write_text("from outside\n")
    (project / "templates" / "other.tex.j2").symlink_to(outside)
    result = run_build(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"templates/solutions.tex.j2:7: other.tex.j2 is a link to {outside}, outside the "
        "project; a template is read only inside it (copy the file in)")


LEAVES = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
<<leaves>>=
import os, subprocess, sys, time
MARK
@
Done.
\end{document}
"""
DAEMON = ('subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "MARKER"], '
          'start_new_session=True)')
FORK = 'pid = os.fork()\nif pid == 0:\n    time.sleep(600)\n    os._exit(0)'


@pytest.mark.parametrize("leaves", [DAEMON, FORK], ids=["own-session", "fork"])
def test_nothing_a_chunk_starts_outlives_the_build(tmp_path, leaves):
    project = small_project(tmp_path / "leaves", LEAVES.replace("MARK", leaves))
    started = time.monotonic()
    result = run_build(project, "check", timeout=60)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 30                   # no wait on what was left
    assert "templates/solutions.tex.j2:5 [leaves]: warning: this chunk left a process running" \
        in result.stderr
    assert "was still running at its end, and was stopped" in result.stderr
    time.sleep(0.5)
    alive = [p for p in psutil.process_iter(["cmdline", "ppid"])
             if "time.sleep(600)" in " ".join(p.info["cmdline"] or [])
             and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, [p.info for p in alive]


WIPES = r"""\documentclass{article}
\usepackage{veritex}
\begin{document}
<<first>>=
y = 1
@
<<second>>=
z = 2
@
<<wipe>>=
import shutil
shutil.rmtree(REPORT)
@
Done.
\end{document}
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_chunk_that_removes_the_build_folder_fails_at_its_line(tmp_path, jobs):
    project = tmp_path / "wipes"
    small_project(project, WIPES.replace("REPORT", repr(str(project / "report"))))
    result = run_build(project, "check", env={**os.environ, "VERITEX_JOBS": jobs})
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    [line] = result.stderr.strip().splitlines()
    # (with two kernels, the other one may recreate its work folder while rmtree runs, and
    # rmtree itself fails: at the same line)
    assert line.startswith("templates/solutions.tex.j2:10 [wipe]: ")
    removed = line.endswith("it removed the build's own folder: report (a chunk may read "
                            "it, not delete or move it)")
    raced = re.search(r"\[wipe\]: (FileNotFoundError|OSError): .*cache-work", line)
    assert removed if jobs == "1" else (removed or raced), line
    assert "is as it was" not in result.stderr


@needs_latex
def test_a_line_too_long_for_tex_is_located_at_its_template_line(tmp_path):
    project = small_project(tmp_path / "long", "\\documentclass{article}\n\\begin{document}\n"
                            "Intro.\n" + "word " * 200_000 + "\n\\end{document}\n")
    result = run_build(project, "pdf")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "templates/solutions.tex.j2:4: LaTeX error: a line of 1,000,001 characters, longer "
        "than TeX reads (200,000): break it into shorter lines")
