"""What the follow-up window does on the GUI thread when it shows a later study, before and now.

Two 1 mm heads made from the MNI template (the baseline on the template's 197x233x189 grid, the
later study turned and shifted on a 1.0 x 0.95 x 1.05 mm grid with another field of view).
Before, the window resampled the later study onto the baseline (trilinear image, nearest lesion
mask) and took the subtraction's 99.5th percentile on the GUI thread, when it opened and when the
Follow-up list chose a study not shown yet. Now File > Open follow-up... makes both in its worker
(``neuroview.app.followup_display.displays_on_baseline``) and the GUI thread only subtracts the two images
for the subtraction view. Prints each (median of 3) and the ratio before / now.

Run: nice -n 10 python bench/followup_display.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import median_seconds  # noqa: E402

from neuroview.app.followup import StudyInput  # noqa: E402
from neuroview.app.followup_display import later_on_baseline, subtraction_spread  # noqa: E402
from neuroview.io.nifti import load_nifti  # noqa: E402
from tests.app.followup_cases import grid, lesion_masks, rigid, sample  # noqa: E402


def main() -> None:
    template = load_nifti(ROOT / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
    b_shape, b_affine = grid(template, (1.0, 1.0, 1.0))
    f_shape, f_affine = grid(template, (1.0, 0.95, 1.05), (12.0, -6.0, 9.0))
    truth = rigid((8.0, -5.0, 10.0), (10.0, -8.0, 12.0), template.center_ras)
    baseline = StudyInput(sample(template, b_shape, b_affine), b_affine,
                          lesion_masks(b_shape, b_affine, np.eye(4), False), name="baseline")
    later = StudyInput(sample(template, f_shape, f_affine, np.linalg.inv(truth)), f_affine,
                       lesion_masks(f_shape, f_affine, np.linalg.inv(truth), True), name="later")
    image, _ = later_on_baseline(baseline, later, truth)
    base = baseline.image.astype(np.float32)

    def before():
        shown, _ = later_on_baseline(baseline, later, truth)
        subtraction_spread(base, shown)
        return np.asarray(shown, np.float32) - base

    def now():
        return np.asarray(image, np.float32) - base

    print(f"baseline {b_shape}, later study {f_shape}")
    t_before, t_now = median_seconds(before), median_seconds(now)
    print(f"GUI thread per later study shown: before {t_before:.3f} s, now {t_now:.3f} s, "
          f"before / now = {t_before / t_now:.0f} x")


if __name__ == "__main__":
    main()
