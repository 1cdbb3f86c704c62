"""The crash journal (a case's workspace in the data folder) holds no identifying header value.

A workspace outlives its case (it is kept until the labels are saved and for the next opening),
so it must not carry the series description or anything else of the source's header.
"""

from __future__ import annotations

import os

from neuroview.app.case import workspace_for
from neuroview.app.session import Session
from neuroview.io import load
from tests.marked_study import TEXT, markers, write_marked_study


def _workspace_bytes(folder) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in os.listdir(folder)}


def test_workspace_files_hold_no_marker(tmp_path):
    study = write_marked_study(tmp_path / "study")
    volume = load(str(study))
    assert TEXT["SeriesDescription"] in volume.description   # what the window shows as its title
    workspace = workspace_for(volume)
    session = Session(volume, workspace)
    lesion = session.segments.add("lesion")
    session.apply("paint", at_ras=volume.center_ras, segment=lesion.value, radius_mm=4.0)
    session.checkpoint()          # a compaction writes workspace.json again, with the base
    session.apply("paint", at_ras=volume.center_ras + 4.0, segment=lesion.value, radius_mm=4.0)
    session.journal.close()       # left as a crash leaves it
    files = _workspace_bytes(workspace)
    assert {"workspace.json", "segments.json"} <= set(files) and any(n.startswith("journal-") for n in files)
    hits = [(name, m) for name, data in files.items() for m in markers()
            if m.encode() in data or m in name]
    assert hits == []
    # and it still restores: the key alone ties the workspace to its image
    restored = Session(load(str(study)), workspace)
    assert restored.labels.array.sum() == session.labels.array.sum() > 0
    restored.close()
