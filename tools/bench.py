"""`make bench`: how long builds take, measured on a temporary copy of the project.

    python tools/bench.py [--repeat N] [--module src/solutions/q4.py] [--json PATH]

Measures, each N times (median and min-max spread): a cold build, and the same with one
kernel (VERITEX_JOBS=1, to show what the cores bring); `check` alone, cold; a no-op rebuild;
a prose edit of one template line; and under `veritex watch`, from the save to the watcher's
line saying the new PDF is there, an edit of one leaf chunk and an edit of one src/solutions
module. As references, measured in the same run on the same document: Pweave alone on the
rendered source, and latexmk alone on the woven .tex. Peak memory is that of the whole process
tree of a build. Prints each measure as a ratio against its reference, with its target and
whether it is met, and writes the numbers to report/bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
LATEXMK = ("latexmk", "-pdf", "-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape")

# Pweave alone needs what the engine gives every chunk: the path and the runtime's names.
PRELUDE = """<<>>=
import sys; sys.path.insert(0, {src!r})
import veritex.runtime as _vtx; _vtx.start({figures!r}, {root!r})
from veritex.runtime import show, inline, math, figure
from veritex.claims import claim, define, given, inequality
from veritex.values import rounded
from veritex.latex import Notation
@
"""
PWEAVE_ALONE = """
import pweave
pweave.rcParams["chunk"]["defaultoptions"].update(echo=False, results="tex", fig=False)
doc = pweave.Pweb({source!r}, doctype="tex", output={output!r})
doc.weave()
"""


def timed(command, cwd, env=None) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall time and peak resident memory (bytes, whole process tree) of one command."""
    started = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env=env)
    peak, done = 0, threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            try:
                tree = [process, *process.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    result = subprocess.CompletedProcess(command, process.returncode, out, err)
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, command))} failed:\n{err or out}")
    return seconds, peak, result


def build(project: Path, command: str, env=None):
    """One build of the solutions (the document the references are measured on)."""
    return timed([str(PYTHON), "build.py", command, "solutions"], project, env)


