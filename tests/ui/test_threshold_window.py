"""The segment editor's Threshold tool in the window (key T): a live preview of the voxels in
range in the segment's colour, starting at Otsu's threshold; the sliders move it; Apply fills
the selected segment as one undo step and says what changed. Also: Logical's *With segment*
list leaves out the selected segment, and Islands / Smoothing / Margin say what Apply changed."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, grab, open_case, pixel_of, shortcut, threshold_measured
from PySide6.QtCore import Qt

from neuroview.core.edit.threshold import default_range
from neuroview.ui.threshold_tool import shown_up


def _slice_voxels(session, volume):
    """(in range, out of range) RAS voxel centres on the axial slice through INSIDE_CASE_RAS,
    for the range now set, each well inside the view."""
    params = session.params["threshold"]
    image = volume.frame(0)
    k = volume.ras_to_voxel(INSIDE_CASE_RAS)[2]
    wanted = (image >= params.low) & (image <= params.high)
    picked = []
    for want in (True, False):
        i, j = np.argwhere(wanted[8:40, 8:40, k] == want)[0] + 8
        picked.append(volume.ijk_to_ras[:3, :3] @ np.array([i, j, k], float) + volume.ijk_to_ras[:3, 3])
    return picked


def _colour_at(window, p_ras):
    view = window.slice_views["axial"]
    view.repaint()
    x, y = pixel_of(window, "axial", p_ras)
    return grab(view)[int(y), int(x)].astype(int)


def test_threshold_previews_applies_and_undoes(qtbot, window, tmp_path):
    volume, session = open_case(qtbot, window, tmp_path)
    lesion = session.segments.add("lesion")
    panel = window.edit_actions.panel
    plain = {}
    shortcut(qtbot, window, Qt.Key_T)
    threshold_measured(qtbot, window)
    assert panel.tool == "threshold" and panel.stack.currentIndex() == panel.pages["threshold"]
    params = session.params["threshold"]
    low, high = default_range(volume.frame(0))   # Otsu (rounded up as its box shows it) to the maximum
    decimals = panel.option_widgets["threshold"]["low"].decimals()
    assert (params.low, params.high) == (shown_up(low, decimals), high)
    inside, outside = _slice_voxels(session, volume)
    tinted = {"in": _colour_at(window, inside), "out": _colour_at(window, outside)}
    shortcut(qtbot, window, Qt.Key_N)   # Navigate: no preview
    assert window.controller.threshold_preview is None
    plain = {"in": _colour_at(window, inside), "out": _colour_at(window, outside)}
    assert np.array_equal(tinted["out"], plain["out"])
    expected = (plain["in"] * 0.5 + np.array(lesion.color) * 0.5)
    assert np.abs(tinted["in"] - expected).max() <= 2, (tinted, plain, lesion.color)
    assert not session.labels.array.any()                                 # a preview writes nothing

    shortcut(qtbot, window, Qt.Key_T)

    threshold_measured(qtbot, window)
    slider = panel.threshold.sliders["low"]
    slider.setValue(slider.maximum())                                     # the range shrinks to the top
    assert session.params["threshold"].low == session.params["threshold"].high
    assert np.array_equal(_colour_at(window, inside), plain["in"])        # the preview followed
    slider.setValue(0)
    low = session.params["threshold"].low
    assert low == float(volume.frame(0).min())
    panel.option_widgets["threshold"]["high"].setValue(params.high)
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    image = volume.frame(0)
    wanted = (image >= low) & (image <= params.high)
    assert np.array_equal(session.labels.array == lesion.value, wanted)
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Threshold {low:g} to {params.high:g}: 'lesion' gained "
                              f"{int(wanted.sum()):,} voxels, lost 0 voxels"), message
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert not session.labels.array.any()
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert np.array_equal(session.labels.array == lesion.value, wanted)


def test_use_for_masking_gives_the_range_to_paint_and_fill(qtbot, window, tmp_path):
    _volume, session = open_case(qtbot, window, tmp_path)
    session.segments.add("lesion")
    panel = window.edit_actions.panel
    panel.select_tool("threshold")
    threshold_measured(qtbot, window)
    qtbot.mouseClick(panel.threshold.mask_button, Qt.LeftButton)
    low, high = session.params["threshold"].low, session.params["threshold"].high
    for tool in ("paint", "fill"):
        assert (session.params[tool].intensity_low, session.params[tool].intensity_high) == (low, high)
    panel.select_tool("paint")
    shown = panel.option_widgets["paint"]["intensity_low"]
    assert shown.check.isChecked() and shown.spin.value() == round(low, 1)


def test_logical_offers_every_segment_but_the_selected_one(qtbot, window, tmp_path):
    _volume, session = open_case(qtbot, window, tmp_path)
    for name in ("a", "b", "c"):
        session.segments.add(name)
    panel = window.edit_actions.panel
    panel.select_tool("logical")
    combo = panel.option_widgets["logical"]["other"]

    def offered():
        return [combo.itemText(i) for i in range(combo.count())]

    qtbot.waitUntil(lambda: offered() == ["a", "b"])        # "c", added last, is selected
    panel.table.selectRow(0)                                # click "a"
    assert offered() == ["b", "c"]
    assert session.params["logical"].other == session.segments["b"].value


def _two_islands(session, volume):
    lesion = session.segments.add("lesion")
    big, small = INSIDE_CASE_RAS, INSIDE_CASE_RAS + [30.0, 0, 0]
    session.apply("paint", at_ras=big, radius_mm=6, mode="3d")
    session.apply("paint", at_ras=small, radius_mm=2, mode="3d")
    session.apply("paint", at_ras=small + [0, 20.0, 0], radius_mm=2, mode="3d")
    return lesion


def test_islands_smoothing_and_margin_say_what_apply_changed(qtbot, window, tmp_path):
    volume, session = open_case(qtbot, window, tmp_path)
    lesion = _two_islands(session, volume)
    before = int((session.labels.array == lesion.value).sum())
    panel = window.edit_actions.panel
    panel.select_tool("islands")
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    after = int((session.labels.array == lesion.value).sum())
    removed = before - after
    ml = removed * session.labels.voxel_volume_ml
    assert removed > 0
    assert window.statusBar().currentMessage() == (
        f"Islands: kept the largest, removed 2 ({removed:,} voxels, {ml:.2f} mL) from 'lesion'."
        if ml < 0.1 else
        f"Islands: kept the largest, removed 2 ({removed:,} voxels, {ml:.1f} mL) from 'lesion'.")
    panel.select_tool("margin")
    session.set_params("margin", margin_mm=2.0)
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    grown = int((session.labels.array == lesion.value).sum()) - after
    assert grown > 0
    said = window.statusBar().currentMessage()
    assert said.startswith(f"Margin +2 mm: 'lesion' gained {grown:,} voxels, lost 0 voxels (+"), said
    session.apply("paint", at_ras=INSIDE_CASE_RAS + [0, 24.0, 0], radius_mm=1.8, mode="3d")   # a speck
    panel.select_tool("smoothing")
    session.set_params("smoothing", method="opening", kernel_mm=5.0)
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    said = window.statusBar().currentMessage()
    assert said.startswith("Smoothing (opening, 5 mm): 'lesion' gained 0 voxels, lost "), said


def test_threshold_preview_leaves_out_what_apply_spares(qtbot, window, tmp_path):
    """The preview tints exactly the voxels Apply writes: not a locked segment's, and with
    *Overwrite: background only* not another segment's (it tinted both, and Apply spared them)."""
    volume, session = open_case(qtbot, window, tmp_path)
    brain, other = session.segments.add("brain"), session.segments.add("other")
    at_brain, at_other = INSIDE_CASE_RAS + [-12.0, 14.0, 0], INSIDE_CASE_RAS + [14.0, 14.0, 0]  # no crosshair
    session.apply("paint", segment=brain.value, at_ras=at_brain, radius_mm=5, mode="3d")
    session.apply("paint", segment=other.value, at_ras=at_other, radius_mm=5, mode="3d")
    session.segments.lock(brain.value)
    lesion = session.segments.add("lesion")
    editor, panel = window.edit_actions.editor, window.edit_actions.panel
    editor.select_segment(lesion.value)
    image = volume.frame(0)
    shortcut(qtbot, window, Qt.Key_T)
    threshold_measured(qtbot, window)
    editor.set_params("threshold", low=float(image.min()), high=float(image.max()))   # every voxel
    tinted = {name: _colour_at(window, p) for name, p in (("brain", at_brain), ("other", at_other))}
    panel.policy_box.setCurrentIndex(panel.policy_box.findData("background"))
    panel.policy_box.activated.emit(panel.policy_box.currentIndex())   # as a pick from the list
    spared = _colour_at(window, at_other)
    shortcut(qtbot, window, Qt.Key_N)
    plain = {name: _colour_at(window, p) for name, p in (("brain", at_brain), ("other", at_other))}
    assert np.array_equal(tinted["brain"], plain["brain"])       # locked: Apply leaves it
    assert not np.array_equal(tinted["other"], plain["other"])   # policy "all": Apply takes it
    assert np.array_equal(spared, plain["other"])                # "background": Apply leaves it
    before = session.labels.array.copy()
    shortcut(qtbot, window, Qt.Key_T)
    threshold_measured(qtbot, window)
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    for segment in (brain, other):
        assert np.array_equal(session.labels.array == segment.value, before == segment.value)
    assert np.array_equal(session.labels.array == lesion.value, before == 0)


