"""A tiny nnU-Net v2 raw dataset for the training and model GUI tests (as tests/ai make theirs)."""

from __future__ import annotations

import json

import numpy as np


def make_raw_dataset(folder, rng):
    """Six 2 mm 24^3 cases of bright blobs on noisy tissue, label 1 = lesion, channel T1."""
    import nibabel as nib

    root = folder / "Dataset001_Blobs"
    (root / "imagesTr").mkdir(parents=True)
    (root / "labelsTr").mkdir()
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    grid = np.indices((24, 24, 24)).transpose(1, 2, 3, 0)
    for number in range(6):
        centre = rng.uniform(8, 16, 3)
        label = (np.linalg.norm(grid - centre, axis=-1) < rng.uniform(3, 6)).astype(np.uint8)
        image = 100 + 10 * rng.standard_normal(label.shape) + 150 * label
        nib.save(nib.Nifti1Image(image.astype(np.float32), affine),
                 root / "imagesTr" / f"c{number}_0000.nii.gz")
        nib.save(nib.Nifti1Image(label, affine), root / "labelsTr" / f"c{number}.nii.gz")
    (root / "dataset.json").write_text(json.dumps({
        "channel_names": {"0": "T1"}, "labels": {"background": 0, "lesion": 1},
        "numTraining": 6, "file_ending": ".nii.gz"}))
    return root
