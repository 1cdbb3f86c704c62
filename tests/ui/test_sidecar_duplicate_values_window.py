"""File > Load labels on a mask whose ``.segments.json`` names one value twice: the red bar says
so in one line naming the sidecar and the value, the labels stay as they were and the window
goes on (until session 36 the mask came in, its voxels named by the last entry)."""

from __future__ import annotations

import json

from editor_helpers import open_case, write_two_label_mask

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_the_window_refuses_a_sidecar_naming_a_value_twice(qtbot, window, tmp_path):
    volume, session = open_case(qtbot, window, tmp_path)
    mask, _ = write_two_label_mask(tmp_path, volume)
    (tmp_path / "two.segments.json").write_text(json.dumps([
        {"value": 2, "name": "lesion", "color": [230, 25, 75]},
        {"value": 2, "name": "oedema", "color": [0, 0, 255]}]))
    before = session.labels.array.copy()

    window.edit_actions.load_labels(mask)
    qtbot.waitUntil(lambda: window.message_bar.isVisible() and not window.runner.busy, timeout=30000)

    text = window.message_bar.text
    assert "two.segments.json" in text and "label value 2 twice ('lesion' and 'oedema')" in text
    assert "\n" not in text and "two.segments.json" in window.message_bar.label.text()
    assert (session.labels.array == before).all() and len(session.segments) == 0
    assert window.editor.session is session   # the image stays open, editable
