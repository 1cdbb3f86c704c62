"""A worklist case whose model's mask is loaded from its file (``neuroview segment``'s output,
its ``.segments.json`` naming the model: the lead segments a batch, the annotators load and
correct) is ``proposed``, as after *AI > Segment with a model...*, and ``corrected`` from the
first stroke. Until session 42 the load alone wrote ``corrected``: the Worklist panel showed every
annotator a case nobody had checked as corrected, and ``dataset rank`` passed over it."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, shortcut, stroke
from PySide6.QtCore import Qt
from worklist_cases import open_worklist, worklist_folder

from neuroview.app.label_files import save_label_files
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.dataset.worklist import Worklist
from neuroview.io.nifti import load_nifti


def model_mask(tmp_path, image_path, origin="model"):
    volume = load_nifti(image_path)
    mask = np.zeros(volume.shape, np.uint8)
    mask[10:20, 10:20, 10:20] = 1
    table = SegmentTable()
    table.add("lesion", color=(255, 64, 0), value=1, origin=origin,
              model="lesionseg@2.5.1" if origin == "model" else "")
    path = tmp_path / "proposals" / f"{origin}_seg.nii.gz"
    path.parent.mkdir(exist_ok=True)
    save_label_files(LabelMap(mask, volume.ijk_to_ras, table), volume.ijk_to_ras, path)
    return path


def loaded(qtbot, window, path):
    window.edit_actions.load_labels(path)
    qtbot.waitUntil(lambda: window.editor.session.labels.array.any() and not window.runner.busy,
                    timeout=30000)
    window.training_actions.record_edits()       # as after each step (the editor's timer)


def test_a_loaded_model_mask_is_proposed_and_a_stroke_corrects_it(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path)
    open_worklist(qtbot, window, cases)
    window.training_actions.watch.timer.stop()   # the row follows this window's change, not the watch
    on_disk = lambda: Worklist.open(cases, user="dr.other").case("a_case.nii.gz").status   # noqa: E731
    loaded(qtbot, window, model_mask(tmp_path, cases / "a_case.nii.gz"))
    qtbot.waitUntil(lambda: on_disk() == "proposed", timeout=5000)
    assert not window.training_actions.hand_edited()
    assert [row[2] for row in window.training_actions.panel.rows()] == ["proposed", "new"]

    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    qtbot.waitUntil(lambda: on_disk() == "corrected", timeout=5000)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)      # the stroke taken back
    qtbot.waitUntil(lambda: on_disk() == "proposed", timeout=5000)


def test_a_loaded_file_of_labels_drawn_by_a_person_still_corrects(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path)
    open_worklist(qtbot, window, cases)
    loaded(qtbot, window, model_mask(tmp_path, cases / "a_case.nii.gz", origin="drawn"))
    qtbot.waitUntil(lambda: Worklist.open(cases).case("a_case.nii.gz").status == "corrected", timeout=5000)
