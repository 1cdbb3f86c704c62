"""The worklist's warnings go to the notice bar, with the news of the case they open with, not
into the Measurements list among the user's rulers and statistics (until session 28 they did:
"worklist: worklist state was unreadable (...)", then the case's "worklist: case 1 of 2")."""

from __future__ import annotations

from worklist_cases import open_worklist, worklist_folder


def test_a_broken_worklist_state_is_told_in_the_notice_bar_once_the_case_shows(qtbot, window,
                                                                                 tmp_path):
    cases = worklist_folder(tmp_path)
    (cases / ".neuroview-worklist.json").write_text("{ not json")
    open_worklist(qtbot, window, cases)
    qtbot.wait(200)
    lines = window.notice_bar.text.split("\n")
    # the case's open cleared the bar of what was before it: the warning was shown again
    assert len(lines) == 1 and lines[0].startswith("Worklist state was unreadable (")
    assert lines[0].endswith("; kept as .neuroview-worklist.json.broken.")
    assert str(tmp_path) not in lines[0]
    assert (cases / ".neuroview-worklist.json.broken").read_text() == "{ not json"
    assert window.measurements.count() == 0
    assert window.statusBar().currentMessage() == (
        "Worklist case 1 of 2 (a_case.nii.gz, new) opened: 0 in the training set.")
