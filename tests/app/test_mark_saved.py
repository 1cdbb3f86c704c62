"""Labels sent elsewhere as a SEG (Save to PACS) count as saved, unless edited since."""

from __future__ import annotations

import numpy as np

from neuroview import Session
from neuroview.core.volume import Volume


def _session(tmp_path):
    volume = Volume(np.zeros((12, 10, 8), np.float32), np.eye(4))
    return Session(volume, workspace=tmp_path / "ws")


def test_mark_saved_applies_to_the_version_that_was_sent(tmp_path):
    session = _session(tmp_path)
    mask = np.zeros((12, 10, 8), np.uint8)
    mask[2:6, 2:6, 2:5] = 1
    session.apply_model_result(mask, {1: "lesion"})
    sent = session.version
    assert session.modified and session.journal.has_records()
    assert session.mark_saved(sent)
    assert not session.modified
    assert not session.journal.has_records()  # compacted into its base, as after Save labels
    session.close()

    session = _session(tmp_path / "again")
    session.apply_model_result(mask, {1: "lesion"})
    sent = session.version
    session.segments.rename(1, "edited")  # the user went on editing while the SEG was on its way
    assert not session.mark_saved(sent)
    assert session.modified
    session.close()
