"""*Save labels as DICOM SEG* on a worklist case tells the worklist, as *Save labels* does: its
labels file is the SEG (offered when the case opens again, and drawn over it for a lead watching
the worklist). Until session 48 the worklist kept no file of a team annotating DICOM cases in
SEGs: nothing was offered when a case opened again, and the lead watching saw none of it."""

from __future__ import annotations

import sys
from pathlib import Path

from editor_helpers import save_and_wait, stroke

from neuroview.dataset.worklist import Worklist

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dataset"))
from fake_dicom import make_ct_series  # noqa: E402


def test_a_seg_saved_on_a_worklist_case_is_its_labels(qtbot, window, tmp_path):
    cases = tmp_path / "cases"
    make_ct_series(cases / "p01")
    actions = window.training_actions
    actions.open_worklist(cases)
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy, timeout=30000)
    session = window.editor.session
    session.segments.add("lesion")
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=3.0, mode="3d")
    stroke(window, "axial", [session.volume.center_ras])
    saved = save_and_wait(window, cases / "p01-seg.dcm", seg=True)
    listed = Worklist.open(cases, user="lead", watch=True).case("p01")
    assert (listed.status, Path(listed.labels)) == ("corrected", saved.resolve())
