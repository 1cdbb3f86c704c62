"""The crash journal's big writes happen in workers, not on the GUI thread: the compaction after
*Send to training set* (the whole label map, compressed and fsync'ed) and the voxels of a Load
labels step (every changed voxel of the volume). The GUI thread appends a few hundred bytes; a
session reopened on the workspace (what a restart after a crash reads) has the labels back."""

from __future__ import annotations

import json
import threading

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image, write_two_label_mask
from PySide6.QtWidgets import QDialogButtonBox

from neuroview.app.session import Session
from neuroview.core import journal
from tests.ui.test_editor_training import _paint_a_lesion


def _on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def test_send_compacts_the_workspace_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    volume, session = _paint_a_lesion(qtbot, window, tmp_path)
    painted = session.labels.array.copy()
    folder = session.journal.folder
    written_on = []
    savez = np.savez_compressed

    def recording(*args, **kwargs):
        written_on.append(_on_gui_thread())
        return savez(*args, **kwargs)

    monkeypatch.setattr(journal.np, "savez_compressed", recording)
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    dialog.folder_edit.setText(str(tmp_path / "datasets"))
    dialog.create_check.setChecked(True)
    dialog.name_edit.setText("Lesions")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok).click()
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    assert written_on == [False], written_on          # one base, written by a worker
    assert json.loads((folder / "workspace.json").read_text())["generation"] == 1
    assert not session.journal.has_records()          # compacted: the journal starts empty
    assert sorted(p.name for p in folder.glob("*.npz")) == ["base-1.npz"]
    restored = Session(volume, folder)
    assert np.array_equal(restored.labels.array, painted) and painted.any()


def test_load_labels_journals_its_voxels_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    path, volume = write_image(tmp_path)
    mask, labels = write_two_label_mask(tmp_path, volume)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    appended = []
    append = journal.Journal._append

    def recording(self, data):
        appended.append((_on_gui_thread(), len(data)))
        return append(self, data)

    monkeypatch.setattr(journal.Journal, "_append", recording)
    steps = len(session.history.undo_steps)
    window.open_labels(mask)
    qtbot.waitUntil(lambda: len(session.history.undo_steps) == steps + 1, timeout=30000)
    changed = int((labels > 0).sum())
    assert changed > 10000
    assert appended and all(on_gui and size < 4096 for on_gui, size in appended), appended
    assert len(list(session.journal.folder.glob("blob-*.bin"))) == 1
    restored = Session(volume, session.journal.folder)   # a restart after a crash
    assert np.array_equal(restored.labels.array, labels)
    restored.close()
    session.undo()                                         # one step, undone and journaled
    assert not session.labels.array.any()
    assert np.array_equal(Session(volume, session.journal.folder).labels.array, 0 * labels)
