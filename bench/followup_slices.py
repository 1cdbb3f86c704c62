"""What the brain volume change's bias between a 1 mm 3D study and 3 mm 2D slices is made of.

The synthetic head (``neuroview.ai.heads``, the MNI brain in a skull and scalp) at 1 mm against
itself averaged into 3 mm axial slices (1 x 1 x 3 mm; nothing changed, same pose: the truth is 0 %),
each step of :func:`neuroview.app.followup.brain_volume_change_on_one_grid` measured apart:

- partial volume: each image's tissue-fraction volume in the true brain (no deepbet),
- the pipeline until session 48 (the finer study is now sampled too:
  :func:`neuroview.app.followup.much_finer`): deepbet on the 1 mm study blurred to a 3 mm box's
  variance (``halfway_image``) against deepbet on the slices read back onto the 1 mm grid by cubic B-spline,
- sampling: the blurred 1 mm study also sampled at the slices' centres and read back as they are,
- deepbet's edge against blur: the 1 mm study unblurred.

No registration, one grid (the pose is the identity): no mask is resampled, and both studies
cover the whole head, so neither the mask resampling nor the common-brain region plays a part.
Four deepbet runs on a 1 mm head: about a minute of CPU.

Run: nice -n 5 python bench/followup_slices.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.ai.heads import synthetic_head  # noqa: E402
from neuroview.ai.preprocess import cached_brain_mask  # noqa: E402
from neuroview.app.followup_brain import brain_volume_ml, halfway_image, voxel_variance_mm2  # noqa: E402
from tests.app.followup_cases import head_in_its_field  # noqa: E402


def in_slices(image: np.ndarray, ijk_to_ras: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``image`` averaged over each three of its last axis (a 3 mm slice), and its affine."""
    padded = np.pad(image, [(0, 0), (0, 0), (0, (-image.shape[2]) % 3)])
    slices = padded.reshape(*padded.shape[:2], -1, 3).mean(axis=3, dtype=np.float32)
    affine = np.asarray(ijk_to_ras, float).copy()
    affine[:3, 3] += affine[:3, 2]   # each slice centred on the middle of its three
    affine[:3, 2] *= 3
    return slices, affine


def main() -> None:
    head = head_in_its_field(synthetic_head("t1", skull=True))
    image, grid = head.image.astype(np.float32), np.asarray(head.ijk_to_ras, float)
    slices, slices_affine = in_slices(image, grid)
    same = np.eye(4)
    extra = voxel_variance_mm2(slices_affine, grid, same) - voxel_variance_mm2(grid, grid, same)
    blurred = halfway_image(image, grid, image.shape, grid, same, extra)
    read_back = halfway_image(slices, slices_affine, image.shape, grid, same, np.zeros(3))
    centres = np.ascontiguousarray(np.pad(blurred, [(0, 0), (0, 0), (0, (-image.shape[2]) % 3)])[:, :, 1::3])
    sampled = halfway_image(centres, slices_affine, image.shape, grid, same, np.zeros(3))
    images = {"1 mm": image, "1 mm blurred": blurred, "1 mm blurred, sampled at the slices": sampled,
              "3 mm slices read back": read_back}
    ml = {name: brain_volume_ml(head.brain, grid, im) for name, im in images.items()}
    print(f"tissue-fraction volume in the true brain: slices read back against the blurred 1 mm "
          f"{100 * (ml['3 mm slices read back'] / ml['1 mm blurred'] - 1):+.3f} %")
    voxels = {name: int(np.count_nonzero(cached_brain_mask(im, grid, "cpu"))) for name, im in images.items()}
    truth = int(np.count_nonzero(head.brain))
    for name, count in voxels.items():
        print(f"deepbet on {name}: {count} voxels ({100 * (count / truth - 1):+.2f} % over the true brain)")

    def change(later, base):
        return 100 * (voxels[later] / voxels[base] - 1)

    print(f"the pipeline (slices against the blurred 1 mm): "
          f"{change('3 mm slices read back', '1 mm blurred'):+.2f} %")
    print(f"  sampling at the slices and reading back: "
          f"{change('1 mm blurred, sampled at the slices', '1 mm blurred'):+.2f} %")
    print(f"  a box's profile, not the Gaussian's: "
          f"{change('3 mm slices read back', '1 mm blurred, sampled at the slices'):+.2f} %")
    print(f"deepbet's edge against the blur alone (blurred against unblurred 1 mm): "
          f"{change('1 mm blurred', '1 mm'):+.2f} %")


if __name__ == "__main__":
    main()
