"""*File > Load labels* of a DICOM SEG whose SOP Class UID has a byte changed (its Modality SEG):
the mask shows, and the notice bar says the file's SOP class is not a SEG's (it was refused:
"not a readable DICOM SEG (Dataset is not a Segmentation.)"). ``tests/io/test_seg_class.py``."""

from __future__ import annotations

import numpy as np

from tests.io.seg_class_damage import damaged_seg

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_load_labels_of_a_seg_of_another_sop_class(qtbot, window, tmp_path):
    folder, _seg, seg, mask = damaged_seg(tmp_path, "reader.dcm")
    window.open_paths([folder])
    qtbot.waitUntil(lambda: window.editor.case is not None and not window.runner.busy, timeout=30000)
    window.edit_actions.load_labels(str(seg))
    qtbot.waitUntil(lambda: not window.runner.busy and window.editor.session.labels.array.any(),
                    timeout=30000)
    assert np.array_equal(window.editor.session.labels.array, mask)
    assert not window.message_bar.isVisible()
    assert "reader.dcm: its SOP Class UID (1.2.840.10008.5.1.4.1.1.66.5) is not a DICOM SEG" in \
        window.notice_bar.text
