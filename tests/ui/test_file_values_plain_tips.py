"""The places session 47 left showing a file's value as HTML (``tests/ui/test_file_values_plain.py``
tells the story), and those ``tests/ui/test_rich_text_sinks.py`` found after it: a model card's
held-out cases in the Models table's tooltips and compare line, a labels file's name in the
segment list's *From* tooltip, a worklist's case, annotator and note in its table's tooltips, a
servers file's error in *Open follow-up*'s PACS box, the search in *Make worklist*, a segment's
name in *Send to training set*'s rows and in the AI click question, a model's name in the stop
question, the PACS cache's folder. Each read as a user reads it (a tooltip and a message box
render what Qt takes for HTML); each fails on the code before session 48."""

from __future__ import annotations

import socket

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from shown_text import NAME, as_read

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

STEM = NAME.removesuffix(".nii.gz")


def test_the_models_table_and_compare_line_show_a_card_as_written(qtbot, window, tmp_path):
    pytest.importorskip("torch")
    from train_data import install

    install(tmp_path, "blobs", "1.0.0", 0.5, split="x")
    install(tmp_path, "blobs", "1.1.0", 0.8, split="y",   # a card's label and cases named like HTML
            metrics={"held_out_dice": {NAME: 0.8}, "held_out_description": f"cases of {NAME}"})
    dialog = window.model_actions.open_models_dialog("blobs@1.0.0", "blobs@1.1.0")
    table = dialog.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == "blobs@1.1.0")
    tip = as_read(table.item(row, 3).toolTip(), Qt.AutoText)   # the Dice cell: whose cases
    assert tip.startswith(f"{NAME} 0.8000\nHeld-out Dice of this model's own held-out cases: cases of "
                          f"{NAME}.")
    line = dialog.compare_label
    assert f"blobs@1.1.0's: cases of {NAME}." in as_read(line.text(), line.textFormat())
    dialog.close()


def test_the_segment_lists_from_tooltip_names_a_labels_file_as_written(qtbot, window, tmp_path):
    from editor_helpers import open_case

    from neuroview.io.nifti import save_nifti

    volume, _ = open_case(qtbot, window, tmp_path)
    labels = np.zeros(volume.shape, np.uint8)
    labels[28:40, 8:20, 10:30] = 1
    save_nifti(labels, volume.ijk_to_ras, tmp_path / NAME)
    window.open_labels(tmp_path / NAME)
    table = window.edit_actions.panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 4).text() == f"file {NAME}",
                    timeout=10000)
    assert as_read(table.item(0, 4).toolTip(), Qt.AutoText) == f"file {NAME}"


def test_the_worklist_tooltips_show_a_case_an_annotator_and_a_note_as_written(qtbot, tmp_path):
    from worklist_cases import worklist_folder

    from neuroview.dataset.worklist import Worklist
    from neuroview.ui.worklist_panel import WorklistPanel

    cases = worklist_folder(tmp_path, (STEM,))
    ben = Worklist.open(cases, user="<b><u>ben</u></b>")   # a name from the shared state file
    ben.open_case(NAME)
    ben.mark_done(NAME, note=f"labelled in {NAME}")
    panel = WorklistPanel()
    qtbot.addWidget(panel)
    panel.show_worklist(Worklist.open(cases, user="me"))
    tips = [as_read(panel.table.item(0, column).toolTip(), Qt.AutoText) for column in range(5)]
    assert tips[1] == NAME
    assert tips[3].endswith(f"<b><u>ben</u></b> skipped this case: labelled in {NAME}")
    assert tips[4] == f"<b><u>ben</u></b> (a window on {socket.gethostname()})"


def _answer(asked: list) -> None:
    """Read the message box that shows next (as a user reads it) and close it."""
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        QTimer.singleShot(20, lambda: _answer(asked))
        return
    asked.append(as_read(box.text(), box.textFormat()))
    box.done(QMessageBox.Ok)


def test_open_followups_pacs_error_names_the_servers_file_as_written(qtbot, monkeypatch):
    from neuroview.io.pacs import PacsError
    from neuroview.ui import pacs_dialog
    from neuroview.ui.followup_open import OpenFollowupDialog

    def unreadable(*args, **kwargs):
        raise PacsError(f"{NAME}: not a servers file (line 1 is not JSON)")

    monkeypatch.setattr(pacs_dialog, "PacsDialog", unreadable)
    dialog = OpenFollowupDialog()
    qtbot.addWidget(dialog)
    asked = []
    QTimer.singleShot(0, lambda: _answer(asked))
    qtbot.mouseClick(dialog.pacs_buttons["baseline"], Qt.LeftButton)
    assert asked == [f"{NAME}: not a servers file (line 1 is not JSON)"]


