"""A worklist case whose *Send to training set* a kill cut short after the training set was
written reads ``in the training set`` when the worklist opens it again, as after a send that
finished: the notice said "the training set holds it, as nv_0001" while the Worklist panel read
``corrected``, "0 of 2 done", and *Next case* came back to it (session 43's walk, a real SIGKILL
after the case's ``ready.json``). Here the send is a forked copy killed at that point."""

from __future__ import annotations

import numpy as np
from worklist_cases import worklist_folder

from neuroview.app.case import Case, workspace_for
from neuroview.dataset.layout import init_dataset
from neuroview.io.nifti import load_nifti
from tests.durability import fork_killed


def test_a_send_killed_after_it_was_written_marks_the_case_sent(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path)
    dataset = init_dataset(tmp_path / "training", "Lesions", ["background", "lesion"])
    volume = load_nifti(cases / "a_case.nii.gz")
    case = Case.open(volume, workspace_for(volume))
    case.session.segments.add("lesion")
    centre = volume.ijk_to_ras @ np.append(np.array(volume.shape) // 2, 1.0)
    case.session.apply("paint", at_ras=centre[:3], radius_mm=4.0, mode="3d")
    code, _ = fork_killed(case.send_to_training_set, dataset, point="dataset-ready")
    assert code == -9
    case.session.journal.close()   # this process "died" too: no close()

    window.training_actions.open_worklist(cases)   # a_case, with the restore question
    qtbot.waitUntil(lambda: "the training set holds it, as nv_0001" in window.notice_bar.text,
                    timeout=30000)
    worklist = window.training_actions.worklist
    assert worklist.case("a_case.nii.gz").status == "in_training_set"   # it read corrected
    assert worklist.case("a_case.nii.gz").training_case == "nv_0001"
    assert worklist.case("b_case.nii.gz").status == "new"
