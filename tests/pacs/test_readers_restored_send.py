"""*Send to server* of the readers dialog after a restore (the process killed after the Apply, the
series opened again, *Restore*): the adjudicated SEG reaches the server under the restored
adjudicator's name, with the restored voxels. It stayed greyed out until the readers were compared
again (until session 38)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pydicom
import pytest
from orthanc_server import server_config
from pacs_readers_helpers import adjudicated_series
from pacs_window import shown_window
from PySide6.QtCore import Qt

from neuroview.io import load
from neuroview.io.pacs import SeriesCache, retrieve, save_server
from neuroview.io.seg import load_seg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ui"))

from readers_helpers import restored_adjudication, study  # noqa: E402


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_send_after_a_restore(empty_orthanc, tmp_path, mni_volume, monkeypatch, qtbot, window):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(empty_orthanc, name="lab")
    save_server(config)
    folder = study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob"), huge=False)
    volume = load(folder)
    bob = np.zeros(volume.shape, bool)
    bob[5:13, 4:12, 3:8] = True                 # reader 2's box (readers_helpers.study)
    dialog = restored_adjudication(qtbot, window, folder)
    assert dialog.server_box.currentText() == "lab"
    assert dialog.send_button.isEnabled(), dialog.status.text()
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Sent to lab"), timeout=30000)
    assert dialog.status.text() == "Sent to lab: the adjudicated version of Sam Senior."
    assert not window.editor.case.modified     # on the server now
    study_uid = str(volume.source_metadata["StudyInstanceUID"])
    (sent,) = adjudicated_series(config, study_uid)
    assert sent["SeriesDescription"] == "Adjudicated lesions - Sam Senior's version"
    (seg_file,) = retrieve(config, study_uid, sent["SeriesInstanceUID"],
                           SeriesCache(tmp_path / "cache")).glob("*.dcm")
    assert str(pydicom.dcmread(seg_file, stop_before_pixels=True).ContentCreatorName) == "Senior^Sam"
    assert np.array_equal(load_seg(seg_file, volume=volume).array > 0, bob)
