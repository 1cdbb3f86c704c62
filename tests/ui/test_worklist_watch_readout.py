"""A lead watching a worklist sees each annotator's labels as a layer of its own colour: the status
line's readout under the pointer names whose label it is, and the ones under it, as Slicer's data
probe names each segmentation's segment (until session 51 it read ``label 2: ben: lesion`` on top
and nothing of anna's under it, and ``label 1: lesion`` of one annotator's, named by colour only)."""

from __future__ import annotations

import numpy as np
from editor_helpers import hover
from PySide6.QtCore import Qt
from worklist_cases import annotator_saves, worklist_folder


def _ras(window, ijk) -> tuple:
    return tuple((window.controller.volume.ijk_to_ras @ np.array([*ijk, 1.0]))[:3])


def _watch(qtbot, window, cases):
    window.training_actions.open_worklist(cases, watch=True)
    qtbot.waitUntil(lambda: window.controller.labels is not None and not window.runner.busy, timeout=30000)


def test_the_readout_names_each_annotators_label_under_the_pointer(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path, ("a_case",))
    annas, bens = np.zeros((48, 48, 48), np.uint8), np.zeros((48, 48, 48), np.uint8)
    annas[5:25, 5:25, 10:30] = 1
    bens[15:35, 5:25, 10:30] = 2                                   # over hers on 15:25
    annotator_saves(cases, cases / "a_case-labels.nii.gz", annas, {1: "lesion"})
    annotator_saves(cases, cases / "a_case-labels-ben.nii.gz", bens, {2: "edema"}, user="ben")
    _watch(qtbot, window, cases)
    hover(window, "axial", _ras(window, (20, 15, 20)))             # both: ben's on top
    assert window.readout.text().endswith("  label 2: ben: edema, under it anna: lesion")
    hover(window, "axial", _ras(window, (8, 15, 20)))              # anna's alone
    assert window.readout.text().endswith("  label 1: anna: lesion")
    hover(window, "axial", _ras(window, (30, 15, 20)))
    assert window.readout.text().endswith("  label 2: ben: edema")
    window.edit_actions.panel.table.item(1, 0).setCheckState(Qt.Unchecked)   # ben's hidden
    hover(window, "axial", _ras(window, (20, 15, 20)))
    assert window.readout.text().endswith("  label 1: anna: lesion")
    hover(window, "axial", _ras(window, (40, 15, 20)))
    assert "label" not in window.readout.text()


def test_one_annotators_label_is_named_with_who_saved_it(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path, ("a_case",))
    annas = np.zeros((48, 48, 48), np.uint8)
    annas[5:25, 5:25, 10:30] = 1
    annotator_saves(cases, cases / "a_case-labels.nii.gz", annas, {1: "lesion"})
    _watch(qtbot, window, cases)
    hover(window, "axial", _ras(window, (8, 15, 20)))
    assert window.readout.text().endswith("  label 1: lesion, saved by anna")
