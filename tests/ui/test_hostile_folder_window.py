"""Opening a folder someone hands you in the window: a loop of symbolic links among its files
(it was "Scanning study: internal error: OSError: [Errno 40] Too many levels of symbolic links"
and nothing opened), a file cut short, file names and a series description holding line breaks,
terminal escapes and Latin-1 bytes. The series opens; the notice bar says which files were left
out; names and title are one printable line each."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from raw_series import stored_pixels, write_raw_series  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_a_hostile_folder_opens_its_good_series(qtbot, window, tmp_path):
    folder = tmp_path / "cd"
    paths = write_raw_series(folder, n=6, SeriesDescription="T1\r\n[9] fake\x1b[31m")
    (folder / "IM0005.dcm").write_bytes(paths[5].read_bytes()[:300])
    (folder / "line\nbreak.dcm").write_bytes(b"")
    with open(os.fsencode(folder) + b"/sch\xe4del.dcm", "wb"):
        pass
    os.symlink("b", folder / "a")
    os.symlink("a", folder / "b")
    window.open_paths([str(folder)])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=60000)
    volume = window.controller.volume
    assert volume.array.shape == (12, 16, 5)
    assert np.array_equal(volume.array[:, :, 4], stored_pixels(4).T)
    assert window.windowTitle() == "neuroview - T1\\r\\n[9] fake\\x1b[31m"
    # the five in the red bar, one a line (the first there, the others in Measurements among
    # the rulers until session 28); a name's line break and Latin-1 byte written as escapes
    lines = window.message_bar.text.split("\n")
    assert lines[0] == f"5 files left out: skipped {folder / 'a'}: is a loop of symbolic links"
    assert len(lines) == 5
    for name in ("line\\nbreak.dcm", "sch\\xe4del.dcm", "IM0005.dcm"):
        assert sum(line.startswith(f"skipped {folder}/{name}: ") for line in lines) == 1
    assert window.measurements.count() == 0
