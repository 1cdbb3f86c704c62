"""Opening a case in an oblique view and reading its labels: helpers that test_oblique_editing.py and
the tests building on it share (test modules import helpers from a helper module, never from another
test module)."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import open_image, wait_for_session
from render_cases import centred_affine, rotation_xyz


def open_oblique(qtbot, window, tmp_path, shape=(40, 40, 20)):
    """A series tilted 20 degrees about R-L and 12 about S-I, 0.9 x 1.1 x 3 mm voxels."""
    tilt = rotation_xyz(np.radians(20.0), 0.0, np.radians(12.0))
    affine = centred_affine(tilt, np.array([0.9, 1.1, 3.0]), shape)
    image = np.random.default_rng(3).normal(100, 10, shape).astype(np.float32)
    nib.save(nib.Nifti1Image(image, affine), tmp_path / "oblique.nii.gz")
    open_image(qtbot, window, tmp_path / "oblique.nii.gz")
    session = wait_for_session(qtbot, window)
    assert window.controller.state.orientation_mode == "anatomical"   # the default: resliced
    return session, window.controller.volume


def shown_labels(window, plane):
    view = window.slice_views[plane]
    view.repaint()
    return view.last.labels, view.last.geometry
