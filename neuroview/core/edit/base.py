"""The contract every editing tool follows, and the helpers they share.

A tool is a class with a ``name``, a ``Params`` dataclass and press/drag/release input in RAS
millimetres (Slicer's Segment Editor effects and ITK-SNAP's presenter models have the same shape)::

    tool = PaintTool(target, PaintParams(segment=1, radius_mm=5))
    tool.press(p_ras)      # -> box of voxels changed, for the view to refresh
    tool.drag(p_ras)       # (interactive tools only) extends the same stroke
    diff = tool.release()  # -> one VoxelDiff: the whole stroke is one undo step

One-shot tools (fill, islands, margin...) do their work on ``press`` (with or without a point),
and can :meth:`Tool.propose` a result without writing it (the preview of grow-from-seeds and
fill-between-slices). Tools write through :meth:`Tool.write_region`/:meth:`Tool.write_mask`, which
apply the locks and the overwrite policy and record the old values for undo.

Overwrite policies (Slicer's "masking"): ``"all"`` may overwrite every unlocked segment,
``"visible"`` only visible unlocked segments, ``"background"`` only empty voxels (and a context
segment's, which lies under what is painted: see below). Locked segments
are never overwritten or erased. A voxel cleared inside a context segment's extent (a model's brain
under a lesion) goes back to that segment, not to background (``core.extent``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, Optional

import numpy as np

from .. import geometry
from ..errors import ToolError
from ..extent import cleared_values
from ..labels import LabelMap, Segment
from ..short_repr import array_text
from ..undo import Box, StrokeRecorder, VoxelDiff, box_slices
from ..volume import Volume

POLICIES = ("all", "visible", "background")


@dataclass
class EditTarget:
    """What tools work on: the image (for intensity ranges) and the label map on its grid."""

    volume: Volume
    labels: LabelMap
    policy: str = "all"
    frame: int = 0
    """The time point of a 4D image whose intensities the tools read (0-based: the one shown)."""

    def __post_init__(self) -> None:
        one_of(self.policy, POLICIES, "overwrite policy")

    @property
    def image(self) -> np.ndarray:
        """The 3D image array (of time point :attr:`frame` in a 4D series)."""
        return self.volume.frame(min(max(int(self.frame), 0), self.volume.n_frames - 1))

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.labels.shape


@dataclass
class Proposal:
    """A computed result not yet written: new label values for a box of the label map."""

    lo: tuple[int, int, int]
    region: np.ndarray

    def __repr__(self) -> str:
        return f"Proposal(lo={tuple(self.lo)}, region={array_text(self.region)})"

    @property
    def box(self) -> Box:
        return self.lo, tuple(a + n for a, n in zip(self.lo, self.region.shape))

    def full_array(self, labels: np.ndarray) -> np.ndarray:
        """A label-map-sized array showing the result (a copy: for previews only)."""
        out = labels.copy()
        out[box_slices(*self.box)] = self.region
        return out


def ras_point(p, what: str) -> np.ndarray:
    """``p`` as three finite RAS millimetres, or a ToolError naming ``what`` (one line)."""
    try:
        array = np.asarray(p, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        array = np.empty(0)
    if array.shape != (3,) or not np.all(np.isfinite(array)):
        raise ToolError(f"{what} must be three finite RAS coordinates in mm, got {p!r}")
    return array


def one_of(value, choices: tuple, what: str) -> None:
    """A tool's option refused, in one line, when ``value`` is none of ``choices``."""
    if value not in choices:
        raise ToolError(f"unknown {what} {value!r}; choose one of {choices}")


def segment_value(segment: Any) -> int:
    """A segment given as a :class:`Segment` or its label value."""
    if isinstance(segment, Segment):
        return segment.value
    if segment is None:
        raise ToolError("this tool needs a segment")
    try:
        return int(segment)
    except (TypeError, ValueError):
        raise ToolError(f"not a segment: {segment!r}") from None


def protected_lut(labels: LabelMap, value: int, policy: str, spare=frozenset()) -> np.ndarray:
    """Boolean lookup ``protected[label]``: labels that writing ``value`` must not overwrite
    (``spare``: label values protected besides those the policy and locks protect)."""
    size = int(np.iinfo(labels.array.dtype).max) + 1
    lut = np.zeros(size, dtype=bool)
    for segment in labels.segments:
        if segment.value >= size or segment.value == value:
            continue
        if segment.locked or segment.value in spare:
            lut[segment.value] = True
        elif segment.extent:   # context (a model's brain): what is painted lies over it
            continue
        elif policy == "background" or (policy == "visible" and not segment.visible):
            lut[segment.value] = True
    return lut


