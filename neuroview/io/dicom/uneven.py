"""Unevenly spaced slices (and missing ones): put every slice where it was acquired.

One uniform ``ijk_to_ras`` cannot hold slices 4.2, then 1.1, then 7.4 mm apart. Two choices that
never move a voxel from where it was acquired (Slicer regularizes the acquisition geometry;
dcm2niix writes an extra ``_Eq`` volume resampled to equal steps):

- **resample**: an even grid from the first to the last slice at (at most) the smallest acquired
  step; each grid slice is linearly interpolated between the two acquired slices around it, so
  acquired slices on the grid keep their values exactly and no acquired slice is more than half
  a grid step from a grid slice. Integer data stay integer, rounded as dcm2niix's ``_Eq`` volume.
- **split**: runs of regularly spaced slices become separate volumes.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from .series import STEP_TOLERANCE, StackPlan, plan_stack


def resample_grid(offsets: np.ndarray) -> np.ndarray:
    """Target offsets (mm along the slice normal, first at 0) for acquired ``offsets``."""
    total = float(offsets[-1] - offsets[0])
    smallest = float(np.min(np.diff(offsets)))
    n_steps = max(1, math.ceil(total / smallest - 1e-6))
    return offsets[0] + np.arange(n_steps + 1) * (total / n_steps)


def regularize(plan: StackPlan) -> StackPlan:
    """The plan on an even grid (shape, ``ijk_to_ras``, warning); ``load`` interpolates."""
    normal = plan.normal_lps
    positions = np.array([stack[0].position for stack in plan.frames], dtype=float)
    offsets = (positions - positions[0]) @ normal
    target = resample_grid(offsets)
    step_len = float(target[1] - target[0])
    step_lps = (positions[-1] - positions[0]) / offsets[-1] * step_len  # keeps a gantry tilt
    lps = np.diag([-1.0, -1.0, 1.0])
    ijk_to_ras = plan.ijk_to_ras.copy()
    ijk_to_ras[:3, 2] = lps @ step_lps
    warnings = [w for w in plan.warnings if not w.startswith(("uneven slice", "missing slice"))
                and "missing slice(s)" not in w]
    steps = np.diff(offsets)
    warnings.append(f"uneven slice spacing (steps {steps.min():.4g} to {steps.max():.4g} mm): "
                    f"{len(offsets)} slices resampled (linear) onto an even grid of {len(target)} "
                    f"slices {step_len:.4g} mm apart, from the first slice to the last ('split' "
                    "keeps the evenly spaced runs as separate series instead)")
    return replace(plan, ijk_to_ras=ijk_to_ras, warnings=warnings,
                   resample=(offsets, target))


def split_regular(plan: StackPlan) -> list[StackPlan]:
    """Runs of evenly spaced slices, each its own plan (largest first)."""
    positions = np.array([stack[0].position for stack in plan.frames], dtype=float)
    offsets = (positions - positions[0]) @ plan.normal_lps
    chunks: list[list[int]] = [[0]]
    for k in range(1, len(offsets)):
        chunk = chunks[-1]
        step = offsets[k] - offsets[chunk[-1]]
        if len(chunk) == 1:
            chunk.append(k)
            continue
        first_step = offsets[chunk[1]] - offsets[chunk[0]]
        if abs(step - first_step) <= STEP_TOLERANCE * abs(first_step) + 1e-4:
            chunk.append(k)
        else:
            chunks.append([k])
    kept = [w for w in plan.warnings if w.startswith("series split")]
    out = []
    for index, chunk in enumerate(chunks, start=1):
        refs = [ref for k in chunk for ref in plan.frames[k]]
        sub = plan_stack(f"{plan.key}.chunk{index}", refs)
        sub.description = (f"{plan.description} (slices {chunk[0] + 1}-{chunk[-1] + 1}, "
                           f"chunk {index} of {len(chunks)})")
        sub.warnings = kept + sub.warnings + [
            f"uneven slice spacing: split into {len(chunks)} evenly spaced chunks; this one has "
            f"slices {chunk[0] + 1}-{chunk[-1] + 1} of {len(offsets)}"]
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
    upper = np.clip(np.searchsorted(offsets, target, side="right"), 1, len(offsets) - 1)
    lower = upper - 1
    weight = (target - offsets[lower]) / (offsets[upper] - offsets[lower])
    for j, (a, b, w) in enumerate(zip(lower, upper, weight)):
        if w <= 1e-6:
            result[:, :, j] = out[:, :, a]
        elif w >= 1 - 1e-6:
            result[:, :, j] = out[:, :, b]
        else:
            mixed = (1 - w) * out[:, :, a].astype(np.float64) + w * out[:, :, b]
            if integer:
                mixed = np.sign(mixed) * np.floor(np.abs(mixed) + 0.5)
            result[:, :, j] = mixed
    return result
