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
from editor_helpers import held_in_workers, open_image, write_image

from neuroview.io import candidates
from neuroview.io.candidates import SeriesCandidate, file_stamp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from window_files import classic_series  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


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


def test_the_check_of_the_files_runs_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    """Each file's stamp is read in the load job: on the GUI thread an 800-file study's froze
    the window 45-90 ms, 5000 files' about 0.5 s."""
    folder = classic_series(tmp_path / "t1", 300, 1000, n_slices=5)
    loads = _counting_loads(monkeypatch)
    open_image(qtbot, window, folder)
    on_gui, release = held_in_workers(monkeypatch, candidates, "file_stamp")
    release.set()
    _open_again(qtbot, window, folder)
    assert len(loads) == 1 and "is already open" in window.statusBar().currentMessage()
    assert on_gui == [False] * 5


def test_a_same_size_rewrite_with_its_old_time_is_read_again(qtbot, window, tmp_path,
                                                            monkeypatch):
    """A file system with coarse times (FAT's 2 s, a network share) gives a rewrite within one
    tick the old modification time: here set back with os.utime. Size and mtime alone took the
    stale volume on screen for the file's contents."""
    folder = classic_series(tmp_path / "t1", 300, 1000, n_slices=4)
    loads = _counting_loads(monkeypatch)
    open_image(qtbot, window, folder)
    shown = window.controller.volume
    path = folder / "001.dcm"
    before = os.stat(path)
    ds = pydicom.dcmread(path)
    pixels = ds.pixel_array.copy()
    pixels[0, 0] += 7
    ds.PixelData = pixels.tobytes()
    ds.save_as(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    _open_again(qtbot, window, folder)
    assert len(loads) == 2 and window.controller.volume is not shown
    assert np.count_nonzero(window.controller.volume.array != shown.array) == 1


def test_the_stamp_sees_a_change_at_either_end_without_the_times(tmp_path):
    """Where the times say nothing (one tick, set back), the digest of each end still differs: a
    DICOM header's value rewritten at the same length, and the last pixel row."""
    folder = classic_series(tmp_path / "t1", 300, 1000, n_slices=1)
    path = folder / "000.dcm"
    size, digest = file_stamp(str(path))[1::4]
    ds = pydicom.dcmread(path)
    ds.WindowCenter = 301   # the same length as 300
    ds.save_as(path)
    assert os.stat(path).st_size == size
    assert file_stamp(str(path))[-1] != digest
    digest = file_stamp(str(path))[-1]
    pixels = ds.pixel_array.copy()
    pixels[-1, -1] += 1
    ds.PixelData = pixels.tobytes()
    ds.save_as(path)
    assert file_stamp(str(path))[-1] != digest


def test_the_stamp_sees_a_change_in_the_middle_without_the_times(tmp_path):
    """Where the times say nothing, rows of pixels rewritten in the middle of a 128x128 slice at
    the same size are seen too: the stamp hashed each end's 4 KiB alone until session 40."""
    folder = classic_series(tmp_path / "t1", 300, 1000, n_slices=1)
    path = folder / "000.dcm"
    ds = pydicom.dcmread(path)
    ds.Rows = ds.Columns = 128
    ds.PixelData = np.zeros((128, 128), np.uint16).tobytes()
    ds.save_as(path)
    before = os.stat(path)
    size, digest = file_stamp(str(path))[1::4]
    pixels = ds.pixel_array.copy()
    pixels[60:68] = 500   # 8 rows, 2 kB, 16 kB past either end
    ds.PixelData = pixels.tobytes()
    ds.save_as(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == size
    assert file_stamp(str(path))[-1] != digest
