"""*Send to training set* on a 4D image sends the time point on screen, as *AI > Segment* segments
it: the case was refused with "a training image must be 3D, got shape (24, 20, 16, 3) (choose one
time point or series)", although the user had chosen one in the *Time point* box."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from frame_images import frames, open_and_wait

from neuroview.dataset.layout import init_dataset


def test_the_time_point_shown_is_the_image_sent(qtbot, window, tmp_path):
    data = frames()
    open_and_wait(qtbot, window, tmp_path / "fmri.nii.gz", data)
    window.display_panel.frame_box.setValue(2)          # time point 2 of 3
    qtbot.waitUntil(lambda: window.controller.state.frame == 1, timeout=5000)
    qtbot.waitUntil(lambda: window.editor.session is not None, timeout=30000)
    session = window.editor.session
    session.segments.add("lesion")
    session.apply("paint", at_ras=np.array([16.0, 12.0, 14.0]), radius_mm=4.0, mode="3d")
    dataset = init_dataset(tmp_path, "Lesions", ["background", "lesion"])

    window.training_actions.send(str(dataset), annotator="dr.a")
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text or window.message_bar.isVisible(),
                    timeout=30000)

    assert not window.message_bar.isVisible(), window.message_bar.text
    assert "(time point 2 of 3)" in window.notice_bar.text
    image = nib.load(dataset / "imagesTr" / "nv_0001_0000.nii.gz")
    assert image.shape == data.shape[:3]
    assert np.allclose(np.asarray(image.dataobj), data[..., 1])
    label = np.asarray(nib.load(dataset / "labelsTr" / "nv_0001.nii.gz").dataobj)
    assert np.array_equal(label, session.labels.array)
