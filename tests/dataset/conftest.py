"""Fixtures for training-set tests: a small real MR (MNI152 downsampled) and a fake CT series."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.core.volume import Volume
from tests.dataset.fake_dicom import make_ct_series, volume_from_series


@pytest.fixture(scope="session")
def small_mr(mni_volume) -> Volume:
    """The MNI152 T1 template at 4 mm (50x59x48): real anatomy, a few hundred kB."""
    affine = mni_volume.ijk_to_ras.copy()
    affine[:3, :3] *= 4
    array = np.ascontiguousarray(np.asarray(mni_volume.array)[::4, ::4, ::4]).astype(np.float32)
    return Volume(array, affine, modality="MR", description="mni")


@pytest.fixture(scope="session")
def ct_series(tmp_path_factory):
    """(folder, pydicom datasets, Volume as a DICOM loader gives it)."""
    folder = tmp_path_factory.mktemp("source") / "CT_Quintanilla"
    datasets, array, ijk_to_ras = make_ct_series(folder)
    return folder, datasets, volume_from_series(datasets, array, ijk_to_ras, folder)
