"""Save labels over the labels file of the worklist case on screen that another annotator saved
after the case opened here (two annotators on one case, each told so) asks first in the notice
bar: the second Save replaced the colleague's newer labels, told nothing but the file dialog's
usual "already exists" (the file was the one loaded or saved here before)."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
from editor_helpers import save_and_wait, stroke_a_lesion
from worklist_cases import open_worklist, worklist_folder

from neuroview.app.label_files import save_label_files, sidecar_path
from neuroview.core.labels import LabelMap
from neuroview.dataset.worklist import Worklist
from neuroview.io.nifti import load_nifti


def _voxels(path) -> int:
    return int(np.count_nonzero(np.asarray(nib.load(path).dataobj)))


def test_saving_over_labels_a_colleague_saved_meanwhile_asks_first(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path)
    open_worklist(qtbot, window, cases, case_id="a_case.nii.gz")
    stroke_a_lesion(window, window.editor.session)
    target = cases / "a_case-labels.nii.gz"

    volume = load_nifti(cases / "a_case.nii.gz")   # ben, on the same case, saves his labels there
    bens = LabelMap(np.zeros(volume.shape, np.uint8), volume.ijk_to_ras)
    bens.array[5:25, 5:25, 10:30] = 1
    bens.segments.add("ben's lesion", value=1)
    save_label_files(bens, volume.ijk_to_ras, target)
    Worklist.open(cases, user="ben").set_labels("a_case.nii.gz", target)

    window.edit_actions.save_labels(target)
    assert window.notice_bar.text.startswith(
        "a_case-labels.nii.gz was saved by ben (") and window.notice_bar.text.endswith(
        " after this case opened here: saving replaces their labels with yours. Nothing was saved "
        "(File > Save labels... under another name keeps both).")
    assert _voxels(target) == 20 * 20 * 20   # ben's, kept
    assert json.loads(sidecar_path(target).read_text())[0]["name"] == "ben's lesion"

    window.notice_bar.buttons["Replace theirs"].click()
    assert window.edit_actions.saving.wait(), "the save failed"
    assert json.loads(sidecar_path(target).read_text())[0]["name"] == "lesion"   # anna's now
    assert _voxels(target) == int(np.count_nonzero(window.editor.session.labels.array))

    # ben saves again; anna loads his file and goes on from it: her Save asks nothing
    save_label_files(bens, volume.ijk_to_ras, target)
    Worklist.open(cases, user="ben").set_labels("a_case.nii.gz", target)
    window.edit_actions.load_labels(target, replace=True)
    qtbot.waitUntil(lambda: window.editor.session.segments.get(1).name == "ben's lesion"
                    and not window.runner.busy, timeout=10000)
    window.notice_bar.hide()
    stroke_a_lesion(window, window.editor.session)
    save_and_wait(window, target)
    assert "was saved by ben" not in window.notice_bar.text
    assert json.loads(sidecar_path(target).read_text())[-1]["name"] == "lesion"


def test_saving_over_a_colleagues_labels_not_loaded_here_asks_first(qtbot, window, tmp_path):
    """anna saved half-done labels and moved on; ben, given the case, dismissed the offer to load
    them and drew his own: his Save labels (the same name proposed) replaced anna's file and her
    time, told nothing (session 49's walk)."""
    cases = worklist_folder(tmp_path)
    target = cases / "a_case-labels.nii.gz"
    volume = load_nifti(cases / "a_case.nii.gz")
    annas = LabelMap(np.zeros(volume.shape, np.uint8), volume.ijk_to_ras)
    annas.array[5:25, 5:25, 10:30] = 1
    annas.segments.add("anna's lesion", value=1)
    save_label_files(annas, volume.ijk_to_ras, target)
    Worklist.open(cases, user="anna").set_labels("a_case.nii.gz", target)

    open_worklist(qtbot, window, cases, case_id="a_case.nii.gz")
    qtbot.waitUntil(lambda: "load them?" in window.notice_bar.text, timeout=10000)
    window.notice_bar.buttons["Dismiss"].click()
    stroke_a_lesion(window, window.editor.session)
    window.edit_actions.save_labels(target)
    assert window.notice_bar.text.startswith("a_case-labels.nii.gz was saved by anna (")
    assert " before this case opened here, and they were not loaded here: saving replaces their " \
        "labels with yours. Nothing was saved" in window.notice_bar.text
    assert _voxels(target) == 20 * 20 * 20   # anna's, kept
    assert json.loads(sidecar_path(target).read_text())[0]["name"] == "anna's lesion"

    window.edit_actions.load_labels(target, replace=True)   # loaded here: her labels go on in his
    qtbot.waitUntil(lambda: window.editor.session.segments.get(1).name == "anna's lesion"
                    and not window.runner.busy, timeout=10000)
    window.notice_bar.hide()
    save_and_wait(window, target)
    assert "was saved by anna" not in window.notice_bar.text


def test_save_labels_proposes_ones_own_name_beside_a_colleagues_file(qtbot, window, tmp_path,
                                                                      monkeypatch):
    """ben saved a_case-labels.nii.gz: the next annotator's *Save labels...* proposes
    a_case-labels-LOGIN.nii.gz beside it (session 50's walk: it proposed ben's file, and Qt's
    "already exists" then neuroview's "saved by ben ... Nothing was saved" asked in turn)."""
    from PySide6.QtWidgets import QFileDialog

    from neuroview.app.save_folder import safe_file_name

    cases = worklist_folder(tmp_path)
    volume = load_nifti(cases / "a_case.nii.gz")
    bens = LabelMap(np.zeros(volume.shape, np.uint8), volume.ijk_to_ras)
    bens.array[5:25, 5:25, 10:30] = 1
    bens.segments.add("lesion", value=1)
    save_label_files(bens, volume.ijk_to_ras, cases / "a_case-labels.nii.gz")
    Worklist.open(cases, user="ben").set_labels("a_case.nii.gz", cases / "a_case-labels.nii.gz")
    open_worklist(qtbot, window, cases, case_id="a_case.nii.gz")
    stroke_a_lesion(window, window.editor.session)
    proposed = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda parent, title, default, *a, **k: proposed.append(default) or ("", ""))
    window.edit_actions.save_labels_dialog()
    user = window.training_actions.worklist.user
    assert proposed == [str(cases / f"a_case-labels-{safe_file_name(user)}.nii.gz")]


