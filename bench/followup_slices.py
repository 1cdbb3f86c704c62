"""What the brain volume change's bias between a 1 mm 3D study and 3 mm 2D slices is made of.

The synthetic head (``neuroview.ai.heads``, the MNI brain in a skull and scalp) at 1 mm against
itself averaged into 3 mm axial slices (1 x 1 x 3 mm; nothing changed, same pose: the truth is 0 %),
each step of :func:`neuroview.app.followup.brain_volume_change_on_one_grid` measured apart:

- partial volume: each image's tissue-fraction volume in the true brain (no deepbet),
- the pipeline until session 48 (since then each study is also sampled at the other's voxel
  centres: :func:`neuroview.app.followup_brain.sampled_as`): deepbet on the 1 mm study blurred to a
  3 mm box's variance (``halfway_image``) against deepbet on the slices read back onto the 1 mm grid
  by cubic B-spline,
- sampling: the blurred 1 mm study also sampled at the slices' centres and read back as they are,
- deepbet's edge against blur: the 1 mm study unblurred.

No registration, one grid (the pose is the identity): no mask is resampled, and both studies
cover the whole head, so neither the mask resampling nor the common-brain region plays a part.
Four deepbet runs on a 1 mm head: about a minute of CPU.

``--grid``: the comparison's step (:func:`~neuroview.app.followup.brain_volume_change_on_one_grid`,
the known pose, no registration) on a grid of protocol pairs of the unchanged head (truth 0 %), each
study acquired from the 1 mm head by a k-space cut to its voxel size
(``tests/app/followup_acquire.py``; 2D slices by a box slice profile), three ways: ``blur`` (neither
study sampled at the other's voxel centres: until session 48), ``s48`` (the finer study sampled at
the coarser's where it is over 1.5 times finer on some axis and coarser on none: session 48) and
``now`` (each study sampled at the other's voxel centres,
:func:`~neuroview.app.followup_brain.sampled_as`). Two deepbet runs per pair and way.

``--rescan N``: the same ways on N scan-rescan pairs as ``bench/followup.py --rescan-deepbet`` draws
them (the same random voxel sizes 1.6-2.4 mm, turns within 15 degrees and shifts within 20 mm), each
scan acquired by the k-space cut, not read from the 1 mm head by trilinear point sampling: the
pairs that repeatability rests on have no voxel's blur, while the comparison blurs the finer study
to the coarser one's box.

Run: nice -n 5 python bench/followup_slices.py [--grid [--only TEXT] | --rescan N] [--ways blur,s48,now]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.ai.heads import synthetic_head  # noqa: E402
from neuroview.ai.preprocess import cached_brain_mask  # noqa: E402
from neuroview.app import followup  # noqa: E402
from neuroview.app.followup_brain import brain_volume_ml, halfway_image, sampled_as, voxel_variance_mm2  # noqa: E402
from tests.app.followup_acquire import acquire_voxels  # noqa: E402
from tests.app.followup_cases import head_in_its_field, rigid  # noqa: E402

TURN = ((4.0, -3.0, 5.0), (2.0, -1.5, 1.0))   # degrees, mm: the tests' turn
PAIRS = (   # baseline vs later, each its voxel (mm: one size, or three), "2D" for 2D slices; turned
    "1 vs 1 x 1 x 3 2D", "1 vs 1 x 1 x 3 2D turned", "2 vs 2 turned", "2 vs 2.5", "2 vs 2.5 turned",
    "2.5 vs 2 turned", "1 vs 1.25", "1 vs 1 x 1 x 1.2", "1 vs 1 x 1 x 1.4 turned",
    "1 x 1 x 2.5 2D vs 0.9 x 0.9 x 3 2D", "1 x 1 x 2.5 2D vs 0.9 x 0.9 x 3 2D turned",
    "1 x 1 x 2.5 2D vs 1 x 1 x 3 2D", "1.2 x 1.2 x 1 vs 1 x 1 x 1.2",
)


def protocols(pair: str) -> tuple:
    """The baseline's voxel (mm), whether it is 2D slices, the later study's two, and whether it
    is turned, as ``pair`` (one of :data:`PAIRS`) names them."""
    turned = pair.endswith(" turned")
    found = []
    for study in pair.removesuffix(" turned").split(" vs "):
        flat = study.endswith(" 2D")
        sizes = tuple(float(v) for v in study.removesuffix(" 2D").split(" x "))
        found += [sizes * 3 if len(sizes) == 1 else sizes, flat]
    return (*found, turned)


def in_slices(image: np.ndarray, ijk_to_ras: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``image`` averaged over each three of its last axis (a 3 mm slice), and its affine."""
    padded = np.pad(image, [(0, 0), (0, 0), (0, (-image.shape[2]) % 3)])
    slices = padded.reshape(*padded.shape[:2], -1, 3).mean(axis=3, dtype=np.float32)
    affine = np.asarray(ijk_to_ras, float).copy()
    affine[:3, 3] += affine[:3, 2]   # each slice centred on the middle of its three
    affine[:3, 2] *= 3
    return slices, affine


WAYS = ("blur", "s48", "now")


