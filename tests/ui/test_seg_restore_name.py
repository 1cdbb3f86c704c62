"""After a crash, *Restore* in the window names a reader's SEG from the PACS cache in the segment
list as before the crash (``SEG Segmentation (Jane Doe) + drawn``), not ``file DICOM SEG + drawn``."""

from __future__ import annotations

from editor_helpers import open_image, wait_for_session
from PySide6.QtCore import Qt

from neuroview.app.case import workspace_for
from neuroview.app.label_files import prepare_label_file
from neuroview.app.session import Session
from neuroview.io import load
from neuroview.io.seg import read_series_headers
from tests.app.pacs_seg_cases import cached_seg, cached_series


def test_restore_names_a_reader_seg_as_before_the_crash(qtbot, window, tmp_path, mni_volume):
    cache = tmp_path / "pacs-cache"   # one folder per series, as SeriesCache keeps them
    series = cached_series(cache / "1.2.3.4.5", mni_volume)
    volume = load(series.folder)
    seg = cached_seg(cache / "1.2.3.4.6", volume, read_series_headers([series.folder]),
                     "Segmentation", "Doe^Jane")
    crashed = Session(volume, workspace_for(volume))
    crashed.apply_labels(prepare_label_file(seg, volume))
    crashed.apply("paint", at_ras=volume.ijk_to_ras[:3, 3], radius_mm=6, segment=1, mode="3d")
    assert crashed.segments.source_cell(1)[0] == "SEG Segmentation (Jane Doe) + drawn"
    crashed.journal.close()   # no close(): the process died

    open_image(qtbot, window, series.folder)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=30000)
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    session = wait_for_session(qtbot, window)
    assert session.labels.array.any()
    table = window.edit_actions.panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 4).text() != "", timeout=10000)
    assert table.item(0, 4).text() == "SEG Segmentation (Jane Doe) + drawn"   # read 'file DICOM SEG + drawn'
    window.grab().save(str(tmp_path / "restored_seg.png"))
