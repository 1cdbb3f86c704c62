"""The Worklist panel's columns fit its width: the long ones (case, status, who has it open) are
cut to one width and elided, whole on hover, so that *Open in* is in sight. At the window's
launch width the table was 552 pixels of columns in 340 and scrolled sideways, *Open in* (and
*Done*) out of sight."""

from __future__ import annotations

from editor_helpers import close_without_asking
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from worklist_cases import open_worklist, worklist_folder

from neuroview.dataset.worklist import Worklist
from neuroview.ui.worklist_panel import fitted_widths

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

NAMES = ("sub-001_ses-baseline_T1w", "sub-002_ses-baseline_T1w", "sub-003_ses-followup_FLAIR")


def test_open_in_is_in_sight_and_every_name_whole_on_hover(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path, NAMES)
    Worklist.open(cases, user="benjamin.okonkwo").open_case(f"{NAMES[1]}.nii.gz")
    open_worklist(qtbot, window, cases)
    table = window.training_actions.panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 3, timeout=10000)
    room = table.viewport().width()
    assert room < 450                                    # narrower than the columns' text
    assert table.horizontalHeader().length() <= room
    assert table.horizontalScrollBar().maximum() == 0   # nothing scrolled out of sight
    open_in = table.visualItemRect(table.item(0, 4))
    assert open_in.left() >= 0 and open_in.right() < room
    bold = QFont(table.item(0, 4).font())
    assert table.item(0, 4).text() == "this window" and \
        QFontMetrics(bold).horizontalAdvance("this window") < open_in.width()   # not elided
    for row, name in enumerate(NAMES):                   # elided on screen, whole on hover
        assert table.item(row, 1).toolTip() == f"{name}.nii.gz"
    assert table.item(1, 4).toolTip().startswith("benjamin.okonkwo (a window on ")

    dock = window.training_actions.panel.parentWidget()
    window.resizeDocks([dock], [900], Qt.Horizontal)
    qtbot.waitUntil(lambda: table.viewport().width() > 600, timeout=5000)
    header = table.horizontalHeader()
    assert header.length() == table.viewport().width()   # wide enough: every text whole,
    assert header.sectionSize(1) >= QFontMetrics(table.font()).horizontalAdvance(  # the last
        f"{NAMES[2]}.nii.gz")                                                      # stretched


def test_fitted_widths_cut_the_widest_columns_to_one_width():
    assert fitted_widths([26, 212, 155, 39, 120], 600) == [26, 212, 155, 39, 120]
    assert fitted_widths([26, 212, 155, 39, 120], 354) == [26, 96, 96, 39, 96]
    assert fitted_widths([26, 212, 155, 39, 60], 354) == [26, 114, 114, 39, 60]
    assert fitted_widths([26, 212, 155, 39, 120], 100) == [26, 56, 56, 39, 56]   # no narrower


def test_several_rows_and_every_word_whole_on_a_1500_by_1000_screen(qtbot, monkeypatch, tmp_path):
    """Walk of 7 Dec 2026 (Xvfb 1500x1000): the panel was squeezed to a row below the Display
    panel and the Segment editor, its cells cut (``case_b.nii…``, ``in the trai…``). The dock
    widens for its columns' text (up to 30 % of the window) and keeps 4 rows in sight."""
    from small_screens import FakeScreen

    from neuroview.ui.main_window import MainWindow

    cases = worklist_folder(tmp_path, ("case_a", "case_b", "case_c", "case_d", "case_e"))
    Worklist.open(cases).set_status("case_b.nii.gz", "in_training_set", "nv_0003")
    monkeypatch.setattr(MainWindow, "screen", lambda self: FakeScreen(1500, 1000))
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=close_without_asking)
    window.resize(1500, 960)
    window.show()
    qtbot.waitExposed(window)
    open_worklist(qtbot, window, cases)
    for name in ("edema", "necrosis", "enhancing", "vessel", "csf", "vein"):   # a tall editor
        window.editor.session.segments.add(name)
    table = window.training_actions.panel.table
    assert table.item(1, 2).text() == "in the training set (nv_0003)"
    qtbot.waitUntil(lambda: all(table.sizeHintForColumn(c) <= table.columnWidth(c)
                                for c in range(table.columnCount())), timeout=5000)   # none cut
    assert table.horizontalHeader().length() <= table.viewport().width() <= 0.3 * window.width()
    header = table.horizontalHeader().height()
    assert table.minimumHeight() >= header + 4 * table.rowHeight(0)
    assert table.viewport().height() >= 4 * table.rowHeight(0)      # 4 rows in sight at least
    assert window.minimumSizeHint().height() <= 728                  # still fits 1024x768
