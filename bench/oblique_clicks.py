"""AI click on oblique, anisotropic and sagittal-stored copies of the demo (issue #13).

The demo's four lesions (resources/demo), resampled with scipy onto other grids: rotated 0, 10
or 20 degrees (about the R and A axes), 1 mm or 0.5 x 0.5 x 3 mm (a thick slice averages the
image over its 3 mm, as a scanner's does; the truth is averaged the same way and kept >= 0.5),
slices stored axial or sagittal. On each copy the simulated user of ``bench/interactive.py``
(the same code, the same prompts) gives clicks and a box; Dice on the copy's grid against the
copy's truth. Read against:

- the threshold oracle on the same copy (the ceiling of intensity alone);
- round trip: the copy's truth given as the previous mask to a backend that answers it back as
  it is (:class:`TruthEcho`), through the engine's ROI and back: its geometry's loss alone;
- attainable: the copy's truth mapped back onto the demo's 1 mm grid against the demo's truth
  (what a perfect answer on this grid reaches there).

Run it from the repository root with the checkout on the path (``PYTHONPATH=.``): from ``bench/``
an installed neuroview elsewhere is imported instead.

    PYTHONPATH=. nice -n 5 python bench/oblique_clicks.py [--copies demo,thick-sag-20,...] [--threads 1]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import nibabel as nib
import numpy as np
from interactive import run_backend, threshold_oracle
from scipy import ndimage

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
# name: (degrees, spacing along the stored axes, storage)
COPIES = {
    "demo": (0, (1.0, 1.0, 1.0), "axial"),
    "1mm-10": (10, (1.0, 1.0, 1.0), "axial"),
    "1mm-20": (20, (1.0, 1.0, 1.0), "axial"),
    "1mm-sag-20": (20, (1.0, 1.0, 1.0), "sagittal"),
    "thick-ax-0": (0, (0.5, 0.5, 3.0), "axial"),
    "thick-ax-20": (20, (0.5, 0.5, 3.0), "axial"),
    "thick-sag-0": (0, (0.5, 0.5, 3.0), "sagittal"),
    "thick-sag-10": (10, (0.5, 0.5, 3.0), "sagittal"),
    "thick-sag-20": (20, (0.5, 0.5, 3.0), "sagittal"),
}


def _rotation(degrees: float) -> np.ndarray:
    a = np.radians(degrees)
    rx = np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    b = a / 2
    ry = np.array([[np.cos(b), 0, np.sin(b)], [0, 1, 0], [-np.sin(b), 0, np.cos(b)]])
    return ry @ rx


def copy_grid(shape, affine, degrees, spacing, storage):
    """Affine and shape of a grid covering the demo's field of view."""
    axes = np.eye(3) if storage == "axial" else np.eye(3)[:, [1, 2, 0]]  # sagittal: A, S, R
    direction = _rotation(degrees) @ axes
    linear = direction * np.asarray(spacing)
    corners = np.array([[i, j, k] for i in (0, shape[0] - 1) for j in (0, shape[1] - 1)
                        for k in (0, shape[2] - 1)], float)
    ras = corners @ affine[:3, :3].T + affine[:3, 3]
    local = ras @ np.linalg.inv(linear).T
    lo, hi = local.min(0), local.max(0)
    out = np.eye(4)
    out[:3, :3] = linear
    out[:3, 3] = linear @ np.floor(lo)
    return out, tuple(int(n) for n in np.ceil(hi - np.floor(lo)) + 1)


def resample(data, affine, target_affine, target_shape, order=1, thickness=1.0):
    """``data`` sampled at the target's voxel centres; a slice thicker than 1 mm averages the
    source over its thickness (1 mm steps along the slice axis)."""
    ijk = np.indices(target_shape, dtype=np.float32).reshape(3, -1).T
    steps = max(1, int(round(thickness)))
    offsets = (np.arange(steps) - (steps - 1) / 2) / thickness  # in target voxels along axis 2
    to_source = np.linalg.inv(affine) @ target_affine
    total = np.zeros(len(ijk), np.float32)
    for offset in offsets:
        points = ijk + np.array([0, 0, offset], np.float32)
        src = points @ to_source[:3, :3].T.astype(np.float32) + to_source[:3, 3].astype(np.float32)
        total += ndimage.map_coordinates(data.astype(np.float32), src.T, order=order, mode="constant")
    return (total / len(offsets)).reshape(target_shape)