def clip_box(lo, hi, shape) -> Optional[Box]:
    lo = tuple(max(0, int(a)) for a in lo)
    hi = tuple(min(int(n), int(b)) for b, n in zip(hi, shape))
    if any(b <= a for a, b in zip(lo, hi)):
        return None
    return lo, hi


def pad_box(box: Box, pad, shape) -> Box:
    pad = np.broadcast_to(np.asarray(pad, dtype=int), (3,))
    return clip_box([a - p for a, p in zip(box[0], pad)], [b + p for b, p in zip(box[1], pad)], shape)


def mask_box(mask: np.ndarray) -> Optional[Box]:
    """Bounding box of the True voxels of a full-size mask (``None`` when empty)."""
    if not mask.any():
        return None
    lo, hi = [], []
    for axis in range(3):
        nz = np.flatnonzero(mask.any(axis=tuple(a for a in range(3) if a != axis)))
        lo.append(int(nz[0]))
        hi.append(int(nz[-1]) + 1)
    return tuple(lo), tuple(hi)


def segment_box(labels: np.ndarray, value: int) -> Optional[Box]:
    return mask_box(labels == value)


def signed_distance(mask: np.ndarray, spacing) -> np.ndarray:
    """2D signed distance in mm: negative inside, positive outside, about +-spacing at the edge."""
    from scipy import ndimage  # (imported when used: the window's start need not pay for scipy)

    if not mask.any():
        return np.full(mask.shape, np.inf, dtype=np.float32)
    outside = ndimage.distance_transform_edt(~mask, sampling=spacing)
    inside = ndimage.distance_transform_edt(mask, sampling=spacing)
    return (outside - inside).astype(np.float32)


def mm_to_voxels(mm: float, spacing) -> np.ndarray:
    """Whole voxels covering ``mm`` along each axis (at least 0)."""
    return np.ceil(float(mm) / np.asarray(spacing, dtype=float) - 1e-9).astype(int).clip(min=0)


def ellipsoid_kernel(radius_mm: float, grid) -> np.ndarray:
    """Boolean structuring element: voxels whose centres lie within ``radius_mm`` of the centre
    voxel's, in world millimetres. ``grid``: the ``ijk_to_ras`` affine (a gantry-tilted grid's
    sheared axes are not perpendicular), or an orthogonal grid's voxel sizes."""
    grid = np.asarray(grid, dtype=float)
    linear = grid[:3, :3] if grid.ndim == 2 else np.diag(grid)
    half = np.ceil(geometry.ball_reach(linear, radius_mm) - 1e-9).astype(int).clip(min=0)
    offsets = np.indices(tuple(2 * half + 1)).reshape(3, -1).T - half
    dist2 = np.sum(geometry.apply_linear(linear, offsets) ** 2, axis=1)
    return (dist2 <= radius_mm ** 2 + 1e-9).reshape(tuple(2 * half + 1))


