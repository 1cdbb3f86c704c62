"""Opening another image with unsaved edits asks Save / Discard / Cancel first (as 3D Slicer and
ITK-SNAP do), by File > Open, a drop and the worklist's next case; with nothing unsaved, no question.

The question is answered by clicking its button as soon as it shows."""

from __future__ import annotations

import time

import nibabel as nib
import numpy as np
import shiboken6
from editor_helpers import INSIDE_CASE_RAS, open_image, stroke, stroke_a_lesion, wait_for_session, write_image
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox
from unsaved_edits import file_open, loaded, paint, paint_the_worklist_case


def answer(window, button, asked, watch_ms=5000):
    """Click ``button`` of the window's question box when it shows; its text goes to ``asked``.
    Watches for ``watch_ms`` (a question that never comes leaves ``asked`` empty)."""
    deadline = time.monotonic() + watch_ms / 1000

    def click():
        if not shiboken6.isValid(window):
            return
        box = next((b for b in window.findChildren(QMessageBox) if b.isVisible()), None)
        if box is not None:
            asked.append(box.text())
            box.button(button).click()
        elif time.monotonic() < deadline:
            QTimer.singleShot(20, click)
    QTimer.singleShot(0, click)


def test_cancel_keeps_the_image_and_the_edits(qtbot, window, tmp_path, monkeypatch):
    path, other, painted = paint(qtbot, window, tmp_path)
    volume, session = window.controller.volume, window.editor.session
    asked = []
    answer(window, QMessageBox.Cancel, asked)
    file_open(window, monkeypatch, other)
    assert asked and "not saved" in asked[0]
    qtbot.wait(200)
    assert not window.runner.busy                       # nothing scanned or loaded
    assert window.controller.volume is volume and window.editor.session is session
    assert np.array_equal(session.labels.array, painted)
    assert window.edit_actions.save_action.isEnabled()


def test_save_writes_the_labels_then_opens(qtbot, window, tmp_path, monkeypatch):
    path, other, painted = paint(qtbot, window, tmp_path)
    target = tmp_path / "saved-labels.nii.gz"
    proposed = []

    def save_dialog(parent, title, default, *rest, **options):
        proposed.append(default)
        return str(target), ""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    asked = []
    answer(window, QMessageBox.Save, asked)
    file_open(window, monkeypatch, other)
    assert asked
    loaded(qtbot, window, other)
    assert proposed and proposed[0].endswith("case-labels.nii.gz")   # what Save labels proposes
    assert np.array_equal(np.asarray(nib.load(target).dataobj), painted)
    open_image(qtbot, window, path)                     # nothing unsaved now: no question either
    assert not wait_for_session(qtbot, window).labels.array.any()
    # only the offer of the labels just saved for it (test_open_offers_saved_labels.py)
    assert window.notice_bar.text == ("The labels of this case were saved to saved-labels.nii.gz; "
                                      "load them?"), window.notice_bar.text


def test_save_cancelled_in_the_file_dialog_opens_nothing(qtbot, window, tmp_path, monkeypatch):
    path, other, painted = paint(qtbot, window, tmp_path)
    volume = window.controller.volume
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    asked = []
    answer(window, QMessageBox.Save, asked)
    file_open(window, monkeypatch, other)
    assert asked
    qtbot.wait(200)
    assert window.controller.volume is volume and not window.runner.busy
    assert np.array_equal(window.editor.session.labels.array, painted)


def test_discard_opens_and_the_edits_are_not_offered_back(qtbot, window, tmp_path, monkeypatch):
    path, other, _ = paint(qtbot, window, tmp_path)
    asked = []
    answer(window, QMessageBox.Discard, asked)
    file_open(window, monkeypatch, other)
    assert asked
    loaded(qtbot, window, other)
    wait_for_session(qtbot, window)
    open_image(qtbot, window, path)                     # back to the first image
    session = wait_for_session(qtbot, window)           # started at once: no Restore question
    assert not window.notice_bar.isVisible() or "Restore" not in window.notice_bar.buttons
    assert not session.labels.array.any()


def test_no_edits_no_question(qtbot, window, tmp_path, monkeypatch):
    path, _ = write_image(tmp_path)
    other, _ = write_image(tmp_path, name="other", affine_name="lps")
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    asked = []
    answer(window, QMessageBox.Cancel, asked, watch_ms=1000)    # would cancel a question, wrongly asked
    file_open(window, monkeypatch, other)
    loaded(qtbot, window, other)
    qtbot.wait(1200)                                    # the watch is over before the window goes
    assert asked == []


