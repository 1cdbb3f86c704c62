"""Volumes in mL on a gantry-tilted CT's sheared grid: each voxel holds |det| of the affine, not
the product of its axes' lengths (1 / cos(tilt) more: 3.5 % at 15 degrees). The brain volume of
``segment`` and of brain extraction, and each reader's volume in the reader comparison, used that
product; the label lists, lesions and components used the determinant. So did the volume
difference of two readers (``dataset.agreement``) and the lesion sizes of the AI metrics, and the
post-processing's size rules; all go through ``core.geometry.voxel_volume_mm3`` now, which gives
what nibabel's affine gives."""

from __future__ import annotations

from types import SimpleNamespace

import nibabel as nib
import numpy as np
import pytest

from neuroview.ai import brain
from neuroview.ai.api import SegmentationResult
from neuroview.ai.metrics import equivalent_diameter_mm, lesion_metrics
from neuroview.app.readers import ReaderComparison, compare
from neuroview.core.geometry import spacing_from_affine, voxel_volume_ml, voxel_volume_mm3
from neuroview.core.labels import LabelMap

TILT = np.radians(15)


def _tilted_grid() -> np.ndarray:
    """0.5 x 0.5 mm pixels, slices 5 mm apart, the image plane tilted 15 degrees (as a scanner
    writes it: the table moves along the body axis, 5 / cos(15) = 5.18 mm per slice)."""
    affine = np.eye(4)
    affine[:3, 0] = [0.5, 0, 0]
    affine[:3, 1] = [0, 0.5 * np.cos(TILT), 0.5 * np.sin(TILT)]
    affine[:3, 2] = [0, 0, 5.0 / np.cos(TILT)]
    return affine


def test_volumes_on_a_tilted_grid_count_each_voxel_at_its_true_volume():
    affine = _tilted_grid()
    mask = np.zeros((20, 20, 6), bool)
    mask[2:12, 3:13, 1:5] = True                      # 400 voxels of 0.25 x 5 mm3 = 0.5 mL
    true_ml = 400 * 0.5 * 0.5 * 5.0 / 1000
    assert voxel_volume_ml(affine) == pytest.approx(0.5 * 0.5 * 5.0 / 1000)
    assert LabelMap(mask.astype(np.uint8), affine).voxel_volume_ml * 400 == pytest.approx(true_ml)
    assert brain.volume_ml(mask, affine) == pytest.approx(true_ml)
    result = SegmentationResult(np.zeros(mask.shape, np.uint8), affine, [], "m@1", "cpu",
                                brain_mask=mask)
    assert result.brain_ml == pytest.approx(true_ml)
    comparison = ReaderComparison([], {"dr.a": mask}, {"dr.a": (255, 0, 0)}, [], None, affine)
    assert comparison.volume_ml("dr.a") == pytest.approx(true_ml)


def _nibabel_voxel_mm3(affine) -> float:
    image = nib.Nifti1Image(np.zeros((2, 2, 2), np.uint8), affine)
    return float(np.abs(np.linalg.det(image.affine[:3, :3])))


def test_the_voxel_volume_is_nibabels_determinant():
    affine = _tilted_grid()
    assert voxel_volume_mm3(affine) == pytest.approx(_nibabel_voxel_mm3(affine))
    product = float(np.prod(spacing_from_affine(affine)))      # what was used: 1 / cos(tilt) more
    assert product == pytest.approx(voxel_volume_mm3(affine) / np.cos(TILT))
    assert voxel_volume_mm3((0.5, 0.5, 5.0)) == pytest.approx(1.25)   # an orthogonal grid's sizes


def test_two_readers_volume_difference_on_a_tilted_grid():
    affine = _tilted_grid()
    a = np.zeros((20, 20, 6), np.uint8)
    a[2:12, 3:13, 1:5] = 1                            # 400 voxels
    b = a.copy()
    b[12:17, 3:13, 1:3] = 1                           # 100 more
    versions = [SimpleNamespace(reader=name, created=n, description="", seg_series_uid=str(n),
                                labels=SimpleNamespace(array=mask, segments=()))
                for n, (name, mask) in enumerate((("dr.a", a), ("dr.b", b)))]
    (pair,) = compare(versions, affine, method="majority").pairs
    assert pair.volume_difference_ml == pytest.approx(100 * _nibabel_voxel_mm3(affine) / 1000)


def test_lesion_sizes_on_a_tilted_grid():
    """413 voxels of 1.25 mm3 make a ball 9.95 mm across (the 5-10 mm bin); counted with the
    product of the axes' lengths it was 10.07 mm (over 10 mm)."""
    affine = _tilted_grid()
    mask = np.zeros((20, 20, 6), bool)
    mask[2:12, 3:13, 1:5] = True
    mask[12, 3:16, 1] = True                          # 400 + 13 voxels, one lesion
    assert int(mask.sum()) == 413
    expected = np.cbrt(6 * 413 * _nibabel_voxel_mm3(affine) / np.pi)
    assert equivalent_diameter_mm(413, affine) == pytest.approx(expected) and expected < 10
    by_size = lesion_metrics(mask, mask, affine)["by_size"]
    assert by_size == {"<5mm": [0, 0], "5-10mm": [1, 1], ">10mm": [0, 0]}
