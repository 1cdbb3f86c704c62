"""Kill neuroview at random moments across whole user tasks; check that nothing the user made is lost.

For each task a child process does the task on tiny data (the main window: strokes, Undo/Redo, Save
labels, Save as DICOM SEG, see ``kill_window.py``; the editor and the saves also through the
application layer the window drives, ``kill_editor.py``; the rest through ``neuroview VERB``), and
is sent SIGKILL after a random delay: ``--runs`` delays (seeded), half of them one in each equal
slice of the task's duration (the longest of three uninterrupted runs), the other half so over the
span of its logged actions (tasks that log them), where its writes are. Then the user's next step
is taken (the case reopened with its journal restored, ``dataset list``, ``models list``, the verb
run again, ``train --resume``) and the files are read with independent readers (nibabel, json,
pydicom, safetensors): every finished edit is there or the last good save is intact, no
half-written file reads as good, and the next run works without manual cleanup.

A kill "landed mid-write" when it left a temporary, an intent file or a '.NAME.old' behind (a
journal append cut short leaves none: the editor's kills are counted "mid-task" instead, after the
first logged action). One line per task: runs, kills (the child had not
ended), kills mid-task (tasks that log their steps), kills mid-write, defects; each defect once with
the run that found it (its folder kept under --keep).

Run: xvfb-run -a -s "-screen 0 1920x1080x24" python bench/kill_anywhere.py [--runs 40] [--seed 20]
     [--tasks window,editor,save,...] [--keep DIR]     (without a display the window is offscreen)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

import kill_editor  # noqa: E402
import kill_window  # noqa: E402

TRAIN = ["--epochs", "4", "--iterations", "2", "--patch", "16", "--spacing", "2", "--base-channels", "2",
         "--batch-size", "1", "--device", "cpu", "--workers", "0"]


def environment(run: Path) -> dict:
    return dict(os.environ, PYTHONPATH=str(REPO), NEUROVIEW_HOME=str(run / "home"),
                OMP_NUM_THREADS="1", QT_QPA_PLATFORM="xcb" if os.environ.get("DISPLAY") else "offscreen")


def neuroview(run: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neuroview", *map(str, args)], cwd=run,
                          env=environment(run), capture_output=True, text=True, timeout=600)


def hidden(run: Path) -> set[str]:
    """Files and folders whose name starts with '.' (temporaries, intents, '.NAME.old')."""
    return {str(p.relative_to(run)) for p in run.rglob(".*")}


def failed(result: subprocess.CompletedProcess, what: str) -> list[str]:
    if result.returncode == 0:
        return []
    lines = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()
    return [f"{what}: exit {result.returncode}: {lines[-1][:200]}"]


def readable_nifti(path: Path) -> str:
    import nibabel as nib

    try:
        np.asarray(nib.load(path).dataobj)
    except Exception as exc:  # noqa: BLE001
        return f"{path.name} unreadable: {str(exc)[:120]}"
    return ""


def readable_package(folder: Path) -> list[str]:
    """A model package: its card (json) and weights (safetensors) read whole."""
    from safetensors.numpy import load_file

    try:
        json.loads((folder / "model.json").read_text())
        load_file(folder / "weights.safetensors")
    except Exception as exc:  # noqa: BLE001
        return [f"model package {folder.name} unreadable: {str(exc)[:120]}"]
    return []


@dataclass
class Task:
    name: str
    prepare: Callable[[Path], None]
    child: Callable[[Path], list[str]]
    check: Callable[[Path], list[str]]
    """After a kill: the user's next step, then the independent reads; returns the defects."""


# -- the tasks ------------------------------------------------------------------------------------
def _image(path: Path, seed: int = 1, shape=kill_editor.SHAPE) -> None:
    import nibabel as nib

    rng = np.random.default_rng(seed)
    grid = np.indices(shape).transpose(1, 2, 3, 0)
    blob = np.linalg.norm(grid - rng.uniform(8, 14, 3), axis=-1) < 4
    image = (100 + 10 * rng.standard_normal(shape) + 150 * blob).astype(np.float32)
    nib.save(nib.Nifti1Image(image, np.diag([kill_editor.SPACING] * 3 + [1.0])), path)
    nib.save(nib.Nifti1Image(blob.astype(np.uint8), np.diag([kill_editor.SPACING] * 3 + [1.0])),
             path.with_name(path.name.replace(".nii.gz", "_labels.nii.gz")))


