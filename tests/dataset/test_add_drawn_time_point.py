"""`dataset add --frame N` of a 4D image records the time point in the case's provenance, and a
label map whose ``.segments.json`` names the time point it was drawn on (the window records it)
is refused with another ``--frame``: that time point's image would go in with labels drawn on
another, as *Send to training set* stored volume 1 (b=0) with labels drawn on volume 5. Without
``--frame`` the one time point the segments name is stored, said in one line (it was refused as
needing ``--frame``); two are refused."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np

CLI_FORKED = "what `dataset add` says and stores, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _case(tmp_path, cli, rng, *time_points):
    """A 4D image of 4 time points, a mask of two segments whose ``.segments.json`` records
    ``time_points`` (one list a segment), an empty dataset; ``(image data, dataset, add args)``."""
    affine = np.diag([2.0, 2.0, 2.5, 1.0])
    data = rng.normal(100, 20, (12, 10, 8, 4)).astype(np.float32)
    nib.save(nib.Nifti1Image(data, affine), tmp_path / "dwi.nii.gz")
    mask = np.zeros((12, 10, 8), np.uint8)
    mask[3:7, 2:6, 2:5] = 1
    mask[8:10, 6:8, 5:7] = 2
    nib.save(nib.Nifti1Image(mask, affine), tmp_path / "mask.nii.gz")
    (tmp_path / "mask.segments.json").write_text(json.dumps([
        {"value": value, "name": "lesion", "color": [230, 25, 75], "time_points": points}
        for value, points in enumerate(time_points, start=1)]))
    dataset = tmp_path / "Dataset007_X"
    cli("dataset", "init", dataset, "--name", "X", "--labels", "background,lesion")
    return data, dataset, ("dataset", "add", dataset, "--image", tmp_path / "dwi.nii.gz",
                           "--labels", tmp_path / "mask.nii.gz")


def test_the_time_point_drawn_on_is_required_and_recorded(tmp_path, cli, rng):
    data, dataset, add = _case(tmp_path, cli, rng, [3], [])

    result = cli(*add, "--frame", "2")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {tmp_path / 'mask.nii.gz'}: the labels were drawn on time point 3 of "
        "the 4D image (their .segments.json says so), not on time point 2: give --frame 3"]
    assert not (dataset / "imagesTr" / "nv_0001_0000.nii.gz").exists()

    result = cli(*add, "--frame", "3")
    assert result.returncode == 0, result.stderr
    stored = np.asarray(nib.load(dataset / "imagesTr" / "nv_0001_0000.nii.gz").dataobj)
    assert np.array_equal(stored, data[..., 2])
    assert json.loads((dataset / "provenance" / "nv_0001.json").read_text())["time_point"] == 3


def test_without_frame_the_time_point_the_segments_name_is_stored(tmp_path, cli, rng):
    data, dataset, add = _case(tmp_path, cli, rng, [3], [3])

    result = cli(*add)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"note: {tmp_path / 'mask.nii.gz'}: the labels were drawn on time point 3 of the 4D image (their "
        ".segments.json says so): stored time point 3 (--frame N to choose it yourself)"]
    stored = np.asarray(nib.load(dataset / "imagesTr" / "nv_0001_0000.nii.gz").dataobj)
    assert np.array_equal(stored, data[..., 2])
    assert json.loads((dataset / "provenance" / "nv_0001.json").read_text())["time_point"] == 3


def test_segments_naming_two_time_points_need_frame(tmp_path, cli, rng):
    data, dataset, add = _case(tmp_path, cli, rng, [2], [4])

    result = cli(*add)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {tmp_path / 'mask.nii.gz'}: the labels were drawn on time points 2 and 4 "
        "of the 4D image (their .segments.json says so): choose the one whose image they belong to "
        "with --frame N"]
    assert not (dataset / "imagesTr" / "nv_0001_0000.nii.gz").exists()

    result = cli(*add, "--frame", "4")   # --frame chooses among them
    assert result.returncode == 0, result.stderr
    stored = np.asarray(nib.load(dataset / "imagesTr" / "nv_0001_0000.nii.gz").dataobj)
    assert np.array_equal(stored, data[..., 3])
    assert json.loads((dataset / "provenance" / "nv_0001.json").read_text())["time_point"] == 4
