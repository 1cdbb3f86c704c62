"""Watching a worklist shows the labels each annotator saved for the case on the lead's screen, read
only and claiming nothing, and shows them again when an annotator saves again. Until session 48
the lead saw the images alone (session 47 left it: open the case as an annotator, claiming it,
and load them); until session 50 the last annotator's labels alone."""

from __future__ import annotations

import numpy as np
from editor_helpers import grab
from PySide6.QtCore import Qt
from worklist_cases import annotator_saves, worklist_folder

from neuroview.ui.watched_labels import SHOWING


def _coloured(view) -> int:
    """Pixels of ``view`` that are not grey (the image is a grey MR: the labels drawn over it)."""
    rgb = grab(view).astype(int)
    return int(((abs(rgb[..., 0] - rgb[..., 1]) + abs(rgb[..., 1] - rgb[..., 2])) > 60).sum())


def _listed(window) -> list[tuple[str, str]]:
    """(name, From) of each row of the segment editor's list: the list on the lead's screen."""
    table = window.edit_actions.panel.table
    return [(table.item(row, 3).text(), table.item(row, 4).text()) for row in range(table.rowCount())]


def _read_only(window) -> bool:
    """Nothing in the editor's list can be locked or renamed, nor removed or recoloured: only
    *Show* can be ticked."""
    panel = window.edit_actions.panel
    table = panel.table
    flags = [table.item(row, column).flags() for row in range(table.rowCount()) for column in range(1, 5)]
    return (not any(f & (Qt.ItemIsUserCheckable | Qt.ItemIsEditable) for f in flags)
            and all(table.item(row, 0).flags() & Qt.ItemIsUserCheckable for row in range(table.rowCount()))
            and not panel.remove_button.isEnabled() and not panel.color_button.isEnabled())


def test_the_lead_sees_the_labels_anna_saved_and_saves_again(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path, ("a_case", "b_case"))
    labels = np.zeros((48, 48, 48), np.uint8)
    labels[5:25, 5:25, 10:30] = 1
    saved = cases / "a_case-labels.nii.gz"   # beside the case, as Save labels proposes
    annotator_saves(cases, saved, labels, {1: "lesion"})
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
    assert actions.worklist_actions[1].toolTip() == (           # a lead has no edits to be asked of
        "Open b_case.nii.gz, case 2 of 2: the next case not done (shown without editing) (Ctrl+N)")

    labels[28:40, 8:20, 10:30] = 2                               # anna goes on and saves again
    annotator_saves(cases, saved, labels, {1: "lesion", 2: "edema"})
    qtbot.waitUntil(lambda: controller.labels is not None and 2 in controller.labels.segments,
                    timeout=10000)
    assert np.array_equal(controller.labels.array, labels)
    assert window.notice_bar.text.count(SHOWING) == 1            # the line reworded, not repeated
    assert "to a_case-labels.nii.gz beside the image (lesion, edema), read only" in window.notice_bar.text
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
    annotator_saves(cases, cases / "a_case-labels-ben.nii.gz", bens, {1: "lesion"}, user="ben")
    qtbot.waitUntil(lambda: "ben saved" in window.notice_bar.text and not window.runner.busy,
                    timeout=10000)
    assert _listed(window) == [("anna: lesion", "anna's, read only"), ("anna: edema", "anna's, read only"),
                               ("ben: lesion", "ben's, read only")] and _read_only(window)


def test_the_lead_sees_every_annotators_labels_and_unticks_one(qtbot, window, tmp_path):
    """Two readers of one case: both drawn, each segment named by its reader, the last saved on
    top; unticking ben's lesion uncovers anna's under it, and it stays unticked when ben saves
    again (the lead saw ben's alone, told of anna's in a line, until session 50)."""
    cases = worklist_folder(tmp_path, ("a_case",))
    annas, bens = np.zeros((48, 48, 48), np.uint8), np.zeros((48, 48, 48), np.uint8)
    annas[5:25, 5:25, 10:30] = 1
    bens[15:35, 5:25, 10:30] = 1                                  # overlapping hers over 15:25
    annotator_saves(cases, cases / "a_case-labels.nii.gz", annas, {1: "lesion"})
    annotator_saves(cases, cases / "a_case-labels-ben.nii.gz", bens, {1: "lesion"}, user="ben")
    actions, controller = window.training_actions, window.controller
    actions.watch.timer.setInterval(100)
    actions.open_worklist(cases, watch=True)
    qtbot.waitUntil(lambda: controller.labels is not None and not window.runner.busy, timeout=30000)
    assert _listed(window) == [("anna: lesion", "anna's, read only"), ("ben: lesion", "ben's, read only")]
    shown = controller.labels.array
    assert (shown[5:15, 5:25, 10:30] == 1).all() and (shown[15:35, 5:25, 10:30] == 2).all()
    assert int((shown > 0).sum()) == int(((annas > 0) | (bens > 0)).sum())
    colours = [tuple(segment.color) for segment in controller.labels.segments]
    assert colours[0] != colours[1]                               # two readers told apart
    line = next(line for line in window.notice_bar.text.split("\n") if line.startswith(SHOWING))
    assert line.startswith(f"{SHOWING}2 annotators saved, read only, each segment named by who saved "
                           "it, the last saved on top: anna saved (")
    assert "to a_case-labels.nii.gz beside the image (lesion); ben saved (" in line \
        and "-ben.nii.gz beside the image (lesion)." in line

    table = window.edit_actions.panel.table
    table.item(1, 0).setCheckState(Qt.Unchecked)                  # ben's lesion hidden
    assert 2 in controller.state.labels.hidden
    assert (controller.labels.array[15:25, 5:25, 10:30] == 1).all()   # anna's under it, shown
    assert not (controller.labels.array == 2).any()
    assert window.segment_panel.table.item(1, 0).checkState() == Qt.Unchecked
    bens[15:40, 5:25, 10:30] = 1                                  # ben saves again: still unticked
    layers = actions.watched_labels.layers
    annotator_saves(cases, cases / "a_case-labels-ben.nii.gz", bens, {1: "lesion"}, user="ben")
    qtbot.waitUntil(lambda: actions.watched_labels.layers is not layers and not window.runner.busy,
                    timeout=10000)
    assert table.item(1, 0).checkState() == Qt.Unchecked and 2 in controller.state.labels.hidden
    assert not (controller.labels.array == 2).any()
    table.item(1, 0).setCheckState(Qt.Checked)                    # and back on top
    assert (controller.labels.array[15:40, 5:25, 10:30] == 2).all()
    assert window.editor.case is None and window.editor.watching
