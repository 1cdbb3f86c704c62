"""A crash journal whose every edit was lost to a disk fault is restored as the image opens, with
no question (nothing to offer): its notice joins the news of the open (a load warning, the cases
*Next case* passed over) and the worklist's "load labels?" question, under them. It replaced them
all (``NoticeBar.show_message``): the question and its *Load labels* button were gone."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, open_image, wait_for_session, write_image
from load_warnings import WARNING, with_a_warning
from worklist_cases import open_worklist, worklist_with_saved_labels

from neuroview.app.case import workspace_for
from neuroview.app.restore_offer import restore_offer
from neuroview.app.session import Session
from tests.app.journal_bytes import record_spans

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def lose_every_edit(volume) -> bytes:
    """The workspace a session on ``volume`` left when it was killed: a segment added, a stroke
    painted and undone, a ruler drawn (the redo dropped); then a disk fault zeroed the block that
    held the segment and the stroke. Nothing is left to restore (the undo and the drop after the
    damage are intact), so the image opens with no question. Returns the journal's bytes."""
    crashed = Session(volume, workspace_for(volume))
    crashed.segments.add("lesion")
    crashed.apply("paint", at_ras=INSIDE_CASE_RAS, radius_mm=4.0)
    crashed.undo()
    crashed.drop_redo()
    crashed.journal.close()
    journal = next(workspace_for(volume).glob("journal-*.bin"))
    spans = record_spans(journal)
    data = bytearray(journal.read_bytes())
    data[:spans[1][1]] = bytes(spans[1][1])
    journal.write_bytes(bytes(data))
    assert restore_offer(volume, workspace_for(volume)) is None   # no Restore / Discard question
    return bytes(data)


def notice(volume) -> str:
    workspace = workspace_for(volume)
    # no count: the zeroed block held 2 edits (the segment, the stroke), its records' marks gone
    # (it read "Restored no edit since the last save; 1 edit was lost: ..." until session 28)
    return ("No edit could be restored: the crash journal is damaged at byte 0 (a disk or copy "
            "fault); the edits (never saved) were lost; the damaged journal is kept in workspace "
            f"{workspace.name}/{next(workspace.glob('damaged-*')).name}")


def test_the_notice_joins_the_warning_of_the_open(qtbot, window, tmp_path, monkeypatch):
    path, volume = write_image(tmp_path)
    damaged = lose_every_edit(volume)
    with_a_warning(monkeypatch, "case")
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    qtbot.waitUntil(lambda: not window.runner.busy and "lost" in window.notice_bar.text, timeout=30000)
    assert window.notice_bar.text.split("\n") == [f"Warning: {WARNING}", notice(volume)]
    kept = next(workspace_for(volume).glob("damaged-*")) / "journal-0.bin"
    assert kept.read_bytes() == damaged


def test_the_notice_keeps_the_load_labels_question(qtbot, window, tmp_path, monkeypatch):
    """A worklist case with labels saved on an earlier day, whose crash journal lost every edit,
    a load warning, and a case before it that cannot be read: the bar asks to load the labels
    above the case passed over, the warning and the notice; Load labels loads them."""
    cases, volume, labels = worklist_with_saved_labels(tmp_path)
    lose_every_edit(volume)
    with_a_warning(monkeypatch, "a_case")
    open_worklist(qtbot, window, cases)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "lost" in bar.text, timeout=30000)
    lines = bar.text.split("\n")
    assert len(lines) == 4, lines
    assert lines[0] == "The labels of this case were saved to two.nii.gz; load them?"
    assert lines[1].startswith("0_bad.nii.gz could not be read (")
    assert lines[2:] == [f"Warning: {WARNING}", notice(volume)]
    assert str(tmp_path) not in bar.text
    assert set(bar.buttons) == {"Load labels", "Dismiss"}
    bar.buttons["Load labels"].click()
    qtbot.waitUntil(lambda: window.editor.session.labels.array.any() and not window.runner.busy,
                    timeout=30000)
    assert (window.editor.session.labels.array == labels).all()
