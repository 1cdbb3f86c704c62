"""*Compare readers* names files by name and folder in its status line, the whole text on hover:
its own failure (the search could not read a folder: the OS error quoted the folder's whole
path) and each SEG left out (``Left out: /home/.../study/huge.dcm: ...``) showed the full path,
as the red bar and the dialog's save/send failures no longer do (``app.error_paths``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pydicom
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io" / "dicom"))

from series_maker import SeriesSpec, write_series  # noqa: E402

from neuroview.core.labels import LabelMap  # noqa: E402
from neuroview.io import load  # noqa: E402
from neuroview.io.seg import read_series_headers, save_seg  # noqa: E402


def _study(tmp_path, mni_volume) -> Path:
    """study/series/ (the image) and study/ann.dcm, one reader's SEG beside it; study/huge.dcm,
    a SEG declaring more frames than memory holds (left out)."""
    series = write_series(tmp_path / "study" / "series", mni_volume,
                          SeriesSpec(rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0,
                                     slice_step=8.0, description="FLAIR readers"))
    volume = load(series.folder)
    mask = np.zeros(volume.shape, np.uint8)
    mask[4:12, 4:12, 3:8] = 1
    save_seg(LabelMap(mask, volume.ijk_to_ras), read_series_headers([series.folder]),
             tmp_path / "study" / "ann.dcm", series_description="Lesions - Ann's version",
             content_creator="Smith^Ann")
    ds = pydicom.dcmread(tmp_path / "study" / "ann.dcm")
    ds.Rows, ds.Columns, ds.NumberOfFrames = 4096, 4096, 1_000_000
    ds.save_as(tmp_path / "study" / "huge.dcm")
    return series.folder


def _compare(qtbot, window, folder):
    window.open_paths([folder])
    qtbot.waitUntil(lambda: window.editor.case is not None and not window.runner.busy, timeout=30000)
    next(a for a in window.file_menu.actions() if a.text() == "Compare readers...").trigger()
    dialog = window.pacs_actions.readers.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    dialog.server_box.setCurrentIndex(dialog.server_box.findText("(this computer only)"))
    qtbot.mouseClick(dialog.find_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.find_button.isEnabled() and not window.runner.busy, timeout=30000)
    return dialog


def test_a_seg_left_out_is_named_by_name_and_folder(qtbot, window, tmp_path, mni_volume, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    dialog = _compare(qtbot, window, _study(tmp_path, mni_volume))
    text = dialog.status.text()
    assert text.splitlines()[0] == "One reader's SEG found: agreement needs two."
    assert text.splitlines()[1].startswith("Left out: huge.dcm in …/study: the DICOM SEG's frames"), text
    assert str(tmp_path) not in text
    assert f"Left out: {tmp_path / 'study' / 'huge.dcm'}: " in dialog.status.toolTip()


def test_a_search_that_fails_names_the_folder_by_name(qtbot, window, tmp_path, mni_volume, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    folder = _study(tmp_path, mni_volume)
    real_scandir = os.scandir
    unreadable = tmp_path / "study"

    def scandir(path="."):   # the study folder unreadable, as chmod 000 makes it for a user
        if Path(path) == unreadable:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    dialog = _compare(qtbot, window, folder)
    text = dialog.status.text()
    assert text.endswith(f"[Errno 13] Permission denied: study in …/{tmp_path.name}"), text
    assert str(tmp_path) not in text
    assert str(unreadable) in dialog.status.toolTip()