def test_minimum_past_maximum_pushes_it(qtbot, window, tmp_path):
    """Dragging Minimum above Maximum moves Maximum with it (and back): the range stays one the
    preview shows and Apply takes (it went empty and Apply refused)."""
    volume, session = open_case(qtbot, window, tmp_path)
    lesion = session.segments.add("lesion")
    panel = window.edit_actions.panel
    panel.select_tool("threshold")
    threshold_measured(qtbot, window)
    sliders, spins = panel.threshold.sliders, panel.option_widgets["threshold"]

    def params():
        return session.params["threshold"]

    sliders["high"].setValue(400)
    sliders["low"].setValue(700)                    # Minimum dragged past Maximum
    assert params().low == params().high == spins["high"].value() == spins["low"].value()
    assert sliders["high"].value() == sliders["low"].value() >= 690    # shown pushed
    spins["high"].setValue(spins["low"].value() - 50 * spins["high"].singleStep())   # Maximum below
    assert params().low == params().high and sliders["low"].value() == sliders["high"].value() < 690
    sliders["high"].setValue(1000)                  # Minimum stayed where it was pushed to
    assert params().low == spins["low"].value() < params().high
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    image = volume.frame(0)
    wanted = (image >= params().low) & (image <= params().high)
    assert wanted.any() and np.array_equal(session.labels.array == lesion.value, wanted)
