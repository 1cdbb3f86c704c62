"""What working through a worklist CSV writes, and where: its progress, marks and claims beside
the CSV (``LIST.csv.neuroview-state.json`` and its lock), each case's labels (*Save labels...*
as proposed) in that case's own folder, a case on a share named by its absolute path included;
nothing anywhere else, and nothing where a row climbing out of the CSV's folder (``..``, left
out, said in the notice bar) pointed."""

from __future__ import annotations

import json
import os

from editor_helpers import stroke_a_lesion, write_image
from PySide6.QtWidgets import QFileDialog


def _files(top) -> dict[str, int]:
    return {os.path.relpath(os.path.join(folder, name), top): os.stat(os.path.join(folder, name)).st_mtime_ns
            for folder, _, names in os.walk(top) for name in names}


def test_each_write_of_a_csv_worklist_lands_beside_the_csv_or_its_case(qtbot, window, tmp_path,
                                                                         monkeypatch):
    lists, share, above = tmp_path / "lists", tmp_path / "share" / "mri", tmp_path / "Doe_John"
    for folder in (lists / "cases", share, above):
        folder.mkdir(parents=True)
    write_image(lists / "cases", "a_case", "ras")
    write_image(share, "b_case", "lps")
    write_image(above, "c_case", "ras")
    csv = lists / "work.csv"
    csv.write_text(f"path\ncases/a_case.nii.gz\n{share / 'b_case.nii.gz'}\n../Doe_John/c_case.nii.gz\n")
    before = _files(tmp_path)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",   # Save as proposed
                        lambda parent, title, default, filters, **k: (default, filters.split(";;")[0]))
    actions = window.training_actions

    actions.open_worklist(csv)
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy, timeout=30000)
    assert f"{csv}: row 3 names a relative path climbing out of the CSV's folder (..): left out" \
        in window.notice_bar.text
    assert [case.case_id for case in actions.worklist.cases] == ["cases/a_case.nii.gz",
                                                                 str(share / "b_case.nii.gz")]
    stroke_a_lesion(window, window.editor.session)
    assert window.edit_actions.save_labels_dialog() and window.edit_actions.saving.wait()
    actions.mark_done()
    actions.next_case()
    qtbot.waitUntil(lambda: actions.worklist_id == str(share / "b_case.nii.gz")
                    and window.editor.session is not None and not window.runner.busy, timeout=30000)
    stroke_a_lesion(window, window.editor.session)
    assert window.edit_actions.save_labels_dialog() and window.edit_actions.saving.wait()
    actions.leave_worklist()

    after = _files(tmp_path)
    written = sorted(name for name, stamp in after.items() if before.get(name) != stamp)
    assert written == sorted([
        "lists/work.csv.neuroview-state.json", "lists/work.csv.neuroview-state.json.lock",
        "lists/cases/a_case-labels.nii.gz", "lists/cases/a_case-labels.segments.json",
        "share/mri/b_case-labels.nii.gz", "share/mri/b_case-labels.segments.json"])
    state = json.loads((lists / "work.csv.neuroview-state.json").read_text())["cases"]
    assert state["cases/a_case.nii.gz"]["labels"] == str(lists / "cases" / "a_case-labels.nii.gz")
    assert state["cases/a_case.nii.gz"]["mark"] == "done"
    assert state[str(share / "b_case.nii.gz")]["labels"] == str(share / "b_case-labels.nii.gz")
    assert not any(name.startswith("Doe_John") and name != "Doe_John/c_case.nii.gz" for name in after)
