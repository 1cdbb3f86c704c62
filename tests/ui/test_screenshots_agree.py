"""``packaging/screenshots.py`` takes the README's window pictures with the *Display* panel
agreeing with what the views draw: until session 29 it switched the volume rendering on through
the 3D scene, behind the panel (the 3D view's set-up then undid it, or not, by timing), and
unticked the box with ``setChecked`` (no click: the volume stayed drawn over the edit in
``editor.png``); the status line read wherever Xvfb's pointer lay (off the head, ``value 0``)."""

from __future__ import annotations

import importlib.util

from tests.checkout import REPO


def script():
    spec = importlib.util.spec_from_file_location("screenshots", REPO / "packaging" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_four_up_picture_agrees_with_its_controls(qtbot, qapp):
    from editor_helpers import close_without_asking

    shots = script()
    window, _lesion = shots.four_up(qapp)
    qtbot.addWidget(window, before_close_func=close_without_asking)
    panel, scene = window.display_panel, window.view3d.scene
    assert shots.disagreements(window) == []
    # with labels loaded the 3D view draws their surfaces, not the volume: the box says so
    assert not panel.volume3d_check.isChecked() and not scene.show_volume
    assert scene.surfaces is not None
    assert window.readout.text().endswith("label 2: Lesion"), window.readout.text()
    # the user ticks Volume rendering: drawn, and the box and the view agree
    panel.volume3d_check.click()
    shots.settle(qapp, window)
    assert scene.show_volume and panel.volume3d_check.isChecked()
    # unticked without a click, as the script did before the editor picture: caught, named
    panel.volume3d_check.setChecked(False)
    assert shots.disagreements(window) == [
        "Volume rendering is unticked while the 3D view shows the volume"]
