"""A complex NIfTI (complex64, a reconstruction's output) opened in the window: it showed the real
part alone (3 for voxels of 3+4i), with only a ComplexWarning on the console. Now it shows their
magnitude (5), as ITK-SNAP does, and the notice bar says so in one line."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import open_image

from neuroview.io.registry import load


def _complex_file(folder):
    data = np.full((20, 22, 24), 3 + 4j, np.complex64)
    data[5, 6, 7] = -6 - 8j
    path = folder / "recon.nii.gz"
    nib.save(nib.Nifti1Image(data, np.eye(4)), path)
    return path


def test_a_complex_nifti_loads_as_its_magnitude(tmp_path):
    volume = load(_complex_file(tmp_path))
    assert volume.array.dtype == np.float32
    assert volume.array[0, 0, 0] == 5.0 and volume.array[5, 6, 7] == 10.0
    assert volume.warnings == ["recon.nii.gz: complex voxels (complex64): showing their magnitude"]


def test_the_window_shows_a_complex_nifti_as_its_magnitude(qtbot, window, tmp_path):
    open_image(qtbot, window, _complex_file(tmp_path))
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "showing their magnitude" in bar.text, timeout=10000)
    shown = window.controller.shown_volume().array
    assert not np.iscomplexobj(shown) and float(shown.max()) == 10.0 and float(shown.min()) == 5.0
