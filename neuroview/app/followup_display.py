"""What the follow-up window shows of each later study: the study resampled onto the baseline grid
(for display side by side, flicker and subtraction; measurements never use it) and its subtraction
window. No Qt: File > Open follow-up... makes them in its worker, the report draws key slices from
them."""

from __future__ import annotations

from typing import Optional

import numpy as np

from ..core.jobs import CancelToken, ProgressFn, check, report
from ..core.made_up import made_up_on_grid
from ..core.volume import Volume
from ..io.registration import resample
from .followup import StudyInput


def later_on_baseline(baseline: StudyInput, followup: StudyInput, baseline_to_followup: np.ndarray):
    """The later image (linear) and lesion mask (nearest) resampled onto the baseline grid, for
    display side by side, subtraction and flicker; measurements never use them. An MR is brought
    to the baseline's intensity scale (:func:`intensity_scale`)."""
    shape, affine = baseline.image.shape[:3], baseline.ijk_to_ras
    image = resample(followup.image, followup.ijk_to_ras, shape, affine, baseline_to_followup)
    lesions = resample(followup.lesions, followup.ijk_to_ras, shape, affine, baseline_to_followup,
                       order=0)
    if not (baseline.ct or followup.ct):
        image *= intensity_scale(baseline.image, image)
    return image, lesions


def intensity_scale(baseline_image: np.ndarray, later_image: np.ndarray) -> float:
    """The factor that brings an MR later study (on the baseline grid) to the baseline's
    intensities: the ratio of their medians over the head both show. MR intensities have no
    absolute scale (another session's receiver gain, another scanner): shown at the baseline's
    window, a later study 1.5 times brighter was drawn white, and its subtraction lit up the
    whole head. A CT's Hounsfield units are left as they are. 1.0 when there is no common head."""
    from .followup_checks import head_mask  # noqa: PLC0415

    baseline_image = np.asarray(baseline_image, dtype=np.float32)
    both = head_mask(baseline_image) & head_mask(later_image) & (later_image > 0)
    if not both.any():
        return 1.0
    base, later = float(np.median(baseline_image[both])), float(np.median(later_image[both]))
    return base / later if base > 0 and later > 0 else 1.0


def subtraction_spread(baseline_image: np.ndarray, later_image: np.ndarray) -> float:
    """The 99.5th percentile of |later - baseline| (both on the baseline grid): the subtraction
    view's window is twice it, so most changes stay inside the grey scale (1.0 when none)."""
    difference = np.abs(np.asarray(later_image, np.float32) - np.asarray(baseline_image, np.float32))
    return float(np.percentile(difference, 99.5)) or 1.0


def displays_on_baseline(baseline: StudyInput, laters: list[StudyInput], comparisons: list,
                         progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None) -> list:
    """What the follow-up window shows of each later study: ``(image, lesions, spread, made_up)``,
    the study on the baseline grid (:func:`later_on_baseline`), its subtraction spread
    (:func:`subtraction_spread`) and the baseline grid's slices that show a slice it made up
    (:func:`made_up_on_baseline`: the record was lost there until session 46). Seconds per 1 mm
    head: made in the window's worker, so the window opens, and switches between later studies,
    without resampling on the GUI thread."""
    out = []
    for number, (later, comparison) in enumerate(zip(laters, comparisons), start=1):
        check(cancel)
        report(progress, number - 1, len(laters), f"follow-up {number} onto the baseline for display")
        image, lesions = later_on_baseline(baseline, later, comparison.registration.fixed_to_moving)
        made_up = made_up_on_baseline(baseline, later, comparison.registration.fixed_to_moving)
        out.append((image, lesions, subtraction_spread(baseline.image, image), made_up))
    return out


def made_up_on_baseline(baseline: StudyInput, followup: StudyInput,
                        baseline_to_followup: np.ndarray) -> tuple[int, ...]:
    """The slices of the baseline grid that show a slice the later study made up
    (``core.made_up.made_up_on_grid``), as :func:`later_on_baseline` resamples it."""
    if not followup.made_up_slices:
        return ()
    later = Volume(followup.image, followup.ijk_to_ras, made_up_slices=followup.made_up_slices)
    return made_up_on_grid(later, baseline.image.shape[:3], baseline.ijk_to_ras, baseline_to_followup)
