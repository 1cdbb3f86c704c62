"""Register one study to another with SimpleITK, and resample on a chosen grid.

SimpleITK works in LPS millimetres; neuroview in RAS. The flip happens here, at the edge, like the
DICOM readers do it. A transform is returned as a 4x4 RAS matrix ``fixed_to_moving``: the point
``p_ras`` of the fixed (baseline) study lies at ``fixed_to_moving @ p_ras`` in the moving
(follow-up) study's world. Resampling the moving study onto the fixed grid reads it there.

Registration: Mattes mutual information, three resolution levels (shrink 4, 2, 1), regular-step
gradient descent, centred on the image moments; rigid (6 parameters) by default, affine (12) as an
option, the affine starting from the rigid result. Brain masks, when given, restrict the metric.

Speed: each study is first cut to its brain mask's box (grown by :data:`MARGIN_MM`) and block-averaged
to about :data:`WORK_SPACING_MM` voxels (2x2x2 blocks for a 1 mm head), so the finest level of the
pyramid works at 2 mm: a 256^3 head becomes about 0.6 million voxels instead of 16.7 million. The
transform found there is a transform between the two worlds, valid on the full grids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
from scipy import ndimage

from ..core.atomic import atomic_path
from ..core.errors import Cancelled, GeometryError
from ..core.jobs import CancelToken, ProgressFn, check, report

LPS_FROM_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])
KINDS = ("rigid", "affine")
SAMPLING = (0.5, 0.5, 0.125)
"""Share of voxels the metric samples at each iteration of each pyramid level (on a regular
lattice: repeatable). The coarse levels, which decide how far a head may be turned or shifted,
see half their voxels; the finest level, which only refines and costs most (72 ms an iteration of
a 2 mm brain at 0.5), one in eight: 30 % less CPU on the tests' known transforms, landmark errors
0.01-0.10 mm either way (``bench/registration_levels.py --sampling``). One in five at every level
lost the 15-degree case (12.5 mm off)."""
WORK_SPACING_MM = 2.0
"""Voxel size registration works at: finer images are block-averaged to about this size."""
MARGIN_MM = 10.0
"""Room kept around the brain mask's box when a study is cut to it."""
SMOOTHING_MM = (8.0, 4.0, 0.0)
"""Gaussian sigma (mm) of each pyramid level: about one of its voxels (shrink 4 and 2 of the 2 mm
working grid). With (2, 1, 0) mm the coarse levels barely moved a head turned 15 degrees and the
finest level walked the whole way (150-200 iterations at 2 mm); now the same landmark errors on
the tests' known transforms in about a third of the CPU time (``bench/registration_levels.py``)."""


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


def write_itk_transform(fixed_to_moving: np.ndarray, path) -> None:
    """Write the 4x4 RAS matrix ``fixed_to_moving`` as an ITK transform file (``.tfm``, read by 3D
    Slicer, ITK-SNAP, ANTs and ``sitk.ReadTransform``), atomically. ITK's convention: LPS
    millimetres, and the direction resampling uses, from the fixed (baseline) study's points to
    the moving (later) study's, so ``sitk.Resample(later, baseline, transform)`` puts the later
    study on the baseline grid; Slicer reads it as the later study's transform to the baseline."""
    import SimpleITK as sitk  # noqa: PLC0415 - only when writing one

    lps = LPS_FROM_RAS @ np.asarray(fixed_to_moving, dtype=float) @ LPS_FROM_RAS
    transform = sitk.AffineTransform(3)
    transform.SetMatrix([float(x) for x in lps[:3, :3].ravel()])
    transform.SetTranslation([float(x) for x in lps[:3, 3]])
    with atomic_path(path) as tmp:
        sitk.WriteTransform(transform, str(tmp))


