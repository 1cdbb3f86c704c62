"""Notices go to the notice bar, the red bar or the status line, with the news of the open they
belong to, not into the Measurements list among the user's rulers and statistics (until session
28 the worklist's lines, an image's warnings and the files left out went there too)."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, hover, stroke, wait_for_session
from unsaved_edits import file_open, loaded, paint
from worklist_cases import open_worklist, worklist_folder

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

WARNING = "duplicate positions: 1 image left out"


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
        "Worklist case 1 of 2 (a_case.nii.gz, new) opened: 0 of 2 done.")


def test_edits_discarded_during_a_load_and_the_load_warning_both_show(qtbot, window, tmp_path,
                                                                       monkeypatch):
    """The note of the strokes dropped with a Discard and the new image's warning are news of one
    open: both lines show (the warning replaced the note when it came second)."""
    import threading

    import neuroview.io.registry as registry

    path, other, _ = paint(qtbot, window, tmp_path)
    gate, real = threading.Event(), registry.load_nifti

    def held_with_a_warning(name, **options):   # progress, cancel
        volume = real(name, **options)
        if "other" in str(name):
            assert gate.wait(30)
            volume.warnings.append(WARNING)
        return volume

    monkeypatch.setattr(registry, "load_nifti", held_with_a_warning)
    case = window.editor.case
    window.edit_actions.discarded = (case, case.version)   # as answering Discard does
    file_open(window, monkeypatch, other)
    qtbot.waitUntil(lambda: window.runner.busy, timeout=10000)
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, 8.0, 0], INSIDE_CASE_RAS + [6.0, 8.0, 0]])
    gate.set()
    loaded(qtbot, window, other)
    wait_for_session(qtbot, window)
    assert window.notice_bar.text.split("\n") == [
        "The edits made while the next image was loading were discarded with the others (you "
        "answered Discard).", f"Warning: {WARNING}"]
    assert window.measurements.count() == 0


def test_files_left_out_past_five_are_counted_in_the_red_bar(window):
    notes = [f"skipped IM{n:04d}.dcm: truncated" for n in range(8)]
    window.notices.left_out(notes)
    assert window.message_bar.text.split("\n") == [
        "8 files left out: skipped IM0000.dcm: truncated", *notes[1:5],
        "... and 3 more ('neuroview info --verbose' lists them all)"]


def test_the_worklist_line_gives_the_status_bar_back_to_the_readout_on_a_mouse_move(
        qtbot, window, tmp_path):
    """The worklist's word on the case opened hides the voxel readout (a status line message
    does): it goes once the mouse moves over a slice view, not after 15 s of no readout."""
    from neuroview.ui.notices import READ_MS

    open_worklist(qtbot, window, worklist_folder(tmp_path))
    bar = window.statusBar()
    assert bar.currentMessage().startswith("Worklist case 1 of 2 (a_case.nii.gz, new) opened")
    assert not window.readout.isVisible()
    qtbot.wait(READ_MS + 300)   # a coarse timer: 5 % early
    hover(window, "axial", INSIDE_CASE_RAS)
    assert bar.currentMessage() == "" and window.readout.isVisible()
    assert window.readout.text().startswith("ijk (") and "  value " in window.readout.text()


def test_every_status_line_word_goes_at_a_mouse_move_once_read(qtbot, window, tmp_path):
    """"Nothing opened" and the editor's notes hid the readout for 15 s whatever the mouse did;
    each goes at the first move over a slice view once it has been up READ_MS (a move at once,
    the hand still on the mouse that caused it, leaves it)."""
    from editor_helpers import open_case

    from neuroview.ui.notices import READ_MS

    _, session = open_case(qtbot, window, tmp_path)
    bar = window.statusBar()
    session.segments.add("lesion")                    # empty: Islands changes nothing
    panel = window.edit_actions.panel
    panel.select_tool("islands")
    for say in (lambda: window.notices.status("Nothing opened: the scan was cancelled."),
                panel.apply_button.click):
        say()
        word = bar.currentMessage()
        assert word in ("Nothing opened: the scan was cancelled.", "Islands: nothing changed.")
        hover(window, "axial", INSIDE_CASE_RAS)
        assert bar.currentMessage() == word and not window.readout.isVisible()
        qtbot.wait(READ_MS + 300)   # a coarse timer: 5 % early
        hover(window, "axial", INSIDE_CASE_RAS + [2.0, 0, 0])
        assert bar.currentMessage() == "" and window.readout.isVisible()
        assert window.readout.text().startswith("ijk (") and "  value " in window.readout.text()


def test_a_tool_that_changed_nothing_says_so_in_the_status_line(qtbot, window, tmp_path):
    from editor_helpers import open_case

    _, session = open_case(qtbot, window, tmp_path)
    session.segments.add("lesion")                    # empty: no island to keep
    panel = window.edit_actions.panel
    panel.select_tool("islands")
    before = session.labels.array.copy()
    panel.apply_button.click()
    assert (session.labels.array == before).all()
    assert window.statusBar().currentMessage() == "Islands: nothing changed."
    assert window.measurements.count() == 0