def test_a_drop_asks_and_cancel_keeps_the_edits(qtbot, window, tmp_path):
    path, other, painted = paint(qtbot, window, tmp_path)
    volume = window.controller.volume
    asked = []
    answer(window, QMessageBox.Cancel, asked)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(other))])
    drop = QDropEvent(QPointF(50, 50), Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    qtbot.wait(200)
    assert window.controller.volume is volume and not window.runner.busy
    assert np.array_equal(window.editor.session.labels.array, painted)


def test_worklist_next_case_cancelled_stays_on_the_case(qtbot, window, tmp_path):
    folder = tmp_path / "worklist"
    folder.mkdir()
    first, _ = write_image(folder, name="a")
    write_image(folder, name="b", affine_name="lps")
    window.training_actions.open_worklist(folder)
    loaded(qtbot, window, first)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    painted = session.labels.array.copy()
    assert painted.any()
    asked = []
    answer(window, QMessageBox.Cancel, asked)
    window.training_actions.next_case()
    assert asked
    qtbot.wait(200)
    assert window.training_actions.worklist.current == window.training_actions.worklist_id
    assert window.controller.volume.source_path == str(first)
    assert np.array_equal(window.editor.session.labels.array, painted)


def test_discard_then_a_failed_open_keeps_the_edits_and_asks_again(qtbot, window, tmp_path, monkeypatch):
    path, _, painted = paint(qtbot, window, tmp_path)
    junk = tmp_path / "junk.nii"
    junk.write_bytes(b"not an image" * 40)
    asked = []
    answer(window, QMessageBox.Discard, asked)
    file_open(window, monkeypatch, junk)
    assert asked
    qtbot.waitUntil(lambda: "junk.nii" in window.message_bar.text, timeout=10000)
    assert window.controller.volume.source_path == str(path)
    assert np.array_equal(window.editor.session.labels.array, painted)   # nothing lost on the error
    again = []
    answer(window, QMessageBox.Cancel, again)
    file_open(window, monkeypatch, junk)
    assert again                                        # still unsaved: asked again


def test_discard_also_drops_edits_made_while_the_new_image_loads(qtbot, window, tmp_path, monkeypatch):
    """Discard answered, then a stroke before the new image is on screen: that stroke goes with the
    others. It stayed in the workspace, and reopening the image offered the discarded edits back."""
    path, other, _ = paint(qtbot, window, tmp_path)
    asked = []
    answer(window, QMessageBox.Discard, asked)
    file_open(window, monkeypatch, other)
    assert asked and window.runner.busy                 # the new image is loading
    assert window.controller.volume.source_path == str(path)
    # painted while it loads
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, 8.0, 0], INSIDE_CASE_RAS + [6.0, 8.0, 0]])
    loaded(qtbot, window, other)
    wait_for_session(qtbot, window)
    # said in the notice bar with the new image's news (in the Measurements list, among the
    # rulers, until session 28)
    assert window.notice_bar.text == ("The edits made while the next image was loading were "
                                      "discarded with the others (you answered Discard).")
    assert window.measurements.count() == 0
    open_image(qtbot, window, path)                     # back to the first image
    loaded(qtbot, window, path)
    qtbot.wait(200)
    assert not window.notice_bar.isVisible() or "Restore" not in window.notice_bar.buttons
    assert not wait_for_session(qtbot, window).labels.array.any()


def test_a_case_sent_to_the_training_set_goes_to_the_next_case_without_asking(qtbot, window,
                                                                               tmp_path):
    """Send to training set keeps the labels (the dataset's labelsTr file), as Save labels and Save
    to PACS do: Next case then asks nothing; a stroke after sending is unsaved again."""
    from neuroview.dataset.layout import init_dataset

    folder = tmp_path / "worklist"
    folder.mkdir()
    first, _ = write_image(folder, name="a")
    second, _ = write_image(folder, name="b", affine_name="lps")
    third, _ = write_image(folder, name="c")
    dataset = init_dataset(tmp_path, "Lesions", ["background", "Segment 1"])
    training = window.training_actions
    paint_the_worklist_case(qtbot, window, folder, first)
    training.send(str(dataset), annotator="dr.b")
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    sent = nib.load(dataset / "labelsTr" / "nv_0001.nii.gz")
    assert np.array_equal(np.asarray(sent.dataobj), window.editor.session.labels.array)
    asked = []
    answer(window, QMessageBox.Cancel, asked, watch_ms=2000)
    training.next_case()
    loaded(qtbot, window, second)
    qtbot.wait(300)
    assert asked == []

    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    training.send(str(dataset), annotator="dr.b")
    qtbot.waitUntil(lambda: "nv_0002" in window.notice_bar.text, timeout=30000)
    # drawn after sending
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, 8.0, 0], INSIDE_CASE_RAS + [6.0, 8.0, 0]])
    answer(window, QMessageBox.Cancel, asked)
    training.next_case()
    assert asked and window.controller.volume.source_path == str(second)
    assert window.editor.session is session and session.modified


