"""What a head model's brain extraction makes of images that are not heads, and of heads: the
extracted "brain"'s volume (mL) and longest span (mm) on the synthetic knee, lumbar spine and
abdomen of ``neuroview.ai.not_heads`` (no BodyPartExamined, so only the image can tell) and on
the demo head and the synthetic heads of ``neuroview.ai.heads``, with ``preprocess.not_a_brain``'s
verdict ("head" or its reason) and what the verdict costs beside the extraction (the median of
``--repeats`` runs of each, in seconds).

    python bench/not_a_head.py [--seed 0] [--repeats 5] [--only knee spine ...]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from neuroview.ai.brain import brain_masks
from neuroview.ai.not_heads import BODY_PARTS, body_part_image
from neuroview.ai.preprocess import not_a_brain
from neuroview.core.geometry import stated_spacing, voxel_volume_ml

HEADS = ("demo", "t1", "t2", "flair", "t1_5mm")


def image_of(name: str, seed: int):
    if name in BODY_PARTS:
        return body_part_image(name, seed)
    if name == "demo":
        import nibabel

        from neuroview.paths import resources_dir

        image = nibabel.load(resources_dir() / "demo" / "mni152_t1_1mm.nii.gz")
        return image.get_fdata(dtype=np.float32), image.affine
    from neuroview.ai.heads import variant_case

    case = variant_case(name, 717_001 + seed)
    return case.image, case.ijk_to_ras


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", nargs="+", default=list(BODY_PARTS + HEADS))
    args = parser.parse_args()
    print("image      brain mL  span mm  extraction s  verdict s  verdict")
    for name in args.only:
        image, affine = image_of(name, args.seed)
        started = time.perf_counter()
        mask = brain_masks(image, affine, "cpu")[0]
        extraction = time.perf_counter() - started
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            verdict = not_a_brain(mask, affine)
            times.append(time.perf_counter() - started)
        spans = [np.ptp(np.flatnonzero(mask.any(axis=tuple(a for a in range(3) if a != axis)))) + 1
                 for axis in range(3)]
        span = max(n * s for n, s in zip(spans, stated_spacing(affine)))
        ml = np.count_nonzero(mask) * voxel_volume_ml(affine)
        print(f"{name:10} {ml:8.0f} {span:8.0f} {extraction:13.1f} {statistics.median(times):10.4f}  "
              f"{verdict or 'head'}", flush=True)


if __name__ == "__main__":
    main()