def _method(sitk, fixed_mask, moving_mask, iterations: int):
    method = sitk.ImageRegistrationMethod()
    method.SetMetricAsMattesMutualInformation(numberOfHistogramBins=50)
    method.SetMetricSamplingStrategy(method.REGULAR)
    method.SetMetricSamplingPercentagePerLevel(list(SAMPLING), seed=1)
    method.SetInterpolator(sitk.sitkLinear)
    method.SetOptimizerAsRegularStepGradientDescent(
        learningRate=2.0, minStep=1e-4, numberOfIterations=iterations,
        relaxationFactor=0.5, gradientMagnitudeTolerance=1e-8)
    method.SetOptimizerScalesFromPhysicalShift()
    method.SetShrinkFactorsPerLevel([4, 2, 1])
    method.SetSmoothingSigmasPerLevel(SMOOTHING_MM)
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
    images, masks = [], []
    for array, affine, mask in ((fixed, fixed_ijk_to_ras, fixed_mask),
                                (moving, moving_ijk_to_ras, moving_mask)):
        array, mask, affine = working_grid(array, mask, affine)
        images.append(to_sitk(array, affine, sitk.sitkFloat32))
        masks.append(None if mask is None else to_sitk(_dilated(mask), affine, sitk.sitkUInt8))
    fixed_image, moving_image = images
    stages = ["rigid"] if kind == "rigid" else ["rigid", "affine"]
    total = len(stages) * 3 * iterations
    try:
        transform = sitk.CenteredTransformInitializer(
            fixed_image, moving_image, sitk.Euler3DTransform(),
            sitk.CenteredTransformInitializerFilter.MOMENTS)
    except RuntimeError as error:
        raise GeometryError(f"registration failed ({_itk_reason(error)})") from None
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
                # Abort() is only seen when the whole method ends (26 s into a 2 mm pair);
                # StopRegistration ends this level's optimiser now, and each later level's at
                # its first iteration
                method.StopRegistration()
            level = method.GetCurrentLevel()
            report(progress, min(done["n"], total), total,
                   f"{stage} registration, level {level + 1}/3")

        method.AddCommand(sitk.sitkIterationEvent, on_iteration)
        try:
            method.Execute(fixed_image, moving_image)
        except RuntimeError as error:
            if cancel is not None and cancel.cancelled:
                raise Cancelled() from None
            raise GeometryError(f"registration failed ({_itk_reason(error)})") from None
        finally:
            # the command (held in C++) holds on_iteration, which holds the method: a cycle the
            # garbage collector cannot see, which kept both, and the caller's progress callback
            # with whatever it holds (a GUI job and its result), alive until the program ended
            method.RemoveAllCommands()
        check(cancel)
        metric, used = method.GetMetricValue(), used + method.GetOptimizerIteration()
    report(progress, total, total, "registration done")
    return Registration(transform_to_ras_matrix(transform), kind, float(metric), int(used))


def _itk_reason(error: RuntimeError) -> str:
    """The line of an ITK exception that says what went wrong (not its file and line)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    reason = next((line for line in reversed(lines) if "ITK ERROR" in line), lines[-1] if lines else "")
    return reason.split("): ", 1)[-1] if "ITK ERROR" in reason else reason


def working_grid(array: np.ndarray, mask: Optional[np.ndarray], ijk_to_ras: np.ndarray):
    """``(image, mask, ijk_to_ras)`` that registration works on: cut to the mask's box grown by
    :data:`MARGIN_MM`, then block-averaged (the mask: any voxel of the block) to about
    :data:`WORK_SPACING_MM`. The affine places the new voxels where their blocks' centres were."""
    affine = np.asarray(ijk_to_ras, dtype=float)
    spacing = np.linalg.norm(affine[:3, :3], axis=0)
    array = np.asarray(array)
    if mask is not None:
        mask = np.asarray(mask) > 0
        if mask.shape != array.shape:
            raise GeometryError(f"brain mask {mask.shape} is not on the image grid {array.shape}")
        if mask.any():
            margin = np.ceil(MARGIN_MM / spacing - 1e-6).astype(int)
            box = []
            for axis in range(3):
                present = np.flatnonzero(mask.any(axis=tuple(a for a in range(3) if a != axis)))
                box.append(slice(max(int(present[0]) - margin[axis], 0),
                                 min(int(present[-1]) + margin[axis] + 1, array.shape[axis])))
            array, mask = array[tuple(box)], mask[tuple(box)]
            affine = affine.copy()
            affine[:3, 3] = affine[:3, :3] @ [b.start for b in box] + affine[:3, 3]
    factors = np.maximum(np.rint(WORK_SPACING_MM / spacing), 1).astype(int)
    if np.all(factors == 1):
        return array, mask, affine
    array = _blocks(array, factors).mean(axis=(1, 3, 5), dtype=np.float32)
    if mask is not None:
        mask = _blocks(mask, factors).any(axis=(1, 3, 5))
    step = np.eye(4)
    step[:3, :3] = np.diag(factors)
    step[:3, 3] = (factors - 1) / 2.0
    return array, mask, affine @ step


def _blocks(array: np.ndarray, factors) -> np.ndarray:
    """A 6D view of ``array`` (cut to whole blocks) with blocks of ``factors`` on axes 1, 3, 5."""
    n = [array.shape[a] // factors[a] for a in range(3)]
    array = array[:n[0] * factors[0], :n[1] * factors[1], :n[2] * factors[2]]
    return array.reshape(n[0], factors[0], n[1], factors[1], n[2], factors[2])


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
