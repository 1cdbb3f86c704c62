"""*File > Load labels...* on the demo case opens on its ground truth, the file the README says
Load labels shows (`resources/demo/mni152_t1_lesions_truth.nii.gz`): it opened on the home folder
(the dialog never starts inside neuroview's installation, where nothing may be saved), and a new
annotator had to find the installed package's resources folder to load it (session 40's walk)."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import open_image, wait_for_session
from PySide6.QtWidgets import QFileDialog

from neuroview.cli.demo import lesion_case, lesion_truth

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_load_labels_opens_on_the_demo_truth(qtbot, window, monkeypatch):
    opened_on = []

    def load(parent, title, start, file_filter):   # Enter in the dialog: the file it opened on
        opened_on.append(start)
        return start, ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", load)
    open_image(qtbot, window, lesion_case())
    session = wait_for_session(qtbot, window)
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Load labels...").trigger()
    assert opened_on == [str(lesion_truth())]
    truth = np.asarray(nib.load(lesion_truth()).dataobj)
    qtbot.waitUntil(lambda: session.labels.array.any() and not window.runner.busy, timeout=30000)
    np.testing.assert_array_equal(session.labels.array, truth)
    assert [s.name for s in session.segments] == ["lesion"]
