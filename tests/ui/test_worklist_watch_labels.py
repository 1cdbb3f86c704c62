"""Watching a worklist shows the labels an annotator saved for the case on the lead's screen, read
only and claiming nothing, and shows them again when the annotator saves again. Until session 48
the lead saw the images alone (session 47 left it: open the case as an annotator, claiming it,
and load them)."""

from __future__ import annotations

import numpy as np
from editor_helpers import grab
from PySide6.QtCore import Qt
from worklist_cases import worklist_folder

from neuroview.app.label_files import save_label_files
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.dataset.worklist import Worklist
from neuroview.io.nifti import load_nifti
from neuroview.ui.watched_labels import SHOWING


def _coloured(view) -> int:
    """Pixels of ``view`` that are not grey (the image is a grey MR: the labels drawn over it)."""
    rgb = grab(view).astype(int)
    return int(((abs(rgb[..., 0] - rgb[..., 1]) + abs(rgb[..., 1] - rgb[..., 2])) > 60).sum())


def _anna_saves(cases, path, labels, names, user: str = "anna") -> None:
    volume = load_nifti(cases / "a_case.nii.gz")
    save_label_files(LabelMap(labels, volume.ijk_to_ras, SegmentTable.from_values(list(names), names)),
                     volume.ijk_to_ras, path)
    Worklist.open(cases, user=user).set_labels("a_case.nii.gz", path)   # her Save labels


def _listed(window) -> list[tuple[str, str]]:
    """(name, From) of each row of the segment editor's list: the list on the lead's screen."""
    table = window.edit_actions.panel.table
    return [(table.item(row, 3).text(), table.item(row, 4).text()) for row in range(table.rowCount())]


def _read_only(window) -> bool:
    """Nothing in the editor's list can be ticked or renamed, nor removed or recoloured."""
    panel = window.edit_actions.panel
    table = panel.table
    flags = [table.item(row, column).flags() for row in range(table.rowCount()) for column in range(5)]
    return (not any(f & (Qt.ItemIsUserCheckable | Qt.ItemIsEditable) for f in flags)
            and not panel.remove_button.isEnabled() and not panel.color_button.isEnabled())


def test_the_lead_sees_the_labels_anna_saved_and_saves_again(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path, ("a_case", "b_case"))
    labels = np.zeros((48, 48, 48), np.uint8)
    labels[5:25, 5:25, 10:30] = 1
    saved = tmp_path / "anna" / "a_case-labels.nii.gz"
    _anna_saves(cases, saved, labels, {1: "lesion"})
    state = cases / ".neuroview-worklist.json"
    before = state.read_bytes()
    actions, controller = window.training_actions, window.controller
    actions.watch.timer.setInterval(100)
    actions.open_worklist(cases, watch=True)
    qtbot.waitUntil(lambda: controller.labels is not None and not window.runner.busy, timeout=30000)
    assert actions.worklist_id == "a_case.nii.gz" and window.editor.case is None
    assert np.array_equal(controller.labels.array, labels)
    assert [s.name for s in controller.labels.segments] == ["lesion"]
    controller.set_crosshair(controller.volume.ijk_to_ras[:3, :3] @ [15, 15, 20]
                             + controller.volume.ijk_to_ras[:3, 3])
    qtbot.waitUntil(lambda: _coloured(window.slice_views["axial"]) > 100, timeout=5000)
    assert f"{SHOWING}anna saved" in window.notice_bar.text
    assert _listed(window) == [("lesion", "anna's, read only")] and _read_only(window)
    assert state.read_bytes() == before                         # no claim, nothing written

    labels[28:40, 8:20, 10:30] = 2                               # anna goes on and saves again
    _anna_saves(cases, saved, labels, {1: "lesion", 2: "edema"})
    qtbot.waitUntil(lambda: controller.labels is not None and 2 in controller.labels.segments,
                    timeout=10000)
    assert np.array_equal(controller.labels.array, labels)
    assert window.notice_bar.text.count(SHOWING) == 1            # the line reworded, not repeated
    assert "a_case-labels.nii.gz in …/anna (lesion, edema), read only" in window.notice_bar.text
    assert _listed(window) == [("lesion", "anna's, read only"), ("edema", "anna's, read only")]
    assert _read_only(window)
    shown = window.segment_panel.table.item(1, 0)           # edema hidden in the Segments list
    shown.setCheckState(Qt.Unchecked)
    assert window.edit_actions.panel.table.item(1, 0).checkState() == Qt.Unchecked
    assert window.editor.case is None and window.editor.watching  # still shown without editing

    actions.next_case()                                          # b_case: nothing saved for it
    qtbot.waitUntil(lambda: actions.worklist_id == "b_case.nii.gz" and not window.runner.busy,
                    timeout=30000)
    assert controller.labels is None and SHOWING not in window.notice_bar.text and _listed(window) == []
    actions.previous_case()                                      # back to a_case: shown again
    qtbot.waitUntil(lambda: controller.labels is not None and not window.runner.busy, timeout=30000)
    assert actions.worklist_id == "a_case.nii.gz" and np.array_equal(controller.labels.array, labels)
    assert [name for name, _ in _listed(window)] == ["lesion", "edema"] and _read_only(window)

    bens = np.zeros_like(labels)                                  # ben labels it too, on his own
    bens[6:26, 5:25, 10:30] = 1
    _anna_saves(cases, tmp_path / "ben" / "mine.nii.gz", bens, {1: "lesion"}, user="ben")
    qtbot.waitUntil(lambda: f"{SHOWING}ben saved" in window.notice_bar.text and not window.runner.busy,
                    timeout=10000)
    assert np.array_equal(controller.labels.array, bens)
    assert _listed(window) == [("lesion", "ben's, read only")]
    assert window.notice_bar.text.endswith(" anna saved labels of their own for it too (File > "
                                           "Adjudicate... compares them, with the case opened to annotate).")
