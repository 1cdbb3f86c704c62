"""What the 3D view shows, made without a render window or OpenGL, so that a worker thread may
make it (:mod:`.volume3d` adds it to the scene): an image's volume rendering with its presets, and
the smoothed surfaces of a label map.

Volume rendering uses VTK's CPU ray caster (``vtkFixedPointVolumeRayCastMapper``): on Mesa
llvmpipe it was faster than the GPU mapper (DESIGN.md); volumes are averaged down to at most 256
voxels per axis for it (:func:`block_mean`). Each part carries its grid's ``ijk_to_ras``: the
scene works in RAS mm.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.errors import NeuroviewError
from .framing import FRAMING_DIM, content_sphere
from .plane_air import background_cut
from .vtk_image import image_data, voxel_sizes

if TYPE_CHECKING:
    from .label_mesh import LabelSurfaces

MAX_RENDER_DIM = 256
PRESETS_3D = ("MR default", "CT bone", "CT soft tissue")


def vtk_matrix(affine: np.ndarray):
    from vtkmodules.vtkCommonMath import vtkMatrix4x4

    matrix = vtkMatrix4x4()
    for r in range(4):
        for c in range(4):
            matrix.SetElement(r, c, float(affine[r, c]))
    return matrix


def sample_distance(affine: np.ndarray) -> float:
    """The ray caster's step along a ray (mm) on the grid ``affine``: 1 mm, and no more than the
    smallest voxel. VTK takes the step in world units: a fixed 1 mm stepped over 2 voxels of a
    0.5 mm grid and 4 of a 0.25 mm one, and a smooth surface, facing the camera, was drawn in
    concentric rings (wood grain), each ring one more step inside it
    (``tests/render/test_volume3d_rings.py``). Grids of 1 mm and coarser keep the 1 mm step."""
    return float(min(1.0, voxel_sizes(affine).min()))


def actor_matrix(affine: np.ndarray) -> np.ndarray:
    """The user matrix of an actor on :func:`.vtk_image.image_data` ``(array, affine)``: the affine without
    its voxel sizes, which the image data carries as its spacing. The ray caster's shading turns
    the light into the volume's frame through this matrix and does not normalise it: with the
    voxel sizes in the matrix a 2 mm grid was lit at half strength, a 0.5 mm grid twice over."""
    matrix = np.array(affine, dtype=float)
    matrix[:3, :3] = matrix[:3, :3] / voxel_sizes(affine)
    return matrix


def render_step(shape, max_dim: int = MAX_RENDER_DIM) -> int:
    """The step (voxels) that leaves no axis of ``shape`` over ``max_dim`` voxels."""
    return max(1, int(np.ceil(max(shape[:3]) / max_dim)))


def subsample(array: np.ndarray, ijk_to_ras: np.ndarray, max_dim: int = MAX_RENDER_DIM):
    """Every n-th voxel so that no axis exceeds ``max_dim``; returns the array and its affine.
    For label maps (a value is a label, never averaged); an image takes :func:`block_mean`."""
    step = render_step(array.shape, max_dim)
    if step == 1:
        return array, ijk_to_ras
    affine = ijk_to_ras.copy()
    affine[:3, :3] = affine[:3, :3] * step
    return array[::step, ::step, ::step], affine


def block_mean(array: np.ndarray, ijk_to_ras: np.ndarray, max_dim: int = MAX_RENDER_DIM,
               beyond: float | None = None):
    """The mean of each n x n x n block of voxels so that no axis exceeds ``max_dim``; returns the
    array, in the input's type (integers rounded), and its affine, each voxel at its block's
    centre. A last block running past the image's end (an axis not a multiple of n: 512 in
    blocks of 3) counts its voxels beyond the image as ``beyond``, the image's lowest value
    unless given (nothing to draw): the mean of what it held alone, put at the whole block's
    centre, drew what lay at the image's edge up to (n - 1) / 2 voxels past it (1.5 voxels of a
    1024 axis; its centre of intensity 0.36 coarse voxel off, now 0.01:
    ``tests/render/test_block_mean.py``).

    Every n-th voxel alone (:func:`subsample`) aliased: a 512x512x600 CT's spine, drawn from
    every 3rd voxel, showed stair-step stripes across its cortex. NaN and infinite voxels are
    left out of their block's mean (a block of nothing else stays NaN).

    An array in Fortran order (nibabel's, a NIfTI read) is averaged as its transpose, a slab of
    k-planes at a time: a slab of its i-planes is strided across all of it, and a 512x512x64 CT
    time point took 1.0 s instead of 0.1 s (``bench/cine_stop_stall.py``); the blocks and the
    affine are the same either way round."""
    step = render_step(array.shape, max_dim)
    if step == 1:
        return array, ijk_to_ras
    if array.ndim == 3 and array.flags.f_contiguous and not array.flags.c_contiguous:
        mean, affine = block_mean(array.T, ijk_to_ras, max_dim, beyond)
        return mean.T, affine
    shape = tuple(-(-n // step) for n in array.shape[:3])
    starts = [np.arange(0, n, step) for n in array.shape[:3]]
    total = np.empty(shape, np.float32)
    floating = array.dtype.kind == "f"
    count = np.empty(shape, np.float32) if floating else None
    lowest = np.inf
    seek_lowest = beyond is None and any(n % step for n in array.shape[:3])

    def block_sums(slab):   # one slab of ``step`` i-planes: its blocks' sums
        summed = np.zeros((shape[1] * step, shape[2] * step), np.float32)   # thin blocks: 0s
        summed[:array.shape[1], :array.shape[2]] = slab.sum(axis=0, dtype=np.float32)
        rows = sum(summed[:, first::step] for first in range(step))   # strided adds: 60 times
        return sum(rows[first::step] for first in range(step))          # a reshape's sum's speed

    for block in range(shape[0]):   # a slab at a time: cache-friendly, no full-size copy
        slab = array[block * step:(block + 1) * step]
        if floating:
            finite = np.isfinite(slab)
            total[block] = block_sums(np.where(finite, slab, 0))
            count[block] = block_sums(finite)
            if seek_lowest and finite.any():
                lowest = min(lowest, float(slab[finite].min()))
        else:
            total[block] = block_sums(slab)
            if seek_lowest:
                lowest = min(lowest, float(slab.min()))
    sides = [np.minimum(step, n - first).astype(np.float32)
             for n, first in zip(array.shape[:3], starts)]
    inside = np.multiply.outer(np.multiply.outer(sides[0], sides[1]), sides[2])
    outside = np.float32(step ** 3) - inside   # the voxels of a last block past the image's end
    if outside.any():
        fill = beyond if beyond is not None else (lowest if np.isfinite(lowest) else 0.0)
        total += outside * np.float32(fill)
    count = (count + outside) if floating else np.float32(step ** 3)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    if floating:   # a block of NaN alone stays NaN, whatever lay past the image's end
        mean[count == outside] = np.nan
    else:
        mean = np.rint(mean).astype(array.dtype)
    affine = np.array(ijk_to_ras, dtype=float)
    affine[:3, 3] = affine[:3, 3] + affine[:3, :3] @ np.full(3, (step - 1) / 2)
    affine[:3, :3] = affine[:3, :3] * step
    return mean, affine


def preset_functions(name: str, ramp: tuple[float, ...], opacity_scale: float = 1.0):
    """Colour and opacity transfer functions: CT in HU, MR at ``ramp`` (:func:`mr_ramp`): clear
    up to its first value, then 0.15, 0.5 and 0.8 opaque at the next three."""
    from vtkmodules.vtkCommonDataModel import vtkPiecewiseFunction
    from vtkmodules.vtkRenderingCore import vtkColorTransferFunction

    color, opacity = vtkColorTransferFunction(), vtkPiecewiseFunction()
    if name == "CT bone":   # 3D Slicer's CT-Bone (ivory at 641 HU, white at 3071), from 150 HU
        points = [(-1000, (0, 0, 0), 0), (150, (0.73, 0.25, 0.3), 0), (641, (0.91, 0.82, 0.55), 0.8),
                  (3071, (1, 1, 1), 0.85)]
    elif name == "CT soft tissue":
        points = [(-1000, (0, 0, 0), 0), (-100, (0.6, 0.3, 0.2), 0), (40, (0.85, 0.45, 0.35), 0.15),
                  (120, (1, 0.85, 0.75), 0.3), (400, (1, 1, 0.95), 0.6), (3000, (1, 1, 1), 0.8)]
    else:  # "MR default": Slicer's MR-Default colours, on the image's own foreground
        points = list(zip(ramp, ((0.75, 0.55, 0.45), (0.9, 0.75, 0.6), (1, 0.92, 0.85), (1, 1, 1)),
                          (0, 0.15, 0.5, 0.8)))
    for value, rgb, alpha in points:
        color.AddRGBPoint(float(value), *rgb)
        opacity.AddPoint(float(value), float(alpha) * float(opacity_scale))
    return color, opacity


RAMP_PERCENTILES = (30, 45, 60, 99)
"""Where the MR preset's opacity leaves 0 and reaches 0.15, 0.5 and 0.8: percentiles of the
foreground (the voxels above the background's noise), as Slicer's presets are picked to suit
an image. The ramp sat at 25, 45, 75 and 100 % of the span from the 1st to the 99.5th
percentile of every voxel, which suits a T1 (its head in the span's upper half); an ADC map's
brain (700-900 of 0-3000) lay in the span's lower half, under 0.15 opaque, and its scalp (near
1200) in the brown: a brown fog, the ventricles seen through it
(``tests/render/test_volume3d_ramp.py``)."""


def mr_ramp(finite: np.ndarray, air: float, low: float, high: float) -> tuple[float, ...]:
    """The MR preset's four values (:func:`preset_functions`): :data:`RAMP_PERCENTILES` of the
    voxels above ``air`` (the top of the background's noise); 25, 45, 75 and 100 % of the span
    from ``low`` to ``high`` (the 1st and 99.5th percentiles), as until session 49, where the
    image has no background (``air`` at ``low``: a head cropped to the grid's edges) or too
    few voxels lie above it (a mask)."""
    span = max(high - low, 1e-6)
    old = tuple(low + f * span for f in (0.25, 0.45, 0.75, 1.0))
    if air <= low:
        return old
    flat = np.asarray(finite).ravel()
    sample = flat[::max(1, flat.size // (1 << 20))]
    foreground = sample[sample > air]
    if foreground.size < 64:
        return old
    levels = np.percentile(foreground, RAMP_PERCENTILES)
    return tuple(float(v) for v in levels) if levels[-1] > levels[0] else old


@dataclass
class VolumeData:
    """What the 3D view shows of one image (:func:`prepare_volume`)."""

    image: Any
    """vtkImageData of the averaged-down array (:func:`block_mean`), spaced by its voxel sizes
    (:func:`actor_matrix`)."""
    affine: np.ndarray
    """The averaged-down array's ``ijk_to_ras``."""
    range: tuple[float, float]
    """The 1st and 99.5th intensity percentiles (the maximum when both are equal), which the
    planes follow (the MR preset too, on an image without background: :func:`mr_ramp`)."""
    prop: Any
    """vtkVolume: the ray-cast mapper on :attr:`image`, its property, the affine."""
    inverted: bool = False
    """The slice planes are drawn with the lowest value white (a MONOCHROME1 CT: its HU kept)."""
    turned_over: float | None = None
    """A MONOCHROME1 MR's: :attr:`image` holds ``turned_over - value``, so the MR preset and the
    planes' air see its background (its top value) as the low end (``Volume.display_inverted``)."""
    air: float | None = None
    """Values at or below it are the air the slice planes leave transparent: :data:`CT_PLANE_AIR_HU`
    on a CT, else the top of the background's noise (:func:`.plane_air.background_cut`; ``None``:
    the low end of :attr:`range`)."""
    content: tuple[np.ndarray, float] | None = None
    """``(centre_ras, radius_mm)``: the sphere round the voxels above :attr:`air`, which the
    camera frames (:func:`.framing.content_sphere`; ``None``: the whole grid)."""
    quick: bool = False
    """A quick look: every n-th voxel of a big image, a few dozen a side, shown while its full
    volume rendering is made (``ui.view3d_widget.QUICK_LOOK_DIM``); drawn with fewer rays."""
    ramp: tuple[float, ...] = (0.0, 0.0, 0.0, 1.0)
    """The MR preset's values (:func:`mr_ramp`)."""


CT_PLANE_AIR_HU = -900.0
"""A CT's air in the 3D view's slice planes: air reads -1000 HU with the scanner's noise (tens of
HU), lung and fat lie above -900; the 1st percentile, the planes' air until then, fell inside the air's
noise and drew the air around a head CT as a black box (until session 36)."""


def prepare_volume(volume, preset: str, opacity_scale: float = 1.0, content=None,
                   quick_dim: int | None = None) -> VolumeData:
    """The volume rendering of ``volume`` (its shown time point), ready to add to a scene: the copy
    into VTK, the percentiles, the mapper and its property. No render window and no OpenGL here,
    so a worker thread may run it (as :func:`build_label_surface`).

    The ray caster's gradient pass (about 0.5 s of the first shaded frame for a 1 mm head on this
    project's 2-core machine) is left to that first frame: the mapper's own
    ``PerVolumeInitialization`` computes it without OpenGL but holds the GIL throughout (the GUI
    thread froze as long), and a frame rendered in a worker's own window, which releases the GIL,
    went with two crashes of a batch of window tests under Xvfb (an X window, then EGL).
    ``content``: the sphere the camera frames (:attr:`VolumeData.content`), when known (the
    quick look's). ``quick_dim``: a quick look (:attr:`VolumeData.quick`) of at most this many
    voxels per axis, every n-th voxel: one strided copy, where :func:`block_mean`'s hundreds of
    small steps each waited for the GIL while the window painted its slice views (0.8 s under
    load for the demo head, as long as its whole full-resolution set-up)."""
    import vtkmodules.vtkRenderingVolumeOpenGL2  # noqa: F401 - volume rendering backends
    from vtkmodules.vtkRenderingCore import vtkVolume, vtkVolumeProperty
    from vtkmodules.vtkRenderingVolume import vtkFixedPointVolumeRayCastMapper

    array = np.asarray(volume.frame(0))
    turn_over = volume.display_inverted and volume.intensity_unit != "HU"
    # past the image's end: its background, the top value of a MONOCHROME1 MR (turned over below)
    beyond = float(np.nanmax(array)) if turn_over and array.size else None
    if quick_dim:
        array, affine = subsample(array, volume.ijk_to_ras, quick_dim)
    else:
        array, affine = block_mean(array, volume.ijk_to_ras, beyond=beyond)
    turned_over = None
    if turn_over:
        array = array.astype(np.float32)  # a copy: the array may be the volume's own
        turned_over = float(np.nanmax(array))
        np.subtract(np.float32(turned_over), array, out=array)
    if array.dtype not in (np.uint8, np.int16, np.uint16, np.float32):
        array = array.astype(np.float32)
    image = image_data(array, affine)
    finite = array[np.isfinite(array)] if array.dtype.kind == "f" else array
    if not finite.size:   # it failed in np.percentile: "internal error: IndexError: index -1 ..."
        raise NeuroviewError("every voxel of the image is NaN or infinite: nothing to render")
    low, high = (float(v) for v in np.percentile(finite, [1, 99.5]))
    if high <= low:   # the bright part is under 0.5 % (a mask): the ramp up to it, not a black cube
        high = float(finite.max())
    mapper = vtkFixedPointVolumeRayCastMapper()
    mapper.SetInputData(image)
    mapper.SetAutoAdjustSampleDistances(0)
    mapper.SetSampleDistance(sample_distance(affine))
    prop = vtkVolumeProperty()
    prop.ShadeOn()
    prop.SetInterpolationTypeToLinear()
    prop.SetAmbient(0.3)
    prop.SetDiffuse(0.7)
    prop.SetSpecular(0.2)
    air = max(low, CT_PLANE_AIR_HU) if volume.intensity_unit == "HU" else background_cut(finite, low)
    ramp = mr_ramp(finite, air, low, high)
    color, opacity = preset_functions(preset, ramp, opacity_scale)
    prop.SetColor(color)
    prop.SetScalarOpacity(opacity)
    actor = vtkVolume()
    actor.SetMapper(mapper)
    actor.SetProperty(prop)
    actor.SetUserMatrix(vtk_matrix(actor_matrix(affine)))
    if content is None:
        content = content_sphere(*subsample(array, affine, FRAMING_DIM), air)
    return VolumeData(image, affine, (low, high), actor, volume.display_inverted and turned_over
                      is None, turned_over, air, content, quick=bool(quick_dim), ramp=ramp)


class LabelSurface:
    """Label surfaces ready to show: a polydata (no pipeline attached), its colours and affine;
    ``sketched``: :func:`on_single_slices` of the voxels they are made of."""

    def __init__(self, polydata, table, top: int, affine: np.ndarray, sketched: bool = False) -> None:
        self.polydata, self.table, self.top, self.affine = polydata, table, top, affine
        self.sketched = sketched


def on_single_slices(mask: np.ndarray) -> bool:
    """Whether along some voxel axis no two neighbouring slices both hold ``mask``'s voxels: 2D
    strokes drawn every few slices for *Fill between slices*, each one slice thick."""
    for axis in range(3):
        held = mask.any(axis=tuple(a for a in range(3) if a != axis))
        if not (held[1:] & held[:-1]).any():
            return True
    return False


def build_label_surface(array: np.ndarray, ijk_to_ras: np.ndarray, segments, hidden=(),
                        surfaces: "LabelSurfaces | None" = None):
    """Smoothed surfaces of the visible segments of a label array (``None`` when there are none).

    ``surfaces`` holds those of the label map of the last call given it (:class:`.label_mesh.
    LabelSurfaces`): only the segments changed since, around the change, are rebuilt; without
    it, all of them. Only VTK filters and numpy run here, no render window, and both release the
    GIL while they run, so the GUI calls this in a worker thread on a copy of the label map while
    the user keeps painting (one call at a time for one ``surfaces``).
    """
    from vtkmodules.vtkCommonCore import vtkLookupTable

    from ..core.labels import default_color
    from .label_mesh import LabelSurfaces

    segments = {s.value: s for s in segments}
    hidden = set(hidden)
    array, affine = subsample(array, ijk_to_ras)
    surfaces = surfaces if surfaces is not None else LabelSurfaces()
    surfaces.update(array)
    values = sorted(v for v in surfaces.values() if v not in hidden
                    and (v not in segments or segments[v].visible))
    if not values:
        return None
    polydata = surfaces.polydata(values, mirrored=np.linalg.det(affine[:3, :3]) < 0)
    top = max(values)
    table = vtkLookupTable()
    table.SetNumberOfTableValues(top + 1)
    table.SetTableRange(0, top)
    for value in range(top + 1):
        rgb = segments[value].color if value in segments else default_color(max(value, 1))
        table.SetTableValue(value, *(c / 255.0 for c in rgb), 1.0)
    table.Build()
    shown = array if len(values) == len(list(surfaces.values())) else np.isin(array, values)
    return LabelSurface(polydata, table, top, affine, on_single_slices(shown))
