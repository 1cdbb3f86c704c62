"""Segment tables: the Voxels and mL columns fit the default dock width with no horizontal scroll
bar, and the selected row keeps its colour swatch visible (pixels of the table on screen)."""

from __future__ import annotations

import numpy as np
from editor_helpers import (
    grab,
    open_and_paint_segment_1,
    open_image,
    raise_tab,
    wait_for_session,
    write_image,
)
from PySide6.QtCore import Qt
from render_cases import AFFINES, make_case

from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def click_cell(qtbot, table, row, column) -> None:
    rect = table.visualItemRect(table.item(row, column))
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())


def swatch_pixel(table, row, column) -> np.ndarray:
    rect = table.visualItemRect(table.item(row, column))
    rgb = grab(table.viewport())
    return rgb[rect.center().y(), rect.center().x()]


def test_segments_list_shows_counts_and_the_selected_swatch(qtbot, window, tmp_path):
    volume, labels = make_case(AFFINES["ras"])
    array = labels.array.copy()
    array[2:5, 2:5, 2:5] = 2
    save_nifti(volume.array, volume.ijk_to_ras, tmp_path / "case.nii.gz")
    save_nifti(array, labels.ijk_to_ras, tmp_path / "labels.nii.gz")
    open_image(qtbot, window, tmp_path / "case.nii.gz")
    wait_for_session(qtbot, window)
    window.open_labels(tmp_path / "labels.nii.gz")
    panel = window.segment_panel
    table = panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 2, timeout=10000)
    raise_tab(qtbot, window, "Segments")
    qtbot.waitUntil(table.isVisible, timeout=10000)
    header = table.horizontalHeader()
    fm = table.fontMetrics()
    for column in (3, 4):   # Voxels, mL: inside the viewport and wide enough for their numbers
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= table.viewport().width(), (column, right, table.viewport().width())
        for row in range(table.rowCount()):
            assert fm.horizontalAdvance(table.item(row, column).text()) < header.sectionSize(column)
    assert table.horizontalScrollBar().maximum() == 0   # nothing lies beyond the right edge
    assert table.item(0, 4).text() == f"{(array == 1).sum() * 8 / 1000:.3f}"   # 2 mm voxels
    color = table.item(1, 1).background().color()
    click_cell(qtbot, table, 1, 2)
    assert table.item(1, 2).isSelected()
    assert np.array_equal(swatch_pixel(table, 1, 1), [color.red(), color.green(), color.blue()])


def test_segment_editor_selected_row_keeps_its_swatch(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    session.segments.add("lesion", color=(20, 200, 40))
    session.segments.add("oedema", color=(200, 30, 220))
    table = window.edit_actions.panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 2, timeout=5000)
    for row, color in ((0, (20, 200, 40)), (1, (200, 30, 220))):
        click_cell(qtbot, table, row, 3)
        assert table.item(row, 3).isSelected()
        assert np.array_equal(swatch_pixel(table, row, 2), color)


def test_load_labels_refuses_an_8_bit_image_and_the_window_stays_usable(qtbot, window, tmp_path,
                                                                         monkeypatch):
    """Ctrl+L on the T1 itself (8-bit, 200-odd grey values): one line naming the file, no segment
    made, and the window still loads the real mask afterwards."""
    from PySide6.QtWidgets import QFileDialog

    volume, labels = make_case(AFFINES["ras"])
    noise = np.random.default_rng(1).normal(0.0, 0.05, volume.shape)
    image = (volume.array / volume.array.max() + 0.2 + noise).clip(0, None)
    t1 = tmp_path / "t1_8bit.nii.gz"
    save_nifti(np.rint(image / image.max() * 255).astype(np.uint8), volume.ijk_to_ras, t1)
    save_nifti(labels.array, labels.ijk_to_ras, tmp_path / "mask.nii.gz")
    save_nifti(volume.array, volume.ijk_to_ras, tmp_path / "case.nii.gz")
    open_image(qtbot, window, tmp_path / "case.nii.gz")
    session = wait_for_session(qtbot, window)
    chosen = [str(t1)]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen.pop(0), ""))
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key_L, Qt.ControlModifier)
    qtbot.waitUntil(lambda: "t1_8bit.nii.gz" in window.message_bar.text, timeout=20000)
    text = window.message_bar.text
    assert text.startswith(f"{t1}: holds ") and "is this an image, not a label map?" in text
    assert "\n" not in text
    assert len(session.segments) == 0 and not session.labels.array.any()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=5000)
    chosen.append(str(tmp_path / "mask.nii.gz"))
    qtbot.keyClick(window, Qt.Key_L, Qt.ControlModifier)
    qtbot.waitUntil(lambda: window.segment_panel.table.rowCount() == 1, timeout=20000)
    assert np.array_equal(session.labels.array > 0, labels.array > 0)


def test_statistics_of_the_segment_selected_in_the_editor(qtbot, window, tmp_path):
    """Segment 1 picked in the Segment editor, then *Statistics of selected segment* on the
    Segments tab (no row picked there): its statistics are listed (the click did nothing)."""
    session, volume = open_and_paint_segment_1(qtbot, window, tmp_path, radius_mm=4.0)
    editor = window.edit_actions.panel
    click_cell(qtbot, editor.table, 0, 3)
    assert session.active_segment == 1
    raise_tab(qtbot, window, "Segments")
    panel = window.segment_panel
    assert not panel.table.selectionModel().selectedRows()
    before = window.measurements.count()
    qtbot.mouseClick(panel.stats_button, Qt.LeftButton)
    assert window.measurements.count() == before + 1
    line = window.measurements.item(before).text()
    inside = session.labels.array == 1
    assert line.startswith(f"Segment 'Segment 1': {inside.sum()} voxels")
    assert f"mean {np.asarray(volume.array, float)[inside].mean():.1f}" in line
