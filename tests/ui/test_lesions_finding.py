"""While the Lesions panel counts a segment's lesions in its worker (seconds for a label map
loaded onto an image: 1 s at load 9 for the demo case's lesion segment, under the window, over
3 s just after its labels were loaded), its line says so: it kept saying
"no lesions in this segment", left from the image without labels, until the count came
(session 39's walk)."""

from __future__ import annotations

import threading

from editor_helpers import open_image, raise_tab, write_image, write_two_label_mask

from neuroview.ui import lesions_panel

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_the_line_says_the_lesions_are_being_found(qtbot, window, tmp_path, monkeypatch):
    path, volume = write_image(tmp_path)
    mask, _labels = write_two_label_mask(tmp_path, volume)
    open_image(qtbot, window, path)
    raise_tab(qtbot, window, "Lesions")
    panel = window.lesions
    qtbot.waitUntil(lambda: not panel.busy and panel.summary.text() == "no lesions in this segment",
                    timeout=10000)
    release, real = threading.Event(), lesions_panel.segment_components

    def held(*args, **kwargs):
        release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(lesions_panel, "segment_components", held)
    try:
        window.open_labels(str(mask))
        qtbot.waitUntil(lambda: panel.busy, timeout=10000)
        assert panel.summary.text() == "finding the lesions…"
    finally:
        release.set()
    qtbot.waitUntil(lambda: panel.summary.text().startswith("1 lesion"), timeout=10000)
    assert panel.table.rowCount() == 1
