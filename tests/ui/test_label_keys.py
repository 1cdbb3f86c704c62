"""The labels over the slices from the keys, as an annotator flips them to see the image under a
lesion: G (3D Slicer's slice-view key) hides / shows them, Shift+G / Alt+G draw them more / less
opaque; and the *Segments* panel's *Labels* box and *Opacity* hold for the next image, as they
read (the next case came back drawn at 50 % with the box still unticked until session 51)."""

from __future__ import annotations

import numpy as np
from editor_helpers import click_preview, stroke
from key_presses import press, type_key
from PySide6.QtCore import QPoint, Qt
from render_cases import AFFINES, BLOB_RAS
from viewer_pixels import expected_pixel, grab, save_case

from neuroview.core.labels import default_color
from neuroview.ui.tooltip_keys import keys_text

LESION = np.array(default_color(1))   # segment 1 of a plain NIfTI mask, drawn at 100 %


def lesion_pixel(window) -> np.ndarray:
    """The colour on screen at the lesion's centre in the axial view (a grey pixel: not drawn)."""
    window.controller.set_crosshair(BLOB_RAS)
    x, y = expected_pixel(window, "axial", BLOB_RAS)
    return grab(window.slice_views["axial"])[int(y), int(x)].astype(int)


def open_with_lesion(qtbot, window, folder) -> None:
    """Open a case of ``folder``, then its lesion mask once the image is the one shown (the image
    before it is there while the new one loads: the mask went onto it)."""
    image, labels = save_case(folder, "ras", AFFINES["ras"])
    shown = window.controller.volume
    window.open_paths([image])
    qtbot.waitUntil(lambda: window.controller.volume is not None and window.controller.volume
                    is not shown and not window.runner.busy, timeout=30000)
    window.open_labels(labels)
    qtbot.waitUntil(lambda: window.controller.labels is not None
                    and window.controller.labels.array.any() and not window.runner.busy, timeout=30000)


def is_grey(rgb) -> bool:
    return int(rgb.max()) - int(rgb.min()) <= 2


def test_g_hides_and_shows_the_labels_shift_g_and_alt_g_step_their_opacity(qtbot, window, tmp_path):
    open_with_lesion(qtbot, window, tmp_path)
    axial, panel = window.slice_views["axial"], window.segment_panel
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(*map(int, expected_pixel(window, "axial",
                                                                                 BLOB_RAS))))
    drawn = lesion_pixel(window)
    assert not is_grey(drawn), drawn                            # the model's lesion, at 50 %
    press(qtbot, axial, Qt.Key_G)
    assert is_grey(lesion_pixel(window)), lesion_pixel(window)   # the image under it
    assert not panel.visible_check.isChecked()                  # the panel says so
    assert window.statusBar().currentMessage() == "Labels hidden (G shows them)"
    press(qtbot, axial, Qt.Key_G)
    assert (lesion_pixel(window) == drawn).all()
    for _ in range(5):
        press(qtbot, axial, Qt.Key_G, Qt.ShiftModifier)
    assert np.abs(lesion_pixel(window) - LESION).max() <= 2     # the segment's colour itself
    assert panel.opacity_slider.value() == 100
    press(qtbot, axial, Qt.Key_G, Qt.AltModifier)
    assert panel.opacity_slider.value() == 90
    assert window.statusBar().currentMessage() == "Labels at 90 % opacity"
    # a click into the panel's slider leaves G the window's: no focus trap
    qtbot.mouseClick(panel.opacity_slider, Qt.LeftButton, pos=QPoint(2, 2))
    type_key(window, Qt.Key_G)
    assert not panel.visible_check.isChecked() and is_grey(lesion_pixel(window))
    type_key(window, Qt.Key_G, Qt.ShiftModifier)                # a step shows hidden labels
    assert panel.visible_check.isChecked() and not is_grey(lesion_pixel(window))


