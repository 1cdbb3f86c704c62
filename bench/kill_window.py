"""The window task of ``bench/kill_anywhere.py``: strokes with the mouse, Undo and Redo from the
Edit menu, File > Save labels and Save as DICOM SEG, in the main window (under Xvfb).

The child logs, after each action has returned (a save: once its worker has written the file),
a checksum of the label map; the uninterrupted first run's log is the script's expected states.
The check opens the image in a new window as a user would, answers the restore offer with
Restore, and compares the map with the state after the last logged action (or the one after);
the saved files are read with nibabel, json and pydicom.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent / "tests" / "ui"), str(BENCH.parent / "tests" / "render")]

ACTIONS = ["stroke", "stroke", "undo", "stroke", "undo", "redo", "save", "stroke", "seg", "stroke",
           "undo", "save", "stroke", "seg"]


def checksum(array: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(array).tobytes()).hexdigest()[:12]


def _events_until(condition, timeout: float = 60.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there")
        QApplication.processEvents()
        time.sleep(0.02)


def _window():
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.resize(1200, 800)
    window.show()
    return app, window


def _open(window, run: Path) -> None:
    window.open_paths([run / "dicom"])
    _events_until(lambda: window.controller.volume is not None and not window.runner.busy
                  and (window.editor.session is not None or window.edit_actions.pending is not None))


def _stroke(window, number: int) -> None:
    from editor_helpers import stroke

    volume = window.controller.volume
    centre = volume.ijk_to_ras @ np.append(np.array(volume.shape[:3]) // 2, 1.0)
    offset = np.array([(number % 5 - 2) * 10.0, (number % 3 - 1) * 10.0, 0.0])
    start = centre[:3] + offset
    window.controller.set_crosshair(start)
    stroke(window, "axial", [start, start + [6.0, 4.0, 0.0]])


def child_window(run: Path) -> None:
    from kill_editor import note

    _, window = _window()
    _open(window, run)
    session = window.editor.session
    session.segments.add("lesion")
    window.edit_actions.panel.select_tool("paint")
    actions = window.edit_actions
    with open(run / "progress.log", "a") as log:
        note(log, f"0 {checksum(session.labels.array)}")
        for number, action in enumerate(ACTIONS, start=1):
            if action == "stroke":
                _stroke(window, number)
            elif action in ("undo", "redo"):
                (actions.undo_action if action == "undo" else actions.redo_action).trigger()
            else:
                before = checksum(session.labels.array)
                note(log, f"saving{number} {before} {int(session.labels.array.astype(bool).sum())}")
                target = run / ("labels.nii.gz" if action == "save" else "labels.dcm")
                (actions.save_labels if action == "save" else actions.save_seg)(target)
                _events_until(lambda: not actions.saving.running)
                _events_until(lambda: not window.runner.busy)   # the compaction after it
            note(log, f"{number} {checksum(session.labels.array)}")
    window.edit_actions.close_case()


def _read_log(path: Path) -> tuple[dict[int, str], list[tuple[int, str, str, int]]]:
    """{action number: checksum after it}, [(action number, save or seg, checksum, voxels)]."""
    states, saves = {}, []
    for line in path.read_text().splitlines() if path.exists() else []:
        first, *rest = line.split()
        if first.startswith("saving"):
            number = int(first[6:])
            saves.append((number, ACTIONS[number - 1], rest[0], int(rest[1])))
        else:
            states[int(first)] = rest[0]
    return states, saves


def check_window(run: Path) -> list[str]:
    import os

    import nibabel as nib
    import pydicom

    os.environ["NEUROVIEW_HOME"] = str(run / "home")   # the child's user folder (its workspace)
    os.environ["QT_QPA_PLATFORM"] = "xcb" if os.environ.get("DISPLAY") else "offscreen"
    expected, _ = _read_log(run.parent / "whole" / "progress.log")
    states, saves = _read_log(run / "progress.log")
    last = max(states, default=-1)
    defects = []
    app, window = _window()
    try:
        _open(window, run)
        if window.edit_actions.pending is not None:
            window.edit_actions.answer_restore(True)   # the notice bar's Restore
        _events_until(lambda: window.editor.session is not None)
        restored = checksum(window.editor.session.labels.array)
        allowed = [expected[k] for k in (last, last + 1) if k in expected]
        if last >= 0 and restored not in allowed:
            where = [k for k, value in expected.items() if value == restored]
            defects.append(f"restored state {where or '?'}, the user had finished action {last}")
        window.edit_actions.panel.select_tool("paint")
        _stroke(window, 99)                            # editing goes on after the restore
        actions = window.edit_actions
        actions.save_labels(run / "after.nii.gz")
        _events_until(lambda: not actions.saving.running)
        if checksum(np.asarray(nib.load(run / "after.nii.gz").dataobj)) != \
                checksum(window.editor.session.labels.array):
            defects.append("the save after the restore differs from the map")
    except Exception as exc:  # noqa: BLE001 - a window that cannot go on is the defect
        defects.append(f"reopening in the window failed: {str(exc)[:160]}")
    finally:
        window.edit_actions.close_case()
        window.close()
        app.processEvents()
    for kind, target in (("save", run / "labels.nii.gz"), ("seg", run / "labels.dcm")):
        started = [s for s in saves if s[1] == kind]
        finished = [s for s in started if s[0] in states]
        if finished:   # the last finished save, or one started after it
            started = started[started.index(finished[-1]):]
        defects += _check_saved(kind, target, started, bool(finished), nib, pydicom)
    return defects


def _check_saved(kind: str, target: Path, started: list, finished: bool, nib, pydicom) -> list[str]:
    """The file holds the last save finished or one started after it, whole."""
    if not target.exists():
        return [f"{target.name} missing after a finished save"] if finished else []
    try:
        if kind == "save":
            array = np.asarray(nib.load(target).dataobj)
            json.loads(target.with_name("labels.segments.json").read_text())
            ok = checksum(array) in [s[2] for s in started]
        else:
            voxels = int((np.asarray(pydicom.dcmread(target).pixel_array) > 0).sum())
            ok = voxels in [s[3] for s in started]
    except Exception as exc:  # noqa: BLE001
        return [f"{target.name} (or its sidecar) unreadable: {str(exc)[:120]}"]
    return [] if ok else [f"{target.name} holds none of the {len(started)} saves started"]
