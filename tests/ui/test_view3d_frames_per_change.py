"""An applied model result, and its undo, draw the 3D view once: the changes they make (the
labels, the lists, the crosshair, the surfaces built off the GUI thread) each asked for a frame,
three ray casts of about 0.1 s CPU each on the GUI thread, where the last one alone is seen."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import grab, open_image, wait_for_session, write_image
from PySide6.QtCore import Qt

from neuroview.ai.api import LabelInfo, SegmentationResult

pytest.importorskip("neuroview.ai.segment")


def _orange(rgb) -> int:
    """Pixels in the colour of the model's lesion (250, 120, 0), shaded."""
    rgb = rgb.astype(int)
    return int(((rgb[..., 0] > rgb[..., 2] + 60) & (rgb[..., 1] > rgb[..., 2] + 20)).sum())


def test_a_model_result_and_its_undo_draw_the_3d_view_once_each(qtbot, window, tmp_path, monkeypatch):
    import neuroview.ai.segment as ai_segment

    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    view3d = window.view3d
    qtbot.waitUntil(lambda: view3d.rgb is not None and not view3d.surfaces_pending, timeout=30000)
    qtbot.wait(300)
    model = np.zeros(volume.shape, np.uint8)
    model[8:40, 8:40, 8:40] = 1
    monkeypatch.setattr(ai_segment, "segment", lambda *a, **k: SegmentationResult(
        model, volume.ijk_to_ras, [LabelInfo(1, "lesion", (250, 120, 0))], "stand-in@1", "cpu"))
    # and the load of a model before it (torch's import: 31 s at load 25, past the notice's wait)
    monkeypatch.setattr(ai_segment, "preload", lambda *a, **k: None)
    # the Lesions dock wide enough for its Location column already: the first result widens a
    # narrower one once (session 47), and the 3D view it shrinks is drawn again at its new size
    dock = window.lesions.parentWidget()
    window.resizeDocks([dock], [dock.width() + 400], Qt.Horizontal)
    qtbot.wait(300)
    frames = []
    real = view3d.scene.render
    monkeypatch.setattr(view3d.scene, "render", lambda *a, **k: frames.append(1) or real(*a, **k))
    assert _orange(view3d.rgb) == 0

    window.ai_actions._run_segment("stand-in@1", "cpu")
    qtbot.waitUntil(lambda: "stand-in@1 on cpu" in window.notice_bar.text, timeout=30000)
    qtbot.waitUntil(lambda: not window.runner.busy and not view3d.surfaces_pending, timeout=30000)
    qtbot.wait(600)   # any frame still asked for
    assert len(frames) == 1
    assert _orange(grab(view3d)) > 50   # the lesion's surface is in the frame

    session.undo()
    qtbot.waitUntil(lambda: not view3d.surfaces_pending, timeout=30000)
    qtbot.wait(600)
    assert len(frames) == 2
    assert _orange(grab(view3d)) == 0