class Watcher:
    """`build.py watch solutions` on the copy; `save` times a save until its build's line."""

    def __init__(self, project: Path):
        self.project, self.lines = project, queue.Queue()
        self.process = subprocess.Popen([str(PYTHON), "build.py", "watch", "solutions"],
                                        cwd=project, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.first = self._build_line()                    # the build it starts with

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def _build_line(self, timeout: float = 300) -> str:
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if "build failed" in line:
                raise SystemExit(f"bench: the watcher's build failed: {line}")
            if re.match(r"\d\d:\d\d:\d\d \(", line):
                return line

    def save(self, path: Path, text: str) -> tuple[float, str]:
        """Write `text` to `path`; seconds until the watcher says the build is done."""
        started = time.perf_counter()
        path.write_text(text)
        line = self._build_line()
        return time.perf_counter() - started, line

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def ran(project: Path) -> dict:
    """What the last build did, from its own record: units run (and their seconds), checks
    run, LaTeX run."""
    record = json.loads((project / "report/build/solutions/run.json").read_text())
    units = [unit for unit in record["units"] if unit["ran"]]
    return {"units": len(units), "unit_seconds": round(sum(u.get("seconds", 0) for u in units), 3),
            "labels": [unit["label"] for unit in units],
            "checks": record.get("checks", {}).get("checked", 0),
            "latex": record["latex"]["ran"]}


def cold(project: Path):
    shutil.rmtree(project / "report" / "build" / "solutions", ignore_errors=True)
    (project / "report" / "solutions.pdf").unlink(missing_ok=True)


def copy(target: Path) -> Path:
    for name in ("templates", "src/solutions"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("build.py", "pyproject.toml"):
        shutil.copy(ROOT / name, target / name)
    (target / "report").mkdir()
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


def prose_line(project: Path) -> tuple[Path, str]:
    """A line of plain prose in a question template, to edit."""
    for template in sorted((project / "templates").glob("q*.tex.j2")):
        for line in template.read_text().splitlines():
            if re.fullmatch(r"[A-Z][a-z]+ [a-z ,]+[a-z,]", line.strip()):
                return template, line
    raise SystemExit("bench: no prose line found to edit")


def leaf_chunk(project: Path) -> tuple[Path, str]:
    """The last line of the last chunk, in the last question template, that draws no figure:
    a chunk others are unlikely to depend on (the measure says how many units re-ran)."""
    template = sorted((project / "templates").glob("q*.tex.j2"))[-1]
    chunks = re.findall(r"^<<[^>]*>>=\n(.*?)\n@$", template.read_text(), re.M | re.S)
    chunk = next(chunk for chunk in reversed(chunks) if "figure(" not in chunk)
    return template, chunk.splitlines()[-1]


def replace(path: Path, old: str, new: str):
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def measure(repeat: int, module: str) -> dict:
    results = {}

    def record(name, samples, peaks=(), runs=None):
        results[name] = {"median": statistics.median(samples), "min": min(samples),
                         "max": max(samples), "samples": samples,
                         "peak_mb": max(peaks, default=0) / 2**20,
                         **({"ran": runs} if runs else {})}
        print(f"  {name}: {statistics.median(samples):.2f} s", flush=True)

    one_kernel = {**os.environ, "VERITEX_JOBS": "1"}
    with tempfile.TemporaryDirectory(prefix="veritex-bench-") as folder:
        project = copy(Path(folder) / "project")
        build(project, "pdf")                                     # warm the OS caches
        for name, command, env in (("cold build", "pdf", None),
                                   ("cold build, one kernel", "pdf", one_kernel),
                                   ("check alone, cold", "check", None)):
            samples, peaks = [], []
            for _ in range(repeat):
                cold(project)
                seconds, peak, _ = build(project, command, env)
                samples.append(seconds)
                peaks.append(peak)
            record(name, samples, peaks)
        claims = json.loads((project / "report/build/solutions/claims.json").read_text())
        results["checks, their own time"] = {"median": claims["summary"]["seconds"]}
        build(project, "pdf")

        samples, peaks, runs = [], [], []
        for _ in range(repeat):
            seconds, peak, _ = build(project, "pdf")
            samples.append(seconds), peaks.append(peak), runs.append(ran(project))
        record("no-op rebuild", samples, peaks, runs)

        path, line = prose_line(project)
        samples, peaks, runs = [], [], []
        for i in range(repeat):
            replace(path, line, f"{line} (edit {i})")
            line = f"{line} (edit {i})"
            seconds, peak, _ = build(project, "pdf")
            samples.append(seconds), peaks.append(peak), runs.append(ran(project))
        record("prose edit", samples, peaks, runs)

        # the edit loop: saves under `veritex watch`, each timed until its build's line
        watcher = Watcher(project)
        try:
            path, line = leaf_chunk(project)
            samples, runs = [], []
            for i in range(repeat):        # a new line of output: the PDF is made again
                edited = f"{line}\nprint('% bench edit {i}')"
                seconds, _ = watcher.save(path, path.read_text().replace(line, edited, 1))
                line = edited
                samples.append(seconds), runs.append(ran(project))
            record("chunk edit, watch", samples, runs=runs)
            samples, runs = [], []
            path = project / module
            for i in range(repeat):
                seconds, _ = watcher.save(path, path.read_text() + f"# bench edit {i}\n")
                samples.append(seconds), runs.append(ran(project))
            record("module edit, watch", samples, runs=runs)
        finally:
            watcher.stop()

        build_dir = project / "report" / "build" / "solutions"
        samples, peaks = [], []
        for i in range(repeat):                                 # Pweave alone, same source
            output, source = build_dir / f"alone-{i}.tex", build_dir / f"alone-{i}.texw"
            source.write_text(PRELUDE.format(src=str(project / "src"), root=str(project),
                                             figures=str(build_dir / "figures")) +
                              (build_dir / "solutions.texw").read_text())
            script = PWEAVE_ALONE.format(source=str(source), output=str(output))
            seconds, peak, _ = timed([str(PYTHON), "-c", script], build_dir)
            if "Traceback" in output.read_text():      # Pweave weaves errors and exits 0
                raise SystemExit(f"bench: Pweave alone failed, see {output}")
            samples.append(seconds), peaks.append(peak)
        record("Pweave alone", samples, peaks)

        samples, peaks = [], []
        for i in range(repeat):                                 # latexmk alone, same .tex
            alone = Path(folder) / f"latex-{i}"
            alone.mkdir()
            for item in build_dir.iterdir():
                if item.suffix in (".tex", ".sty") or item.name == "figures":
                    (shutil.copytree if item.is_dir() else shutil.copy)(item, alone / item.name)
            seconds, peak, _ = timed([*LATEXMK, "solutions.tex"], alone)
            samples.append(seconds), peaks.append(peak)
        record("latexmk alone", samples, peaks)
    return results


def table(results: dict) -> tuple[str, dict]:
    """One row per measure: its median, its ratio against a reference measured in this run,
    the target, and whether it is met."""
    m = {name: value["median"] for name, value in results.items()}
    latexmk, pweave = m["latexmk alone"], m["Pweave alone"]
    peak = max(value.get("peak_mb", 0) for value in results.values())
    noop, prose = results["no-op rebuild"]["ran"], results["prose edit"]["ran"]
    chunk, module = results["chunk edit, watch"]["ran"], results["module edit, watch"]["ran"]
    rerun = statistics.median(run["unit_seconds"] for run in module)
    rows = [
        ("no-op rebuild", m["no-op rebuild"], f"{m['no-op rebuild']:.2f} s, nothing ran",
         "<= 1.0 s, 0 chunks/checks, no LaTeX",
         m["no-op rebuild"] <= 1.0 and all(not (r["units"] or r["checks"] or r["latex"])
                                           for r in noop)),
        ("prose edit", m["prose edit"], f"{m['prose edit'] / latexmk:.2f} x latexmk",
         "<= 1.2 x latexmk, 0 chunks",
         m["prose edit"] <= 1.2 * latexmk and all(r["units"] == 0 for r in prose)),
        ("chunk edit, watch", m["chunk edit, watch"],
         f"{m['chunk edit, watch'] / latexmk:.2f} x latexmk; {chunk[0]['units']} unit ran",
         "<= 1.0 x latexmk, only it ran",
         m["chunk edit, watch"] <= latexmk and all(r["units"] == 1 for r in chunk)),
        ("module edit, watch", m["module edit, watch"],
         f"{m['module edit, watch'] / (latexmk + rerun):.2f} x (latexmk + {rerun:.1f} s of "
         f"its {module[0]['units']} units)", "<= 1.0 x (latexmk + re-run units)",
         m["module edit, watch"] <= latexmk + rerun),
        ("check, cold", m["check alone, cold"], f"{m['check alone, cold'] / pweave:.2f} x Pweave",
         "<= 0.7 x Pweave alone", m["check alone, cold"] <= 0.7 * pweave),
        ("cold build", m["cold build"], f"{m['cold build'] / (pweave + latexmk):.2f} x "
         "(Pweave + latexmk)", "<= 0.9 x (Pweave + latexmk)",
         m["cold build"] <= 0.9 * (pweave + latexmk)),
        ("  one kernel", m["cold build, one kernel"],
         f"{m['cold build, one kernel'] / m['cold build']:.2f} x the cold build", "", None),
        ("peak memory", None, f"{peak:.0f} MB, whole process tree", "<= 1.5 GB", peak <= 1536),
        ("Pweave alone", pweave, "reference", "", None),
        ("latexmk alone", latexmk, "reference", "", None),
    ]
    spread = {name: f"{value['min']:.2f}-{value['max']:.2f}" for name, value in results.items()
              if "min" in value}
    names = {"check, cold": "check alone, cold", "  one kernel": "cold build, one kernel"}
    lines = [f"{'measure':<19} {'median':>8} {'spread (s)':>12}  {'ratio':<44} "
             f"{'target':<36} met", "-" * 128]
    for name, value, ratio, target, met in rows:
        shown = "" if value is None else f"{value:.2f} s"
        lines.append(f"{name:<19} {shown:>8} {spread.get(names.get(name, name), ''):>12}  "
                     f"{ratio:<44} {target:<36} {'' if met is None else 'yes' if met else 'NO'}")
    return "\n".join(lines), {row[0]: row[4] for row in rows if row[4] is not None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--module", default="src/solutions/q4.py",
                        help="the solution module to edit (default: %(default)s)")
    parser.add_argument("--json", type=Path, default=ROOT / "report" / "bench.json")
    args = parser.parse_args()
    print(f"veritex bench: {args.repeat} repetitions on a temporary copy "
          f"({psutil.cpu_count()} cores, {platform.python_version()})", flush=True)
    results = measure(args.repeat, args.module)
    text, met = table(results)
    print("\n" + text)
    missed = [name for name, ok in met.items() if not ok]
    print("\nevery target met" if not missed else f"\ntargets NOT met: {', '.join(missed)}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": {"cores": psutil.cpu_count(),
                                                 "python": platform.python_version()},
                                     "results": results, "targets_met": met}, indent=1) + "\n")
    print(f"\nwritten to {args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