def test_worklist_next_case_after_discard_leaves_the_case_to_do(qtbot, window, tmp_path):
    """Discard at Next case drops the edits: the case is not `corrected` (it was, so `dataset
    rank`, which scores only `new` and `proposed` cases, left it out, and the team's counts said
    it was done), and the worklist's state file still says `new`."""
    import json

    folder = tmp_path / "worklist"
    folder.mkdir()
    first, _ = write_image(folder, name="a")
    second, _ = write_image(folder, name="b", affine_name="lps")
    training = window.training_actions
    paint_the_worklist_case(qtbot, window, folder, first)
    asked = []
    answer(window, QMessageBox.Discard, asked)
    training.next_case()
    loaded(qtbot, window, second)
    assert asked
    state = json.loads((folder / ".neuroview-worklist.json").read_text())
    assert state["cases"]["a.nii.gz"]["status"] == "new"
    assert state["current"] == "b.nii.gz"


def test_worklist_next_case_on_the_last_case_keeps_it_and_its_edits_after_discard(
        qtbot, window, tmp_path):
    """The case on screen is the last one not done: Discard was answered, but nothing replaced
    the case (it was opened again, its edits dropped): it stays on screen with its edits, unsaved."""
    folder = tmp_path / "worklist"
    folder.mkdir()
    first, _ = write_image(folder, name="a")
    paint_the_worklist_case(qtbot, window, folder, first)
    shown, painted = window.controller.volume, window.editor.session.labels.array.copy()
    asked = []
    answer(window, QMessageBox.Discard, asked)
    window.training_actions.next_action.trigger()
    qtbot.wait(200)
    assert asked and not window.runner.busy and window.controller.volume is shown
    assert window.notice_bar.text.startswith("No other case of the worklist is left to open: case "
                                             "1 of 1 (a.nii.gz), on screen, stays as it is")
    assert np.array_equal(window.editor.session.labels.array, painted) and painted.any()
    assert window.editor.case.modified and window.edit_actions.discarded is None

def two_series(folder):
    """``folder`` holding two images of other sizes: opening it asks which series."""
    from render_cases import AFFINES, make_case

    from neuroview.io.nifti import save_nifti

    folder.mkdir()
    for name, shape in (("t1", (20, 30, 40)), ("flair", (24, 24, 24))):
        volume, _ = make_case(AFFINES["ras"], shape=shape)
        save_nifti(volume.array, volume.ijk_to_ras, folder / f"{name}.nii.gz")
    return folder


def cancel_the_chooser(qtbot, window):
    from PySide6.QtWidgets import QDialogButtonBox

    qtbot.waitUntil(lambda: window.series_dialog is not None and window.series_dialog.isVisible(),
                    timeout=30000)
    buttons = window.series_dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(buttons.button(QDialogButtonBox.Cancel), Qt.LeftButton)


def test_cancel_in_the_series_chooser_keeps_the_image_and_its_edits(qtbot, window, tmp_path,
                                                                    monkeypatch):
    """Discard, then Cancel in the chooser of a folder with two series (File > Open): the image
    and its unsaved edits stay, and the status bar says nothing was opened (it said nothing)."""
    path, _, painted = paint(qtbot, window, tmp_path)
    session = window.editor.session
    folder = two_series(tmp_path / "study")
    asked = []
    answer(window, QMessageBox.Discard, asked)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    next(a for a in window.file_menu.actions()
         if a.text().replace("&", "").startswith("Open folder")).trigger()
    cancel_the_chooser(qtbot, window)
    qtbot.waitUntil(lambda: window.series_dialog is None and not window.runner.busy, timeout=10000)
    assert asked
    assert window.controller.volume.source_path == str(path) and window.editor.session is session
    assert np.array_equal(session.labels.array, painted) and window.editor.case.modified
    assert window.statusBar().currentMessage() == ("Nothing opened: no series was chosen; the image "
                                                   "on screen stays as it was.")


