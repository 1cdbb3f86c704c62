"""Unevenly spaced slices (and missing ones): put every slice where it was acquired.

One uniform ``ijk_to_ras`` cannot hold slices 4.2, then 1.1, then 7.4 mm apart. Two choices that
never move a voxel from where it was acquired (Slicer regularizes the acquisition geometry;
dcm2niix writes an extra ``_Eq`` volume resampled to equal steps):

- **resample**: an even grid from the first to the last slice at (at most) the smallest acquired
  step; each grid slice is linearly interpolated between the two acquired slices around it, so
  acquired slices on the grid keep their values exactly and no acquired slice is more than half
  a grid step from a grid slice. Integer data stay integer, rounded as dcm2niix's ``_Eq`` volume.
- **split**: runs of regularly spaced slices become separate volumes.

By default (``auto``) a series is resampled unless the grid would be mostly made up: more than
``GRID_GROWTH_LIMIT`` grid slices per acquired slice, or a gap more than ``GAP_LIMIT`` times the
slice thickness (and the smallest step) to fill. Then the acquired slices are kept as they are
(split), with a warning saying how to ask for the grid. pydicom's "Routine Brain" CT (instances 18
and 180-182 of a 1.25 mm head CT, the rest left out of the test data) was 165 slices resampled
from 4; dcm2niix writes those 4 slices 202.5 mm apart (three misplaced) and caps its ``_Eq``
volume at twice the acquired slices.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np

from ...core.geometry import orientation_code, shown_slice_numbers
from .series import STEP_TOLERANCE, StackPlan, plan_stack, written_precision

GRID_GROWTH_LIMIT = 3.0
"""Grid slices per acquired slice beyond which a resampled series would be mostly interpolated."""
GAP_LIMIT = 4.0
"""A step longer than this many slice thicknesses (and smallest steps) is a gap not to fill."""


_MISSING = re.compile(r"\b\d+ missing slices?: ")


def _says_missing(warning: str) -> bool:
    """Whether ``warning`` is the series' "N missing slice(s): ..." (said "1 missing slice:",
    "2 missing slices:")."""
    return _MISSING.search(warning) is not None


def _offsets(plan: StackPlan) -> np.ndarray:
    positions = np.array([stack[0].position for stack in plan.frames], dtype=float)
    return (positions - positions[0]) @ plan.normal_lps


def _gap_reference(plan: StackPlan, steps: np.ndarray) -> float:
    thickness = plan.first.slice_thickness or 0.0
    return max(float(steps.min()), thickness if thickness > 0 else 0.0)


def _is_gap(step: float, reference: float) -> bool:
    return step > GAP_LIMIT * reference


def mostly_interpolated(plan: StackPlan) -> str:
    """Why resampling ``plan`` onto an even grid would make up most of it, or ``""``."""
    offsets = _offsets(plan)
    steps = np.diff(offsets)
    missing = any(_says_missing(w) for w in plan.warnings)
    n_grid, n_slices = len(resample_grid(offsets, missing)), len(offsets)
    reference = _gap_reference(plan, steps)
    if n_grid > GRID_GROWTH_LIMIT * n_slices:
        return f"an even grid would make {n_grid} slices from {n_slices}"
    if _is_gap(float(steps.max()), reference):
        return (f"a gap of {steps.max():.4g} mm, over {GAP_LIMIT:g}x the "
                f"{reference:.4g} mm slices, would be interpolated")
    return ""


def resample_grid(offsets: np.ndarray, missing: bool = False) -> np.ndarray:
    """Target offsets (mm along the slice normal, first at 0) for acquired ``offsets``; with
    ``missing`` (every step a whole number of the median step: slices missing), that many."""
    total = float(offsets[-1] - offsets[0])
    steps = np.diff(offsets)
    if missing:  # not the smallest step: rounded positions (1.3 of 1.33 mm) made 11 of 10
        n_steps = max(1, int(np.sum(np.rint(steps / np.median(steps)))))
        return offsets[0] + np.arange(n_steps + 1) * (total / n_steps)
    smallest = float(np.min(steps))
    # positions are decimal text: an oblique series' projected steps are off by a few 1e-6 mm,
    # which took a 2 mm grid over 18 mm (9.000005 smallest steps) to 10 steps of 1.8 mm and
    # interpolated every acquired slice; a hundredth of a step over the whole length is noise
    n_steps = max(1, math.ceil(total / smallest - STEP_TOLERANCE))
    return offsets[0] + np.arange(n_steps + 1) * (total / n_steps)


def _rounding(plan: StackPlan) -> float:
    """How far (mm along the normal) the positions' written rounding may move a slice's offset
    (:func:`.series.written_precision`), 0 for positions not rounded."""
    positions = np.array([stack[0].position for stack in plan.frames], dtype=float)
    return written_precision(positions) * float(np.abs(plan.normal_lps).sum())


def _snapped(offsets: np.ndarray, target: np.ndarray, within: float) -> np.ndarray:
    """``offsets`` with those within ``within`` mm of a grid slice moved onto it: an acquired
    slice off the grid by its rounding only is copied, not mixed with its neighbour."""
    if within <= 0:
        return offsets
    nearest = target[np.argmin(np.abs(offsets[:, None] - target[None, :]), axis=1)]
    snapped = np.where(np.abs(offsets - nearest) <= within, nearest, offsets)
    return snapped if np.all(np.diff(snapped) > 0) else offsets


def regularize(plan: StackPlan) -> StackPlan:
    """The plan on an even grid (shape, ``ijk_to_ras``, warning); ``load`` interpolates."""
    positions = np.array([stack[0].position for stack in plan.frames], dtype=float)
    offsets = _offsets(plan)
    missing = any(_says_missing(w) for w in plan.warnings)
    target = resample_grid(offsets, missing)
    step_len = float(target[1] - target[0])
    rounding = _rounding(plan)
    step_lps = (positions[-1] - positions[0]) / offsets[-1] * step_len  # keeps a gantry tilt
    lps = np.diag([-1.0, -1.0, 1.0])
    ijk_to_ras = plan.ijk_to_ras.copy()
    ijk_to_ras[:3, 2] = lps @ step_lps
    warnings = [w for w in plan.warnings if not w.startswith(("uneven slice", "missing slice"))
                and not _says_missing(w)]
    steps = np.diff(offsets)
    head = f"uneven slice spacing (steps {steps.min():.4g} to {steps.max():.4g} mm)"
    filled = ""
    if missing:   # said as such: "uneven spacing" left the reader to guess a slice was missing
        made = _interpolated_slices(offsets, target, step_len, rounding)
        gaps = int(np.count_nonzero(steps > 1.5 * np.median(steps)))
        gap = f"a gap of {steps.max():.4g} mm" if gaps == 1 else f"{gaps} gaps of up to {steps.max():.4g} mm"
        head = (f"{len(made)} missing slice{'s' if len(made) > 1 else ''} ({gap} where slices "
                f"are {np.median(steps):.4g} mm apart)")
        view, shown = shown_slice_numbers(orientation_code(ijk_to_ras), made, len(target))
        numbers = ", ".join(map(str, shown[:3])) + (f" and {len(made) - 3} more"
                                                     if len(made) > 3 else "")
        filled = (f", slice{'s' if len(made) > 1 else ''} {numbers} of {len(target)} ({view} "
                  f"view) interpolated between {'their' if len(made) > 1 else 'its'} neighbours")
    warnings.append(f"{head}: {len(offsets)} slices resampled (linear) onto an even grid of "
                    f"{len(target)} slices {step_len:.4g} mm apart, from the first slice to the "
                    f"last{filled} ('--uneven split' on the command line, or 'Split into evenly "
                    "spaced series' in the window's series chooser at File > Open, keeps the "
                    "evenly spaced runs as separate series instead)")
    return replace(plan, ijk_to_ras=ijk_to_ras, warnings=warnings,
                   # missing slices: the acquired ones lie on the grid, but for their rounding
                   resample=(_snapped(offsets, target, rounding) if missing else offsets, target))


def made_up_slices(plan: StackPlan) -> tuple[int, ...]:
    """The slices (0-based along the grid) a resampled ``plan`` makes up, no acquired slice on
    them, as its warning names them; ``()`` for a plan not resampled."""
    if plan.resample is None:
        return ()
    offsets, target = plan.resample
    step = float(target[1] - target[0]) if len(target) > 1 else 0.0
    return tuple(_interpolated_slices(offsets, target, step, _rounding(plan)))


def _interpolated_slices(offsets: np.ndarray, target: np.ndarray, step: float,
                         rounding: float = 0.0) -> list[int]:
    """Indices of the grid slices (``target``) that no acquired slice (``offsets``) lies on,
    within the positions' ``rounding`` (mm)."""
    nearest = np.min(np.abs(target[:, None] - offsets[None, :]), axis=1)
    return np.flatnonzero(nearest > STEP_TOLERANCE * step + rounding + 1e-4).tolist()


