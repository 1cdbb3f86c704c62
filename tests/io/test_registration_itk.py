"""The follow-up's transform as an ITK transform file (``transform_tpN.tfm``) is the one ITK and
3D Slicer apply: the later study, read by SimpleITK from its NIfTI file and resampled onto the
baseline through the ``.tfm`` read back, is the later study seen through the known transform
(not only a matrix that neuroview itself reads back). Both grids are oblique, anisotropic and one
is mirrored, so a transform left in RAS, or pointing the wrong way, cannot pass."""

from __future__ import annotations

import numpy as np
import SimpleITK as sitk

from neuroview.io.nifti import save_nifti
from neuroview.io.registration import resample, write_itk_transform
from tests.app.followup_cases import rigid


def _grid(shape, spacing, rotation_deg, origin, mirror=False):
    affine = rigid(rotation_deg)
    affine[:3, :3] = affine[:3, :3] @ np.diag(spacing) @ np.diag([-1.0 if mirror else 1.0, 1.0, 1.0])
    affine[:3, 3] = origin
    return tuple(shape), affine


def _field(points_ras: np.ndarray) -> np.ndarray:
    """A smooth pattern in the later study's world (mm): linear interpolation reads it closely."""
    x, y, z = points_ras.T
    return (100.0 + 40.0 * np.sin(x / 9.0) * np.cos(y / 11.0) + 30.0 * np.sin(z / 13.0 + 0.4)
            + 0.5 * x - 0.3 * y)


def _points(shape, affine) -> np.ndarray:
    ijk = np.indices(shape, dtype=float).reshape(3, -1).T
    return ijk @ affine[:3, :3].T + affine[:3, 3]


def test_tfm_resamples_the_later_study_onto_the_baseline_as_the_known_transform(tmp_path):
    b_shape, b_affine = _grid((40, 46, 34), (2.0, 1.6, 2.4), (10.0, -6.0, 14.0), (-35.0, -40.0, -30.0))
    f_shape, f_affine = _grid((48, 44, 40), (1.8, 2.2, 1.7), (-8.0, 12.0, -5.0), (40.0, -45.0, -35.0),
                              mirror=True)
    baseline_to_later = rigid((9.0, -7.0, 12.0), (6.0, -4.0, 5.0), (2.0, 3.0, 1.0))
    later = _field(_points(f_shape, f_affine)).reshape(f_shape).astype(np.float32)
    save_nifti(np.zeros(b_shape, np.float32), b_affine, tmp_path / "baseline.nii.gz")
    save_nifti(later, f_affine, tmp_path / "later.nii.gz")
    write_itk_transform(baseline_to_later, tmp_path / "transform_tp2.tfm")

    transform = sitk.ReadTransform(str(tmp_path / "transform_tp2.tfm"))
    itk_result = sitk.Resample(sitk.ReadImage(str(tmp_path / "later.nii.gz")),
                               sitk.ReadImage(str(tmp_path / "baseline.nii.gz")), transform,
                               sitk.sitkLinear, np.nan, sitk.sitkFloat64)
    on_baseline = np.transpose(sitk.GetArrayFromImage(itk_result), (2, 1, 0))

    baseline_points = _points(b_shape, b_affine)
    later_points = baseline_points @ baseline_to_later[:3, :3].T + baseline_to_later[:3, 3]
    later_ijk = (later_points - f_affine[:3, 3]) @ np.linalg.inv(f_affine[:3, :3]).T
    inside = np.all((later_ijk >= 1) & (later_ijk <= np.asarray(f_shape) - 2), axis=1)
    assert inside.mean() > 0.4   # most of the baseline's field of view lies in the later study
    truth = _field(later_points).reshape(b_shape)
    inside = inside.reshape(b_shape)
    assert not np.isnan(on_baseline[inside]).any()
    assert np.abs(on_baseline[inside] - truth[inside]).max() < 2.0   # of a 140 range: interpolation
    # and it is what neuroview's own resampling through the RAS matrix shows
    ours = resample(later, f_affine, b_shape, b_affine, baseline_to_later)
    assert np.abs(on_baseline[inside] - ours[inside]).max() < 1e-2


def test_tfm_holds_the_lps_matrix_of_the_ras_transform(tmp_path):
    baseline_to_later = rigid((3.0, 20.0, -4.0), (7.0, 8.0, -9.0), (10.0, -5.0, 2.0), scale=1.05)
    write_itk_transform(baseline_to_later, tmp_path / "t.tfm")
    transform = sitk.ReadTransform(str(tmp_path / "t.tfm"))
    point_ras = np.array([12.0, -30.0, 44.0])
    mapped_lps = transform.TransformPoint([-point_ras[0], -point_ras[1], point_ras[2]])
    expected_ras = baseline_to_later[:3, :3] @ point_ras + baseline_to_later[:3, 3]
    assert np.allclose([-mapped_lps[0], -mapped_lps[1], mapped_lps[2]], expected_ras, atol=1e-6)
    assert "AffineTransform" in (tmp_path / "t.tfm").read_text()
