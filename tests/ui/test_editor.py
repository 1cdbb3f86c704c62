"""The segment editor in the window: strokes with the mouse become voxels at the right RAS places,
appear in every view, undo as one step, respect locks; previews; crash restore; saving."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import (
    INSIDE_CASE_RAS,
    click_preview,
    grab,
    hover,
    leave_a_crashed_workspace,
    open_image,
    paint_a_dicom_series,
    path_2d,
    pixel_of,
    save_and_wait,
    shortcut,
    stroke,
    wait_for_session,
    write_image,
)
from PySide6.QtCore import QPoint, Qt

from neuroview.app.case import workspace_for
from neuroview.app.session import Session
from neuroview.core.labels import default_color

Q = INSIDE_CASE_RAS + np.array([-14.0, 4.0, 0.0])
RED = np.array(default_color(1))


def paint_setup(qtbot, window, tmp_path, radius=5.0):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.segment_panel.opacity_slider.setValue(100)   # segment colours exactly on screen
    window.controller.set_crosshair(INSIDE_CASE_RAS)                   # every view goes through it
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=radius, mode="2d")
    return volume, session


def test_paint_stroke_puts_voxels_at_ras_and_shows_in_all_views(qtbot, window, tmp_path):
    volume, session = paint_setup(qtbot, window, tmp_path)
    assert window.controller.labels is session.labels          # one label map for views and Session
    landed = stroke(window, "axial", [INSIDE_CASE_RAS, Q])          # the voxels under the pointer
    expected = path_2d(volume, landed, 5.0)
    painted = session.labels.array == 1
    assert expected.sum() > 30
    assert np.array_equal(painted, expected), (painted.sum(), expected.sum(), (painted ^ expected).sum())
    assert [s.name for s in session.segments] == ["Segment 1"]
    assert len(session.history.undo_steps) == 2   # the segment added, then ONE step for the stroke
    # The other views show the new voxels there at once, drawn by region updates only.
    for plane in ("axial", "sagittal", "coronal"):
        x, y = pixel_of(window, plane, INSIDE_CASE_RAS)
        assert np.abs(grab(window.slice_views[plane])[int(y), int(x)].astype(int) - RED).max() <= 2, plane
    assert window.slice_views["axial"].partial_updates > 0
    assert window.slice_views["sagittal"].partial_updates > 0


def test_ctrl_z_undoes_the_whole_stroke_and_ctrl_shift_z_redoes(qtbot, window, tmp_path):
    volume, session = paint_setup(qtbot, window, tmp_path)
    stroke(window, "axial", [INSIDE_CASE_RAS, Q])
    after = session.labels.array.copy()
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert not session.labels.array.any()
    x, y = pixel_of(window, "coronal", INSIDE_CASE_RAS)
    assert np.abs(grab(window.slice_views["coronal"])[int(y), int(x)].astype(int) - RED).max() > 20
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert np.array_equal(session.labels.array, after)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)
    assert np.array_equal(session.labels.array, after)
    assert window.edit_actions.undo_action.isEnabled() and not window.edit_actions.redo_action.isEnabled()


def test_locked_segment_is_not_overwritten(qtbot, window, tmp_path):
    volume, session = paint_setup(qtbot, window, tmp_path, radius=6.0)
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [2.0, 0, 0]])
    first = session.labels.array == 1
    panel = window.edit_actions.panel
    panel.table.item(0, 1).setCheckState(Qt.Checked)      # the Lock column of segment 1
    assert session.segments.get(1).locked
    panel.add_button.click()                              # segment 2 becomes the active one
    assert session.active_segment == 2
    stroke(window, "axial", [INSIDE_CASE_RAS + [4.0, 0, 0], INSIDE_CASE_RAS - [8.0, 0, 0]])
    assert np.array_equal(session.labels.array == 1, first)
    assert (session.labels.array == 2).sum() > 10
    panel.table.item(0, 1).setCheckState(Qt.Unchecked)
    stroke(window, "axial", [INSIDE_CASE_RAS])
    assert not (session.labels.array[first] == 1).all()   # unlocked: painted over


def test_brush_cursor_has_the_brush_radius_on_screen(qtbot, window, tmp_path):
    volume, session = paint_setup(qtbot, window, tmp_path, radius=8.0)
    view = window.slice_views["axial"]
    hover(window, "axial", INSIDE_CASE_RAS)
    mm_per_pixel = window.controller.state.geometry("axial", view.width(), view.height()).mm_per_pixel
    assert abs(view.brush_radius_px() - 8.0 / mm_per_pixel) < 1e-6
    session.segments.add("lesion")                       # cursor drawn in the segment's colour
    view.update()
    picture = grab(view).astype(int)
    x, y = pixel_of(window, "axial", INSIDE_CASE_RAS)
    radius_px = 8.0 / mm_per_pixel
    top, left = int(y - 2 * radius_px), int(x - 2 * radius_px)
    near = picture[top:int(y + 2 * radius_px), left:int(x + 2 * radius_px)]
    rows, cols = np.nonzero(np.abs(near - np.array(default_color(1))).max(axis=2) <= 40)
    assert rows.size > 20
    rows, cols = rows + top + 0.5, cols + left + 0.5
    # the ring is centred on the voxel centre a stroke there would paint, up to half a voxel from
    # the pointer (its distance from the pointer varied with the dock's width), with the radius
    centre = np.array([cols.mean(), rows.mean()])
    assert abs(np.median(np.hypot(cols - centre[0], rows - centre[1])) - radius_px) < 2.0
    half_voxel_px = 0.5 * max(np.abs(volume.spacing)) / mm_per_pixel
    assert np.all(np.abs(centre - (x, y)) <= half_voxel_px + 1.0)


def test_grow_and_interpolate_preview_then_apply(qtbot, window, tmp_path):
    volume, session = paint_setup(qtbot, window, tmp_path, radius=3.0)
    panel = window.edit_actions.panel
    inside = session.segments.add("ball")
    session.apply("paint", at_ras=(0, 0, 0), radius_mm=4, mode="3d", segment=inside)
    outside = session.segments.add("outside")
    session.apply("paint", at_ras=(0, 0, 40), radius_mm=4, mode="3d", segment=outside)
    before = session.labels.array.copy()
    panel.select_tool("grow")
    click_preview(qtbot, window)
    preview = window.controller.preview_labels
    assert preview is not None and np.array_equal(session.labels.array, before)   # nothing written
    grown = preview.array == inside.value
    assert grown.sum() > 20 * (before == inside.value).sum()   # grew through the bright ball
    x, y = pixel_of(window, "axial", INSIDE_CASE_RAS)
    assert np.array_equal(preview.array, window.controller.display_labels().array)
    panel.apply_button.click()
    assert window.controller.preview_labels is None
    assert np.array_equal(session.labels.array, preview.array)
    session.undo()
    assert np.array_equal(session.labels.array, before)
    # Fill between slices: a disc on two axial slices 10 voxels apart, interpolated in between.
    session.apply("logical", segment=inside, operation="clear")
    for z in (-9.0, 11.0):
        session.apply("paint", at_ras=(0, 0, z), radius_mm=6, mode="2d", view="axial", segment=inside)
    qtbot.waitUntil(lambda: panel.selected_value() == outside.value)   # the list follows the API
    panel.table.selectRow(0)                              # the user picks "ball" in the list
    assert session.active_segment == inside.value
    panel.select_tool("interpolate")
    window.controller.active_view = "axial"
    click_preview(qtbot, window)
    assert window.controller.preview_labels is not None
    panel.cancel_button.click()
    assert window.controller.preview_labels is None
    click_preview(qtbot, window)
    panel.apply_button.click()
    k_mid = int(np.rint(np.linalg.inv(volume.ijk_to_ras)[2] @ [0, 0, 1.0, 1]))
    assert (session.labels.array[:, :, k_mid] == inside.value).sum() > 10


def test_restore_offer_after_a_crash_restores_the_exact_label_map(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    crashed = Session(volume, workspace_for(volume))      # the earlier session, killed mid-work
    crashed.segments.add("lesion")
    crashed.apply("paint", at_ras=INSIDE_CASE_RAS, path=[Q], radius_mm=5, mode="3d")
    crashed.apply("erase", at_ras=INSIDE_CASE_RAS, radius_mm=2, mode="3d")
    crashed.segments.add("oedema", color=(10, 200, 30))
    crashed.apply("paint", at_ras=(0, 0, 0), radius_mm=4, mode="2d")
    expected = crashed.labels.array.copy()
    crashed.journal.close()                               # nothing more reaches the disk
    open_image(qtbot, window, path)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=10000)
    assert window.editor.session is None                  # editing waits for the answer
    bar.buttons["Restore"].click()
    session = wait_for_session(qtbot, window)
    assert np.array_equal(session.labels.array, expected)
    assert [s.name for s in session.segments] == ["lesion", "oedema"]
    assert session.segments["oedema"].color == (10, 200, 30)
    session.undo()                                        # history continues after the restore
    assert not (session.labels.array == 2).any()


def test_while_the_restore_question_waits_every_tool_says_to_answer_it(qtbot, window, tmp_path):
    """The image is on screen and the notice asks Restore / Discard: the AI click tool, Add,
    AI > Segment and Send to training set said 'open an image first' (the paint brush alone
    named the question)."""
    path, volume = write_image(tmp_path)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=5)
    open_image(qtbot, window, path)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=10000)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    shortcut(qtbot, window, Qt.Key_K)
    x, y = pixel_of(window, "axial", INSIDE_CASE_RAS)
    said = []
    for act in (lambda: qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton,
                                         pos=QPoint(int(x), int(y))),
                window.edit_actions.panel.add_segment,
                lambda: shortcut(qtbot, window, Qt.Key_S, Qt.ControlModifier | Qt.ShiftModifier),
                window.training_actions.send_dialog):
        window.message_bar.hide()
        act()
        said.append(window.message_bar.text)
    assert all(text.startswith("answer the restore question above the views") for text in said), said
    assert window.ai_actions.dialog is None and window.editor.session is None
    bar.buttons["Discard"].click()                        # answered: the tools work again
    session = wait_for_session(qtbot, window)
    window.edit_actions.panel.add_segment()
    assert [s.name for s in session.segments] == ["Segment 1"]


def test_discard_starts_empty_and_keeps_the_old_workspace(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=5)
    open_image(qtbot, window, path)
    qtbot.waitUntil(lambda: "Discard" in window.notice_bar.buttons, timeout=10000)
    window.notice_bar.buttons["Discard"].click()
    session = wait_for_session(qtbot, window)
    assert not session.labels.array.any() and len(session.segments) == 0
    kept = list(workspace_for(volume).parent.glob("*.discarded-*"))
    assert len(kept) == 1 and Session.recoverable_steps(volume, kept[0]) > 0


def test_save_labels_writes_nifti_on_the_image_grid(qtbot, window, tmp_path):
    volume, session = paint_setup(qtbot, window, tmp_path)
    stroke(window, "axial", [INSIDE_CASE_RAS, Q])
    out = save_and_wait(window, tmp_path / "out" / "labels.nii.gz")
    image = nib.load(out)
    assert np.allclose(image.affine, volume.ijk_to_ras)
    assert np.array_equal(np.asarray(image.dataobj), session.labels.array)
    assert not window.edit_actions.seg_action.isEnabled()   # NIfTI source: no DICOM SEG
    # Loading it back goes through the Session: one undo step, names from the sidecar.
    session.segments.rename(1, "lesion")
    save_and_wait(window, tmp_path / "out" / "named.nii.gz")
    session.apply("logical", segment=1, operation="clear")
    window.open_labels(tmp_path / "out" / "named.nii.gz")
    qtbot.waitUntil(lambda: session.labels.array.any() and not window.runner.busy, timeout=20000)
    assert np.array_equal(session.labels.array, np.asarray(image.dataobj))


def test_save_as_dicom_seg_for_a_dicom_series(qtbot, window, tmp_path):
    from neuroview.io.seg import load_seg

    session = paint_a_dicom_series(qtbot, window, tmp_path)
    assert window.edit_actions.seg_action.isEnabled()
    out = save_and_wait(window, tmp_path / "seg" / "lesion-seg.dcm", seg=True)
    back = load_seg(out, session.volume)
    assert np.array_equal(back.array, session.labels.array)
    assert [s.name for s in back.segments] == ["lesion"]


def test_save_as_dicom_seg_counts_as_saved(qtbot, window, tmp_path, monkeypatch):
    """File > Save labels as DICOM SEG...: the labels are saved, so File > Quit closes the window
    without asking about edits that are not saved; an edit after it makes them unsaved again."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from neuroview.io.seg import load_seg

    session = paint_a_dicom_series(qtbot, window, tmp_path)
    case = window.editor.case
    assert case.modified
    out = tmp_path / "seg" / "lesion-seg.dcm"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "DICOM (*.dcm)"))
    menu_action = next(a for a in window.file_menu.actions()
                       if a.text().replace("&", "") == "Save labels as DICOM SEG...")
    menu_action.trigger()
    assert window.edit_actions.saving.wait()              # a worker writes the file
    assert np.array_equal(load_seg(out, session.volume).array, session.labels.array)
    assert not case.modified
    stroke(window, "axial", [session.volume.center_ras + np.array([0.0, 8.0, 0.0])])
    assert case.modified  # edited after the save
    replace = []   # saved again over it: asked once, by neuroview (Qt's own box left out)
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: replace.append(text)
                        or QMessageBox.StandardButton.Yes)
    menu_action.trigger()
    assert window.edit_actions.saving.wait()
    assert replace == ["lesion-seg.dcm already exists. Replace it?"]
    assert not case.modified
    asked = []

    def watch():  # the question, should it show: recorded and cancelled
        box = window.edit_actions.quit_box
        if box is not None and box.isVisible():
            asked.append(box.text())
            box.reject()
        elif window.isVisible():
            QTimer.singleShot(20, watch)

    QTimer.singleShot(0, watch)
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Quit").trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert asked == []


def test_a_seed_stroke_over_a_grow_preview_replaces_it_as_before(qtbot, window, tmp_path):
    """Only an AI click object holds a stroke back (its prompts would be lost): a Grow from seeds
    preview is made again with Preview, so a further seed stroke goes in and drops it."""
    volume, session = paint_setup(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    inside = session.segments.add("ball")
    session.apply("paint", at_ras=(0, 0, 0), radius_mm=4, mode="3d", segment=inside)
    outside = session.segments.add("outside")
    session.apply("paint", at_ras=(0, 0, 40), radius_mm=4, mode="3d", segment=outside)
    panel.select_tool("grow")
    click_preview(qtbot, window)
    assert window.editor.has_preview()
    before = session.labels.array.copy()
    panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, Q])
    assert not window.message_bar.text and not window.editor.has_preview()
    assert (session.labels.array != before).any()
