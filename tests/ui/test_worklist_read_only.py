"""A worklist on a read-only share keeps its state in the user's data folder, where the others
working through it cannot see it: the window says so when the worklist opens. In a walk of two
annotators opening one read-only folder (a tmpfs mounted read-only), both started on case 1 and
neither was told that their progress and claims were private."""

from __future__ import annotations

import os

from worklist_cases import open_worklist, worklist_folder

from neuroview.dataset import worklist as worklist_module


def test_a_read_only_worklist_folder_is_said_when_it_opens(qtbot, window, tmp_path, monkeypatch):
    cases = worklist_folder(tmp_path, ("a_case", "b_case"))
    writable = worklist_module._writable   # a read-only share (chmod does not stop root)
    monkeypatch.setattr(worklist_module, "_writable",
                        lambda folder: writable(folder) and os.path.realpath(folder) != str(cases))
    open_worklist(qtbot, window, cases)
    state = window.training_actions.worklist.state_path
    assert state.parent != cases and state.exists()          # kept in the data folder
    assert not (cases / ".neuroview-worklist.json").exists()
    text = window.notice_bar.text
    assert f"{cases} is read-only: this worklist's progress" in text
    assert "two of you may label one case" in text

    window.edit_actions.close_case()
    monkeypatch.setattr(worklist_module, "_writable", writable)   # a writable folder: no word
    (tmp_path / "writable").mkdir()
    other = worklist_folder(tmp_path / "writable", ("c_case",))
    open_worklist(qtbot, window, other)
    assert (other / ".neuroview-worklist.json").exists() and "read-only" not in window.notice_bar.text
