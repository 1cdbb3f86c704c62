"""*File > Open follow-up...* fills in the study on screen: as the baseline, and as the follow-up
once the other study given is older by its DICOM StudyDate (the radiologist reading the current
study adds the prior); a line at the top of the dialog says which. Until session 39 every field
started empty. Dates are read from the files (pydicom), as the studies' own headers state them."""

from __future__ import annotations

from pathlib import Path

import pydicom
from editor_helpers import activate, open_image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from neuroview.paths import user_data_dir
from tests.followup_menu import through_the_menu
from tests.marked_study import DATES, write_marked_study


def _dated_study(folder: Path, date: str) -> Path:
    study = write_marked_study(folder, variant=1, burned_in="NO")
    for name in study.iterdir():
        ds = pydicom.dcmread(name)
        ds.StudyDate = date
        ds.save_as(name)
    return study


def _dated(qtbot, dialog, study) -> None:
    """Wait for the study date of ``study`` (typed into a field): it is read off the GUI thread."""
    qtbot.waitUntil(lambda: str(study) in dialog.on_screen.dates.dates, timeout=10000)
    QApplication.processEvents()


def _note(dialog) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel) if "on screen" in label.text())


def test_the_study_on_screen_is_the_baseline_until_an_older_study_is_given(qtbot, window, tmp_path):
    on_screen = write_marked_study(tmp_path / "current", burned_in="NO")   # StudyDate 1917-06-11
    older = _dated_study(tmp_path / "prior", "19160301")
    newer = _dated_study(tmp_path / "later", "19180301")
    open_image(qtbot, window, on_screen)
    source = window.controller.volume.source_path
    assert DATES["StudyDate"] == "19170611" and Path(source) == on_screen

    def check(dialog):
        edits = dialog.edits
        first = (edits["baseline"].text(), edits["followup"].text(), _note(dialog))
        edits["followup"].setText(str(newer))                   # a later study: stays baseline
        _dated(qtbot, dialog, newer)
        with_newer = (edits["baseline"].text(), edits["followup"].text(), _note(dialog))
        edits["followup"].setText(str(older))                   # an older one: changes places
        _dated(qtbot, dialog, older)
        with_older = (edits["baseline"].text(), edits["followup"].text(), _note(dialog))
        return first, with_newer, with_older

    first, with_newer, with_older = through_the_menu(qtbot, window, check)
    assert first[:2] == (source, "")
    assert 'study on screen (MR, "ZQSTUDYDESCMK", dated 1917-06-11) is filled in as the baseline' in first[2]
    assert with_newer[:2] == (source, str(newer)) and "as the baseline" in with_newer[2]
    assert with_older[:2] == (str(older), source)
    assert "filled in as the follow-up: it is later than the baseline (1916-03-01)" in with_older[2]


def test_the_study_on_screen_is_named_by_its_date_and_description_not_its_folder(qtbot, window,
                                                                                  tmp_path):
    """A PACS export's folder named after the patient: the line named the study by it
    (``The study on screen, ZQFAMILYMK_ZQGIVENMK (1917-06-11), is ...``) until session 44."""
    on_screen = write_marked_study(tmp_path / "ZQFAMILYMK_ZQGIVENMK", burned_in="NO")
    open_image(qtbot, window, on_screen)
    note = through_the_menu(qtbot, window, _note)
    assert note == ('The study on screen (MR, "ZQSTUDYDESCMK", dated 1917-06-11) is filled in as the '
                    "baseline; it moves to the follow-up when the other study is older (by their "
                    "DICOM study dates).")


def test_a_nifti_on_screen_is_the_baseline_and_says_it_has_no_date(qtbot, window, tmp_path):
    from editor_helpers import write_image

    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    first = through_the_menu(qtbot, window, lambda d: (d.edits["baseline"].text(), _note(d)))
    assert first[0] == str(path)
    assert "The study on screen is filled in as the baseline (it states no study date" in first[1]


def _with_mask_loaded(qtbot, window, folder):
    """The case image open with a two-label mask loaded from a file: (image path, volume, mask
    path, session)."""
    from editor_helpers import wait_for_session, write_image, write_two_label_mask

    path, volume = write_image(folder)
    mask, _ = write_two_label_mask(folder, volume)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.edit_actions.load_labels(str(mask))
    qtbot.waitUntil(lambda: session.labels.array.any(), timeout=10000)
    return path, volume, mask, session


