"""A blank later study (every voxel 0, a failed export) is one line naming it, not an internal
error: the s19 walk's `neuroview followup` of such a study printed 'internal error: RuntimeError:
Exception thrown in SimpleITK CenteredTransformInitializer: .../itkImageMomentsCalculator.hxx:123:
ITK ERROR: ...'. Any other failure inside SimpleITK's registration is one line too."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.followup import StudyInput, compare
from neuroview.core.errors import GeometryError, NeuroviewError
from neuroview.io.nifti import save_nifti
from neuroview.io.registration import register

AFFINE = np.diag([4.0, 4.0, 4.0, 1.0])


def head(rng) -> np.ndarray:
    grid = np.indices((32, 32, 32)).astype(float) - 15.5
    inside = np.linalg.norm(grid / np.array([12, 14, 10])[:, None, None, None], axis=0) < 1
    return (inside * 100 + rng.random((32, 32, 32))).astype(np.float32)


def test_a_blank_later_study_is_one_line_naming_it(tmp_path, capsys, rng):
    from neuroview.cli.main import main

    for name, image in (("t1", head(rng)), ("t2", np.zeros((32, 32, 32), np.float32))):
        save_nifti(image, AFFINE, tmp_path / f"{name}.nii.gz")
        save_nifti(np.zeros(image.shape, np.uint8), AFFINE, tmp_path / f"{name}_lesions.nii.gz")
    code = main(["followup", str(tmp_path / "t1.nii.gz"), str(tmp_path / "t2.nii.gz"),
                 "--labels-baseline", str(tmp_path / "t1_lesions.nii.gz"),
                 "--labels", str(tmp_path / "t2_lesions.nii.gz"), "--no-brain-extraction",
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines() == [
        "neuroview: error: follow-up 1: the image is blank (every voxel is 0): there is nothing to register"]
    with pytest.raises(NeuroviewError, match="baseline: the image is blank"):
        compare(StudyInput(np.full((8, 8, 8), 3.0), AFFINE, np.zeros((8, 8, 8), np.uint8), name="baseline"),
                StudyInput(head(rng), AFFINE, np.zeros((32, 32, 32), np.uint8), name="follow-up 1"))


def test_a_failure_inside_simpleitk_is_a_geometry_error(rng):
    """An empty brain mask: ITK's metric finds no sample, said in one line."""
    image = head(rng)
    with pytest.raises(GeometryError) as error:
        register(image, AFFINE, image, AFFINE, fixed_mask=np.zeros(image.shape, bool),
                 moving_mask=image > 50, iterations=5)
    assert str(error.value).startswith("registration failed (") and "\n" not in str(error.value)
