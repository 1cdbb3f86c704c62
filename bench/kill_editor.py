"""The editor's and the saves' children for ``bench/kill_anywhere.py``, and their checks.

A child drives the application layer the window drives (``app.case.Case``, ``app.session.Session``:
press/drag/release strokes, undo, redo, Save labels, Save as DICOM SEG) and appends one fsync'ed
line to ``progress.log`` after each action has returned. The checks reopen the case as the window
does (``Case.open`` restores the journal, its restore offer) and compare with what a run of the
same script without a workspace (no journal) held after each action, reading saved files with
nibabel, json and pydicom only.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np

SPACING = 2.0
SHAPE = (24, 24, 20)
STROKES = 8


def _ras(ijk) -> tuple:
    return tuple(float(c) * SPACING for c in ijk)


def editor_script() -> list[tuple]:
    """Strokes (paint, erase), undo and redo: what a person does in the segment editor."""
    rng = np.random.default_rng(20)
    script: list[tuple] = []
    for n in range(STROKES):
        start = rng.integers(4, 16, 3)
        path = [start + d for d in ((0, 0, 0), (1, 0, 0), (2, 1, 0), (3, 1, 1))]
        script.append(("erase" if n % 4 == 3 else "paint", [_ras(p) for p in path]))
        if n % 3 == 1:
            script += [("undo",), ("redo",)]
        if n % 5 == 4:
            script.append(("undo",))
    return script


def do(session, action: tuple) -> None:
    if action[0] == "undo":
        session.undo()
    elif action[0] == "redo":
        session.redo()
    else:
        tool, path = action
        session.press(tool, path[0], radius_mm=3.0, mode="3d")
        for point in path[1:]:
            session.drag(point)
        session.release()


def note(log, text: str) -> None:
    """One line in the progress log, on disk before the next action; its time (s since the epoch)
    in ``progress.times``, which tells the bench when the task's actions ran."""
    log.write(text + "\n")
    log.flush()
    os.fsync(log.fileno())
    with open(Path(log.name).with_suffix(".times"), "a") as times:
        times.write(f"{time.time():.4f}\n")


def logged(run: Path) -> list[str]:
    path = run / "progress.log"
    return path.read_text().split() if path.exists() else []


def expected_states(volume) -> list[np.ndarray]:
    """The label map after the segment is added (0) and after each action of the script."""
    from neuroview.app.session import Session

    session = Session(volume)
    session.segments.add("lesion")
    states = [session.labels.array.copy()]
    for action in editor_script():
        do(session, action)
        states.append(session.labels.array.copy())
    return states


def child_editor(run: Path, pause: float) -> None:
    from neuroview.app.case import Case
    from neuroview.io import load

    case = Case.open(load(run / "image.nii.gz"), workspace=run / "ws")
    with open(run / "progress.log", "a") as log:
        case.session.segments.add("lesion")
        note(log, "0")
        for number, action in enumerate(editor_script(), start=1):
            time.sleep(pause)  # a person's pause between strokes
            do(case.session, action)
            note(log, str(number))
    case.close()


def check_editor(run: Path, states: list[np.ndarray]) -> list[str]:
    """Reopen as the window does; the label map must be the state after the last logged action or
    the one after it (killed between the journal's fsync and the log's); then one more stroke
    and a save must work."""
    from neuroview.app.case import Case
    from neuroview.io import load

    done = [int(n) for n in logged(run)]
    last = done[-1] if done else -1
    volume = load(run / "image.nii.gz")
    try:
        case = Case.open(volume, workspace=run / "ws")
    except Exception as exc:  # noqa: BLE001 - any failure to reopen is the defect
        return [f"reopening the case failed: {exc}"]
    array = case.labels.array
    allowed = [k for k in (last, last + 1) if 0 <= k < len(states)]
    defects = []
    if last >= 0 and not any(np.array_equal(array, states[k]) for k in allowed):
        matches = [k for k, state in enumerate(states) if np.array_equal(array, state)]
        defects.append(f"restored map is state {matches or '?'}, the user had finished {last}")
    if last < 0 and array.any():
        defects.append("voxels restored before any stroke was finished")
    try:
        segment = case.session.segments["lesion"] if "lesion" in _names(case) else \
            case.session.segments.add("lesion")
        case.session.apply("paint", at_ras=_ras((12, 12, 10)), radius_mm=3.0, segment=segment)
        case.session.save_labels(run / "after.nii.gz")
        defects += _same_file(run / "after.nii.gz", case.labels.array)
    except Exception as exc:  # noqa: BLE001
        defects.append(f"editing after the restore failed: {exc}")
    case.close()
    return defects