def _same_step(a: float, b: float) -> bool:
    return abs(a - b) <= STEP_TOLERANCE * abs(a) + 1e-4


def regular_chunks(offsets: np.ndarray, reference: float) -> list[list[int]]:
    """Slice indices in runs of one step each. A slice starts a run with the next slice only
    when that step is no gap and the next slice does not begin a run of its own (slices 18,
    180, 181, 182 of a 1.25 mm stack: [18] and [180-182], not [18, 180] and [181, 182])."""
    steps = np.diff(offsets)
    chunks: list[list[int]] = [[0]]
    for k in range(1, len(offsets)):
        chunk, step = chunks[-1], float(steps[k - 1])
        if len(chunk) == 1:
            run_follows = k + 1 < len(steps) and _same_step(steps[k], steps[k + 1])
            if _is_gap(step, reference) or (run_follows and not _same_step(step, steps[k])):
                chunks.append([k])
            else:
                chunk.append(k)
        elif _same_step(offsets[chunk[1]] - offsets[chunk[0]], step):
            chunk.append(k)
        else:
            chunks.append([k])
    return chunks


def split_regular(plan: StackPlan, reason: str = "") -> list[StackPlan]:
    """Runs of evenly spaced slices, each its own plan; ``reason``: why they were not resampled
    (the default's choice), said on each."""
    offsets = _offsets(plan)
    chunks = regular_chunks(offsets, _gap_reference(plan, np.diff(offsets)))
    kept = [w for w in plan.warnings if w.startswith(("series split", "localizer", "secondary capture"))]
    steps = np.diff(offsets)
    code = orientation_code(plan.ijk_to_ras)
    out = []
    for index, chunk in enumerate(chunks, start=1):
        refs = [ref for k in chunk for ref in plan.frames[k]]
        sub = plan_stack(f"{plan.key}.chunk{index}", refs)
        # numbered as the view numbers the series' slices, from the I, P or L end (from the
        # first slice along the array until session 45)
        view, shown = shown_slice_numbers(code, chunk, len(offsets))
        slices = f"slice {shown[0]}" if len(chunk) == 1 else f"slices {shown[0]}-{shown[-1]}"
        sub.description = f"{plan.description} ({slices}, chunk {index} of {len(chunks)})"
        slices += f" of {len(offsets)} ({view} view)"
        if reason:
            note = (f"uneven slice spacing (steps {steps.min():.4g} to {steps.max():.4g} mm): "
                    f"kept as acquired in {len(chunks)} evenly spaced series, not resampled "
                    f"({reason}); this one has {slices}; '--uneven "
                    "resample' (or 'Resample' in the series chooser) makes the even grid")
        else:
            note = (f"uneven slice spacing: split into {len(chunks)} evenly spaced chunks; this "
                    f"one has {slices}")
        sub.warnings = kept + sub.warnings + [note]
        sub.confidence = plan.confidence
        out.append(sub)
    return out


