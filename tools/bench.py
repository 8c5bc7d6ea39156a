"""`make bench`: how long builds take, measured on a temporary copy of the project.

    python tools/bench.py [--repeat N] [--module src/solutions/q4.py] [--json PATH]

Measures, each N times (median and min-max spread): a cold build; a no-op rebuild; a prose
edit of one template line; an edit of one chunk; an edit of one src/solutions module;
`check` alone, cold; and, as references on the same document, Pweave alone on the rendered
source and latexmk alone on the woven .tex. Peak memory is that of the whole process tree of
a build. Prints a table with the targets of issue 6 side by side, and writes the numbers to
report/bench.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
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


def timed(command, cwd) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall time and peak resident memory (bytes, whole process tree) of one command."""
    started = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
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


def build(project: Path, command: str):
    """One build of the solutions (the document the references are measured on)."""
    return timed([str(PYTHON), "build.py", command, "solutions"], project)


def ran(project: Path) -> tuple[int, int, bool]:
    """Chunks run, checks run, LaTeX run: from the build's own record."""
    record = json.loads((project / "report/build/solutions/run.json").read_text())
    return (sum(unit["ran"] for unit in record["units"]),
            record.get("checks", {}).get("checked", 0), record["latex"]["ran"])


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


def chunk_line(project: Path) -> tuple[Path, str]:
    """The last line of the last chunk of the last question template (a chunk that others
    are unlikely to depend on, so the edit shows the cost of one chunk)."""
    template = sorted((project / "templates").glob("q*.tex.j2"))[-1]
    chunks = re.findall(r"^<<[^>]*>>=\n(.*?)\n@$", template.read_text(), re.M | re.S)
    return template, chunks[-1].splitlines()[-1]


def replace(path: Path, old: str, new: str):
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def measure(repeat: int, module: str) -> dict:
    results = {}

    def record(name, samples, peaks, runs=None):
        results[name] = {"median": statistics.median(samples), "min": min(samples),
                         "max": max(samples), "samples": samples,
                         "peak_mb": max(peaks) / 2**20, **({"ran": runs} if runs else {})}
        print(f"  {name}: {statistics.median(samples):.2f} s", flush=True)

    with tempfile.TemporaryDirectory(prefix="veritex-bench-") as folder:
        project = copy(Path(folder) / "project")
        build(project, "pdf")                                     # warm the OS caches
        for name, command in (("cold build", "pdf"), ("check alone, cold", "check")):
            samples, peaks = [], []
            for _ in range(repeat):
                cold(project)
                seconds, peak, _ = build(project, command)
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

        edits = {"prose edit": prose_line(project), "chunk edit": chunk_line(project),
                 "module edit": (project / module, "")}
        for name, (path, line) in edits.items():
            samples, peaks, runs = [], [], []
            for i in range(repeat):
                if name == "module edit":
                    path.write_text(path.read_text() + f"# bench edit {i}\n")
                elif name == "prose edit":
                    replace(path, line, f"{line} (edit {i})")
                    line = f"{line} (edit {i})"
                else:
                    replace(path, line, f"{line}  # bench edit {i}")
                    line = f"{line}  # bench edit {i}"
                seconds, peak, _ = build(project, "pdf")
                samples.append(seconds), peaks.append(peak), runs.append(ran(project))
            record(name, samples, peaks, runs)

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
    m = {name: value["median"] for name, value in results.items()}
    reference = m["Pweave alone"] + m["latexmk alone"]
    direct = m["Pweave alone"] + m["checks, their own time"]
    peak = max(value.get("peak_mb", 0) for value in results.values())
    chunk_runs = results["chunk edit"]["ran"][0][0]
    rows = [
        ("no-op rebuild", f"{m['no-op rebuild']:.2f} s",
         f"ran {results['no-op rebuild']['ran'][0]}", "<= 1.0 s, 0 chunks/checks, no LaTeX",
         m["no-op rebuild"] <= 1.0 and list(results["no-op rebuild"]["ran"][0]) == [0, 0, False]),
        ("prose edit", f"{m['prose edit']:.2f} s",
         f"{m['prose edit'] / m['latexmk alone']:.2f} x latexmk", "0 chunks, <= 1.2 x latexmk",
         m["prose edit"] <= 1.2 * m["latexmk alone"]
         and all(r[0] == 0 for r in results["prose edit"]["ran"])),
        ("chunk edit", f"{m['chunk edit']:.2f} s", f"{chunk_runs} unit(s) ran",
         "only it and its dependants", None),
        ("module edit", f"{m['module edit']:.2f} s",
         f"{results['module edit']['ran'][0][0]} unit(s) ran", "its dependants", None),
        ("check, cold", f"{m['check alone, cold']:.2f} s",
         f"{m['check alone, cold'] / direct - 1:+.0%} vs direct", "<= 20 s, <= +25 %",
         m["check alone, cold"] <= 20 and m["check alone, cold"] <= 1.25 * direct),
        ("cold build", f"{m['cold build']:.2f} s",
         f"{m['cold build'] / reference:.2f} x (Pweave + latexmk)", "<= 1.3 x",
         m["cold build"] <= 1.3 * reference),
        ("peak memory", f"{peak:.0f} MB", "", "<= 1.5 GB", peak <= 1536),
        ("Pweave alone", f"{m['Pweave alone']:.2f} s", "reference", "", None),
        ("latexmk alone", f"{m['latexmk alone']:.2f} s", "reference", "", None),
    ]
    spread = {name: f"{value['min']:.2f}-{value['max']:.2f}" for name, value in results.items()
              if "min" in value}
    names = {"check, cold": "check alone, cold", "peak memory": None}
    lines = [f"{'measure':<15} {'median':>9} {'spread (s)':>12}  {'ratio':<30} {'target':<38} met",
             "-" * 112]
    for name, value, ratio, target, met in rows:
        key = names.get(name, name)
        lines.append(f"{name:<15} {value:>9} {spread.get(key, ''):>12}  {ratio:<30} "
                     f"{target:<38} {'' if met is None else 'yes' if met else 'NO'}")
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
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": {"cores": psutil.cpu_count(),
                                                 "python": platform.python_version()},
                                     "results": results, "targets_met": met}, indent=1) + "\n")
    print(f"\nwritten to {args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
