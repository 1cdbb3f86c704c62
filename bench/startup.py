"""Benchmark of neuroview's fixed cost: what every command a user types (and every CLI call of the
test suite) pays before it does its work.

Timed as whole processes, alternating, CPU (user + system, from ``wait4``) and wall seconds:
``neuroview --help``, ``neuroview info FILE`` and the window's first paint of FILE (``neuroview
FILE`` under Qt's offscreen platform, or xcb where DISPLAY is set, until the image is shown in
the slice views), against two references in the same run: ``python -c pass`` (the interpreter)
and ``python -c "import numpy"`` (the least any neuroview command imports). Medians, and ratios
to the numpy reference. FILE: the bundled MNI152 head (197x233x189) unless given.

Run: python bench/startup.py [--repeats 11] [--file PATH] [--no-window]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "resources" / "demo" / "mni152_t1_1mm.nii.gz"
sys.path.insert(0, str(REPO))

from tests.first_paint import first_paint_script  # noqa: E402

FIRST_PAINT = first_paint_script()


def timed(name: str, command: list[str], env: dict) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``command`` to its end."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"{name}: exit {process.returncode}\n{error[-2000:]}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--file", default=str(DEMO), help="the image for info and the window")
    parser.add_argument("--no-window", action="store_true", help="leave out the window's start")
    args = parser.parse_args()

    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as `make test` and an installed neuroview run
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    python = sys.executable
    commands = {
        "python -c pass": [python, "-c", "pass"],
        "python -c 'import numpy'": [python, "-c", "import numpy"],
        "neuroview --help": [python, "-m", "neuroview", "--help"],
        "neuroview info FILE": [python, "-m", "neuroview", "info", args.file],
    }
    if not args.no_window:
        commands["window: first paint of FILE"] = [python, "-c", FIRST_PAINT, args.file]
    for name, command in commands.items():  # compiled bytecode and warm file caches for all runs
        timed(name, command, env)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.repeats):  # alternating: a burst of load elsewhere hits them all alike
        for name, command in commands.items():
            runs[name].append(timed(name, command, env))

    reference = statistics.median(cpu for cpu, _ in runs["python -c 'import numpy'"])
    print(f"{Path(args.file).name}; {args.repeats} runs each, medians; CPU = user + system")
    print(f"{'':32} {'CPU s':>7} {'wall s':>7} {'CPU / numpy':>12}")
    for name, times in runs.items():
        cpu = statistics.median(t[0] for t in times)
        wall = statistics.median(t[1] for t in times)
        print(f"{name:32} {cpu:7.3f} {wall:7.3f} {cpu / reference:11.1f}x")


if __name__ == "__main__":
    main()
