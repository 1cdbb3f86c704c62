"""Regenerate plans.json/dataset.json here with nnU-Net v2's own planner (about 20 s):

    python tests/ai/data/nnunet_tiny/make_plans.py /tmp/nnunet_tiny

Three synthetic 40x36x24 cases at 1.0 x 1.2 x 2.0 mm with two labels; plans.json is nnU-Net's
ExperimentPlanner output (fingerprint + plan, no preprocessing), copied unchanged from
nnUNet_preprocessed/Dataset501_TinyBrain/nnUNetPlans.json. (The tests narrow the network's
features_per_stage from 32..256 to 4..32 to run fast on a CPU.)
"""

import json
import os
import sys

import nibabel as nib
import numpy as np


def main(root: str) -> None:
    raw, pre = os.path.join(root, "raw"), os.path.join(root, "preprocessed")
    dataset = os.path.join(raw, "Dataset501_TinyBrain")
    os.makedirs(dataset + "/imagesTr", exist_ok=True)
    os.makedirs(dataset + "/labelsTr", exist_ok=True)
    rng = np.random.default_rng(0)
    affine = np.diag([1.0, 1.2, 2.0, 1.0])
    for case in range(3):
        shape = (40, 36, 24)
        image = rng.normal(100, 10, shape).astype(np.float32)
        labels = np.zeros(shape, np.uint8)
        labels[10:20, 10:20, 8:14] = 1
        labels[25:30, 20:30, 10:16] = 2
        image[labels == 1] += 80
        image[labels == 2] += 160
        nib.save(nib.Nifti1Image(image, affine), f"{dataset}/imagesTr/case{case:03d}_0000.nii.gz")
        nib.save(nib.Nifti1Image(labels, affine), f"{dataset}/labelsTr/case{case:03d}.nii.gz")
    with open(dataset + "/dataset.json", "w") as handle:
        json.dump({"channel_names": {"0": "T1"}, "labels": {"background": 0, "lesion": 1, "edema": 2},
                   "numTraining": 3, "file_ending": ".nii.gz"}, handle)
    os.environ.update(nnUNet_raw=raw, nnUNet_preprocessed=pre, nnUNet_results=root + "/results")
    from nnunetv2.experiment_planning.plan_and_preprocess_api import extract_fingerprints, plan_experiments

    extract_fingerprints([501], num_processes=1, check_dataset_integrity=False, clean=True, verbose=False)
    plan_experiments([501])


if __name__ == "__main__":  # nnU-Net's workers are spawned processes that re-import this file
    main(sys.argv[1])
