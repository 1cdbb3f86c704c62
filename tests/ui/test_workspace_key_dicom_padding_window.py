"""The window offers a padded DICOM CT the crash journal neuroview left on it before session 32
(its padding read as a number then, as air since: another key, so the window said nothing), and
Restore gives the edits back. The older key is hashed in the loading worker, not on the GUI
thread."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import numpy as np
from editor_helpers import open_image, wait_for_session
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from before_session_32 import (  # noqa: E402
    SERIES,
    read_before_session_32,
    sampled_key_before_session_33,
    write_series,
)

from neuroview.app.case import workspace_for  # noqa: E402
from neuroview.app.session import Session  # noqa: E402
from neuroview.core import image_keys  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402
from neuroview.io import load  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_a_padded_dicom_ct_is_offered_the_journal_of_a_neuroview_before_session_32(
        qtbot, window, tmp_path, monkeypatch):
    _, _, dtype, name = SERIES["unsigned 63536"]
    folder = write_series(tmp_path / "ct", "unsigned 63536")
    volume = load(folder)
    key = sampled_key_before_session_33(read_before_session_32(folder, dtype), volume.ijk_to_ras)
    assert key == name and volume.array.dtype == np.int16          # int32 then: 62512 HU padding
    with monkeypatch.context() as then:
        then.setattr(Volume, "workspace_key", lambda self, cancel=None: key)
        then.setattr(Volume, "older_keys", lambda self, cancel=None: ())
        crashed = Session(volume, workspace_for(volume))
        crashed.segments.add("lesion")
        crashed.apply("paint", at_ras=(10.0, 10.0, 10.0), radius_mm=6.0)
        expected = crashed.labels.array.copy()
        crashed.journal.close()                                      # killed
    assert expected.any()
    threads, original = [], image_keys.key_of_sample

    def keyed(*args, **kwargs):
        threads.append(threading.current_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(image_keys, "key_of_sample", keyed)
    open_image(qtbot, window, folder)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=30000)
    assert bar.text.startswith("This image has edits from an earlier session"), bar.text
    assert "could not be checked voxel for voxel" in bar.text         # a sampled key
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    session = wait_for_session(qtbot, window)
    np.testing.assert_array_equal(session.labels.array, expected)
    assert [s.name for s in session.segments] == ["lesion"]
    assert threads and all(t is not threading.main_thread() for t in threads)