def resample_slices(out: np.ndarray, offsets: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Linear interpolation along k from acquired ``offsets`` to ``target``.

    Integer volumes stay integer, rounded half away from zero (as dcm2niix's ``_Eq`` volume);
    float volumes stay float32.
    """
    shape = out.shape[:2] + (len(target),) + out.shape[3:]
    integer = out.dtype.kind in "iu"
    result = np.empty(shape, dtype=out.dtype if integer else np.float32, order="F")
    for j, (a, b, w) in enumerate(zip(*slice_sources(offsets, target))):
        result[:, :, j] = between(out[:, :, a], out[:, :, b], w)
    return result


def resample_bits(bits: np.ndarray, offsets: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Where the padding lies (packed bits, one row per acquired slice: ``io.dicom.padding``'s)
    on the slices :func:`resample_slices` makes: an acquired slice's own, and a slice mixed from
    two the voxels padded in either (air mixed with what was measured is no measurement)."""
    rows = []
    for a, b, w in zip(*slice_sources(offsets, target)):
        rows.append(bits[a] if w <= NEAR else bits[b] if w >= 1 - NEAR else bits[a] | bits[b])
    return np.array(rows, dtype=np.uint8).reshape(len(target), bits.shape[1])


def slice_sources(offsets: np.ndarray, target: np.ndarray) -> tuple:
    """For each slice at ``target`` (mm), the acquired slices at ``offsets`` it lies between
    (lower, upper) and its weight from the lower to the upper: three arrays."""
    upper = np.clip(np.searchsorted(offsets, target, side="right"), 1, len(offsets) - 1)
    lower = upper - 1
    return lower, upper, (target - offsets[lower]) / (offsets[upper] - offsets[lower])


NEAR = 1e-6
"""A slice within this weight of an acquired one is that slice, copied."""


def between(lower: np.ndarray, upper: np.ndarray, weight):
    """The values ``weight`` of the way from ``lower`` to ``upper`` (a number, or an array of
    weights as ``lower``'s shape): ``lower`` or ``upper`` itself within :data:`NEAR` of it, else
    mixed in float64 and, for integers, rounded half away from zero (the caller stores them in
    its own type)."""
    w = np.asarray(weight, dtype=np.float64)
    if w.ndim == 0 and not NEAR < w < 1 - NEAR:
        return lower if w <= NEAR else upper
    mixed = (1 - w) * lower.astype(np.float64) + w * upper
    if lower.dtype.kind in "iu":
        mixed = np.sign(mixed) * np.floor(np.abs(mixed) + 0.5)
    return mixed if w.ndim == 0 else np.where(w <= NEAR, lower, np.where(w >= 1 - NEAR, upper, mixed))
