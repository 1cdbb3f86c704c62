"""The worklist's claim follows what the window has open: a worklist case replaced by an image
opened by hand is given up; a case whose open a newer open replaced before it showed is given up
too, and *Next case* does not pass over it; a worklist opened again on its own state file (a
ranking's proposed case) keeps the new case's claim. Each of these left a case claimed that no
window had open, which every other annotator's *Next case* then passed over."""

from __future__ import annotations

import json
import threading

from editor_helpers import write_image

from neuroview.dataset.worklist import Worklist
from neuroview.io.candidates import SeriesCandidate

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _cases(tmp_path):
    """a_case, b_case and c_case (images of different orientations) and an image that is no
    case, ``other.nii.gz``, outside the worklist folder."""
    cases = tmp_path / "cases"
    cases.mkdir()
    paths = [write_image(cases, name, affine)[0]
             for name, affine in (("a_case", "ras"), ("b_case", "lps"), ("c_case", "oblique"))]
    other = write_image(tmp_path, "other", "lps")[0]
    return cases, paths, other


def _state(cases):
    return json.loads((cases / ".neuroview-worklist.json").read_text())


def _claims(cases):
    return [claim["case"] for claim in _state(cases)["open_by"].values()]


def _shown(qtbot, window, path):
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy
                    and window.controller.volume.source_path == str(path), timeout=30000)


def test_a_worklist_case_replaced_by_an_image_opened_by_hand_is_given_up(qtbot, window, tmp_path):
    cases, (a_path, b_path, _), other = _cases(tmp_path)
    training = window.training_actions
    training.open_worklist(cases)
    _shown(qtbot, window, a_path)
    assert _claims(cases) == ["a_case.nii.gz"]

    window.open_paths([other])                                   # File > Open: no worklist case
    _shown(qtbot, window, other)
    assert _claims(cases) == []                                  # a_case free for the others
    assert Worklist.open(cases, user="ben").resume().case_id == "a_case.nii.gz"

    window.open_paths([b_path])                                  # a worklist case, opened by hand
    _shown(qtbot, window, b_path)
    assert {c["user"]: c["case"] for c in _state(cases)["open_by"].values()} == {
        training.worklist.user: "b_case.nii.gz", "ben": "a_case.nii.gz"}


def test_a_case_whose_open_a_newer_open_replaced_is_given_up_and_not_passed_over(
        qtbot, window, tmp_path, monkeypatch):
    cases, (a_path, b_path, _), other = _cases(tmp_path)
    gate = threading.Event()
    load = SeriesCandidate.load

    def held_load(self, progress=None, cancel=None):
        if "b_case" in self.key:
            assert gate.wait(30)
        return load(self, progress, cancel)

    monkeypatch.setattr(SeriesCandidate, "load", held_load)
    training = window.training_actions
    training.open_worklist(cases)
    _shown(qtbot, window, a_path)

    training.next_case()                                         # b_case: its loading waits
    qtbot.waitUntil(lambda: window.progress_text.text().startswith("Loading"), timeout=20000)
    assert _claims(cases) == ["b_case.nii.gz"]
    window.open_paths([other])                                   # the user opens another image
    gate.set()
    _shown(qtbot, window, other)
    assert _claims(cases) == []                                  # neither b_case nor a_case
    assert training.worklist.current == "a_case.nii.gz"

    training.next_case()                                         # b_case, not passed over
    _shown(qtbot, window, b_path)
    assert _claims(cases) == ["b_case.nii.gz"]


def test_opening_the_worklist_again_at_another_case_keeps_that_cases_claim(qtbot, window, tmp_path):
    """A ranking's *Open the proposed case* opens the worklist (its state) again at that case:
    leaving the worklist opened before dropped the window's new claim, and set where the user
    stopped back to the case left."""
    cases, (a_path, _, c_path), _ = _cases(tmp_path)
    training = window.training_actions
    training.open_worklist(cases)
    _shown(qtbot, window, a_path)

    training.open_worklist(cases, case_id="c_case.nii.gz")
    _shown(qtbot, window, c_path)
    assert _claims(cases) == ["c_case.nii.gz"]
    assert _state(cases)["stopped_at"] == {training.worklist.user: "c_case.nii.gz"}


