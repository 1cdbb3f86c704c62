"""A file's values (its name, a segment's name, a series description) show in the window's bars
as written: until session 47 the job bar, the notice bar and the error bar took a text that looks
like HTML for HTML, so loading labels from ``<font size=7 color=red>x.nii.gz`` showed "Checking
the label values of x.nii.gz" in a big red font, and ``<img src="file:///...">`` loaded that
image into the bar (``bench/hostile_files.py``, outcome *rich*)."""

from __future__ import annotations

import threading

from followup_views import followup_view  # noqa: F401
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStatusBar
from shown_text import NAME, as_read

from neuroview.ui.job_bar import JobBar
from neuroview.ui.notice_bar import MessageBar, NoticeBar
from neuroview.ui.workers import JobRunner


def test_the_job_bar_shows_a_file_name_as_written(qtbot):
    status = QStatusBar()
    qtbot.addWidget(status)
    runner, release = JobRunner(), threading.Event()
    bar = JobBar(status, runner)

    def checking(progress, cancel):
        progress(0, 0, f"Checking the label values of {NAME}")
        release.wait(10)

    runner.start(checking, label="Loading labels")
    qtbot.waitUntil(lambda: NAME in bar.text.text(), timeout=10000)
    assert as_read(bar.text.text(), bar.text.textFormat()) == f"Checking the label values of {NAME}"
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)


def test_the_notice_and_error_bars_show_a_file_name_as_written(qtbot):
    notice, error = NoticeBar(), MessageBar()
    qtbot.addWidget(notice)
    qtbot.addWidget(error)
    said = f"{NAME} lies on another grid: it was resampled onto the image grid."
    notice.show_message(said, tooltip=f"/data/{NAME}")
    assert as_read(notice.label.text(), notice.label.textFormat()) == said
    assert as_read(notice.label.toolTip(), Qt.AutoText) == f"/data/{NAME}"
    long = f"/data/a/b/c/d/{NAME}: not a label map (values 0 to 3.5)"
    error.show_error(long)
    assert NAME in as_read(error.label.text(), error.label.textFormat())
    if error.label.toolTip():   # the whole message, when the bar shortened its path
        assert as_read(error.label.toolTip(), Qt.AutoText) == long


def test_the_models_dialog_says_a_folder_name_as_written(qtbot):
    """*Models > Add*'s refusal of a downloaded folder, and a registry it cannot read, name the
    folder as it is named (its status line and the line above the table)."""
    from neuroview.ai.registry import Registry
    from neuroview.ui.models_dialog import ModelsDialog

    dialog = ModelsDialog(Registry())
    qtbot.addWidget(dialog)
    refusal = f"/downloads/{NAME}: model.json is missing"
    dialog.show_error(refusal)
    assert NAME in as_read(dialog.status_label.text(), dialog.status_label.textFormat())
    assert as_read(dialog.status_label.toolTip(), Qt.AutoText) == refusal
    dialog.unreadable_label.setText(refusal)   # as refresh() says an unreadable card
    assert NAME in as_read(dialog.unreadable_label.text(), dialog.unreadable_label.textFormat())


def test_send_to_training_set_names_a_segment_as_written(qtbot):
    """*Send to training set* asks which label a segment is, naming it as its labels file does."""
    from neuroview.ui.training_set_dialog import TrainingSetDialog

    dialog = TrainingSetDialog([NAME])
    qtbot.addWidget(dialog)
    dialog.ask_labels([NAME], ["lesion"], "Dataset501_Lesions")
    question = as_read(dialog.label_question.text(), dialog.label_question.textFormat())
    assert question.startswith(f"{NAME!r} is not a label of Dataset501_Lesions")


def test_the_followup_window_says_a_file_and_a_study_as_written(followup_view, tmp_path):  # noqa: F811
    """*Export CSV* into a folder named like HTML: the status line names it as written, the whole
    path on hover; the warning, brain and time-point lines show a study's name
    (its series description) as written."""
    from neuroview.app.shown_path import full_path

    view = followup_view
    path = tmp_path / NAME / "lesions.csv"
    view.export_csv(path)
    said = as_read(view.status.text(), view.status.textFormat())
    assert said.startswith("wrote lesions.csv in ") and said.endswith(NAME)
    assert as_read(view.status.toolTip(), Qt.AutoText) == full_path(path)
    for line in (view.warning, view.brain_line, view.table_note, view.elsewhere):
        said = f"Warning: the registration of {NAME} may have failed"
        line.setText(said)
        assert as_read(line.text(), line.textFormat()) == said