def test_make_worklist_and_send_to_training_set_show_a_search_and_a_segment_as_written(qtbot):
    from neuroview.ui.pacs_worklist import WorklistDialog
    from neuroview.ui.training_set_dialog import TrainingSetDialog

    worklist = WorklistDialog(None, f"PatientName {STEM}")   # the image's patient, filled in
    qtbot.addWidget(worklist)
    said = [as_read(label.text(), label.textFormat()) for label in worklist.findChildren(QLabel)]
    assert f"From the search: PatientName {STEM}" in said
    sending = TrainingSetDialog([NAME])
    qtbot.addWidget(sending)
    sending.ask_labels([NAME], ["lesion"], "Dataset501_Lesions")
    row = sending.layout().labelForField(sending.label_boxes[NAME])   # "NAME is [lesion]"
    assert as_read(row.text(), row.textFormat()) == f"{NAME} is"


def test_a_long_tooltip_made_plain_breaks_its_lines_between_words(qapp):
    """A tooltip's (or a static message box's) text escaped by ``plain_tooltip`` wraps as a plain
    one would, between words (and after a '/'): until session 48 every space was a no-break
    space, so Qt broke the lines inside words (``<img src`` / ``=x>``, ``x.`` / ``nii.gz``)."""
    from PySide6.QtGui import QTextDocument

    from neuroview.ui.plain_text import plain_tooltip

    text = f"marked done (File > Worklist > Mark done); <b><u>ben</u></b> skipped this case: {NAME}"
    document = QTextDocument()
    document.setHtml(plain_tooltip(text))
    document.setTextWidth(200)
    assert document.idealWidth() <= 200   # (lays it out) no line wider than the tooltip's width
    block = document.firstBlock()
    lines = [block.text()[line.textStart():line.textStart() + line.textLength()]
             for line in (block.layout().lineAt(i) for i in range(block.layout().lineCount()))]
    assert len(lines) > 2 and all(line.endswith((" ", "/")) for line in lines[:-1]), lines
    assert "".join(lines) == text


def test_the_stop_question_and_the_pacs_cache_line_name_a_model_and_a_folder_as_written(
        qtbot, window, tmp_path, monkeypatch):
    from neuroview.ui.pacs_servers import CacheDialog
    from neuroview.ui.stop_question import StopQuestion

    question, asked = StopQuestion(window), []

    def answer():
        if question.box is None:
            QTimer.singleShot(20, answer)
            return
        box = question.box
        shown = box.textFormat()
        asked.append((as_read(box.text(), shown), as_read(box.informativeText(), shown)))
        box.done(QMessageBox.Cancel)

    QTimer.singleShot(0, answer)
    assert not question.ask("Training running", f"Training {STEM}@1.0.0 is still running.",
                            f"Stopping keeps {NAME}.", "Stop training")
    assert asked == [(f"Training {STEM}@1.0.0 is still running.", f"Stopping keeps {NAME}.")]
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / NAME))   # the cache's folder under it
    cache = CacheDialog(window)
    qtbot.addWidget(cache)
    line = cache.used_label
    assert NAME in as_read(line.text(), line.textFormat()) and NAME in as_read(line.toolTip(), Qt.AutoText)


def test_the_ai_click_question_names_the_segment_picked_as_written(qtbot, window, tmp_path):
    """An AI click object waits for Enter and another segment is picked in the list: the question
    names that segment as its labels file has it."""
    from ai_click_cases import CENTRE, _answered_click, _setup

    session, _, _ = _setup(qtbot, window, tmp_path)
    first = window.editor.segment_command("add", "Lesions").value
    window.editor.segment_command("add", NAME)
    session.segments.select(first)
    panel = window.edit_actions.panel
    panel.refresh()
    _answered_click(qtbot, window, CENTRE)
    asked = []

    def answer():
        box = window.editor.ai_click.switch_box
        if box is None or not box.isVisible():
            QTimer.singleShot(20, answer)
            return
        asked.append(as_read(box.text(), box.textFormat()))
        box.done(QMessageBox.Cancel)

    QTimer.singleShot(0, answer)
    table = panel.table   # a click on NAME's row
    cell = table.visualItemRect(table.item(table.rowCount() - 1, 4)).center()
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=cell)
    assert len(asked) == 1 and asked[0].endswith(f"; {NAME} would start a new object without it.")
