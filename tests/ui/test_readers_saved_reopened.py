"""Adjudicated, saved, the window's image closed and opened again (its workspace set aside, as a
close after a save does), *Load labels* of the offer: the lesion reads ``adjudicated``, by the
same adjudicator, as before the close. Until session 40 it read ``file case-labels.nii.gz``: the
label file's sidecar said nothing of the adjudication."""

from __future__ import annotations

import json
import os

import numpy as np
from editor_helpers import save_and_wait
from readers_helpers import adjudicate, find_and_compare, from_cell, open_readers, study

from neuroview.app.label_files import sidecar_path


def test_save_close_reopen_load_labels_reads_adjudicated(qtbot, window, tmp_path, mni_volume):
    folder = study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob"), huge=False)
    dialog = find_and_compare(qtbot, window, open_readers(qtbot, window, folder))
    adjudicate(qtbot, dialog, "Sam Senior")
    qtbot.waitUntil(lambda: from_cell(window)[0] == "adjudicated", timeout=5000)
    dialog.close()
    adjudicated = window.editor.session.labels.array.copy()
    saved = save_and_wait(window, tmp_path / "out" / "case-labels.nii.gz")
    (row,) = [r for r in json.loads(sidecar_path(saved).read_text()) if r["name"] == "lesion"]
    assert row["adjudicated"] == {"by": "Sam Senior", "drawn": False}

    window.close_action.trigger()
    window.open_paths([folder])
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Load labels" in bar.buttons, timeout=30000)
    assert not window.editor.session.labels.array.any()
    bar.buttons["Load labels"].click()
    qtbot.waitUntil(lambda: window.editor.session.labels.array.any() and not window.runner.busy,
                    timeout=30000)
    assert np.array_equal(window.editor.session.labels.array, adjudicated)
    qtbot.waitUntil(lambda: from_cell(window)[0] == "adjudicated", timeout=5000)
    assert from_cell(window)[1] == "adjudicated by Sam Senior"
    window.training_actions.send_dialog()   # Add to training set: the adjudicator, as before the close
    send = window.training_actions.dialog   # (until session 41 the annotator last given)
    assert send.annotator_edit.text() == "Sam Senior"
    send.reject()
    if os.environ.get("NEUROVIEW_SHOT"):   # a look at it as a user sees it (xvfb-run)
        window.grab().save(os.environ["NEUROVIEW_SHOT"])
