"""A gantry-tilted CT is listed as what it is, axial slices tilted N degrees (dcm2niix and the
scanner's GantryDetectorTilt give the angle), where ``neuroview info`` and the series chooser said
``LPS (oblique)``, which readers took for an oblique reformat. A rotated grid stays oblique."""

from __future__ import annotations

import numpy as np

from neuroview.core.geometry import LPS_TO_RAS, gantry_tilt, orientation_label
from neuroview.core.volume import Volume


def _tilted(degrees: float, step_mm: float = 5.0) -> np.ndarray:
    """A head CT's LPS grid as a scanner writes it: the image plane tilted about left-right, the
    table (ImagePositionPatient) moving along the body axis only."""
    a = np.radians(degrees)
    affine = np.eye(4)
    affine[:3, 0] = (0.5, 0, 0)
    affine[:3, 1] = (0, 0.5 * np.cos(a), 0.5 * np.sin(a))
    affine[:3, 2] = (0, 0, step_mm / np.cos(a))   # the table's travel between slices
    return LPS_TO_RAS @ affine


def test_a_gantry_tilted_grid_is_named_axial_with_its_tilt():
    assert orientation_label(_tilted(15.0)) == "LPS (axial, gantry tilt 15°)"
    assert orientation_label(_tilted(-12.5)) == "LPS (axial, gantry tilt 12.5°)"
    assert Volume(np.zeros((4, 4, 3)), _tilted(20.0)).summary()["orientation"] == \
        "LPS (axial, gantry tilt 20°)"
    plane, angle = gantry_tilt(_tilted(15.0))
    assert plane == "axial" and abs(angle - 15.0) < 1e-9


def test_rotated_and_straight_grids_keep_their_names():
    a = np.radians(15.0)
    rotated = np.eye(4)   # the same tilted plane, slices stacked along its normal: no shear
    rotated[:3, :3] = [[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]]
    assert orientation_label(LPS_TO_RAS @ rotated) == "LPS (oblique)"
    assert gantry_tilt(LPS_TO_RAS @ rotated) is None
    assert orientation_label(LPS_TO_RAS) == "LPS"
    sheared_off_axis = _tilted(15.0)   # the slices stepping off every world axis: no table's
    sheared_off_axis[:3, 2] += (2.0, 0.0, 0.0)
    assert orientation_label(sheared_off_axis) == "LPS (oblique)"
