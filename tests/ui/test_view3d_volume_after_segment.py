"""*Volume rendering* after AI > Segment: the model's segment surfaces appear in the 3D view.
Left automatic (the box ticked as the image opened, never clicked), the volume steps aside for
them, and the status line now says why the box unticked itself (it went off with no word). Ticked
by the user, it stays ticked and drawn over the surfaces."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

pytest.importorskip("torch")

from editor_helpers import open_image, wait_for_session, write_image  # noqa: E402
from tiny_models import tiny_model  # noqa: E402


def click(qtbot, box) -> None:
    qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(8, box.height() // 2))


def surfaces_drawn(qtbot, window) -> None:
    view3d = window.view3d
    qtbot.waitUntil(lambda: view3d.scene is not None and view3d.scene.surfaces is not None
                    and not view3d.surfaces_pending, timeout=60000)


@pytest.mark.parametrize("user", ["never clicked", "ticked"])
def test_volume_rendering_after_segment(qtbot, window, tmp_path, user):
    box, view3d = window.display_panel.volume3d_check, window.view3d
    open_image(qtbot, window, write_image(tmp_path)[0])
    session = wait_for_session(qtbot, window)
    qtbot.waitUntil(lambda: view3d.shows_open_image and view3d.rgb is not None, timeout=30000)
    assert box.isChecked() and view3d.scene.show_volume
    if user == "ticked":   # cleared, then ticked: the user's choice
        click(qtbot, box)
        click(qtbot, box)
        assert view3d.scene.volume_choice is True
    window.ai_actions.segment(str(tiny_model(tmp_path)), "cpu")
    qtbot.waitUntil(lambda: "tiny@1.2.0 on cpu" in window.notice_bar.text, timeout=60000)
    assert session.labels.array.any()
    qtbot.waitUntil(lambda: view3d.scene.surfaces is not None and not view3d.surfaces_pending,
                    timeout=60000)
    qtbot.wait(100)
    message = window.statusBar().currentMessage()
    if user == "ticked":
        assert box.isChecked() and view3d.scene.show_volume, "the user's tick was dropped"
        assert "Volume rendering" not in message
    else:
        assert not box.isChecked() and not view3d.scene.show_volume
        assert "volume rendering off while segment surfaces show" in message, message
        assert "tick Volume rendering" in message