class TruthEcho:
    """A backend that answers the previous-mask channel as it is: given the truth as the previous
    mask, what comes back is the truth after the engine's resampling into the ROI and back (its
    geometry's loss alone, no network)."""

    def __init__(self, model) -> None:
        for key in ("spacing_mm", "max_spacing_mm", "min_side", "divisor"):
            setattr(self, key, getattr(model, key))
        self.name = "truth-echo"

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        return inputs[4]


def round_trip(model, cases) -> float:
    """Mean Dice of each lesion through the engine with :class:`TruthEcho` (one click at its
    deepest voxel in mm, the truth as previous mask, the network's answer taken as it is)."""
    from interactive import _mask, _window

    from neuroview.ai.interactive.engine import InteractiveSegmenter
    from neuroview.ai.interactive.prompts import PointPrompt, PromptSet
    from neuroview.ai.interactive.simulate import deepest_point, dice

    scores = []
    for _name, image, affine, lesion, _diameter in cases:
        segmenter = InteractiveSegmenter(image, affine, TruthEcho(model), local=False)
        ijk = deepest_point(lesion, tuple(np.linalg.norm(affine[:3, :3], axis=0)))
        result = segmenter.run(PromptSet([PointPrompt(ijk @ affine[:3, :3].T + affine[:3, 3])]), lesion)
        window = _window(lesion)
        scores.append(dice(_mask(result, image.shape)[window], lesion[window]))
    return float(np.mean(scores))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", default=",".join(COPIES))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--max-clicks", type=int, default=3)
    args = parser.parse_args()
    import torch

    from neuroview.ai.interactive.model import NetworkPromptModel

    torch.set_num_threads(args.threads)
    model = NetworkPromptModel(None)
    image_nii = nib.load(DEMO / "mni152_t1_lesions.nii.gz")
    image, affine = np.asarray(image_nii.dataobj, np.float32), image_nii.affine
    truth = np.asarray(nib.load(DEMO / "mni152_t1_lesions_truth.nii.gz").dataobj) > 0
    labels, n = ndimage.label(truth)
    print(f"{'copy':14s} {'shape':>15s}  1 click  3 clicks  box ax/cor/sag     oracle  "
          "round trip / attainable in 1 mm")
    for name in args.copies.split(","):
        degrees, spacing, storage = COPIES[name]
        started = time.perf_counter()
        if name == "demo":
            target, shape, copy, copy_labels = affine, image.shape, image, labels
        else:
            target, shape = copy_grid(image.shape, affine, degrees, spacing, storage)
            copy = resample(image, affine, target, shape, thickness=spacing[2])
            copy_labels = np.zeros(shape, np.int16)
            for lesion in range(1, n + 1):
                copy_labels[resample((labels == lesion).astype(np.float32), affine, target, shape,
                                     thickness=spacing[2]) >= 0.5] = lesion
        cases = [(name, copy, target, copy_labels == lesion, 0.0) for lesion in range(1, n + 1)]
        result = run_backend(model, cases, args.max_clicks)
        oracle = threshold_oracle(cases)
        echo = round_trip(model, cases)
        # back to 1 mm: the copy's truth (attainable) and the answer after the last click
        back = resample(copy_labels.astype(np.float32), target, affine, image.shape, order=0) > 0
        attainable = 2 * (back & truth).sum() / (back.sum() + truth.sum())
        box = result["box_dice"]
        print(f"{name:14s} {str(shape):>15s}  {result['dice_1_click']:.3f}    "
              f"{result['dice_3_clicks']:.3f}     {box['axial']:.3f}/{box['coronal']:.3f}/"
              f"{box['sagittal']:.3f}  {oracle['dice']:.3f}  round trip {echo:.3f}  "
              f"attainable {attainable:.3f}  "
              f"per lesion 3 clicks {np.asarray(result['click_dice'])[:, -1].round(3).tolist()}  "
              f"({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
