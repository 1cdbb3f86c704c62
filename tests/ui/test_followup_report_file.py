"""The follow-up window's report written to a path that is a file, not a folder: the status line
says so in one line naming the path, the file stays as it was, and the Report button works again
(it said "Report: internal error: FileExistsError")."""

from __future__ import annotations

from followup_views import followup_view  # noqa: F401


def test_a_report_to_an_existing_file_says_which_path_and_why(followup_view, qtbot, tmp_path):  # noqa: F811
    view = followup_view
    taken = tmp_path / "notes.txt"
    taken.write_text("the user's notes")
    view.write_report(taken)
    qtbot.waitUntil(lambda: not view.runner.busy, timeout=10000_000)
    text = view.status.text()
    assert text == (f"Report: {taken}: cannot create the output folder: a file of that name is "
                    "in the way"), text
    assert "internal error" not in text and "\n" not in text
    assert taken.read_text() == "the user's notes"
    assert view.report_button.isEnabled()
    view.write_report(tmp_path / "report")                 # a folder then works
    qtbot.waitUntil(lambda: not view.runner.busy, timeout=10000_000)
    assert (tmp_path / "report" / "report.html").is_file()