def _names(case) -> list[str]:
    return [segment.name for segment in case.labels.segments]


def _same_file(path: Path, array: np.ndarray) -> list[str]:
    import nibabel as nib

    saved = np.asarray(nib.load(path).dataobj)
    sidecar = json.loads(path.with_name(path.name.replace(".nii.gz", ".segments.json")).read_text())
    if not np.array_equal(saved, array) or not sidecar:
        return [f"{path.name} read back differs from the map saved"]
    return []


# -- File > Save (NIfTI + sidecar) and Save as DICOM SEG ----------------------------------------
SAVES = 5


def save_counts(volume) -> list[int]:
    """Voxels of 'lesion' after paint number n (index n; 0: none)."""
    from neuroview.app.session import Session

    session = Session(volume)
    segment = session.segments.add("lesion")
    counts = [0]
    for n in range(1, SAVES + 1):
        session.apply("paint", at_ras=_save_point(volume, n), radius_mm=2.5, segment=segment)
        counts.append(int((session.labels.array == segment.value).sum()))
    return counts


def _save_point(volume, n: int) -> tuple:
    ijk = np.array([4 + 4 * n, 6 + 3 * (n % 3), 6 + n]) % np.array(volume.array.shape)
    return tuple((volume.ijk_to_ras @ np.append(ijk, 1.0))[:3])


def child_save(run: Path) -> None:
    """Paint stroke N, save labels, save as DICOM SEG, N = 1..SAVES."""
    from neuroview.app.case import Case
    from neuroview.io import load

    dicom = run / "dicom"
    case = Case.open(load(dicom), workspace=run / "ws", source_paths=[dicom])
    session = case.session
    segment = session.segments.add("lesion")
    with open(run / "progress.log", "a") as log:
        for n in range(1, SAVES + 1):
            session.apply("paint", at_ras=_save_point(case.volume, n), radius_mm=2.5, segment=segment)
            note(log, f"p{n}")
            session.save_labels(run / "labels.nii.gz")
            note(log, f"s{n}")
            case.save_seg(run / "labels.dcm")
            note(log, f"d{n}")
    case.close()


def check_save(run: Path, counts: list[int]) -> list[str]:
    """After the reopening (journal restored, the saved labels opened as the user would), every
    file read independently holds the last save or the one being written, whole."""
    import nibabel as nib
    import pydicom

    from neuroview.app.case import Case
    from neuroview.io import load

    marks = logged(run)
    last = {kind: max([int(m[1:]) for m in marks if m[0] == kind], default=0) for kind in "psd"}
    defects = []
    dicom = run / "dicom"
    case = Case.open(load(dicom), workspace=run / "ws", source_paths=[dicom])
    painted = int(case.labels.array.astype(bool).sum())
    if painted not in counts[last["p"]:last["p"] + 2]:
        defects.append(f"restored map has {painted} voxels, strokes finished: {last['p']}")
    labels = run / "labels.nii.gz"
    if labels.exists() or last["s"]:
        try:
            case.session.load_labels(labels)   # the user opens the labels saved
        except Exception as exc:  # noqa: BLE001
            defects.append(f"opening {labels.name} failed: {exc}")
    case.close()
    if labels.exists():
        try:
            voxels = int((np.asarray(nib.load(labels).dataobj) > 0).sum())
            sidecar = json.loads(labels.with_name("labels.segments.json").read_text())
        except Exception as exc:  # noqa: BLE001
            return defects + [f"{labels.name} or its sidecar unreadable: {exc}"]
        if voxels not in counts[max(last["s"], 1):last["s"] + 2]:
            defects.append(f"{labels.name} holds {voxels} voxels; saves finished: {last['s']}")
        if not sidecar:
            defects.append("labels.segments.json is empty")
    elif last["s"]:
        defects.append(f"{labels.name} missing after {last['s']} saves")
    seg = run / "labels.dcm"
    if seg.exists():
        try:
            frames = pydicom.dcmread(seg).pixel_array
            voxels = int((np.asarray(frames) > 0).sum())
        except Exception as exc:  # noqa: BLE001
            return defects + [f"{seg.name} unreadable: {exc}"]
        if voxels not in counts[max(last["d"], 1):last["d"] + 2]:
            defects.append(f"{seg.name} holds {voxels} voxels; SEG saves finished: {last['d']}")
    elif last["d"]:
        defects.append(f"{seg.name} missing after {last['d']} SEG saves")
    return defects
