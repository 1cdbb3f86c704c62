"""*File > Save labels as DICOM SEG...* is greyed out over a NIfTI image (a SEG references the
DICOM series it was drawn on), and hovering it now says why and what to use instead: it was
disabled with no word of why (found walking the demo, a NIfTI, as a 3D Slicer user would)."""

from __future__ import annotations

from editor_helpers import open_image, paint_a_dicom_series, wait_for_session, write_image
from menu_tips import hover_tip


def test_greyed_out_over_a_nifti_it_says_why(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    action = window.edit_actions.seg_action
    assert not action.isEnabled()
    tip = hover_tip(qtbot, window, window.file_menu, action)
    assert tip.startswith("Only for an image opened from DICOM: a DICOM SEG references the series")
    assert "Save labels... (Ctrl+S) writes NIfTI" in tip


def test_over_a_dicom_series_it_is_enabled_with_no_reason(qtbot, window, tmp_path):
    paint_a_dicom_series(qtbot, window, tmp_path)
    action = window.edit_actions.seg_action
    assert action.isEnabled()
    assert hover_tip(qtbot, window, window.file_menu, action) == ""