def sampling(way: str, studies) -> object:
    """What stands for :func:`~neuroview.app.followup_brain.sampled_as` in the comparison, by
    ``way``: ``now`` it, ``blur`` nothing (the image as it is), ``s48`` it where the study's voxels
    (sorted sizes) are no larger than the other's on any axis and over 1.5 times smaller on one."""
    if way == "now":
        return sampled_as
    if way == "blur":
        return lambda image, *_: image

    def finer_only(image, grid, shape, other_ijk_to_ras, other_transform):
        own = next(study.ijk_to_ras for study in studies if study.ijk_to_ras is not other_ijk_to_ras)
        size, other = (np.sort(np.linalg.norm(np.asarray(a, float)[:3, :3], axis=0))
                       for a in (own, other_ijk_to_ras))
        if np.all(size <= other) and np.any(other > 1.5 * size):
            return sampled_as(image, grid, shape, other_ijk_to_ras, other_transform)
        return image

    return finer_only


def changes(studies, baseline_to_later: np.ndarray, ways: list[str]) -> list[float]:
    """The brain volume change of ``studies`` (baseline, later) each way."""
    figures = []
    for way in ways:
        followup.sampled_as = sampling(way, studies)
        try:
            figures.append(followup.brain_volume_change_on_one_grid(*studies, baseline_to_later,
                                                                    device="cpu"))
        finally:
            followup.sampled_as = sampled_as
    return figures


def _centre(head) -> np.ndarray:
    """The RAS mm of the middle of ``head``'s field."""
    return head.ijk_to_ras[:3, :3] @ (np.asarray(head.image.shape) - 1) / 2 + head.ijk_to_ras[:3, 3]


def _acquired(head, studies) -> list:
    """The studies acquired from ``head``: each of ``studies`` (name, voxel mm, 2D slices, pose
    or None) by the k-space cut."""
    return [followup.StudyInput(*acquire_voxels(head.image, head.ijk_to_ras, mm, flat, pose),
                                np.zeros(1, np.uint8), name=name) for name, mm, flat, pose in studies]


def grid_of_pairs(only: str, ways: list[str]) -> None:
    """The bias of each pair in :data:`PAIRS` (see the module's ``--grid``)."""
    head = head_in_its_field(synthetic_head("t1", skull=True))
    centre = _centre(head)
    print(f"{'pair (baseline vs later, unchanged head)':44s} " + " ".join(f"{w:>8s}" for w in ways))
    for name in PAIRS:
        if only not in name:
            continue
        start = time.perf_counter()
        base_mm, base_2d, later_mm, later_2d, turned = protocols(name)
        pose = rigid(*TURN, centre) if turned else np.eye(4)
        studies = _acquired(head, (("baseline", base_mm, base_2d, None), ("later", later_mm, later_2d, pose)))
        figures = changes(studies, pose, ways)
        print(f"{name:44s} " + " ".join(f"{f:+7.3f}%" for f in figures)
              + f"  ({time.perf_counter() - start:.0f} s)", flush=True)


def rescan_pairs(pairs: int, ways: list[str]) -> None:
    """The brain volume change of ``pairs`` acquired scan-rescan pairs (see ``--rescan``): the
    head with 24 mm of air around it, so that no shift or turn moves it out of the field."""
    head = head_in_its_field(synthetic_head("t1", skull=True, pad_mm=36.0), margin_mm=24.0)
    centre = _centre(head)
    rng = np.random.default_rng(7)   # bench/followup.py's draws: voxel sizes, turn, shift
    found = {way: [] for way in ways}
    for pair in range(pairs):
        start = time.perf_counter()
        drawn = [(rng.uniform(1.6, 2.4, 3), rigid(rng.uniform(-15, 15, 3), rng.uniform(-20, 20, 3), centre))
                 for _ in range(2)]
        studies = _acquired(head, [(name, mm, False, pose)
                                   for name, (mm, pose) in zip(("scan", "rescan"), drawn)])
        for way, figure in zip(ways, changes(studies, drawn[1][1] @ np.linalg.inv(drawn[0][1]), ways)):
            found[way].append(figure)
        print(f"pair {pair + 1} ({' / '.join('x'.join(f'{v:.2f}' for v in mm) for mm, _ in drawn)} mm): "
              + ", ".join(f"{way} {found[way][-1]:+.3f} %" for way in ways)
              + f" ({time.perf_counter() - start:.0f} s)", flush=True)
    for way, figures in found.items():
        print(f"{way}: mean {np.mean(figures):+.4f} %, SD {np.std(figures, ddof=1):.4f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", action="store_true", help="the grid of protocol pairs, not the steps")
    parser.add_argument("--rescan", type=int, default=0, help="acquired scan-rescan pairs, not the steps")
    parser.add_argument("--only", default="", help="with --grid: the pairs whose name holds this")
    parser.add_argument("--ways", default=",".join(WAYS), help="with --grid, --rescan: of " + ", ".join(WAYS))
    args = parser.parse_args()
    if args.grid:
        return grid_of_pairs(args.only, args.ways.split(","))
    if args.rescan:
        return rescan_pairs(args.rescan, args.ways.split(","))
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
