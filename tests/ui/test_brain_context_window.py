"""In the window: a model's result with a brain segment (as *AI > Segment with a model...* applies
it), a lesion inside the brain erased with the mouse. The voxels go back to the brain: shown, the
brain covers the spot (it was a hole of grey image), and its mL in the Segments list is the
model's whole brain mask again (it fell with each correction)."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, grab, open_image, pixel_of, stroke, wait_for_session, write_image

from neuroview.app.view_measure import format_ml

STEEL_BLUE = (70, 130, 180)


def _result(volume):
    """A model's result as the AI job hands it over: labels, (value, name, colour) per segment,
    model, device, notes and the brain mask (``ui.actions_ai``)."""
    shape = volume.shape[:3]
    ijk = np.indices(shape).transpose(1, 2, 3, 0)
    at = np.rint(np.linalg.inv(volume.ijk_to_ras)[:3] @ np.append(INSIDE_CASE_RAS, 1.0)).astype(int)
    brain = (((ijk - np.array(shape) / 2) / [20, 20, 20]) ** 2).sum(-1) <= 1
    lesion = ((ijk - at) ** 2).sum(-1) <= 9
    assert brain[lesion].all()
    labels = np.zeros(shape, np.uint8)
    labels[lesion] = 1
    labels[brain & ~lesion] = 2
    segments = [(1, "lesion", (230, 25, 75)), (2, "brain", STEEL_BLUE)]
    return (labels, segments, "fake@1", "cpu", [], brain), brain, lesion


def _brain_ml_in_list(window):
    table = window.segment_panel.table
    return [table.item(r, 4).text() for r in range(table.rowCount()) if table.item(r, 2).text() == "brain"]


def test_an_erased_lesion_gives_its_voxels_back_to_the_brain(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    result, brain, lesion = _result(volume)
    window.ai_actions._apply_result(window.editor.case, result, "")
    qtbot.waitUntil(lambda: "fake@1 on cpu" in window.notice_bar.text, timeout=30000)
    voxel_ml = session.labels.voxel_volume_ml
    landed = format_ml((brain & ~lesion).sum() * voxel_ml)
    whole = format_ml(brain.sum() * voxel_ml)
    assert landed != whole
    assert f"brain {landed} mL" in window.notice_bar.text, window.notice_bar.text
    qtbot.waitUntil(lambda: _brain_ml_in_list(window) == [landed], timeout=10000)

    session.segments.show("brain")
    session.segments.select("lesion")
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("erase")
    session.set_params("erase", radius_mm=12, mode="3d", segment=None)
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [2.0, 0, 0]])

    b = session.segments["brain"].value
    assert np.all(session.labels.array[lesion] == b)                  # no hole in the brain
    assert not (session.labels.array == session.segments["lesion"].value).any()
    qtbot.waitUntil(lambda: _brain_ml_in_list(window) == [whole], timeout=10000)
    view = window.slice_views["axial"]
    view.repaint()
    x, y = pixel_of(window, "axial", INSIDE_CASE_RAS)
    rgb = grab(view)[int(y), int(x)].astype(int)
    assert rgb[2] - rgb[0] > 20, rgb                                  # steel blue, not grey image
    session.undo()                                                    # Ctrl+Z: the lesion is back
    assert np.all(session.labels.array[lesion] == session.segments["lesion"].value)
    qtbot.waitUntil(lambda: _brain_ml_in_list(window) == [landed], timeout=10000)


def test_erasing_over_the_brain_alone_says_how_to_erase_it(qtbot, window, tmp_path):
    """Erase over the brain with another segment selected, or with Shift+E (every segment, which
    leaves the brain under the lesions): nothing is erased, and the status bar says to select the
    brain, not to press Shift+E or to show it (neither erases it)."""
    from editor_helpers import shortcut
    from PySide6.QtCore import Qt

    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    result, brain, _lesion = _result(volume)
    window.ai_actions._apply_result(window.editor.case, result, "")
    qtbot.waitUntil(lambda: "fake@1 on cpu" in window.notice_bar.text, timeout=30000)
    before = session.labels.array.copy()
    away = INSIDE_CASE_RAS + [-20.0, 0, 0]                           # brain, no lesion
    window.controller.set_crosshair(away)
    session.segments.select("lesion")
    shortcut(qtbot, window, Qt.Key_E)
    session.set_params("erase", radius_mm=4, mode="2d")
    stroke(window, "axial", [away, away + [4.0, 0, 0]])
    text = window.statusBar().currentMessage()
    assert "Nothing erased" in text and "'brain'" in text and "Shift+E" not in text, text
    shortcut(qtbot, window, Qt.Key_E, Qt.ShiftModifier)              # every unlocked segment
    stroke(window, "axial", [away, away + [4.0, 0, 0]])
    text = window.statusBar().currentMessage()
    assert "Nothing erased" in text and "select it" in text and "show it" not in text, text
    assert np.array_equal(session.labels.array, before)
    session.segments.select("brain")                                 # selected, it is erased
    shortcut(qtbot, window, Qt.Key_E, Qt.ShiftModifier)
    assert session.params["erase"].segment is None
    stroke(window, "axial", [away, away + [4.0, 0, 0]])
    assert (brain & (session.labels.array == 0)).sum() > 5
