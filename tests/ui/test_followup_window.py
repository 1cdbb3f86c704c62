"""File > Open follow-up...: the dialog, the linked side-by-side panes, flicker, subtraction and the
lesion table (the same table as ``neuroview followup``)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from neuroview.io.nifti import save_nifti
from neuroview.render.slices import CROSSHAIR_COLOR
from tests.app.followup_cases import grid, lesion_masks, rigid, sample
from tests.app.test_followup_cli import same_table


def write_case(mni_volume, folder):
    b_shape, b_affine = grid(mni_volume, (3.0, 3.0, 3.0))
    f_shape, f_affine = grid(mni_volume, (3.2, 2.8, 3.0), (12.0, -6.0, 9.0))
    truth = rigid((8.0, -5.0, 10.0), (10.0, -8.0, 12.0), mni_volume.center_ras)
    save_nifti(sample(mni_volume, b_shape, b_affine), b_affine, folder / "t1.nii.gz")
    save_nifti(lesion_masks(b_shape, b_affine, np.eye(4), False), b_affine, folder / "t1_lesions.nii.gz")
    save_nifti(sample(mni_volume, f_shape, f_affine, np.linalg.inv(truth)), f_affine, folder / "t2.nii.gz")
    save_nifti(lesion_masks(f_shape, f_affine, np.linalg.inv(truth), True), f_affine,
               folder / "t2_lesions.nii.gz")


def menu_action(window, text):
    for action in window.file_menu.actions():
        if action.text() == text:
            return action
    raise AssertionError(f"no File > {text}")


def test_open_followup_shows_linked_panes_and_the_cli_table(window, qtbot, mni_volume, tmp_path, cli):
    write_case(mni_volume, tmp_path)
    names = {"baseline": "t1.nii.gz", "baseline_labels": "t1_lesions.nii.gz",
             "followup": "t2.nii.gz", "followup_labels": "t2_lesions.nii.gz"}

    def fill_dialog():
        dialog = QApplication.activeModalWidget()
        for key, edit in dialog.edits.items():
            qtbot.keyClicks(edit, str(tmp_path / names[key]))
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
        qtbot.mouseClick(ok, Qt.LeftButton)

    QTimer.singleShot(200, fill_dialog)
    menu_action(window, "Open follow-up...").trigger()
    qtbot.waitUntil(lambda: getattr(window, "followup_window", None) is not None, timeout=120000)
    view = window.followup_window
    qtbot.waitExposed(view)

    result = cli("followup", tmp_path / "t1.nii.gz", tmp_path / "t2.nii.gz",
                 "--labels-baseline", tmp_path / "t1_lesions.nii.gz",
                 "--labels", tmp_path / "t2_lesions.nii.gz", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    header = "id,status,event,volume_baseline_ml,volume_followup_ml,change_ml,change_pct,r_mm,a_mm,s_mm,"
    window_csv = header + "baseline_parts,followup_parts\n" + "".join(
        ",".join(row) + "\n" for row in view.table_text())
    assert same_table(window_csv, (tmp_path / "out" / "lesions_tp2.csv").read_text())

    # a click on the grown lesion's row brings both panes to it: its outline is bigger on the right
    row = next(r for r, cells in enumerate(view.table_text()) if cells[1] == "enlarging" and not cells[2])
    rect = view.table.visualItemRect(view.table.item(row, 1))
    qtbot.mouseClick(view.table.viewport(), Qt.LeftButton, pos=rect.center())
    lesion = view.comparison.table.rows[row]
    assert np.allclose(view.pair.state.crosshair_ras, lesion.position_ras)

    def outline_pixels(rgb):
        rgb = rgb.astype(int)
        return int(((np.abs(rgb[..., 0] - rgb[..., 1]) > 60) & (rgb[..., 2] < 100)
                    & ~np.all(rgb == CROSSHAIR_COLOR, axis=2)).sum())

    left, right = view.pair.pane_images()
    assert outline_pixels(right) > outline_pixels(left) > 0
    # F shows the baseline in the right pane (flicker), F again the follow-up
    qtbot.keyClick(view.pair, Qt.Key_F)
    assert np.array_equal(*view.pair.pane_images())
    qtbot.keyClick(view.pair, Qt.Key_F)
    assert np.array_equal(view.pair.pane_images()[1], right)
    # D: later minus baseline, mid-grey where nothing changed, brighter in the grown rim
    qtbot.mouseClick(view.subtraction_button, Qt.LeftButton)
    difference = view.pair.pane_images()[1]
    assert np.median(difference[..., 1]) in range(120, 136)
    qtbot.mouseClick(view.subtraction_button, Qt.LeftButton)

    # a click in the left pane moves the crosshair in both panes to that point
    w, h = view.pair.pane_size()
    qtbot.mouseClick(view.pair, Qt.LeftButton, pos=QPoint(w // 3, h // 3))
    geom = view.pair.state.geometry("axial", w, h)
    assert np.allclose(view.pair.state.crosshair_ras, geom.pixel_to_ras(w // 3, h // 3))
    for rgb in view.pair.pane_images():
        assert np.all(rgb[0, w // 3] == CROSSHAIR_COLOR)
        assert np.all(rgb[h // 3, 0] == CROSSHAIR_COLOR)
