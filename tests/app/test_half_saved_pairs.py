"""Every reader of a label map and its ``.segments.json`` completes a save that a kill cut
between the two renames (the mask new, its sidecar old or missing) before it reads, as
``neuroview segment`` does for its output folder: the window's and ``snapshot``'s label map
(``app.view_labels``), the window's *Load labels* worker, ``dataset add``'s masks, a worklist
folder and ``segment``'s inputs."""

from __future__ import annotations

import numpy as np
import pytest

import neuroview.core.crash
from neuroview.app.label_files import save_label_files, sidecar_path
from neuroview.core.labels import LabelMap, SegmentTable

AFFINE = np.diag([2.0, 2.0, 2.0, 1.0])


class Killed(Exception):
    """The kill, in-process: raised where the save's process was killed."""


def half_saved(path, monkeypatch):
    """``path`` as a save killed after the mask's rename and before its sidecar's leaves it:
    a mask of a model's 'lesion' (value 1) without the sidecar that names it."""
    array = np.zeros((8, 8, 8), np.uint8)
    array[2:5, 2:5, 2:5] = 1
    table = SegmentTable()
    table.add("lesion", value=1, origin="model", model="unet@2")

    def point(name):
        if name == "commit-renaming":
            raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(neuroview.core.crash, "point", point)
        with pytest.raises(Killed):
            save_label_files(LabelMap(array, AFFINE, table), AFFINE, path)
    assert path.exists() and not sidecar_path(path).exists()   # the half pair
    return array


def test_the_view_reads_the_mask_with_its_segments(tmp_path, monkeypatch):
    from neuroview.app.view_labels import load_label_map

    path = tmp_path / "labels.nii.gz"
    half_saved(path, monkeypatch)
    segment = load_label_map(path).segments.get(1)
    assert (segment.name, segment.origin, segment.model) == ("lesion", "model", "unet@2")
    assert sidecar_path(path).exists()


def test_the_windows_load_labels_reads_the_mask_with_its_segments(tmp_path, monkeypatch):
    from neuroview.app.label_files import prepare_label_file
    from neuroview.core.volume import Volume

    path = tmp_path / "labels.nii.gz"
    array = half_saved(path, monkeypatch)
    prepared = prepare_label_file(path, Volume(array.astype(np.float32), AFFINE))
    assert prepared.names[1].name == "lesion" and prepared.names[1].model == "unet@2"


def test_dataset_add_reads_the_mask_with_its_segments(tmp_path, monkeypatch):
    from neuroview.cli.dataset import _load_label_map
    from neuroview.core.volume import Volume

    path = tmp_path / "labels.nii.gz"
    array = half_saved(path, monkeypatch)
    label_map = _load_label_map(str(path), Volume(array.astype(np.float32), AFFINE))
    assert label_map.segments.get(1).model == "unet@2"   # not recorded as drawn by hand


def test_a_worklist_folder_does_not_take_the_mask_for_a_case(tmp_path, monkeypatch):
    from neuroview.dataset.worklist import Worklist
    from neuroview.io.nifti import save_nifti

    folder = tmp_path / "cases"
    folder.mkdir()
    save_nifti(np.ones((8, 8, 8), np.float32), AFFINE, folder / "t1.nii.gz")
    half_saved(folder / "t1_labels.nii.gz", monkeypatch)
    worklist = Worklist.open(folder, state_path=tmp_path / "state.json", user="ann")
    assert [c.case_id for c in worklist.cases] == ["t1.nii.gz"]


def test_segment_does_not_take_the_mask_for_a_case(tmp_path, monkeypatch):
    from neuroview.cli.batch_cases import plan_cases
    from neuroview.io.nifti import save_nifti

    folder = tmp_path / "cases"
    folder.mkdir()
    for name in ("a.nii.gz", "b.nii.gz"):
        save_nifti(np.ones((8, 8, 8), np.float32), AFFINE, folder / name)
    half_saved(folder / "a_labels.nii.gz", monkeypatch)
    cases, _ = plan_cases(str(folder), str(tmp_path / "out"))
    assert [c.rsplit("/", 1)[-1] for c in cases] == ["a.nii.gz", "b.nii.gz"]
