"""*Restore* changes no view setting the user chose (a screenshot after a restore showed *Volume
rendering* unticked, session 27): the box is unticked then only because the restored labels' 3D
surfaces appear, as after a first stroke (README, 3D: volume rendering turns itself off when
label surfaces appear); the user's own tick, window/level and opacity stay as they were."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, leave_a_crashed_workspace, wait_for_session, write_image
from PySide6.QtCore import Qt


def _settings(window):
    display, scene = window.display_panel, window.view3d.scene
    return (display.volume3d_check.isChecked(), scene.show_volume, display.planes3d_check.isChecked(),
            display.opacity3d_slider.value(), display.window_box.value(), display.level_box.value())


def _offered(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=6)
    window.open_paths([path])
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and window.view3d.scene is not None
                    and window.view3d.scene.volume_prop is not None and not window.runner.busy,
                    timeout=30000)   # the 3D view ready (its volume rendering made in a worker)
    return bar


def test_the_users_own_settings_survive_a_restore(qtbot, window, tmp_path):
    bar = _offered(qtbot, window, tmp_path)
    display = window.display_panel
    display.volume3d_check.click()
    display.volume3d_check.click()                     # unticked and ticked again: the user's choice
    display.opacity3d_slider.setValue(40)
    display.window_box.setValue(200.0)
    qtbot.wait(100)
    before = _settings(window)
    assert before[:2] == (True, True)
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    wait_for_session(qtbot, window)
    qtbot.waitUntil(lambda: window.view3d.scene.surfaces is not None, timeout=30000)
    qtbot.wait(300)
    assert _settings(window) == before


def test_with_no_choice_made_the_restored_surfaces_turn_it_off_as_a_stroke_does(qtbot, window, tmp_path):
    bar = _offered(qtbot, window, tmp_path)
    assert _settings(window)[:2] == (True, True)
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    wait_for_session(qtbot, window)
    qtbot.waitUntil(lambda: window.view3d.scene.surfaces is not None, timeout=30000)
    qtbot.waitUntil(lambda: not window.display_panel.volume3d_check.isChecked(), timeout=10000)
    assert window.view3d.scene.volume_choice is None and not window.view3d.scene.show_volume
