"""A worklist folder of small cases, opened in the window: the set-up the worklist window tests
repeated, each in its own words (``test_worklist_watch``, ``test_worklist_held_case``,
``test_worklist_close``)."""

from __future__ import annotations

from pathlib import Path

from editor_helpers import write_image, write_two_label_mask


def worklist_folder(tmp_path: Path, names=("a_case", "b_case")) -> Path:
    """``tmp_path/cases`` holding ``NAME.nii.gz`` for each of ``names``, stored RAS and LPS in turn."""
    cases = tmp_path / "cases"
    cases.mkdir()
    for number, name in enumerate(names):
        write_image(cases, name, ("ras", "lps")[number % 2])
    return cases


def annotator_saves(cases: Path, path: Path, labels, names: dict, user: str = "anna") -> None:
    """``user``'s *Save labels* of a_case: ``labels`` (an array on its grid, ``names``: value ->
    segment name) saved to ``path``, named in the worklist's state as theirs."""
    from neuroview.app.label_files import save_label_files
    from neuroview.core.labels import LabelMap, SegmentTable
    from neuroview.dataset.worklist import Worklist
    from neuroview.io.nifti import load_nifti

    volume = load_nifti(cases / "a_case.nii.gz")
    save_label_files(LabelMap(labels, volume.ijk_to_ras, SegmentTable.from_values(list(names), names)),
                     volume.ijk_to_ras, path)
    Worklist.open(cases, user=user).set_labels("a_case.nii.gz", path)


def saved_two_label_mask(folder: Path, volume):
    """``write_two_label_mask``'s labels saved in ``folder`` as *Save labels* saves them, with
    their sidecar (a worklist folder's case's labels, beside it: no case of their own): (path,
    the labels written). A worklist's state names labels files in its own folders only."""
    from neuroview.app.label_files import save_label_files
    from neuroview.core.labels import LabelMap, SegmentTable

    mask, labels = write_two_label_mask(folder, volume)
    save_label_files(LabelMap(labels, volume.ijk_to_ras, SegmentTable.from_values([1, 2])),
                     volume.ijk_to_ras, mask)
    return mask, labels


def worklist_with_saved_labels(tmp_path: Path):
    """``tmp_path/cases``: 0_bad.nii.gz (not an image: Next case passes over it), a_case (RAS)
    and b_case (LPS), a_case's labels saved on an earlier day (``saved_two_label_mask`` in
    the worklist's folder): (cases, a_case's volume, the labels saved)."""
    from neuroview.dataset.worklist import Worklist

    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "0_bad.nii.gz").write_bytes(b"not an image")   # Next case passes over it
    _, volume = write_image(cases, "a_case", "ras")
    write_image(cases, "b_case", "lps")
    mask, labels = saved_two_label_mask(cases, volume)
    Worklist.open(cases).set_labels("a_case.nii.gz", str(mask))   # saved on an earlier day
    return cases, volume, labels


def open_worklist(qtbot, window, cases: Path, case_id: str = "") -> None:
    """Open ``cases`` as the worklist (at ``case_id``, else where it resumes); wait for the case."""
    window.training_actions.open_worklist(cases, case_id=case_id)
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy, timeout=30000)
