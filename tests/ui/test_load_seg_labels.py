"""*File > Load labels* opens a DICOM SEG, the file *Save labels as DICOM SEG* writes: it said
"mask.dcm: skipped, SEG segmentation (open it as a mask) is not an image", so a reader who saved a
SEG could not open it again in the window."""

from __future__ import annotations

import numpy as np
from editor_helpers import paint_a_dicom_series, save_and_wait


def test_a_saved_seg_loads_back_as_the_labels(qtbot, window, tmp_path):
    session = paint_a_dicom_series(qtbot, window, tmp_path)   # segment "lesion", a 4 mm ball
    session.segments.add("edema")
    window.controller.set_crosshair(session.volume.center_ras + [4.0, 4.0, 0.0])
    session.apply("paint", at_ras=session.volume.center_ras + [4.0, 4.0, 0.0], radius_mm=3.0,
                  mode="3d", segment="edema")
    painted = session.labels.array.copy()
    assert set(np.unique(painted)) == {0, 1, 2}
    seg = save_and_wait(window, tmp_path / "out" / "mask.dcm", seg=True)
    while window.editor.can_undo():   # Ctrl+Z back to the series as it opened
        window.editor.undo()
    assert not session.labels.array.any() and not len(session.segments)

    window.edit_actions.load_labels(seg)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)

    assert not window.message_bar.isVisible(), window.message_bar.text
    assert np.array_equal(session.labels.array, painted)
    assert [(s.value, s.name) for s in session.segments] == [(1, "lesion"), (2, "edema")]
