"""*Next case* passes over a case the training set holds already, added outside the worklist
(``neuroview dataset add`` by the lead): it was offered, as the worklist did not know it, and its
Send then asked to replace the label the set held."""

from __future__ import annotations

import shutil

import numpy as np
from editor_helpers import write_image
from worklist_cases import open_worklist

from neuroview.app.last_dataset import remember_dataset
from neuroview.cli.main import main as neuroview
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.worklist import Worklist
from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _worklist(tmp_path):
    """cases/: a (RAS), b (LPS), c (a's voxels shifted): three images of their own."""
    cases = tmp_path / "cases"
    cases.mkdir()
    write_image(cases, "a_case", "ras")
    _, b_volume = write_image(cases, "b_case", "lps")
    _, c_volume = write_image(cases, "c_case", "ras")
    save_nifti(np.roll(c_volume.array, 3, axis=0), c_volume.ijk_to_ras, cases / "c_case.nii.gz")
    return cases, b_volume


def test_next_case_passes_over_a_case_the_lead_added_with_dataset_add(qtbot, window, tmp_path,
                                                                       capsys):
    cases, b_volume = _worklist(tmp_path)
    dataset = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    copy = tmp_path / "lead" / "b_copy.nii.gz"   # the lead's own copy of b, under another name
    copy.parent.mkdir()
    shutil.copy(cases / "b_case.nii.gz", copy)
    mask = np.zeros(b_volume.shape, np.uint8)
    mask[20:26, 20:26, 20:26] = 1
    save_nifti(mask, b_volume.ijk_to_ras, tmp_path / "lead" / "b_mask.nii.gz")
    assert neuroview(["dataset", "add", str(dataset), "--image", str(copy), "--labels",
                      str(tmp_path / "lead" / "b_mask.nii.gz"), "--annotator", "lead"]) == 0
    capsys.readouterr()
    remember_dataset(dataset, "dr.a")   # this annotator sends to that training set

    open_worklist(qtbot, window, cases)
    assert window.training_actions.worklist_id == "a_case.nii.gz"
    window.training_actions.next_case()
    qtbot.waitUntil(lambda: window.training_actions.worklist_id != "a_case.nii.gz"
                    and not window.runner.busy, timeout=30000)
    assert window.training_actions.worklist_id == "c_case.nii.gz"   # b was offered
    assert Worklist.open(cases, user="dr.c").case("b_case.nii.gz").status == "in_training_set"
    assert Worklist.open(cases, user="dr.c").case("b_case.nii.gz").training_case == "nv_0001"
    assert ("Next case passed over 1 case the training set Dataset501_Lesions holds already: "
            "b_case.nii.gz (as nv_0001)") in window.notice_bar.text
    reads = window.training_actions.sent_check.cache.reads

    window.training_actions.go_to_case("a_case.nii.gz")   # back to a (the panel's row)
    qtbot.waitUntil(lambda: window.training_actions.worklist_id == "a_case.nii.gz"
                    and not window.runner.busy, timeout=30000)
    window.training_actions.next_case()   # again: b is done now, c's identity known
    qtbot.waitUntil(lambda: window.training_actions.worklist_id == "c_case.nii.gz"
                    and not window.runner.busy, timeout=30000)
    assert window.training_actions.sent_check.cache.reads == reads
