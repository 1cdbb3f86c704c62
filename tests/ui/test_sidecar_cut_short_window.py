"""*Load labels* of a mask whose ``.segments.json`` a killed save left cut short: the mask comes in,
its segment named by value, and the notice bar names the sidecar in one line (the load said
``segment table is unreadable`` and brought nothing)."""

from __future__ import annotations

import json

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_load_labels_with_a_cut_short_sidecar_says_so_and_loads(qtbot, window, tmp_path):
    from neuroview.io.nifti import save_nifti

    path, volume = write_image(tmp_path)
    labels = np.zeros(volume.shape, np.uint8)
    labels[20:28, 20:28, 20:28] = 1
    mask = tmp_path / "mask.nii.gz"
    save_nifti(labels, volume.ijk_to_ras, mask)
    whole = json.dumps([{"value": 1, "name": "lesion", "color": [255, 0, 0]}], indent=1)
    (tmp_path / "mask.segments.json").write_text(whole[:-5])
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.edit_actions.load_labels(mask)
    qtbot.waitUntil(lambda: session.labels.array.any() and not window.runner.busy, timeout=20000)
    qtbot.waitUntil(lambda: "mask.segments.json" in window.notice_bar.text, timeout=5000)
    assert "cut short?; the labels load with their segments named by value; the file kept as " \
           "mask.segments.json.bad" in window.notice_bar.text
    assert int((session.labels.array == 1).sum()) == 8 ** 3
    assert [s.value for s in session.labels.segments] == [1]
