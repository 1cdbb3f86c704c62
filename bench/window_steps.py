"""What the window does with a workspace and a labels file, without Qt, as commands the fuzz bench
runs under ``tests/io/limited_cli.py``'s limits (``LIMITED_CLI_ENTRY=bench.window_steps:NAME``).

``open_image IMAGE WORKSPACE``: opening an image in the window (``ui.actions_open``'s
``volume_opened`` and ``_start``: the restore offer, read in a worker since session 26, then
Restore, on the GUI thread), then
one paint stroke (the journal is appended after its intact records) and the case closed. Prints
``restored N DIGEST offered M TOLD`` (DIGEST: the label map's sha256, first 16 digits; TOLD:
``told`` when steps were lost to a damaged journal and the notice bar says so, else ``-``).

``load_labels IMAGE MASK OUT``: *File > Load labels* (``prepare_label_file`` in the worker,
``Session.apply_labels`` on the GUI thread), the colour table the slice views draw with
(``render.slices.label_lut``), then *File > Save labels* to OUT.

Each error the window shows in its message bar is one ``neuroview:`` line on stderr (exit 1);
anything else escaping is what would have been raised inside a Qt slot.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np


def digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()[:16]


def _say(text: str) -> None:
    print(f"neuroview: {text}", file=sys.stderr)


def open_image(argv: list[str]) -> int:
    from neuroview.app.case import Case, set_aside
    from neuroview.app.session import Session
    from neuroview.core.errors import NeuroviewError
    from neuroview.io import load

    image, workspace = argv[0], Path(argv[1])
    volume = load(image)
    said = 0
    try:
        steps = Session.recoverable_steps(volume, workspace)
    except NeuroviewError as exc:   # as volume_opened: keep it aside, start afresh
        _say(f"{exc}; its edits were not restored (labels you saved stay in their files); the old "
             "workspace was kept aside")
        set_aside(workspace)
        steps, said = 0, 1
    try:
        case = Case.open(volume, workspace, restore=True)
    except NeuroviewError as exc:
        _say(f"cannot open the workspace: {exc}")
        return 1
    try:
        session = case.session
        told = "told" if session.restore_notice else "-"   # the notice bar's line on lost steps
        print(f"restored {session.restored_steps} {digest(session.labels.array)} offered {steps} {told}")
        centre = volume.ijk_to_ras @ np.append((np.array(volume.shape[:3]) - 1) / 2, 1.0)
        segment = session.segments.add("fuzz stroke")
        try:
            session.apply("paint", at_ras=tuple(centre[:3]), radius_mm=2.0, mode="3d", segment=segment)
        except NeuroviewError as exc:   # the editor's error signal: the red bar
            _say(str(exc))
            said = 1
    finally:
        case.close()
    return said


def load_labels(argv: list[str]) -> int:
    from neuroview.app.label_files import prepare_label_file
    from neuroview.app.session import Session
    from neuroview.core.errors import NeuroviewError
    from neuroview.io import load
    from neuroview.render.slices import label_lut

    image, mask, out = argv
    session = Session(load(image))
    try:
        prepared = prepare_label_file(mask, session.volume)
        session.apply_labels(prepared)
    except NeuroviewError as exc:
        _say(str(exc))
        return 1
    label_lut(session.labels.segments, int(session.labels.array.max()), 0.5)
    try:
        session.save_labels(out)
    except NeuroviewError as exc:
        _say(str(exc))
        return 1
    print(f"loaded {len(session.labels.segments)} segments")
    return 0
