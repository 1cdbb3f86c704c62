"""Opening a big ``.nii.gz`` moves the progress bar and stops on Cancel: its voxels inflate with
a progress in bytes and a look at Cancel every MiB. The bar stood at 0 of 1000 for the whole read
(7 s for a 512x512x600 CT at load 11, 25-70 s for 512x512x1000), and Cancel was heard only
after it."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken
from neuroview.io import registry

SHAPE = (128, 128, 320)   # 10 MiB of int16: reports at 0, 8 and 10 MiB


@pytest.fixture(scope="module")
def big_gz(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "ct.nii.gz"
    array = np.zeros(SHAPE, np.int16)
    array[:, :, -1] = 7   # the last slice read: the load went to the end
    nib.save(nib.Nifti1Image(array, np.diag([0.7, 0.7, 0.8, 1.0])), path)
    return path


def test_loading_reports_the_bytes_inflated(big_gz):
    seen = []
    volume = registry.load([str(big_gz)], progress=lambda done, total, text: seen.append((done, total, text)))
    assert int(volume.array[0, 0, -1]) == 7
    loading = [(done, total) for done, total, text in seen if text == "Loading ct.nii.gz"]
    nbytes = int(np.prod(SHAPE)) * 2
    assert loading[0] == (0, nbytes) and loading[-1] == (nbytes, nbytes)
    assert (8 << 20, nbytes) in loading   # a step between: the bar moves while it reads
    assert [d for d, _ in loading] == sorted(d for d, _ in loading)


def test_cancel_stops_the_load_midway(big_gz):
    cancel, seen = CancelToken(), []

    def progress(done, total, text):
        seen.append(done)
        if text.startswith("Loading") and done >= 8 << 20:
            cancel.cancel()

    with pytest.raises(Cancelled):
        registry.load([str(big_gz)], progress=progress, cancel=cancel)
    assert max(seen) < int(np.prod(SHAPE)) * 2   # never read to the end


def cancelled_midway(path) -> None:
    """Cancel pressed at the load's first step past 0: the load stops there."""
    cancel = CancelToken()

    def progress(done, total, text):
        if text.startswith("Loading") and done > 0:
            cancel.cancel()

    with pytest.raises(Cancelled):
        registry.load([str(path)], progress=progress, cancel=cancel)


def test_a_scaled_image_reports_and_cancels_too(tmp_path):
    """A CT as dcm2niix writes it (stored uint16, scl_inter -1024) goes through the scaling."""
    path = tmp_path / "scaled.nii.gz"
    img = nib.Nifti1Image(np.full(SHAPE, 1064, np.uint16), np.eye(4))
    img.header.set_slope_inter(1.0, -1024.0)
    nib.save(img, path)
    seen = []
    volume = registry.load([str(path)], progress=lambda done, total, text: seen.append((done, total, text)))
    assert float(volume.array[5, 5, -1]) == 40.0
    loading = [(done, total) for done, total, text in seen if text == "Loading scaled.nii.gz"]
    voxels = int(np.prod(SHAPE))
    assert loading[0] == (0, voxels) and loading[-1] == (voxels, voxels) and len(loading) > 2
    cancelled_midway(path)


def test_a_gzip_nrrd_reports_and_cancels_too(tmp_path):
    """A 3D Slicer CT saved as a compressed .nrrd inflates with the same progress and Cancel."""
    import nrrd

    path = tmp_path / "ct.nrrd"
    array = np.zeros(SHAPE, np.int16)
    array[:, :, -1] = 7
    nrrd.write(str(path), array, {"encoding": "gzip", "space": "left-posterior-superior",
                                  "space directions": np.eye(3), "space origin": np.zeros(3)},
               index_order="F")
    seen = []
    volume = registry.load([str(path)], progress=lambda done, total, text: seen.append((done, total, text)))
    assert int(volume.array[0, 0, -1]) == 7
    nbytes = int(np.prod(SHAPE)) * 2
    loading = [(done, total) for done, total, text in seen if text == "Loading ct.nrrd"]
    assert loading[0] == (0, nbytes) and (8 << 20, nbytes) in loading
    cancelled_midway(path)