class Tool:
    """Base class of all tools: one instance per stroke/application."""

    name: ClassVar[str] = ""
    Params: ClassVar[type] = object
    interactive: ClassVar[bool] = False
    """True when drag extends the stroke (paint, erase)."""
    previewable: ClassVar[bool] = False
    """True when :meth:`propose` computes the result without writing it."""
    needs_point: ClassVar[bool] = False
    """True when press needs a RAS point (fill)."""

    def __init__(self, target: EditTarget, params=None):
        self.target = target
        self.params = params if params is not None else self.Params()
        self._recorder = StrokeRecorder()
        self._done = False

    # -- input ----------------------------------------------------------------------------------
    def press(self, p_ras=None) -> Optional[Box]:
        if self.needs_point and p_ras is None:
            raise ToolError(f"{self.name} needs a point (at_ras)")
        if self.previewable:
            proposal = self.propose(p_ras)
            return self.write_region(proposal.lo, proposal.region) if proposal else None
        return self.run(p_ras)

    def drag(self, p_ras) -> Optional[Box]:
        if not self.interactive:
            return None
        return self.run(p_ras)

    def release(self) -> Optional[VoxelDiff]:
        """End of the stroke: the one diff of everything it changed (``None`` if nothing)."""
        self._done = True
        return self._recorder.finish(self.target.labels.array)

    def cancel(self) -> Optional[Box]:
        """Undo the writes of an unfinished stroke (Escape during a drag)."""
        diff = self._recorder.finish(self.target.labels.array)
        if diff is not None:
            diff.undo(self.target.labels.array)
            return diff.box
        return None

    # -- for subclasses -------------------------------------------------------------------------
    def run(self, p_ras) -> Optional[Box]:
        raise NotImplementedError

    def propose(self, p_ras=None) -> Optional[Proposal]:
        raise ToolError(f"{self.name} has no preview")

    def unlocked_value(self, segment: Any) -> int:
        """The label value of ``segment`` (:func:`segment_value`); a locked segment refused."""
        value = segment_value(segment)
        segments = self.target.labels.segments
        if value in segments and segments.get(value).locked:
            raise ToolError(f"segment {segments.get(value).name!r} is locked")
        return value

    def write_mask(self, lo, mask: np.ndarray, value: int, only_value: Optional[int] = None,
                   policy: Optional[str] = None, spare=frozenset()) -> Optional[Box]:
        """Set ``value`` where ``mask`` (box-sized, at ``lo``) is True, as the policy allows.

        ``only_value`` restricts the write to voxels currently holding that label (erase);
        ``policy`` overrides the target's overwrite policy; ``spare``: label values left alone too.
        Returns the box actually changed, or ``None``.
        """
        labels = self.target.labels
        if value > 0:
            labels.ensure_capacity(value)
        region = labels.array[box_slices(lo, [a + n for a, n in zip(lo, mask.shape)])]
        if only_value is not None:
            allowed = mask & (region == only_value)
            if only_value in labels.segments and labels.segments.get(only_value).locked:
                return None
        else:
            lut = protected_lut(labels, value, policy or self.target.policy, spare)
            # nothing protected: no lookup over the box (30 ms a mouse move for a 10 million
            # voxel box of a large 3D brush)
            allowed = mask & ~lut[region] if lut.any() else mask
        changed = allowed & (region != value)
        if not changed.any():
            return None
        under = None if value else cleared_values(labels.segments, labels.shape, lo, region, changed)
        self._recorder.record(lo, changed, region[changed])
        region[changed] = value if under is None else under[changed]   # a cleared voxel in the brain is brain
        return lo, tuple(a + n for a, n in zip(lo, mask.shape))

    def write_region(self, lo, new_region: np.ndarray) -> Optional[Box]:
        """Replace a box with ``new_region`` where it differs (locks still apply)."""
        labels = self.target.labels
        if new_region.size:
            labels.ensure_capacity(int(new_region.max()))
        region = labels.array[box_slices(lo, [a + n for a, n in zip(lo, new_region.shape)])]
        locked = np.zeros(int(np.iinfo(labels.array.dtype).max) + 1, dtype=bool)
        locked[[v for v in labels.segments.locked_values() if v < locked.size]] = True
        # a locked context segment's value (the brain) written where clearing the voxel gives it
        # back anyway is that give-back: the AI click preview shows it so, as Enter writes it
        back = (region != new_region) & ~locked[region] & locked[new_region]
        if back.any():
            given = cleared_values(labels.segments, labels.shape, lo, region, back)
            if given is not None:
                new_region = np.where(back & (given == new_region), 0, new_region)
        changed = (region != new_region) & ~locked[region] & ~locked[new_region]
        if not changed.any():
            return None
        under = cleared_values(labels.segments, labels.shape, lo, region, changed & (new_region == 0))
        self._recorder.record(lo, changed, region[changed])
        region[changed] = (new_region if under is None else np.where(under > 0, under, new_region))[changed]
        return lo, tuple(a + n for a, n in zip(lo, new_region.shape))

    def allowed_for(self, region: np.ndarray, value: int) -> np.ndarray:
        """Voxels of ``region`` that writing ``value`` may overwrite under locks and policy."""
        return ~protected_lut(self.target.labels, value, self.target.policy)[region]

    def intensity_ok(self, lo, shape, low, high) -> Optional[np.ndarray]:
        """Mask of voxels whose image value lies in ``[low, high]`` (``None``: no range set)."""
        if low is None and high is None:
            return None
        image = self.target.image[box_slices(lo, [a + n for a, n in zip(lo, shape)])]
        ok = np.ones(image.shape, dtype=bool)
        if low is not None:
            ok &= image >= low
        if high is not None:
            ok &= image <= high
        return ok


def make_params(params_cls: type, values: dict, tool_name: str):
    """Build a params dataclass from keyword values, naming unknown ones in the error."""
    known = {f.name for f in fields(params_cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ToolError(f"{tool_name} has no parameter {', '.join(unknown)}; "
                        f"it takes {', '.join(sorted(known))}")
    return params_cls(**values)