def test_a_stroke_with_the_labels_hidden_shows_them_first(qtbot, window, tmp_path):
    """Paint with the labels hidden by G changed voxels no view showed, without a word (session
    52's annotation walk: 41 voxels painted, the status line still read `Labels hidden`), as
    painting into a hidden segment did until session 25. The stroke shows the labels first and
    says so; an erase with them hidden says what it erased, the box left as the user set it."""
    open_with_lesion(qtbot, window, tmp_path)
    axial, panel = window.slice_views["axial"], window.segment_panel
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(*map(int, expected_pixel(window, "axial",
                                                                                 BLOB_RAS))))
    press(qtbot, axial, Qt.Key_G)
    assert not panel.visible_check.isChecked()
    press(qtbot, axial, Qt.Key_P)
    beside = BLOB_RAS + [0.0, 14.0, 0.0]                        # on the lesion's axial slice
    landed = stroke(window, "axial", [beside, beside + [4.0, 0, 0]])[-1]
    assert panel.visible_check.isChecked() and window.label_keys.show_action.isChecked()
    assert window.statusBar().currentMessage().startswith("Labels were hidden (G): shown")
    x, y = expected_pixel(window, "axial", landed)
    assert not is_grey(grab(axial)[int(y), int(x)])              # the stroke, on screen
    painted = int((window.editor.session.labels.array != 0).sum())

    press(qtbot, axial, Qt.Key_G)
    press(qtbot, axial, Qt.Key_E)
    stroke(window, "axial", [beside, beside + [4.0, 0, 0]])
    erased = painted - int((window.editor.session.labels.array != 0).sum())
    assert erased > 0 and not panel.visible_check.isChecked()
    assert window.statusBar().currentMessage() == (
        f"Erased {erased:,} voxels with the labels hidden: no view shows them (G shows the "
        "labels; Ctrl+Z brings the voxels back).")


def test_a_preview_with_the_labels_hidden_shows_them(qtbot, window, tmp_path):
    """A Grow from seeds result (an AI click object too: ``ai_click._show``) with the labels
    hidden by G was drawn nowhere, and Enter accepted what nobody saw (session 52's walk: an AI
    click object of 13.4 mL, only its green prompt dot on screen)."""
    open_with_lesion(qtbot, window, tmp_path)
    session, axial, panel = window.editor.session, window.slice_views["axial"], window.segment_panel
    outside = session.segments.add("outside")
    session.apply("paint", at_ras=tuple(BLOB_RAS + [0.0, 16.0, 0.0]), radius_mm=4, mode="3d",
                  segment=outside)
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(*map(int, expected_pixel(window, "axial",
                                                                                 BLOB_RAS))))
    press(qtbot, axial, Qt.Key_G)
    assert is_grey(lesion_pixel(window))
    window.edit_actions.panel.select_tool("grow")
    click_preview(qtbot, window)
    assert window.controller.preview_labels is not None and panel.visible_check.isChecked()
    assert window.statusBar().currentMessage().endswith("(the labels were hidden: shown; G hides "
                                                        "them again)")
    assert not is_grey(lesion_pixel(window))                    # the result, on screen


def test_the_next_image_is_drawn_as_the_segments_panel_reads(qtbot, window, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    open_with_lesion(qtbot, window, first)
    panel = window.segment_panel
    panel.opacity_slider.setValue(100)
    panel.visible_check.setChecked(False)
    open_with_lesion(qtbot, window, second)
    assert is_grey(lesion_pixel(window)), lesion_pixel(window)   # hidden, as the box reads
    panel.visible_check.setChecked(True)                         # a click on the box
    assert np.abs(lesion_pixel(window) - LESION).max() <= 2      # at the slider's 100 %
    assert window.label_keys.show_action.isChecked()


def test_the_segments_panel_names_the_keys_on_hover(window):
    keys = window.label_keys
    tips = window.segment_panel.visible_check.toolTip(), window.segment_panel.opacity_slider.toolTip()
    assert f"({keys_text(keys.show_action)} shows / hides it)" in tips[0], tips
    assert f"({keys_text(keys.more_action)} / {keys_text(keys.less_action)} step it)" in tips[1], tips
