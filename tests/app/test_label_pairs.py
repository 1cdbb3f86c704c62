"""Which of two files opened together is the label map of the other (``app.label_pairs``), as
the window asks before it would show the series chooser: by content (whole numbers, few values,
the same grid), the names deciding only between two label maps or which to read first."""

from __future__ import annotations

import dataclasses

import numpy as np

from neuroview.app.label_pairs import image_with_labels
from neuroview.io import scan
from neuroview.io.nifti import save_nifti

AFFINE = np.diag([2.0, 2.0, 2.0, 1.0])


def _files(tmp_path, image_name, mask_name, mask_affine=AFFINE):
    rng = np.random.default_rng(0)
    image = rng.normal(300, 80, (24, 26, 28)).astype(np.float32)
    mask = np.zeros((24, 26, 28), np.uint8)
    mask[5:12, 6:14, 7:15] = 1
    mask[14:20, 6:14, 7:15] = 2
    save_nifti(image, AFFINE, tmp_path / f"{image_name}.nii.gz")
    save_nifti(mask, mask_affine, tmp_path / f"{mask_name}.nii.gz")
    return tmp_path / f"{image_name}.nii.gz", tmp_path / f"{mask_name}.nii.gz", image


def _pair(paths, reads=None):
    result = scan([str(p) for p in paths])
    if reads is not None:   # count the files whose voxels are read
        for i, c in enumerate(result.candidates):
            def counted(progress=None, cancel=None, _load=c.loader, _key=c.key):
                reads.append(_key)
                return _load(progress, cancel)
            result.candidates[i] = dataclasses.replace(c, loader=counted)
    return image_with_labels([str(p) for p in paths], result)


def test_a_name_that_misleads_still_pairs_by_content(tmp_path):
    image, mask, voxels = _files(tmp_path, "brain_T1", "brain")   # the image's name extends the mask's
    pair = _pair([image, mask])
    assert pair is not None and pair.labels_path == str(mask)
    np.testing.assert_array_equal(pair.image.load().array, voxels)


def test_two_images_read_one_file_and_do_not_pair(tmp_path):
    first, _, _ = _files(tmp_path, "t1", "unused")
    second, _, _ = _files(tmp_path, "flair", "unused2")
    reads = []
    assert _pair([first, second], reads) is None
    assert len(reads) == 1


def test_a_mask_on_a_shifted_grid_does_not_pair(tmp_path):
    shifted = AFFINE.copy()
    shifted[0, 3] = 10.0
    image, mask, _ = _files(tmp_path, "case", "case_seg", shifted)
    assert _pair([image, mask]) is None
