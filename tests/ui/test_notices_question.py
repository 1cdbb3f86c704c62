"""The worklist's "load labels?" question joins the news of the open it belongs to (the warnings,
the cases Next case passed over): it replaced them when the crash journal was read in a worker."""

from __future__ import annotations

from editor_helpers import write_image
from worklist_cases import open_worklist, saved_two_label_mask, worklist_with_saved_labels

from neuroview.app.case import workspace_for
from neuroview.app.session import Session

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

WARNING = "duplicate positions: 1 image left out"


def test_the_load_labels_question_keeps_the_news_of_the_open(qtbot, window, tmp_path, monkeypatch):
    """A worklist case with labels saved on an earlier day, a workspace whose crash journal is read
    in a worker (nothing in it to restore), a load warning, and a case before it that cannot be
    read: the notice bar asks to load the labels above the case passed over and the warning (the
    question alone showed, the status line saying "see the notice"); Load labels loads them."""
    import neuroview.io.registry as registry
    from neuroview.app.restore_offer import has_workspace

    cases, volume, labels = worklist_with_saved_labels(tmp_path)
    earlier = Session(volume, workspace_for(volume))   # a workspace with nothing to restore:
    earlier.journal.close()                            # its journal is read in a worker
    assert has_workspace(workspace_for(volume))
    real = registry.load_nifti

    def with_a_warning(name, **options):   # progress, cancel
        loaded = real(name, **options)
        if "a_case" in str(name):
            loaded.warnings.append(WARNING)
        return loaded

    monkeypatch.setattr(registry, "load_nifti", with_a_warning)
    open_worklist(qtbot, window, cases)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Load labels" in bar.buttons, timeout=30000)
    assert window.statusBar().currentMessage().endswith(
        "Next case passed over 1 case that could not be read (marked unreadable, see the notice).")
    lines = bar.text.split("\n")
    assert len(lines) == 3, lines
    assert lines[0] == "The labels of this case were saved to two.nii.gz; load them?"
    assert lines[1].startswith("0_bad.nii.gz could not be read (")
    assert lines[1].endswith("marked unreadable in the worklist, Next case passes over it.")
    assert lines[2] == f"Warning: {WARNING}"
    assert str(tmp_path) not in bar.text
    assert set(bar.buttons) == {"Load labels", "Dismiss"}
    bar.buttons["Load labels"].click()
    qtbot.waitUntil(lambda: window.editor.session.labels.array.any() and not window.runner.busy,
                    timeout=30000)
    assert (window.editor.session.labels.array == labels).all()


def test_the_load_labels_question_keeps_the_note_of_the_edits_discarded(qtbot, window, tmp_path,
                                                                         monkeypatch):
    """Discard at Next case, a stroke while the next case loads (dropped with the others), and
    that case's labels offered once its crash journal was read in a worker: the bar asks above
    the note of the stroke dropped, which the question replaced."""
    import threading

    from editor_helpers import INSIDE_CASE_RAS, stroke
    from unsaved_edits import loaded, paint_the_worklist_case

    import neuroview.io.registry as registry
    from neuroview.dataset.worklist import Worklist
    from neuroview.ui.actions_edit import EditActions

    folder = tmp_path / "worklist"
    folder.mkdir()
    first, _ = write_image(folder, name="a")
    second, volume = write_image(folder, name="b", affine_name="lps")
    mask, _labels = saved_two_label_mask(folder, volume)
    Worklist.open(folder).set_labels("b.nii.gz", str(mask))
    earlier = Session(volume, workspace_for(volume))
    earlier.journal.close()
    gate, real = threading.Event(), registry.load_nifti

    def held(name, **options):
        if "b.nii" in str(name):
            assert gate.wait(30)
        return real(name, **options)

    def discard(actions) -> bool:   # as answering Discard to Save / Discard / Cancel does
        case = actions.editor.case
        actions.discarded = (case, case.version) if case is not None else None
        return True

    monkeypatch.setattr(registry, "load_nifti", held)
    monkeypatch.setattr(EditActions, "confirm_replace", discard)
    paint_the_worklist_case(qtbot, window, folder, first)
    window.training_actions.next_case()
    qtbot.waitUntil(lambda: window.runner.busy, timeout=10000)
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, 8.0, 0], INSIDE_CASE_RAS + [6.0, 8.0, 0]])
    gate.set()
    loaded(qtbot, window, second)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Load labels" in bar.buttons, timeout=30000)
    assert bar.text.split("\n") == [
        "The labels of this case were saved to two.nii.gz; load them?",
        "The edits made while the next image was loading were discarded with the others (you "
        "answered Discard)."]
