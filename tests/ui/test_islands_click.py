"""Islands' *Keep selected island* and *Remove selected island* in the window: after Threshold
55-90 HU on a blurred head CT, the skull's inner edge is one island larger than the bleed (session
48's CT walk: *Keep the largest island* kept the rim). A click on the bleed in the axial view keeps
exactly its island, a click on the rim removes exactly the rim's, Ctrl+Z restores; the intensity
boxes of Threshold, Paint and Fill show "HU" on the CT and no unit on an MR."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_case, open_image, pixel_of, shortcut, threshold_measured, wait_for_session
from PySide6.QtCore import QPoint, Qt
from scipy import ndimage

from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

AFFINE = np.diag([-1.0, -1.0, 3.0, 1.0])
BLEED_IJK = (26, 20, 5)


def _blurred_head_ct(path):
    """48x48x10 voxels of 1x1x3 mm: air, a skull ring of 1000 HU, brain of 35 HU and a bleed of
    75 HU, blurred as a scanner's kernel blurs them (int16 HU, no modality: a dcm2niix NIfTI)."""
    i, j, k = np.meshgrid(np.arange(48) - 23.5, np.arange(48) - 23.5, np.arange(10), indexing="ij")
    r = np.hypot(i, j)
    ct = np.where(r < 22, 1000.0, -1000.0)
    ct[r < 19] = 35.0
    ct[(i - BLEED_IJK[0] + 23.5) ** 2 + (j - BLEED_IJK[1] + 23.5) ** 2 + (3 * (k - BLEED_IJK[2])) ** 2
       < 36] = 75.0
    ct = ndimage.gaussian_filter(ct, (2.0, 2.0, 0.8))
    save_nifti(np.rint(ct).astype(np.int16), AFFINE, path)


def _click(qtbot, window, ijk, double=False) -> None:
    p_ras = (AFFINE @ np.append(np.asarray(ijk, float), 1.0))[:3]
    x, y = pixel_of(window, "axial", p_ras)
    click = qtbot.mouseDClick if double else qtbot.mouseClick   # (mouseDClick: the second press)
    click(window.slice_views["axial"], Qt.LeftButton, pos=QPoint(int(x), int(y)))


def _pick_operation(panel, operation: str) -> None:
    box = panel.option_widgets["islands"]["operation"]
    box.setCurrentIndex(box.findData(operation))
    box.activated.emit(box.currentIndex())


def test_a_click_keeps_the_bleed_or_removes_the_rim_in_one_undo_step(qtbot, window, tmp_path):
    _blurred_head_ct(tmp_path / "head.nii.gz")
    open_image(qtbot, window, tmp_path / "head.nii.gz")
    session = wait_for_session(qtbot, window)
    bleed = session.segments.add("bleed")
    panel = window.edit_actions.panel
    shortcut(qtbot, window, Qt.Key_T)
    threshold_measured(qtbot, window)
    spins = panel.option_widgets["threshold"]
    assert spins["low"].suffix() == " HU" and spins["high"].suffix() == " HU"
    spins["high"].setValue(90)
    spins["low"].setValue(55)
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    image = session.volume.frame(0)
    thresholded = (image >= 55) & (image <= 90)
    assert np.array_equal(session.labels.array == bleed.value, thresholded)
    islands, _n = ndimage.label(thresholded, np.ones((3, 3, 3)))   # the reference: scipy's
    sizes = np.bincount(islands.ravel())
    the_bleed = islands == islands[BLEED_IJK]
    largest = islands == np.argmax(sizes[1:]) + 1
    assert sizes.size > 3 and largest.sum() > the_bleed.sum()     # the rim outgrows the bleed
    window.controller.set_crosshair((AFFINE @ np.append(np.asarray(BLEED_IJK, float), 1.0))[:3])

    qtbot.mouseClick(panel.tool_buttons["islands"], Qt.LeftButton)
    _pick_operation(panel, "keep_selected")
    _click(qtbot, window, BLEED_IJK)
    _click(qtbot, window, BLEED_IJK, double=True)   # its second press: a double-click, as Qt sends it
    assert np.array_equal(session.labels.array == bleed.value, the_bleed)
    assert window.controller.state.maximised is None
    removed = int(thresholded.sum() - the_bleed.sum())
    assert window.statusBar().currentMessage().startswith(
        f"Islands: kept the island clicked, removed {sizes.size - 2} ({removed:,} voxels, ")
    assert window.controller.state.crosshair_ras[2] == 15.0       # the click moved no slice
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert np.array_equal(session.labels.array == bleed.value, thresholded)

    _pick_operation(panel, "remove_selected")
    rim = np.argwhere(largest[:, :, BLEED_IJK[2]])
    rim_ijk = (*rim[np.argmin(np.abs(rim - 23.5).sum(axis=1))], BLEED_IJK[2])
    _click(qtbot, window, rim_ijk)
    assert np.array_equal(session.labels.array == bleed.value, thresholded & ~largest)
    _click(qtbot, window, (20, 30, BLEED_IJK[2]))                 # brain: not the segment
    assert window.message_bar.text == ("Islands: the click is not on 'bleed': click on one of "
                                       "its islands to remove it")
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert np.array_equal(session.labels.array == bleed.value, thresholded)


def test_the_intensity_boxes_of_an_mr_show_no_unit(qtbot, window, tmp_path):
    open_case(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    shortcut(qtbot, window, Qt.Key_T)
    threshold_measured(qtbot, window)
    assert panel.option_widgets["threshold"]["low"].suffix() == ""
    assert panel.option_widgets["fill"]["intensity_low"].spin.suffix() == ""
    shortcut(qtbot, window, Qt.Key_P)
    assert panel.option_widgets["paint"]["intensity_high"].spin.suffix() == ""


def test_the_help_line_says_what_the_chosen_operation_will_do(qtbot, window):
    """The line under the tools follows Islands' *Operation* as it is chosen with the keys (it
    said one sentence for all five), and names the click for the two that take one."""
    panel = window.edit_actions.panel
    qtbot.mouseClick(panel.tool_buttons["islands"], Qt.LeftButton)
    box = panel.option_widgets["islands"]["operation"]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_Home)
    said = {}
    for _ in range(box.count()):
        said[box.currentText()] = panel.help.text()
        qtbot.keyClick(box, Qt.Key_Down)
    assert said == {
        "Keep the largest island": "Apply keeps the selected segment's largest island and removes "
                                   "the others",
        "Remove small islands": "Apply removes the selected segment's islands smaller than Minimum size",
        "Keep selected island": "Click an island of the selected segment in a slice view: it is kept "
                                "and the others removed (no Apply; Ctrl+Z takes it back)",
        "Remove selected island": "Click an island of the selected segment in a slice view: it is "
                                  "removed (no Apply; Ctrl+Z takes it back)",
        "Split islands into segments": "Apply makes each island of the selected segment a segment "
                                       "(the largest keeps the name, the others are named 2, 3...); "
                                       "islands below Minimum size, if set, are removed"}
    qtbot.mouseClick(panel.tool_buttons["smoothing"], Qt.LeftButton)
    assert panel.help.text() == "Median, opening or closing with a ball kernel"
    qtbot.keyClick(box, Qt.Key_Home)   # chosen while another tool shows: its line stays
    assert panel.help.text() == "Median, opening or closing with a ball kernel"
    qtbot.mouseClick(panel.tool_buttons["islands"], Qt.LeftButton)
    assert panel.help.text().startswith("Apply keeps the selected segment's largest island")