def test_a_case_that_cannot_be_read_is_marked_given_up_and_next_case_goes_on(qtbot, window, tmp_path):
    """b_case is damaged: *Next case* from a_case says so in one line with no path, marks it
    unreadable in the worklist (the other annotators pass over it too), claims nothing of it,
    and goes on to c_case. It stayed claimed, from everyone, while a_case was on screen."""
    cases, (a_path, b_path, c_path), _ = _cases(tmp_path)
    b_path.write_bytes(b"not an image")
    training = window.training_actions
    training.open_worklist(cases)
    _shown(qtbot, window, a_path)

    lines = []
    window.statusBar().messageChanged.connect(lines.append)
    training.next_case()
    _shown(qtbot, window, c_path)
    reason = _state(cases)["cases"]["b_case.nii.gz"]["unreadable"]
    assert reason and str(tmp_path) not in reason
    assert lines[0] == (f"Nothing opened: b_case.nii.gz could not be read ({reason}); the image on "
                        "screen stays as it was; worklist case 2 of 3, marked unreadable; Next "
                        "case goes on to case 3.")   # while case 3 loads
    # case 3 on screen: "the image on screen stays as it was" is out of date (it stayed, session 27)
    assert window.statusBar().currentMessage() == (
        "Worklist case 3 of 3 (c_case.nii.gz, new) opened: 0 of 3 done; 1 unreadable; "
        "Next case passed over 1 case that could not be read (marked unreadable, see the notice).")
    assert _claims(cases) == ["c_case.nii.gz"]
    assert window.notice_bar.text.startswith(f"b_case.nii.gz could not be read ({reason}): marked "
                                             "unreadable in the worklist, Next case passes over it.")
    # the worklist's lines went into Measurements, among the rulers, until session 28
    assert window.measurements.count() == 0
    ben = Worklist.open(cases, user="ben")
    assert ben.unreadable() == {"b_case.nii.gz": reason}
    assert ben.resume().case_id == "a_case.nii.gz"
    assert ben.next_case().case_id == "a_case.nii.gz"    # not b_case (unreadable) nor c_case (held)

    write_image(cases, "b_case", "lps")                          # the file is fixed, opened by hand
    window.open_paths([b_path])
    _shown(qtbot, window, b_path)
    assert "unreadable" not in _state(cases)["cases"]["b_case.nii.gz"]


def test_when_only_unreadable_cases_are_left_next_case_says_so(qtbot, window, tmp_path):
    cases, (a_path, b_path, c_path), _ = _cases(tmp_path)
    b_path.write_bytes(b"not an image")
    c_path.write_bytes(b"")
    training = window.training_actions
    training.open_worklist(cases)
    _shown(qtbot, window, a_path)
    training.worklist.set_status("a_case.nii.gz", "in_training_set", training_case="nv_0001")

    training.next_case()                                         # b_case, then c_case: none left
    qtbot.waitUntil(lambda: not window.runner.busy and "no other case" in
                    window.statusBar().currentMessage(), timeout=30000)
    assert window.statusBar().currentMessage().endswith(
        "worklist case 3 of 3, marked unreadable; no other case is left to open.")
    unreadable = training.worklist.unreadable()
    assert sorted(unreadable) == ["b_case.nii.gz", "c_case.nii.gz"]
    assert window.notice_bar.text.startswith(
        "No case of the worklist is left to open: the others are done (in the training set or "
        f"sent to PACS), and 2 could not be read: b_case.nii.gz ({unreadable['b_case.nii.gz']}); "
        f"c_case.nii.gz ({unreadable['c_case.nii.gz']}).")
    assert window.controller.volume.source_path == str(a_path)
    assert _claims(cases) == ["a_case.nii.gz"]
