"""Opening a study: the chooser marks the series on screen and chooses it first, files that are
not images (a report, a note) are said once, and the series on screen opened again with its files
unchanged is known as such before its voxels are read (a big study was read in full, then
compared voxel by voxel, before 'already open'); a file rewritten since is read again."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pydicom
from editor_helpers import open_image, write_image

from neuroview.io.candidates import SeriesCandidate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from window_files import classic_series  # noqa: E402


def _counting_loads(monkeypatch) -> list:
    loads = []
    real = SeriesCandidate.load

    def load(candidate, *args, **kwargs):
        loads.append(candidate.key)
        return real(candidate, *args, **kwargs)

    monkeypatch.setattr(SeriesCandidate, "load", load)
    return loads


def _open_again(qtbot, window, path):
    window.open_paths([path])
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)


def test_the_chooser_marks_the_series_on_screen_and_says_what_it_skipped(qtbot, window, tmp_path):
    study = tmp_path / "study"
    study.mkdir()
    first, _ = write_image(study, "first")
    write_image(study, "second", affine_name="oblique")
    (study / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (study / "notes.txt").write_text("a note\n")
    window.open_paths([study])
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    dialog = window.series_dialog
    heading = dialog.heading.text().splitlines()
    assert heading == ["2 files skipped: not images (notes.txt, report.pdf).",
                       "2 image series found; choose one to open:"]
    rows = [dialog.list.item(r).text() for r in range(dialog.list.count())]
    assert not any("(on screen)" in row for row in rows)
    second = next(r for r, row in enumerate(rows) if row.startswith("second"))
    dialog.list.setCurrentRow(second)
    dialog.accept()
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)
    assert "second" in window.windowTitle()

    window.open_paths([study])
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    dialog = window.series_dialog
    rows = [dialog.list.item(r).text() for r in range(dialog.list.count())]
    assert [row.split("\n")[0].endswith("(on screen)") for row in rows] == \
        [r == second for r in range(len(rows))]
    assert dialog.list.currentRow() == second   # chosen first: Open keeps the series read
    dialog.reject()


def test_one_series_beside_a_report_says_it_in_the_status_line(qtbot, window, tmp_path):
    folder = classic_series(tmp_path / "t1", 300, 1000, n_slices=3)
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n")
    open_image(qtbot, window, folder)
    assert window.statusBar().currentMessage() == "1 file skipped: not an image (report.pdf)."


def test_an_unchanged_series_opened_again_is_not_read_again(qtbot, window, tmp_path, monkeypatch):
    folder = classic_series(tmp_path / "t1", 300, 1000, n_slices=6)
    loads = _counting_loads(monkeypatch)
    open_image(qtbot, window, folder)
    shown = window.controller.volume
    assert len(loads) == 1
    _open_again(qtbot, window, folder)
    assert len(loads) == 1 and window.controller.volume is shown
    assert "is already open" in window.statusBar().currentMessage()

    # touched (the same bytes, a new time): read again, the voxels compared, still kept
    os.utime(folder / "002.dcm", ns=(1, os.stat(folder / "002.dcm").st_mtime_ns + 10**9))
    _open_again(qtbot, window, folder)
    assert len(loads) == 2 and window.controller.volume is shown
    _open_again(qtbot, window, folder)   # its new time recorded: known again without a read
    assert len(loads) == 2 and window.controller.volume is shown

    # rewritten with other voxels: read again and shown
    ds = pydicom.dcmread(folder / "002.dcm")
    pixels = ds.pixel_array.copy()
    pixels[0, 0] += 500
    ds.PixelData = pixels.tobytes()
    ds.save_as(folder / "002.dcm")
    _open_again(qtbot, window, folder)
    assert len(loads) == 3 and window.controller.volume is not shown
    changed = window.controller.volume
    assert np.count_nonzero(changed.array != shown.array) == 1
