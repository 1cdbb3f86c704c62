"""A MONOCHROME1 MR (shown inverted: ``Volume.display_inverted``) goes into a training set as a
model reads it (turned over, as its MONOCHROME2 twin), not as stored: the set trained on
inverted grey levels that inference never gives it. A CT keeps its Hounsfield units."""

from __future__ import annotations

from dataclasses import replace

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset
from neuroview.dataset.store import add_case
from tests.dataset.label_maps import lesion_map


def test_a_monochrome1_mr_is_stored_as_its_monochrome2_twin(tmp_path, small_mr):
    top = float(small_mr.array.max()) + 50.0
    twin = replace(small_mr, array=np.float32(top) - small_mr.array, display_inverted=True)
    folder = init_dataset(tmp_path, "Heads", ["background", "lesion"])
    add_case(folder, twin, lesion_map(twin))
    stored = np.asarray(nib.load(folder / "imagesTr" / "nv_0001_0000.nii.gz").dataobj)
    assert small_mr.array.min() == 0 and small_mr.array.std() > 0
    np.testing.assert_allclose(stored, small_mr.array, atol=1e-3)
