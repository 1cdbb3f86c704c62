"""The crash journal's big writes happen in workers, not on the GUI thread: the compaction after
*Send to training set*, *Save labels*, *Save labels as DICOM SEG* and *Save to PACS* (the whole
label map, compressed and fsync'ed) and the voxels of a Load labels step (every changed voxel of
the volume). The GUI thread appends a few hundred bytes; a session reopened on the workspace
(what a restart after a crash reads) has the labels back."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest
from editor_helpers import (
    open_image,
    paint_a_dicom_series,
    paint_a_lesion,
    save_and_wait,
    wait_for_session,
    write_image,
    write_two_label_mask,
)
from PySide6.QtWidgets import QDialogButtonBox
from training_dialog_steps import send_to_new

from neuroview.app.session import Session
from neuroview.core import journal, journal_generations

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _record_base_writes(monkeypatch) -> list:
    """A list that gets, for each base the journal writes, whether the GUI thread wrote it."""
    written_on = []
    write_npz = journal_generations.write_npz

    def recording(*args, **kwargs):
        written_on.append(_on_gui_thread())
        return write_npz(*args, **kwargs)

    monkeypatch.setattr(journal_generations, "write_npz", recording)
    return written_on


def test_send_compacts_the_workspace_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    volume, session = paint_a_lesion(qtbot, window, tmp_path)
    painted = session.labels.array.copy()
    folder = session.journal.folder
    written_on = _record_base_writes(monkeypatch)
    send_to_new(qtbot, window, tmp_path / "datasets", "Lesions")
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


def _save_to_pacs(qtbot, window, tmp_path, monkeypatch) -> Path:
    """Save to PACS with the sending replaced by a SEG written to a local file (the same SEG that
    would be sent; no server here): the journal's side of it is the window's own."""
    from neuroview.io.pacs import ServerConfig, save_server
    from neuroview.io.seg import save_seg
    from neuroview.ui import pacs_save

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(ServerConfig(name="lab", host="127.0.0.1", port=11112))
    out = tmp_path / "sent-seg.dcm"
    monkeypatch.setattr(pacs_save, "save_mask_to_pacs", lambda config, labels, headers, **options:
                        str(save_seg(labels, headers, out)))
    window.pacs_actions.open_save_dialog()
    dialog = window.pacs_actions.save_dialog
    dialog.reader_edit.setText("Smith^Ann")
    dialog.buttons.button(QDialogButtonBox.Ok).click()
    qtbot.waitUntil(lambda: "Saved to lab" in window.notice_bar.text, timeout=30000)
    return out


@pytest.mark.parametrize("save", ["labels", "dicom_seg", "pacs"])
def test_saving_compacts_the_workspace_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch, save):
    """Save labels, Save labels as DICOM SEG and Save to PACS compacted the journal (the whole
    label map compressed and fsync'ed) on the GUI thread; now a worker writes the base."""
    from neuroview.io.seg import load_seg

    session = paint_a_dicom_series(qtbot, window, tmp_path)
    painted = session.labels.array.copy()
    folder = session.journal.folder
    written_on = _record_base_writes(monkeypatch)
    if save == "labels":
        out = save_and_wait(window, tmp_path / "labels.nii.gz")
        saved = np.asarray(nib.load(out).dataobj)
    elif save == "dicom_seg":
        saved = load_seg(save_and_wait(window, tmp_path / "seg.dcm", seg=True), session.volume).array
    else:
        saved = load_seg(_save_to_pacs(qtbot, window, tmp_path, monkeypatch), session.volume).array
    np.testing.assert_array_equal(saved > 0, painted > 0)     # the file holds the painted voxels
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    assert written_on == [False], written_on                 # one base, written by a worker
    assert not window.editor.case.modified
    assert json.loads((folder / "workspace.json").read_text())["generation"] == 1
    assert not session.journal.has_records()                 # compacted: the journal starts empty
    assert sorted(p.name for p in folder.glob("*.npz")) == ["base-1.npz"]
    restored = Session(session.volume, folder)               # what a restart reads
    np.testing.assert_array_equal(restored.labels.array, painted)
    restored.close()