def test_cancel_in_the_series_chooser_of_a_worklist_case_keeps_the_case_and_the_worklist(
        qtbot, window, tmp_path):
    """Next case to a case folder holding two series, Cancel in the chooser: the case before stays
    on screen with its edits, and the worklist stays on it; it had moved on to the case not opened
    (claimed from the other annotators, and passed over by the next Next case)."""
    import json

    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "a_case").mkdir()
    first, _ = write_image(cases / "a_case", name="t1")
    two_series(cases / "b_case")
    (cases / "c_case").mkdir()
    write_image(cases / "c_case", name="t1")
    training = window.training_actions
    paint_the_worklist_case(qtbot, window, cases, first)
    session = window.editor.session
    painted = session.labels.array.copy()
    asked = []
    answer(window, QMessageBox.Discard, asked)
    training.next_case()
    cancel_the_chooser(qtbot, window)
    qtbot.waitUntil(lambda: window.series_dialog is None and not window.runner.busy, timeout=10000)
    assert asked
    assert window.controller.volume.source_path == str(first) and window.editor.session is session
    assert np.array_equal(session.labels.array, painted) and window.editor.case.modified
    assert training.worklist.current == training.worklist_id == "a_case"
    state = json.loads((cases / ".neuroview-worklist.json").read_text())
    assert [claim["case"] for claim in state["open_by"].values()] == ["a_case"]
    assert window.statusBar().currentMessage() == (
        "Nothing opened: no series was chosen; the image on screen stays as it was; the worklist "
        "stays where it was.")

    answer(window, QMessageBox.Discard, asked)
    training.next_case()                                 # b_case again, not passed over
    qtbot.waitUntil(lambda: window.series_dialog is not None and window.series_dialog.isVisible(),
                    timeout=30000)
    window.series_dialog.accept()                        # its first series
    qtbot.waitUntil(lambda: training.worklist_id == "b_case" and not window.runner.busy,
                    timeout=30000)
    assert training.worklist.current == "b_case"


def _held_big_folder(tmp_path, monkeypatch):
    """``studies``: 501 case folders, whose listing waits until the event returned is set; *Open*
    answered to the many-cases question."""
    import threading

    from neuroview.dataset import worklist_sources

    big = tmp_path / "studies"
    for k in range(501):
        (big / f"case_{k:03d}").mkdir(parents=True)
    write_image(big / "case_000", "t1")
    go_on, real = threading.Event(), worklist_sources.is_dicom_seg
    monkeypatch.setattr(worklist_sources, "is_dicom_seg", lambda e: go_on.wait(30) and real(e))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.Open)
    return big, go_on


def test_edits_made_while_a_big_worklist_is_listed_are_asked_about(qtbot, window, tmp_path,
                                                                    monkeypatch):
    """While a folder of 501 cases is listed (in the background) the user opens an image by hand
    and paints on it: once the listing ends, the question is asked before its first case replaces
    the image, and Cancel keeps the image and its edits (replaced unasked until session 44)."""
    big, go_on = _held_big_folder(tmp_path, monkeypatch)
    training = window.training_actions
    training.open_worklist(big)
    (tmp_path / "mine").mkdir()
    mine, _volume = write_image(tmp_path / "mine", "mine")
    window.open_paths([mine])
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    stroke_a_lesion(window, session)
    assert window.editor.case.modified and window.runner.busy
    asked = []
    answer(window, QMessageBox.Cancel, asked, watch_ms=30000)
    go_on.set()
    qtbot.waitUntil(lambda: not window.runner.busy and bool(asked), timeout=30000)
    qtbot.wait(100)
    assert asked == ["The labels of this image have edits that are not saved."]
    assert window.controller.volume.source_path == str(mine) and window.editor.case.modified
    assert training.worklist is None
    assert window.statusBar().currentMessage() == (
        "Nothing opened: the worklist studies was not opened; the image on screen stays as it was.")


def test_edits_discarded_at_a_big_worklists_open_are_not_asked_about_again(qtbot, window, tmp_path,
                                                                          monkeypatch):
    """Discard answered when the big worklist was opened, no edit since: its first case opens
    once listed, with no second question."""
    (tmp_path / "w").mkdir()
    big, go_on = _held_big_folder(tmp_path / "w", monkeypatch)
    paint(qtbot, window, tmp_path)
    asked = []
    answer(window, QMessageBox.Discard, asked)
    window.training_actions.open_worklist(big)
    assert len(asked) == 1 and window.runner.busy
    answer(window, QMessageBox.Cancel, asked, watch_ms=3000)   # a second question: Cancel
    go_on.set()
    loaded(qtbot, window, big / "case_000" / "t1.nii.gz")
    assert len(asked) == 1 and window.training_actions.worklist.source == big