def test_the_lesion_mask_on_screen_comes_with_the_study_when_a_file_holds_it(qtbot, window, tmp_path):
    """The reader corrected the baseline's lesions and saved them: *Open follow-up* fills in that
    file as the baseline's lesion mask (until session 40 the field stayed empty and the model made
    a new mask in place of the corrected one); labels changed since are said, not filled in."""
    path, volume, mask, session = _with_mask_loaded(qtbot, window, tmp_path)

    def fields(dialog):
        return {key: edit.text() for key, edit in dialog.edits.items()}, _note(dialog)

    def replaced(dialog):
        dialog.edits["baseline"].setText(str(tmp_path / "other.nii.gz"))
        return fields(dialog)

    loaded, note = through_the_menu(qtbot, window, fields)
    assert loaded["baseline"] == str(path) and loaded["baseline_labels"] == str(mask)
    assert "Its lesion mask is the labels on screen, two.nii.gz" in note
    other, note = through_the_menu(qtbot, window, replaced)   # another baseline: not its mask
    assert other["baseline_labels"] == "" and note == ""

    session.apply("paint", at_ras=tuple(volume.center_ras), radius_mm=3.0, segment=3)
    assert window.editor.case.modified
    painted, note = through_the_menu(qtbot, window, fields)
    assert painted["baseline"] == str(path) and painted["baseline_labels"] == ""
    assert "changes that are in no file: save them (File > Save labels...)" in note

    saved = tmp_path / "corrected.nii.gz"
    window.edit_actions.save_labels(saved)
    qtbot.waitUntil(lambda: not window.editor.case.modified, timeout=10000)
    after_save, note = through_the_menu(qtbot, window, fields)
    assert after_save["baseline_labels"] == str(saved) and "corrected.nii.gz" in note


def test_labels_undone_and_redone_back_to_the_file_are_the_file_again(qtbot, window, tmp_path):
    """Ctrl+Z then Ctrl+Shift+Z after *Load labels*: the labels on screen are the file's again, and
    *Open follow-up* fills it in (s47 walk: the field stayed empty, every undo and redo counting
    as a change); a step undone and replaced by another edit is not the file."""
    path, volume, mask, session = _with_mask_loaded(qtbot, window, tmp_path)
    for keys in (Qt.ControlModifier, Qt.ControlModifier | Qt.ShiftModifier):
        qtbot.keyClick(window, Qt.Key_Z, keys)
    qtbot.waitUntil(lambda: session.labels.array.any(), timeout=10000)

    assert through_the_menu(qtbot, window, lambda d: d.edits["baseline_labels"].text()) == str(mask)
    activate(qtbot, window)   # the dialog closed: the window has the keys again
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not session.labels.array.any(), timeout=10000)
    session.apply("paint", at_ras=tuple(volume.center_ras), radius_mm=3.0, segment=3)
    assert through_the_menu(qtbot, window, lambda d: d.edits["baseline_labels"].text()) == ""


def test_masks_by_left_blank_says_where_the_labels_on_screen_came_from(qtbot, window, tmp_path):
    """*Masks from files made by* left blank: the report states who made the mask the window
    filled in, the labels on screen, as the segment list's *From* column does (it said "Lesion
    masks: not stated", although the window knew), naming the file by its study, not its name
    (tests/ui/test_label_file_name_private.py); words typed there are the report's."""
    path, volume, mask, session = _with_mask_loaded(qtbot, window, tmp_path)
    session.segments.add("drawn lesion")
    # the ball lies over segment 1 too: corrected by hand, that one reads "+ drawn"
    session.apply("paint", at_ras=tuple(volume.center_ras), radius_mm=3.0, segment=3)
    window.edit_actions.save_labels(tmp_path / "corrected.nii.gz")
    qtbot.waitUntil(lambda: not window.editor.case.modified, timeout=10000)
    names = [s.name for s in session.segments]

    def masks_by(dialog):
        blank = dialog.options()["masks_by"]
        dialog.edits["followup_labels"].setText(str(mask))       # the other study's mask, a file
        with_other = dialog.options()["masks_by"]
        dialog.masks_by.setText("reader A")
        return blank, with_other, dialog.options()["masks_by"]

    blank, with_other, typed = through_the_menu(qtbot, window, masks_by)
    assert blank == ("the baseline's lesion mask holds the labels shown in neuroview, segments "
                     f"{names[0]} (file + drawn), {names[1]} (file), drawn lesion (drawn)")
    assert with_other == blank + "; other masks from files: not stated"
    assert typed == "reader A"


