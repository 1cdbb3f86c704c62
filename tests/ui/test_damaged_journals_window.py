"""Damaged crash journals as the window opens their image: each gives one line naming the
workspace and what is wrong, the image stays on screen and can be edited, and the damaged files
are kept (in the workspace's ``damaged-*`` folder, or the workspace set aside whole), never
deleted unasked. Until session 36 a journal whose only record had lost its voxel file (Load
labels' ``blob-*.bin``: missing, cut short, grown) or held only another image's records opened
as if never edited, without a word, and the first edit cut the record off."""

from __future__ import annotations

import shutil

import pytest
from editor_helpers import INSIDE_CASE_RAS, open_image, wait_for_session, write_image, write_two_label_mask

from neuroview.app.case import workspace_for
from neuroview.app.label_files import labels_step, prepare_label_file
from neuroview.app.session import Session
from neuroview.io.nifti import load_nifti, save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def crashed_after_load_labels(volume, folder):
    """The workspace a session left when killed right after *Load labels* (as the window does
    it: the step's voxels in a ``blob-*.bin`` the record names); returns the workspace."""
    mask, _ = write_two_label_mask(folder, volume)
    session = Session(volume, workspace_for(volume))
    prepared = prepare_label_file(mask, volume)
    step = labels_step(prepared, session.labels.array.copy(), session.labels.segments.locked_values(),
                       session.version, session.journal.folder)
    session.apply_labels(prepared, step)
    session.journal.close()
    return workspace_for(volume)


def another_image(volume, tmp_path):
    """A crashed workspace of the first 40 slices of ``volume`` (another shape)."""
    (tmp_path / "other").mkdir()
    save_nifti(volume.array[:40], volume.ijk_to_ras, tmp_path / "other" / "small.nii.gz")
    small = load_nifti(tmp_path / "other" / "small.nii.gz")
    return crashed_after_load_labels(small, tmp_path / "other")


def blob(workspace):
    return next(workspace.glob("blob-*.bin"))


def _missing(ws, volume, tmp_path):
    name = blob(ws).name
    blob(ws).unlink()
    return f"(its voxel file {name} is missing)"


def _short(ws, volume, tmp_path):
    path = blob(ws)
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[:100])
    return f"(its voxel file {path.name} holds 100 bytes, not the {size} it recorded)"


def _grown(ws, volume, tmp_path):
    path = blob(ws)
    size = path.stat().st_size
    path.write_bytes(path.read_bytes() + bytes(8))
    return f"(its voxel file {path.name} holds {size + 8} bytes, not the {size} it recorded)"


def _flipped(ws, volume, tmp_path):
    path = blob(ws)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    path.write_bytes(bytes(data))
    return f"(its voxel file {path.name} does not match the checksum it recorded)"


def _foreign_journal(ws, volume, tmp_path):
    other = another_image(volume, tmp_path)
    for path in other.iterdir():
        if path.name.startswith(("journal-", "blob-")):
            shutil.copy(path, ws / path.name)
    return "the crash journal holds 1 record of another image (a copied file)"


@pytest.mark.parametrize("damage", [_missing, _short, _grown, _flipped, _foreign_journal])
def test_a_journal_that_lost_its_only_edit_says_so_and_keeps_it(qtbot, window, tmp_path, damage):
    workspace, said, journal, session = open_damaged(qtbot, window, tmp_path, damage)
    qtbot.waitUntil(lambda: not window.runner.busy and "lost" in window.notice_bar.text, timeout=30000)

    text = window.notice_bar.text
    kept = next(workspace.glob("damaged-*"))
    assert text.startswith("No edit could be restored: ") and said in text and "\n" not in text
    assert f"the damaged journal is kept in workspace {workspace.name}/{kept.name}" in text
    assert str(workspace.parent) not in text and not window.message_bar.isVisible()
    assert (kept / "journal-0.bin").read_bytes() == journal
    _edit_works(session)


def _wrong_json(ws, volume, tmp_path):
    (ws / "workspace.json").write_text("{not json")
    return ("workspace.json: workspace.json is unreadable (a name in double quotes is missing at line "
            "1, column 2)")


def _another_shape(ws, volume, tmp_path):
    other = another_image(volume, tmp_path)
    for path in ws.iterdir():
        path.unlink()
    for path in other.iterdir():
        shutil.copy(path, ws / path.name)
    return ": this workspace belongs to another image (choose an empty folder or the image it was made for)"


def _generation_text(ws, volume, tmp_path):
    _set_meta(ws, "generation", "x")
    return ('workspace.json: workspace.json cannot be used (its generation is "x", not a whole '
            "number from 0)")   # it said "unreadable": it was read, one of its fields is wrong


def _generation_elsewhere(ws, volume, tmp_path):
    """A generation whose files are not there: the image opened as never edited, without a word
    (its edits were in generation 0's journal, left in the folder and never restored)."""
    _set_meta(ws, "generation", 3)
    return ("workspace.json: workspace.json cannot be used (its generation is 3, but base-3.npz, the "
            "label map that generation starts from, is not there; the folder holds generation 0's "
            "files: changed by hand or by another program?)")


def _set_meta(ws, key, value) -> None:
    import json

    meta = json.loads((ws / "workspace.json").read_text())
    (ws / "workspace.json").write_text(json.dumps({**meta, key: value}))


@pytest.mark.parametrize("damage", [_wrong_json, _another_shape, _generation_text, _generation_elsewhere])
def test_a_workspace_that_cannot_be_used_is_one_line_and_set_aside(qtbot, window, tmp_path, damage):
    workspace, said, journal, session = open_damaged(qtbot, window, tmp_path, damage)
    qtbot.waitUntil(lambda: window.message_bar.isVisible(), timeout=30000)

    text = window.message_bar.text
    assert text.startswith(f"workspace {workspace.name}") and said in text and "\n" not in text
    assert text.endswith("; its edits were not restored (labels you saved stay in their files); "
                         "the old workspace was kept aside")   # what was not restored, said (session 51)
    aside = next(workspace.parent.glob(workspace.name + ".discarded-*"))
    assert (aside / "journal-0.bin").read_bytes() == journal
    _edit_works(session)


def open_damaged(qtbot, window, tmp_path, damage):
    """The image opened over its crashed workspace damaged by ``damage``: (the workspace, what
    the line must say, the journal's bytes as damaged, the session)."""
    path, volume = write_image(tmp_path)
    workspace = crashed_after_load_labels(volume, tmp_path)
    said = damage(workspace, volume, tmp_path)
    journal = (workspace / "journal-0.bin").read_bytes()
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    return workspace, said, journal, session


def _edit_works(session) -> None:
    segment = session.segments.add("after")
    session.apply("paint", at_ras=tuple(INSIDE_CASE_RAS), radius_mm=3.0, segment=segment)
    assert session.voxel_counts()["after"] > 0
