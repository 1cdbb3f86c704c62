"""Register one study to another with SimpleITK, and resample on a chosen grid.

SimpleITK works in LPS millimetres; neuroview in RAS. The flip happens here, at the edge, like the
DICOM readers do it. A transform is returned as a 4x4 RAS matrix ``fixed_to_moving``: the point
``p_ras`` of the fixed (baseline) study lies at ``fixed_to_moving @ p_ras`` in the moving
(follow-up) study's world. Resampling the moving study onto the fixed grid reads it there.

Registration: Mattes mutual information, three resolution levels (shrink 4, 2, 1), regular-step
gradient descent, centred on the image moments; rigid (6 parameters) by default, affine (12) as an
option, the affine starting from the rigid result. Brain masks, when given, restrict the metric.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
from scipy import ndimage

from ..core.errors import Cancelled, GeometryError
from ..core.jobs import CancelToken, ProgressFn, check, report

LPS_FROM_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])
KINDS = ("rigid", "affine")
SAMPLING = 0.5
"""Share of voxels the metric samples at each iteration (on a regular lattice: repeatable)."""


@dataclass
class Registration:
    fixed_to_moving: np.ndarray
    """4x4 RAS matrix: a fixed-study point ``p`` lies at ``fixed_to_moving @ p`` in the moving study."""
    kind: str
    metric: float
    """Final Mattes mutual information (more negative is better)."""
    iterations: int


def to_sitk(array: np.ndarray, ijk_to_ras: np.ndarray, pixel_type=None):
    """A SimpleITK image of an ``[i, j, k]`` array placed by an RAS affine."""
    import SimpleITK as sitk  # noqa: PLC0415 - only when registering

    ijk_to_lps = LPS_FROM_RAS @ np.asarray(ijk_to_ras, dtype=float)
    spacing = np.linalg.norm(ijk_to_lps[:3, :3], axis=0)
    direction = ijk_to_lps[:3, :3] / spacing
    data = np.ascontiguousarray(np.transpose(array, (2, 1, 0)))
    image = sitk.GetImageFromArray(data)
    if pixel_type is not None:
        image = sitk.Cast(image, pixel_type)
    image.SetSpacing([float(s) for s in spacing])
    image.SetDirection([float(x) for x in direction.ravel()])
    image.SetOrigin([float(x) for x in ijk_to_lps[:3, 3]])
    return image


def transform_to_ras_matrix(transform) -> np.ndarray:
    """The 4x4 RAS matrix of an affine SimpleITK transform (fixed point -> moving point)."""
    points = np.vstack([np.zeros(3), np.eye(3)])
    mapped = np.array([transform.TransformPoint([float(x) for x in p]) for p in points])
    lps = np.eye(4)
    lps[:3, 3] = mapped[0]
    lps[:3, :3] = (mapped[1:] - mapped[0]).T
    return LPS_FROM_RAS @ lps @ LPS_FROM_RAS


def _method(sitk, fixed_mask, moving_mask, iterations: int):
    method = sitk.ImageRegistrationMethod()
    method.SetMetricAsMattesMutualInformation(numberOfHistogramBins=50)
    method.SetMetricSamplingStrategy(method.REGULAR)
    method.SetMetricSamplingPercentage(SAMPLING, seed=1)
    method.SetInterpolator(sitk.sitkLinear)
    method.SetOptimizerAsRegularStepGradientDescent(
        learningRate=2.0, minStep=1e-4, numberOfIterations=iterations,
        relaxationFactor=0.5, gradientMagnitudeTolerance=1e-8)
    method.SetOptimizerScalesFromPhysicalShift()
    method.SetShrinkFactorsPerLevel([4, 2, 1])
    method.SetSmoothingSigmasPerLevel([2.0, 1.0, 0.0])
    method.SmoothingSigmasAreSpecifiedInPhysicalUnitsOn()
    if fixed_mask is not None:
        method.SetMetricFixedMask(fixed_mask)
    if moving_mask is not None:
        method.SetMetricMovingMask(moving_mask)
    return method


def register(fixed: np.ndarray, fixed_ijk_to_ras: np.ndarray, moving: np.ndarray,
             moving_ijk_to_ras: np.ndarray, fixed_mask: Optional[np.ndarray] = None,
             moving_mask: Optional[np.ndarray] = None, kind: str = "rigid",
             progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
             iterations: int = 200) -> Registration:
    """Register ``moving`` to ``fixed`` (arrays with their RAS affines); see the module notes."""
    import SimpleITK as sitk  # noqa: PLC0415 - only when registering

    if kind not in KINDS:
        raise GeometryError(f"registration must be one of {', '.join(KINDS)}, got {kind!r}")
    fixed_image = to_sitk(fixed, fixed_ijk_to_ras, sitk.sitkFloat32)
    moving_image = to_sitk(moving, moving_ijk_to_ras, sitk.sitkFloat32)
    masks = [None if m is None else to_sitk(_dilated(m), a, sitk.sitkUInt8)
             for m, a in ((fixed_mask, fixed_ijk_to_ras), (moving_mask, moving_ijk_to_ras))]
    stages = ["rigid"] if kind == "rigid" else ["rigid", "affine"]
    total = len(stages) * 3 * iterations
    transform = sitk.CenteredTransformInitializer(
        fixed_image, moving_image, sitk.Euler3DTransform(),
        sitk.CenteredTransformInitializerFilter.MOMENTS)
    done = {"n": 0}
    metric, used = 0.0, 0
    for stage_index, stage in enumerate(stages):
        method = _method(sitk, masks[0], masks[1], iterations)
        if stage == "affine":
            affine = sitk.AffineTransform(3)
            affine.SetMatrix(transform.GetMatrix())
            affine.SetTranslation(transform.GetTranslation())
            affine.SetCenter(transform.GetCenter())
            transform = affine
        method.SetInitialTransform(transform, inPlace=True)

        def on_iteration(method=method, stage=stage, stage_index=stage_index):
            done["n"] += 1
            if cancel is not None and cancel.cancelled:
                method.Abort()
            level = method.GetCurrentLevel()
            report(progress, min(done["n"], total), total,
                   f"{stage} registration, level {level + 1}/3")

        method.AddCommand(sitk.sitkIterationEvent, on_iteration)
        try:
            method.Execute(fixed_image, moving_image)
        except RuntimeError:
            if cancel is not None and cancel.cancelled:
                raise Cancelled() from None
            raise
        check(cancel)
        metric, used = method.GetMetricValue(), used + method.GetOptimizerIteration()
    report(progress, total, total, "registration done")
    return Registration(transform_to_ras_matrix(transform), kind, float(metric), int(used))


def _dilated(mask: np.ndarray) -> np.ndarray:
    """The mask grown by two voxels, so the metric sees the brain's edge against its outside."""
    return ndimage.binary_dilation(np.asarray(mask) > 0, iterations=2).astype(np.uint8)


def resample(moving: np.ndarray, moving_ijk_to_ras: np.ndarray, fixed_shape, fixed_ijk_to_ras,
             fixed_to_moving: np.ndarray, order: int = 1, fill: float = 0.0) -> np.ndarray:
    """``moving`` read on the fixed grid through ``fixed_to_moving`` (order 0 for label maps)."""
    fixed_ijk_to_moving_ijk = (np.linalg.inv(moving_ijk_to_ras) @ np.asarray(fixed_to_moving)
                               @ np.asarray(fixed_ijk_to_ras))
    moving = np.asarray(moving)
    output_dtype = moving.dtype if order == 0 else np.float32
    return ndimage.affine_transform(
        moving, fixed_ijk_to_moving_ijk[:3, :3], offset=fixed_ijk_to_moving_ijk[:3, 3],
        output_shape=tuple(int(n) for n in fixed_shape), order=order, mode="constant", cval=fill,
        output=output_dtype)
