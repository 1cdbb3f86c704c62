"""A notice of several lines shows them all, whatever the window's width: a scroll bar shown while
the new text waited for the bar to grow stayed, the text wrapped a line more at the narrower
width, and that line was scrolled out of sight beside *Dismiss*."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from neuroview.dataset.worklist_counts import note_text
from neuroview.dataset.worklist_sources import WorklistCase
from neuroview.ui.notice_bar import TextScroll
from neuroview.ui.worklist_watch import SHOWN, TWICE, holders_text


def _settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def test_each_multi_line_notice_shows_whole_at_every_width(qtbot, window):
    """The notices the app writes of more than one line: the worklist's held case (a note, who
    has it open: ``actions_worklist``), two windows opening the case (``worklist_watch``); each
    line added under the one before as the window adds it, at widths 1 pixel apart around the
    widths where the second line fills the bar."""
    sent_back = WorklistCase(case_id="a.nii.gz", path="a.nii.gz")
    sent_back.note, sent_back.note_by = "lesion 3 missed, the one by the left ventricle", "lead"
    notices = [
        [note_text(sent_back), holders_text({"k": "dr.b (a window on ws-2)"})],
        [f"dr.b opened this case too (16:58): {TWICE}", f"dr.c opened this case too (16:58): {SHOWN}"],
    ]
    bar, scroll = window.notice_bar, window.notice_bar.findChild(TextScroll)
    cut = []
    for lines in notices:
        for width in range(1080, 1110):
            window.resize(width, 760)
            bar.tell(lines[0])
            _settle()
            bar.add(lines[1])
            _settle()
            label = bar.label
            if scroll.verticalScrollBar().maximum() > 0 or label.width() < scroll.width() \
                    or label.height() > scroll.viewport().height():
                cut.append((width, lines[0][:20]))
    assert cut == []