def test_the_readers_dialog_names_a_seg_and_a_reader_as_written(window, qtbot):
    """*Compare readers / Adjudicate*: a SEG that cannot be saved or read is named in the status
    line as written (the whole text on hover), a reader named like HTML in its SEG is shown so
    in the adjudication line and in the table's tooltips."""
    from neuroview.core.errors import NeuroviewError
    from neuroview.ui.readers_dialog import ReadersDialog
    from neuroview.ui.readers_tables import reader_item, whole_item

    dialog = ReadersDialog(window)
    qtbot.addWidget(dialog)
    failure = f"/data/{NAME}: not a DICOM SEG"
    dialog._say_failure(NeuroviewError(failure))
    assert NAME in as_read(dialog.status.text(), dialog.status.textFormat())
    assert as_read(dialog.status.toolTip(), Qt.AutoText) == failure
    dialog.progress.setText(f"Restored: 1 lesion as {NAME} adjudicated it")
    assert as_read(dialog.progress.text(), dialog.progress.textFormat()).endswith(f"{NAME} adjudicated it")
    assert as_read(whole_item(f"/data/{NAME}").toolTip(), Qt.AutoText) == f"/data/{NAME}"
    reader = "<b><u>Smith</u></b>^Ann"   # a SEG's ContentCreatorName ('=' parts PN groups)
    assert as_read(reader_item(reader).toolTip(), Qt.AutoText) == "Ann <b><u>Smith</u></b>"


def test_the_remove_question_names_a_segment_as_written(qtbot, window, tmp_path):
    """*Remove* of a segment with voxels asks about it by the name its labels file gave it."""
    from editor_helpers import open_and_paint_segment_1

    session, _ = open_and_paint_segment_1(qtbot, window, tmp_path)
    window.editor.segment_command("rename", 1, NAME)
    panel = window.edit_actions.panel
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    box = panel.remove_question
    assert as_read(box.text(), box.textFormat()).startswith(f"Remove segment '{NAME}' and its ")
    box.done(0)


def test_file_open_recent_shows_a_path_as_written_on_hover(window, tmp_path):
    path = tmp_path / NAME
    window.recent.add([path])
    window._fill_recent()
    action = window.recent_menu.actions()[0]
    assert as_read(action.toolTip(), Qt.AutoText) == str(path)


def test_the_tables_tooltips_show_a_name_as_written(window, qtbot):
    """The compare window's table cells and the Rank dialog's ids and paths, in full on hover."""
    from neuroview.ui.compare_table import text_item

    assert as_read(text_item(NAME).toolTip(), Qt.AutoText) == NAME
    dialog = window.training_actions.open_rank_dialog()
    dialog.rows = [{"id": NAME, "score": "0.5", "path": f"/data/{NAME}"}]
    dialog._fill()
    assert as_read(dialog.table.item(0, 1).toolTip(), Qt.AutoText) == NAME
    path_cell = dialog.table.item(0, dialog.table.columnCount() - 1)
    assert as_read(path_cell.toolTip(), Qt.AutoText) == f"/data/{NAME}"
    dialog.close()


def test_the_windows_lines_show_a_series_or_segment_name_as_written(window, qtbot):
    """The pointer readout (a segment's name under the pointer), the Lesions panel's summary, the
    PACS search and DICOM servers status lines (a series description, a server list's path)."""
    from neuroview.ui.pacs_dialog import PacsDialog
    from neuroview.ui.pacs_servers import ServersDialog

    dialogs = [PacsDialog(window), ServersDialog(window)]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
    said = f"Series 3: {NAME} (120 images)"
    for line in (window.readout, window.lesions.summary, dialogs[0].status, dialogs[1].status):
        line.setText(said)
        assert as_read(line.text(), line.textFormat()) == said


def test_message_boxes_name_a_file_or_a_model_as_written(window, qtbot, tmp_path, monkeypatch):
    """The question before running a TorchScript file's code, a dialog's internal error, and the
    Models dialog's questions (a model's name as its card has it)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    from neuroview.ai import code_file, consent
    from neuroview.ai.registry import Registry
    from neuroview.ui.code_consent import run_with_consent
    from neuroview.ui.models_dialog import ModelsDialog
    from neuroview.ui.qt_guard import box_over

    model = tmp_path / f"{NAME}.pt"
    monkeypatch.setattr(code_file, "code_file_of", lambda ref: model)
    monkeypatch.setattr(consent, "is_trusted", lambda path: False)
    owner = type("Owner", (), {})()
    run_with_consent(owner, window, "m", lambda: None)
    box = owner.consent_box
    assert as_read(box.text(), box.textFormat()).startswith(f"{NAME}.pt is a TorchScript model")
    assert as_read(box.informativeText(), Qt.AutoText) == str(model)
    box.done(QMessageBox.No)
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    error = box_over(dialog, f"Reading {NAME} failed: ValueError")
    assert as_read(error.text(), error.textFormat()) == f"Reading {NAME} failed: ValueError"
    models = ModelsDialog(Registry())
    qtbot.addWidget(models)
    asked = []

    def answer():
        question = QApplication.activeModalWidget()
        if not isinstance(question, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        asked.append(as_read(question.text(), question.textFormat()))
        question.done(QMessageBox.No)

    QTimer.singleShot(0, answer)
    assert not models.ask("Remove model?", f"Remove {NAME}?")
    assert asked == [f"Remove {NAME}?"]
    asked.clear()
    QTimer.singleShot(0, answer)
    assert not window.training_actions._many_cases_wanted(tmp_path / NAME, 5000)
    assert asked[0].startswith(f"{NAME} holds 5,000 entries")
