"""Send to training set proposes one channel name, ``MRI`` (``dataset init``'s), for an MR image
whose contrast its fields do not say: a DICOM-like sidecar saying Modality MR and no more proposed
``MR``, a NIfTI with no sidecar ``MRI`` (walk of 7 Dec 2026; the README said ``MR``)."""

from __future__ import annotations

import json

import pytest
from editor_helpers import open_image, wait_for_session, write_image

from neuroview.dataset.channels import channel_kind

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


@pytest.mark.parametrize("sidecar", [None, {"Modality": "MR", "SeriesDescription": "head routine"}])
def test_an_mr_image_of_unclear_contrast_is_proposed_as_mri(qtbot, window, tmp_path, sidecar):
    path, _ = write_image(tmp_path, "sub-01")
    if sidecar is not None:
        (tmp_path / "sub-01.json").write_text(json.dumps(sidecar))
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    dialog.create_check.setChecked(True)
    assert dialog.channel_edit.text() == "MRI" and channel_kind("MRI") == "MR"
    dialog.reject()