PACS_SERIES = "pacs://lab/1.2.826.0.1.3680043.10.99.1/1.2.826.0.1.3680043.10.99.2"


def _new_window(qtbot):
    from editor_helpers import close_without_asking

    from neuroview.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window, before_close_func=close_without_asking)
    window.show()
    qtbot.waitExposed(window)
    return window


def _chosen(dialog) -> dict:
    """The dialog's fields and boxes as the user sees them."""
    return {"fields": {key: edit.text() for key, edit in dialog.edits.items()},
            "boxes": (dialog.masks_by.text(), dialog.registration.currentText(),
                      dialog.min_change_pct.value(), dialog.extract_brain.isChecked())}


def test_the_studies_chosen_are_chosen_again_after_a_failed_or_cancelled_comparison(qtbot, window,
                                                                                   tmp_path):
    """The s40 walk cancelled a comparison (or it failed: a mask not chosen) and chose *Open
    follow-up...* again, as the notice says: the dialog held the study on screen alone, the later
    study, its mask and every option to be chosen again. So too with the follow-up opened since
    (to correct its mask); another study opened since: not offered."""
    from editor_helpers import close_without_asking, wait_for_session, write_image

    path, _ = write_image(tmp_path)
    later, _ = write_image(tmp_path, name="later")
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)

    def choose(dialog):
        dialog.add_followup()
        dialog.edits["followup"].setText(str(later))
        dialog.edits["followup_labels"].setText(str(tmp_path / "later_lesions.nii.gz"))
        dialog.edits["followup_2"].setText(PACS_SERIES)
        dialog.model.setText("")   # the baseline's mask is missing: refused at once
        dialog.masks_by.setText("reader A")
        dialog.registration.setCurrentText("affine")
        dialog.min_change_pct.setValue(45.0)
        dialog.extract_brain.setChecked(False)
        return _chosen(dialog)

    chosen = through_the_menu(qtbot, window, choose, accept=True)
    qtbot.waitUntil(lambda: "choose the baseline lesion mask" in window.message_bar.text, timeout=20000)
    again = through_the_menu(qtbot, window, _chosen)
    assert again == chosen and again["fields"]["baseline"] == str(path)
    assert again["fields"]["followup_2"] == PACS_SERIES
    assert again["boxes"] == ("reader A", "affine", 45.0, False)
    open_image(qtbot, window, later)   # the follow-up on screen, as chosen
    with_later, note = through_the_menu(qtbot, window, lambda dialog: (_chosen(dialog), _note(dialog)))
    assert with_later == chosen and "The study on screen is the follow-up, as chosen." in note
    other, _ = write_image(tmp_path, name="other")
    open_image(qtbot, window, other)
    fresh = through_the_menu(qtbot, window, _chosen)
    assert fresh["fields"] == {"baseline": str(other), "baseline_labels": "", "followup": "",
                               "followup_labels": ""} and fresh["boxes"] == ("", "rigid", 25.0, True)
    # the window closed, opened again: chosen again, but the PACS series (its address holds UIDs,
    # kept nowhere). Closed first: the test's images hold the same voxels, so one workspace, and
    # one window of a process edits it (a second is shown the image without editing)
    close_without_asking(window)
    next_day = _new_window(qtbot)
    open_image(qtbot, next_day, path)
    wait_for_session(qtbot, next_day)
    kept = through_the_menu(qtbot, next_day, _chosen)
    assert kept == {**chosen, "fields": {**chosen["fields"], "followup_2": ""}}
    assert "1.2.826.0.1.3680043.10.99" not in (user_data_dir() / "followup-chosen.json").read_text()


