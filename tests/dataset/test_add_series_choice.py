"""`dataset add --image FOLDER` with several series in the folder and no `--series` is refused in
one line naming the folder: it used to add whichever series the scan ranked best, in silence, so a
mask drawn on one series of a study (T1 and FLAIR on one grid are common) could be stored as the
label of another."""

from __future__ import annotations

import nibabel as nib
import numpy as np

from tests.dataset.fake_dicom import make_ct_series

CLI_FORKED = "what `dataset add` says and stores, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_several_series_need_series_n_and_series_n_adds_that_one(tmp_path, cli):
    study = tmp_path / "study"
    _, first, ijk_to_ras = make_ct_series(study / "a", seed=1)
    _, second, _ = make_ct_series(study / "b", seed=2)   # another series on the same grid
    labels = np.zeros(first.shape, np.uint8)
    labels[8:20, 6:18, 2:6] = 1
    nib.save(nib.Nifti1Image(labels, ijk_to_ras), tmp_path / "mask.nii.gz")
    dataset = tmp_path / "Dataset007_X"
    cli("dataset", "init", dataset, "--name", "X", "--labels", "background,lesion", "--channels", "CT")

    result = cli("dataset", "add", dataset, "--image", study, "--labels", tmp_path / "mask.nii.gz")

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {study}: 2 series found; choose the one the labels were drawn on with "
        "--series N, as 'neuroview info' numbers them"]
    assert not list((dataset / "imagesTr").iterdir())

    stored = []
    for number in (1, 2):
        result = cli("dataset", "add", dataset, "--image", study, "--series", number,
                     "--labels", tmp_path / "mask.nii.gz")
        assert result.returncode == 0, result.stderr
        case = result.stdout.strip()
        stored.append(np.asarray(nib.load(dataset / "imagesTr" / f"{case}_0000.nii.gz").dataobj))
    assert sorted(any(np.array_equal(image, series) for image in stored)
                  for series in (first, second)) == [True, True]