def _dialog_answers(monkeypatch, path, replace: bool):
    """*Save labels...*'s file dialog answered with ``path`` (then Cancel, when it opens again),
    and any question box with *Yes* (``replace``) or *No*: (the dialog's options and the file it
    proposed, each time it opened; the questions' texts)."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    opened, asked = [], []

    def dialog(parent, title, default, filters, **k):
        opened.append((k.get("options"), default))
        return (str(path), filters.split(";;")[0]) if len(opened) == 1 else ("", "")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.append(text) or (
        QMessageBox.StandardButton.Yes if replace else QMessageBox.StandardButton.No))
    return opened, asked


def test_choosing_a_colleagues_file_in_the_dialog_asks_one_question_naming_them(qtbot, window,
                                                                                  tmp_path, monkeypatch):
    """anna picks ben's file in the dialog: neuroview's notice alone asks, naming ben (session
    50's walk: Qt's "already exists. Replace?" came first, then neuroview's "saved by ben")."""
    from PySide6.QtWidgets import QFileDialog

    cases = worklist_folder(tmp_path)
    open_worklist(qtbot, window, cases, case_id="a_case.nii.gz")
    stroke_a_lesion(window, window.editor.session)
    target = cases / "a_case-labels.nii.gz"
    volume = load_nifti(cases / "a_case.nii.gz")
    bens = LabelMap(np.zeros(volume.shape, np.uint8), volume.ijk_to_ras)
    bens.array[5:25, 5:25, 10:30] = 1
    save_label_files(bens, volume.ijk_to_ras, target)
    Worklist.open(cases, user="ben").set_labels("a_case.nii.gz", target)

    opened, asked = _dialog_answers(monkeypatch, target, replace=True)
    assert window.edit_actions.save_labels_dialog()
    assert [options for options, _ in opened] == [QFileDialog.Option.DontConfirmOverwrite]   # no Qt box
    assert asked == [] and window.notice_bar.text.startswith("a_case-labels.nii.gz was saved by ben (")
    assert _voxels(target) == 20 * 20 * 20                        # ben's, kept until answered


def test_an_existing_file_is_asked_about_once_naming_who_saved_it(qtbot, window, tmp_path, monkeypatch):
    """A file that exists, a colleague's this window loaded (neuroview's notice does not ask) or
    one's own, is asked about once by neuroview, after its ending is added: a name typed without
    one (``a_case-labels``) replaced ``a_case-labels.nii.gz`` unasked, Qt having asked of the
    name typed."""
    cases = worklist_folder(tmp_path)
    target = cases / "a_case-labels.nii.gz"
    volume = load_nifti(cases / "a_case.nii.gz")
    bens = LabelMap(np.zeros(volume.shape, np.uint8), volume.ijk_to_ras)
    bens.array[5:25, 5:25, 10:30] = 1
    bens.segments.add("ben's lesion", value=1)
    save_label_files(bens, volume.ijk_to_ras, target)
    Worklist.open(cases, user="ben").set_labels("a_case.nii.gz", target)
    open_worklist(qtbot, window, cases, case_id="a_case.nii.gz")
    window.edit_actions.load_labels(target, replace=True)         # loaded here: no "saved by" notice
    qtbot.waitUntil(lambda: "ben's lesion" in [s.name for s in window.editor.session.segments]
                    and not window.runner.busy, timeout=10000)
    stroke_a_lesion(window, window.editor.session)

    opened, asked = _dialog_answers(monkeypatch, cases / "a_case-labels", replace=False)
    assert not window.edit_actions.save_labels_dialog()   # No: the dialog again, on that file; Cancel
    assert asked == ["a_case-labels.nii.gz already exists (saved by ben for this worklist case). "
                     "Replace it?"]
    assert opened[1][1] == str(target)
    assert json.loads(sidecar_path(target).read_text())[0]["name"] == "ben's lesion"   # kept

    _opened, asked = _dialog_answers(monkeypatch, target, replace=True)
    assert window.edit_actions.save_labels_dialog() and window.edit_actions.saving.wait()
    assert len(asked) == 1 and _voxels(target) == int(np.count_nonzero(window.editor.session.labels.array))


def test_a_colleagues_save_at_the_same_moment_is_kept_and_named(qtbot, window, tmp_path, monkeypatch):
    """anna and ben press Save labels on the same case at the same moment (two processes): each
    found no colleague's file, so neither was asked, and the second save replaced the first's
    labels, told nothing, both named in the worklist's state as saved there (session 52's team
    walk). ben's save is held in its write (a thread standing for his process, holding the file's
    saving lock) while anna's starts: hers now waits, finds his file and writes nothing, saying
    whose it is; saved again, it replaces his."""
    import threading

    import neuroview.io.nifti as nifti

    cases = worklist_folder(tmp_path)
    open_worklist(qtbot, window, cases, case_id="a_case.nii.gz")
    stroke_a_lesion(window, window.editor.session)
    target = cases / "a_case-labels.nii.gz"
    volume = load_nifti(cases / "a_case.nii.gz")
    bens = LabelMap(np.zeros(volume.shape, np.uint8), volume.ijk_to_ras)
    bens.array[5:25, 5:25, 10:30] = 1
    bens.segments.add("ben's lesion", value=1)

    writing, go = threading.Event(), threading.Event()
    save_nifti = nifti.save_nifti

    def held(*args, **kwargs):   # ben's write waits, his lock held, until anna's save has begun
        if threading.current_thread().name == "ben":
            writing.set()
            go.wait(30)
        return save_nifti(*args, **kwargs)
    monkeypatch.setattr(nifti, "save_nifti", held)
    work = [{"annotator": "ben", "session": "ben-1", "editing_seconds": 60.0, "hand_edits": 3}]
    ben = threading.Thread(target=save_label_files, name="ben",
                           args=(bens, volume.ijk_to_ras, target), kwargs={"work": work})
    ben.start()
    assert writing.wait(30)
    window.edit_actions.save_labels(target)   # nothing there yet: nobody's to ask about
    go.set()
    ben.join(30)
    Worklist.open(cases, user="ben").set_labels("a_case.nii.gz", target)

    assert not window.edit_actions.saving.wait(), "anna's save went over ben's"
    assert _voxels(target) == 20 * 20 * 20   # ben's, kept
    assert json.loads(sidecar_path(target).read_text())[0]["name"] == "ben's lesion"
    assert window.message_bar.text == (
        f"{target}: saved by ben while this save waited: their labels are kept and yours were not "
        "written (they stay unsaved, in the crash journal). Load theirs to go on from them, or save "
        "again to replace them (File > Save labels... under another name keeps both).")
    assert window.editor.case.modified   # anna's edits unsaved, kept
    state = Worklist.open(cases, user="ben").case("a_case.nii.gz")
    assert state.labels_of == {"ben": str(target.resolve())} and state.labels_by == "ben"

    window.edit_actions.save_labels(target)   # asked now, as any colleague's file
    assert window.notice_bar.text.startswith("a_case-labels.nii.gz was saved by ben (")
    window.notice_bar.buttons["Replace theirs"].click()
    assert window.edit_actions.saving.wait(), "the save failed"
    assert json.loads(sidecar_path(target).read_text())[0]["name"] == "lesion"   # anna's now
