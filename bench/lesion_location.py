"""What telling each lesion's location costs (``app.lesion_location``), per case.

Two cases: the demo case (``resources/demo``, the MNI152 T1 at 1 mm with its four truth lesions;
its brain mask by ``followup_brain.brain_mask_by_threshold``, the image being skull-stripped) and
a 256^3 FLAIR-like head at 1 mm (``ai.heads.wm_lesion_head``'s eight white-matter lesions in a
sagittal scanner's axis order, padded to 256^3; its true brain mask). Per case: the template's
regions once per process (first call), the fit and tissue classes per image
(``case_anatomy``), the per-lesion step (``locate_lesions``) that every recount after an edit
pays; reference in the same run, alternated with them: the lesion count itself
(``segment_components``, what the list paid before). Medians of ``--repeats``, wall and CPU.

Run: nice -n 10 python bench/lesion_location.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _demo():
    from neuroview.app.followup_brain import brain_mask_by_threshold
    from neuroview.io.nifti import load_nifti

    image = load_nifti(ROOT / "resources/demo/mni152_t1_lesions.nii.gz")
    truth = load_nifti(ROOT / "resources/demo/mni152_t1_lesions_truth.nii.gz")
    array = np.asarray(image.array, np.float32)
    return array, image.ijk_to_ras, brain_mask_by_threshold(array), (truth.array > 0).astype(np.uint8)


def _head_256():
    from neuroview.ai.heads import wm_lesion_head

    head = wm_lesion_head(71000, "flair")
    pads = [(0, max(0, 256 - n)) for n in head.image.shape]
    cut = tuple(slice(0, 256) for _ in range(3))
    return (np.pad(head.image, pads)[cut], head.ijk_to_ras, np.pad(head.brain, pads)[cut],
            np.pad(head.label, pads)[cut].astype(np.uint8))


def _timed(function, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def run(name, image, affine, brain, labels, repeats):
    from neuroview.app.components import segment_components
    from neuroview.app.lesion_location import case_anatomy, counts_text, locate_lesions

    rows = {"count (reference)": [], "fit + tissue classes": [], "locate each lesion": []}
    for _ in range(repeats):
        (found, wall, cpu) = _timed(segment_components, labels, 1, affine)
        rows["count (reference)"].append((wall, cpu))
        components, mask, origin = found
        case, wall, cpu = _timed(case_anatomy, image, affine, brain, labels > 0)
        rows["fit + tissue classes"].append((wall, cpu))
        locations, wall, cpu = _timed(locate_lesions, components, mask, origin, image, case)
        rows["locate each lesion"].append((wall, cpu))
    print(f"{name} {image.shape}, {len(components)} lesions: {counts_text(locations)}"
          f"{' (' + case.problem + ')' if case.problem else ''}")
    for row, times in rows.items():
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        print(f"  {row:22s} {wall:7.2f} s wall {cpu:7.2f} s CPU")
    for component, location in zip(components, locations):
        print("   ", " ".join(f"{x:6.1f}" for x in component.centroid_ras), location.text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from neuroview.ai.mni_regions import template_regions

    _, wall, cpu = _timed(template_regions)
    print(f"template regions (once per process): {wall:.2f} s wall, {cpu:.2f} s CPU")
    run("demo case", *_demo(), args.repeats)
    run("256^3 FLAIR head", *_head_256(), args.repeats)


if __name__ == "__main__":
    main()