def _dicom(folder: Path, size: int = 24) -> None:
    """A DICOM series of ``size`` x ``size`` pixels x 2/3 ``size`` slices (6 mm at size 24)."""
    sys.path.insert(0, str(REPO / "tests" / "io" / "dicom"))
    from series_maker import SeriesSpec, write_series

    from neuroview.io.nifti import load_nifti

    mni = load_nifti(REPO / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
    step = 6.0 * 24 / size
    write_series(folder, mni, SeriesSpec(rows=size, cols=size, n_slices=2 * size // 3, row_spacing=step,
                                         col_spacing=step, slice_step=step))


def _python_child(function: str, *args) -> Callable[[Path], list[str]]:
    return lambda run: [sys.executable, str(BENCH / "kill_anywhere.py"), "--child", function,
                        str(run), *map(str, args)]


SAVE_SIZE = 128
"""The saves' image is larger (128 x 128 x 85), so that a save takes a share of the run (about
80 ms, compaction included). A write of a few kilobytes still opens a window of microseconds:
a label save made non-atomic on purpose went unnoticed in 30 runs (the crash-point tests in
tests/app cover those moments one by one)."""

STATES: dict[str, object] = {}


def _editor_states(run: Path):
    if "editor" not in STATES:
        from neuroview.io import load

        STATES["editor"] = kill_editor.expected_states(load(run / "image.nii.gz"))
    return STATES["editor"]


def _save_counts(run: Path):
    if "save" not in STATES:
        from neuroview.io import load

        STATES["save"] = kill_editor.save_counts(load(run / "dicom"))
    return STATES["save"]


def _prepare_dataset(base: Path) -> None:
    for n in range(3):
        _image(base / f"case{n}.nii.gz", seed=n)
    subprocess.run([sys.executable, "-m", "neuroview", "dataset", "init", "ds", "--name", "Blobs",
                    "--labels", "background,lesion"], cwd=base, env=environment(base), check=True,
                   capture_output=True)


def _check_dataset(run: Path) -> list[str]:
    defects = failed(neuroview(run, "dataset", "list", "ds"), "dataset list after the kill")
    defects += _dataset_sound(run)
    for n, verb in enumerate(LOOPS["dataset"]):
        defects += failed(neuroview(run, *verb), f"dataset add case{n} again")
    defects += _dataset_sound(run, expect=3)
    return defects


def _dataset_sound(run: Path, expect: int | None = None) -> list[str]:
    root = next((run / "ds").glob("Dataset*"), run / "ds")
    meta = json.loads((root / "dataset.json").read_text())
    images = sorted(p.name[:-len("_0000.nii.gz")] for p in (root / "imagesTr").glob("[!.]*_0000.nii.gz"))
    labels = sorted(p.name[:-len(".nii.gz")] for p in (root / "labelsTr").glob("[!.]*.nii.gz"))
    defects = [] if images == labels else [f"cases {images} but labels {labels}"]
    if meta.get("numTraining") != len(images):
        defects.append(f"dataset.json numTraining {meta.get('numTraining')}, {len(images)} cases")
    if expect is not None and len(images) != expect:
        defects.append(f"{len(images)} cases after adding {expect}")
    for path in [*(root / "imagesTr").glob("[!.]*"), *(root / "labelsTr").glob("[!.]*")]:
        defects += [m for m in [readable_nifti(path)] if m]
    for links in (run / "home").rglob("private-links/[!.]*.json"):   # pseudonym -> source file
        try:
            json.loads(links.read_text())
        except ValueError as exc:
            defects.append(f"{links.name} unreadable: {exc}")
    return defects


def _prepare_train(base: Path) -> None:
    sys.path.insert(0, str(REPO))
    from tests.ui.train_data import make_raw_dataset

    make_raw_dataset(base / "sets", np.random.default_rng(3))


def _check_train(run: Path) -> list[str]:
    from safetensors.numpy import load_file

    defects = []
    checkpoint = run / "model.checkpoint"
    if (checkpoint / "state.safetensors").exists():
        try:
            load_file(checkpoint / "state.safetensors")
            json.loads((checkpoint / "state.json").read_text())
        except Exception as exc:  # noqa: BLE001
            defects.append(f"checkpoint unreadable: {str(exc)[:120]}")
    if (run / "model").exists():
        return defects + readable_package(run / "model")
    result = neuroview(run, "train", "--dataset", "sets", "--out", "./model", *TRAIN, "--resume")
    return defects + failed(result, "train --resume") + readable_package(run / "model")


def _prepare_models(base: Path) -> None:
    """``pkg``: a package folder to add; 'blobs' 1.0.0 and 1.1.0 (the default) in the registry."""
    _prepare_train(base)
    for out, version in (("./pkg", "1.0.0"), ("blobs", "1.0.0"), ("blobs", "1.1.0")):
        subprocess.run([sys.executable, "-m", "neuroview", "train", "--dataset", "sets", "--out", out,
                        "--version", version, *TRAIN], cwd=base, check=True, env=environment(base),
                       capture_output=True)
    subprocess.run([sys.executable, "-m", "neuroview", "models", "promote", "blobs@1.1.0", "--force"],
                   cwd=base, check=True, env=environment(base), capture_output=True)


def _registry_sound(run: Path) -> list[str]:
    result = neuroview(run, "models", "list")
    defects = failed(result, "models list after the kill")
    models = run / "home" / "models"
    registry = run / "home" / "models.json"
    try:
        json.loads(registry.read_text()) if registry.exists() else None
    except ValueError as exc:
        defects.append(f"{registry.name} unreadable: {exc}")
    for card in models.rglob("model.json"):
        if not any(part.startswith(".") for part in card.relative_to(models).parts):
            defects += readable_package(card.parent)
    return defects


def _check_models_add(run: Path) -> list[str]:
    """Installed or not as the last logged add/remove left it (or the next one), then the
    loop's last step (add) works."""
    defects = _registry_sound(run)
    installed = "pkg@1.0.0" in neuroview(run, "models", "list", "--json").stdout
    done = [int(n) for n in kill_editor.logged(run)]
    states = [False] + [verb[1] == "add" for verb in LOOPS["models-add"]]
    last = done[-1] + 1 if done else 0
    if installed not in states[last:last + 2]:
        defects.append(f"pkg installed={installed} after {last} of the adds/removes")
    if not installed:
        defects += failed(neuroview(run, "models", "add", "./pkg"), "models add again")
    shown = neuroview(run, "models", "show", "pkg@1.0.0")
    return defects + failed(shown, "models show pkg") + _registry_sound(run)


def _check_promote(run: Path) -> list[str]:
    """The default is the last promoted (or the one being promoted); promoting again works."""
    defects = _registry_sound(run)
    done = [int(n) for n in kill_editor.logged(run)]
    versions = ["1.1.0"] + [verb[2].split("@")[1] for verb in LOOPS["promote"]]  # 1.1.0: set up
    last = done[-1] + 1 if done else 0
    shown = neuroview(run, "models", "default").stdout
    if not any(f"blobs@{v}" in shown for v in versions[last:last + 2]):
        defects.append(f"default {shown.strip()[:80]!r} after {last} promotions")
    defects += failed(neuroview(run, "models", "promote", "blobs@1.0.0", "--force"), "promote again")
    if "blobs@1.0.0" not in neuroview(run, "models", "default").stdout:
        defects.append("promoting blobs@1.0.0 again did not make it the default")
    return defects


def _prepare_segment(base: Path) -> None:
    _prepare_train(base)
    subprocess.run([sys.executable, "-m", "neuroview", "train", "--dataset", "sets", "--out", "pkg",
                    *TRAIN], cwd=base, check=True, env=environment(base), capture_output=True)
    (base / "cases").mkdir()
    for n in range(4):
        _image(base / "cases" / f"c{n}.nii.gz", seed=10 + n)
        (base / "cases" / f"c{n}_labels.nii.gz").unlink()


def _check_segment(run: Path) -> list[str]:
    defects = []
    masks = run / "masks"
    for mask in masks.glob("[!.]*.nii.gz") if masks.exists() else []:
        sidecar = mask.with_name(mask.name.replace(".nii.gz", ".segments.json"))
        intent = mask.with_name(f".{mask.name}.commit")
        if not sidecar.exists() and not intent.exists():
            defects.append(f"{mask.name} without its sidecar (and no intent to finish it)")
        defects += [m for m in [readable_nifti(mask)] if m]
    defects += failed(neuroview(run, "segment", "cases", "-o", "masks", "--model", "pkg", "--device", "cpu"),
                      "segment the folder again")
    names = sorted(p.name for p in masks.glob("*")) if masks.exists() else []
    wanted = sorted(f"c{n}_seg{ending}" for n in range(4) for ending in (".nii.gz", ".segments.json"))
    if names != wanted:
        defects.append(f"masks/ after running again: {names}")
    return defects + [m for m in map(readable_nifti, masks.glob("*.nii.gz")) if m]


def _check_convert(run: Path) -> list[str]:
    import nibabel as nib

    out = run / "out.nii.gz"
    defects = [m for m in [readable_nifti(out)] if m] if out.exists() else []
    before = np.asarray(nib.load(out).dataobj) if out.exists() and not defects else None
    defects += failed(neuroview(run, *LOOPS["convert"][0]), "convert again")
    after = np.asarray(nib.load(out).dataobj)
    if before is not None and not np.array_equal(before, after):
        defects.append("out.nii.gz left by the kill differs from a whole conversion")
    return defects


TASKS = [
    Task("editor", lambda b: _image(b / "image.nii.gz"), _python_child("editor", 0.03),
         lambda run: kill_editor.check_editor(run, _editor_states(run))),
    Task("window", lambda b: _dicom(b / "dicom"), _python_child("window"), kill_window.check_window),
    Task("save", lambda b: _dicom(b / "dicom", SAVE_SIZE), _python_child("save"),
         lambda run: kill_editor.check_save(run, _save_counts(run))),
    Task("dataset-add", _prepare_dataset, _python_child("dataset"), _check_dataset),
    Task("train", _prepare_train, lambda run: [sys.executable, "-m", "neuroview", "train", "--dataset",
                                               "sets", "--out", "./model", *TRAIN], _check_train),
    Task("models-add", _prepare_models, _python_child("models-add"), _check_models_add),
    Task("models-promote", _prepare_models, _python_child("promote"), _check_promote),
    Task("segment-batch", _prepare_segment, lambda run: [
        sys.executable, "-m", "neuroview", "segment", "cases", "-o", "masks", "--model", "pkg",
        "--device", "cpu"], _check_segment),
    Task("convert", lambda b: _dicom(b / "dicom"), _python_child("convert"), _check_convert),
]


LOOPS = {
    "dataset": [["dataset", "add", "ds", "--image", f"case{n}.nii.gz", "--labels", f"case{n}_labels.nii.gz",
                 "--annotator", "bench"] for n in range(3)],
    "models-add": [["models", "add", "./pkg"], ["models", "remove", "pkg@1.0.0"]] * 3
    + [["models", "add", "./pkg"]],
    "promote": [["models", "promote", f"blobs@{v}", "--force"] for v in ("1.1.0", "1.0.0") * 15],
    "convert": [["convert", "dicom", "out.nii.gz"]] * 10,
}
"""Python children that run ``neuroview VERB`` (its ``main``) several times in one process, one
line in progress.log after each, so that more kills land inside the writes of fast verbs."""


def child(function: str, run: Path, *args) -> None:
    """What a Python child does (``--child``)."""
    if function == "editor":
        kill_editor.child_editor(run, float(args[0]))
    elif function == "save":
        kill_editor.child_save(run)
    elif function == "window":
        kill_window.child_window(run)
    else:
        from neuroview.cli.main import main

        with open(run / "progress.log", "a") as log:
            for number, verb in enumerate(LOOPS[function]):
                if main(verb) != 0:
                    sys.exit(1)
                kill_editor.note(log, str(number))


# -- the loop -------------------------------------------------------------------------------------
def one_run(task: Task, base: Path, run: Path, delay: float | None):
    """(killed, killed mid-task, killed mid-write, defects, seconds) of one run."""
    shutil.copytree(base, run, symlinks=True)
    before = hidden(run)
    started, epoch = time.perf_counter(), time.time()
    process = subprocess.Popen(task.child(run), cwd=run, env=environment(run),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = False
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        killed = True
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    if not killed and process.returncode != 0:
        return False, False, False, [f"the task failed unkilled: {err.strip()[-300:]}"], seconds
    mid_write = killed and bool(hidden(run) - before)
    mid_task = killed and bool(kill_editor.logged(run))
    (run / "started").write_text(f"{epoch:.4f}")   # for the span of its actions (active_span)
    return killed, mid_task, mid_write, task.check(run), seconds


def active_span(run: Path) -> tuple[float, float] | None:
    """Seconds from the start of an uninterrupted run to its first and last logged action (None
    for a task that logs none): the part of the task where its writes happen."""
    times = run / "progress.times"
    if not times.exists():
        return None
    start = float((run / "started").read_text())
    offsets = [float(line) - start for line in times.read_text().split()]
    return (offsets[0], offsets[-1]) if len(offsets) > 1 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--tasks", default=",".join(t.name for t in TASKS))
    parser.add_argument("--keep", type=Path, default=None, help="keep the folders of runs with defects here")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), *args.child[2:])
        return 0
    wanted = args.tasks.split(",")
    print(f"kill_anywhere: {args.runs} runs per task, seed {args.seed}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.2f}")
    total = 0
    with tempfile.TemporaryDirectory(prefix="kill-anywhere-") as scratch:
        for number, task in enumerate(t for t in TASKS if t.name in wanted):
            folder = Path(scratch) / task.name
            base = folder / "base"
            base.mkdir(parents=True)
            task.prepare(base)
            durations = []   # the longest of three whole runs: the load on a shared machine varies
            for whole in ("whole", "whole2", "whole3"):
                _, _, _, defects, seconds = one_run(task, base, folder / whole, None)
                durations.append(seconds)
                if defects:
                    break
            duration = max(durations)
            span = active_span(folder / "whole")
            if defects:
                print(f"{task.name}: the uninterrupted run is wrong: {defects}")
                total += 1
                continue
            rng = random.Random(args.seed * 1000 + number)
            found: dict[str, str] = {}
            kills = tasks = writes = 0
            for i in range(args.runs):
                # even runs: over the whole task; odd ones: over the span of its logged actions
                # (where the writes are, not the start-up)
                low, high = (0.0, duration) if span is None or i % 2 == 0 else span
                delay = low + (high - low) * (i // 2 + rng.random()) / ((args.runs + 1) // 2)
                run = folder / f"run{i:03d}"
                killed, mid_task, mid_write, defects, _ = one_run(task, base, run, delay)
                kills, tasks, writes = kills + killed, tasks + mid_task, writes + mid_write
                for defect in defects:
                    found.setdefault(defect, f"{run.name} (kill at {delay:.2f} s)")
                if defects and args.keep:
                    shutil.copytree(run, args.keep / task.name / run.name, symlinks=True)
                shutil.rmtree(run, ignore_errors=True)
            total += len(found)
            print(f"{task.name}: {args.runs} runs over {duration:.1f} s, {kills} killed, "
                  f"{tasks} mid-task, {writes} mid-write, {len(found)} defects")
            for defect, where in found.items():
                print(f"  {where}: {defect}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