def test_typing_a_folder_holding_a_pipe_keeps_the_window_answering(qtbot, window, tmp_path):
    """Each key typed into a study field reads the study date of the path so far, on the GUI thread:
    it opened every file of a folder, and the read of a pipe (or of ``/dev/console``, typing ``/``)
    waited for ever, the window frozen. A thread here frees a pipe being read (it fails the test)."""
    import os
    import threading

    on_screen = write_marked_study(tmp_path / "current", burned_in="NO")   # StudyDate 1917-06-11
    incoming = tmp_path / "incoming"
    _dated_study(incoming / "series", "19160301")
    pipe = incoming / "a_pipe"   # walked before the series
    os.mkfifo(pipe)
    read, done = [], threading.Event()

    def free_a_reader():
        while not done.wait(0.05):
            try:   # opens only while a reader waits on the pipe: it then reads an end of file
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                continue
            read.append(True)

    threading.Thread(target=free_a_reader, daemon=True).start()
    open_image(qtbot, window, on_screen)

    def type_it(dialog):
        dialog.edits["followup"].setText(f"{tmp_path}{os.sep}")   # typing "/" read /dev: no test
        qtbot.keyClicks(dialog.edits["followup"], incoming.name)   # key by key, as a user types
        _dated(qtbot, dialog, incoming)
        return dialog.edits["baseline"].text(), dialog.edits["followup"].text(), _note(dialog)

    try:
        baseline, followup, note = through_the_menu(qtbot, window, type_it)
    finally:
        done.set()
    assert not read, "the pipe was opened on the GUI thread"
    assert (baseline, followup) == (str(incoming), str(on_screen))   # its series' date was read
    assert "later than the baseline (1916-03-01)" in note


def test_typing_a_path_reads_no_folder_on_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    """Each key typed into a study field looked for the study date of the path so far on the GUI
    thread, walking the typed folder: 30-150 ms a key for a folder of 20,000 files (session 41).
    Now it is read off the GUI thread, and the study on screen moved once the date arrives."""
    import threading

    from neuroview.io.dicom import study_date

    on_screen = write_marked_study(tmp_path / "current", burned_in="NO")   # StudyDate 1917-06-11
    older = _dated_study(tmp_path / "prior", "19160301")
    open_image(qtbot, window, on_screen)
    walked, files = [], study_date._files

    def walk(path):
        walked.append((path, threading.current_thread() is threading.main_thread()))
        return files(path)

    monkeypatch.setattr(study_date, "_files", walk)

    def type_it(dialog):
        qtbot.keyClicks(dialog.edits["followup"], str(older))   # key by key, as a user types
        qtbot.waitUntil(lambda: dialog.edits["baseline"].text() == str(older), timeout=10000)
        return dialog.edits["followup"].text(), _note(dialog)

    followup, note = through_the_menu(qtbot, window, type_it)
    assert followup == str(on_screen) and "later than the baseline (1916-03-01)" in note
    assert walked and not [path for path, on_gui in walked if on_gui], walked


def test_ok_before_the_date_arrives_still_places_the_study_by_it(qtbot, window, tmp_path, monkeypatch):
    """The older study pasted and OK pressed at once, its date still being read: the comparison
    is made with the study on screen as the follow-up all the same."""
    import threading
    import time

    from neuroview.io.dicom import study_date

    on_screen = write_marked_study(tmp_path / "current", burned_in="NO")   # StudyDate 1917-06-11
    older = _dated_study(tmp_path / "prior", "19160301")
    open_image(qtbot, window, on_screen)
    files = study_date._files

    def slow_off_the_gui_thread(path):
        if threading.current_thread() is not threading.main_thread():
            time.sleep(2.0)
        return files(path)

    monkeypatch.setattr(study_date, "_files", slow_off_the_gui_thread)

    def paste_and_ok(dialog):
        dialog.model.setText("")   # no mask, no model: refused at once, nothing compared
        dialog.edits["followup"].setText(str(older))
        return dialog.edits["baseline"].text()

    assert through_the_menu(qtbot, window, paste_and_ok, accept=True) == str(on_screen)
    fields = window.followup_chosen["fields"]
    assert (fields["baseline"], fields["followup"]) == (str(older), str(on_screen))
