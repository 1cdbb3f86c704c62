"""Send to training set with a CT whose file says no modality (a NIfTI): a new dataset's channel
is proposed as CT (it was "MRI", so the CT went into an MR channel), and an existing MRI dataset
refuses it in the dialog, one line naming the file and the channel, adding nothing."""

from __future__ import annotations

import json

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_image, stroke_a_lesion, wait_for_session, write_image
from PySide6.QtWidgets import QDialogButtonBox

from neuroview.dataset.layout import init_dataset
from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _open_ct_and_paint(qtbot, window, tmp_path):
    _, mr = write_image(tmp_path, "mr")   # its grid, with a head in Hounsfield units
    radius = np.linalg.norm(np.indices(mr.shape) - 23.5, axis=0)
    hu = np.full(mr.shape, -1000.0, np.float32)
    hu[radius <= 21] = 1200.0
    hu[radius <= 20] = 30.0 + np.random.default_rng(1).normal(0, 5, hu[radius <= 20].shape)
    path = save_nifti(hu, mr.ijk_to_ras, tmp_path / "head_ct.nii.gz")
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    stroke_a_lesion(window, session)
    return path


def _send(window, folder, create):
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    dialog.folder_edit.setText(str(folder))
    dialog.create_check.setChecked(create)
    dialog.annotator_edit.setText("dr.a")
    return dialog


def test_a_nifti_ct_gets_a_ct_channel_and_an_mri_set_refuses_it(qtbot, window, tmp_path):
    path = _open_ct_and_paint(qtbot, window, tmp_path)
    dialog = _send(window, tmp_path / "new", create=True)
    assert dialog.channel_edit.text() == "CT"
    dialog.name_edit.setText("Heads")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok).click()
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    made = tmp_path / "new" / "Dataset501_Heads"
    assert json.loads((made / "dataset.json").read_text())["channel_names"] == {"0": "CT"}

    mri = init_dataset(tmp_path / "mri", "Lesions", ["background", "lesion"])   # channel MRI
    dialog = _send(window, mri, create=False)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok).click()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)   # (runner.wait cancels)
    qtbot.waitUntil(lambda: "refused" in dialog.error_label.text(), timeout=30000)
    text = dialog.error_label.text()   # the file by name and folder; the whole path on hover
    assert text.startswith(f"{path.name} in ") and "'MRI'" in text and "\n" not in text
    assert dialog.error_label.toolTip().startswith(f"{path}: ")
    assert not list((mri / "labelsTr").iterdir())
