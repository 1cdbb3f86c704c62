"""File > Load labels...'s file dialog lists segmentations under a filter named for them (it was
"Images", the image dialog's), as ITK-SNAP's *Open Segmentation* does: the files *Save labels* and
*Save labels as DICOM SEG* write show under its first (default) filter, and the one chosen loads."""

from __future__ import annotations

import fnmatch
import re

import numpy as np
from editor_helpers import paint_a_dicom_series, save_and_wait
from PySide6.QtWidgets import QFileDialog


def shown_under(file_filter: str, name: str) -> bool:
    """Whether a file ``name`` is listed under the filter ``file_filter`` ("Name (*.a *.b)")."""
    patterns = re.search(r"\(([^)]*)\)", file_filter).group(1).split()
    return any(fnmatch.fnmatch(name.lower(), pattern) for pattern in patterns)


def test_load_labels_dialog_names_segmentations_and_lists_the_saved_files(
        qtbot, window, tmp_path, monkeypatch):
    session = paint_a_dicom_series(qtbot, window, tmp_path)
    painted = session.labels.array.copy()
    nifti = save_and_wait(window, tmp_path / "mask.nii.gz")
    seg = save_and_wait(window, tmp_path / "mask-seg.dcm", seg=True)
    session.apply("logical", segment=1, operation="clear")
    assert not session.labels.array.any()
    asked = []

    def dialog(parent, title, start, file_filter):
        asked.append((title, file_filter))
        return str(seg), file_filter.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileName", dialog)
    action = next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Load labels...")
    action.trigger()
    (title, file_filter), = asked
    filters = file_filter.split(";;")
    default = filters[0]
    assert title == "Load labels"
    assert default.startswith("Segmentations / label maps (") and "Images" not in file_filter
    for saved in (nifti, seg, tmp_path / "labels.nrrd", tmp_path / "labels.mgz"):
        assert shown_under(default, saved.name), (saved.name, default)
    assert not shown_under(default, "notes.txt")
    assert [f.split(" (")[0] for f in filters] == ["Segmentations / label maps", "NIfTI", "NRRD",
                                                   "DICOM SEG", "MGH", "MetaImage", "All files"]
    qtbot.waitUntil(lambda: window.editor.session.labels.array.any(), timeout=30000)
    np.testing.assert_array_equal(window.editor.session.labels.array, painted)
