"""Brain extraction: a brain mask for any MR head, the first preprocessing step a card can declare.

The network is deepbet's (Fisch et al. 2024, MIT licence, trained on 7,837 T1 images from 191
sites): two small 3D U-Nets shipped as TorchScript inside its PyPI wheel. A coarse one at 128^3
finds the brain's bounding box, a fine one segments that box at 256^3. It was chosen because it
is the only well-kept brain-extraction model whose weights install offline with pip (HD-BET and
SynthStrip download theirs at first use; nothing can be downloaded where neuroview runs) and it
is state of the art on T1 (median Dice 99.0 in its paper). Only its two weight files are used:
the steps around them are written here so that they follow neuroview's geometry (closest-RAS
axes, no interpolation, the mask back on the image's own grid) and so that thick-slice and
T2/FLAIR-like images get what they need: trilinear resampling, and on T2/FLAIR-like contrast
(recognised from the image) a second run on the image folded to T1-like contrast (on thick
slices each slice about its own white matter level, :func:`slice_levels`), the two
probabilities combined by their minimum (:func:`brain_probability_ras`); the air around the head
is never brain (:func:`outside_air`).

The weight files are TorchScript, i.e. code. Loading them is acceptable here because they come
from an installed dependency whose files pip verified against the wheel's RECORD, and
``brain_weights`` checks each file's SHA-256 against that RECORD again before loading. (The
consent rule for TorchScript *model files from users* does not apply to an installed package.)
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage

from ..core.errors import ModelError
from ..core.geometry import ball_reach, pixel_area_mm2, voxel_sizes, voxel_volume_ml
from ..core.jobs import CancelToken, abandonable, check
from ..core.world_distance import within_mm
from .brain_weights import load_networks

BOX_SHAPE = (128, 128, 128)
FINE_SHAPE = (256, 256, 256)
BOX_MARGIN = 0.1
DEFAULT_DILATION_MM = 3.0
FOLD_SHARE = 0.2
FOLD_FLOOR = 0.15
AIR_SHARE = 0.05
THICK_RATIO = 2.0
"""An image is thick-sliced when its coarsest voxel side is at least this many times its finest."""
SLICE_MIN_AREA_MM2 = 2000.0
"""A thick slice gets its own white matter level only where the coarse mask covers this much."""

def _normalise(x: torch.Tensor, low: torch.Tensor, high: torch.Tensor) -> torch.Tensor:
    """deepbet's input scaling: clip to the 0.5-99.5 percentiles, z-score, ImageNet mean/std.
    In place on one new tensor (``x`` is left as it is): the same values as with a new tensor per
    step, 0.13 s against 0.46 s of CPU for the fine network's 256^3 input."""
    x = (x - low).div_((high - low).clamp(min=1e-6)).clamp_(0, 1)
    mean, std = x.mean(), x.std().clamp(min=1e-6)
    return x.sub_(mean).div_(std).mul_(0.226).add_(0.449)


def _largest_component(mask: np.ndarray) -> np.ndarray:
    import cc3d

    labels = cc3d.connected_components(mask.astype(np.uint8), connectivity=6)
    if labels.max() == 0:
        return mask.astype(bool)
    counts = np.bincount(labels.ravel())
    counts[0] = 0
    return labels == int(counts.argmax())


def _bbox(mask_small: np.ndarray, shape: Sequence[int], margin: float) -> tuple[slice, ...]:
    """deepbet's box: axes whose mean foreground passes 2 %, grown by ``margin`` on each side."""
    scale = np.asarray(shape, float) / np.asarray(mask_small.shape, float)
    out = []
    for axis in range(3):
        others = tuple(a for a in range(3) if a != axis)
        hits = np.nonzero(mask_small.mean(axis=others) > 0.02)[0]
        if hits.size == 0:
            raise ModelError("no head found in the image (brain extraction saw no foreground)")
        centre = scale[axis] * (hits.max() + 1 + hits.min()) / 2
        size = (1 + 2 * margin) * scale[axis] * (hits.max() + 1 - hits.min())
        low, high = int(round(centre) - round(size) / 2), int(round(centre) + round(size) / 2)
        out.append(slice(max(0, low), min(int(shape[axis]), high)))
    return tuple(out)


def fine_side(crop_shape: Sequence[int]) -> int:
    """The fine network's cube side for a brain box of ``crop_shape`` voxels: deepbet's 256 for
    images of about 1 mm (a box of 200 voxels or more along its longest axis), down to 160 for
    coarse ones (a 2 mm image's box, ~90 voxels), never upsampling more than 1.6 times: a grid
    finer than that adds no detail and costs (256/160)^3 = 4 times the time."""
    side = int(np.ceil(max(crop_shape) * 1.6 / 32.0)) * 32
    return int(min(FINE_SHAPE[0], max(160, side)))


def white_matter_level(small: np.ndarray, box_mask: np.ndarray) -> float:
    """The intensity of white matter: the mode of the brain's deep core (the innermost 30 % of
    the coarse mask by depth, mostly white matter on any contrast), from a 128-bin histogram
    between the core's 1st and 99th percentiles."""
    if box_mask.any():
        depth = inside_depth(box_mask)
        core = small[depth >= np.quantile(depth[box_mask], 0.7)]
    else:
        core = small.ravel()
    low, high = np.percentile(core, [1, 99])
    if not high > low:
        return float(high)
    counts, edges = np.histogram(core, bins=128, range=(low, high))
    counts = ndimage.uniform_filter1d(counts.astype(float), 5)
    peak = int(counts.argmax())
    return float((edges[peak] + edges[peak + 1]) / 2)


def inside_depth(mask: np.ndarray) -> np.ndarray:
    """``ndimage.distance_transform_edt(mask)``, computed on the mask's box grown by one voxel:
    a nearer outside voxel beyond that box would have a nearer one on the box's edge (the same
    depths, 3-4x faster for a brain in its 128^3 grid)."""
    box = tuple(slice(max(s.start - 1, 0), s.stop + 1)
                for s in ndimage.find_objects(np.asarray(mask, bool).view(np.uint8))[0])
    depth = np.zeros(np.shape(mask))
    depth[box] = ndimage.distance_transform_edt(mask[box])
    return depth


def brighter_than_white_matter(small: np.ndarray, box_mask: np.ndarray, wm: float) -> float:
    """Share of the coarse brain mask's voxels more than 15 % brighter than white matter: almost
    none on T1 (0 on the synthetic heads, under 5 % on the MNI152 T1), a half or more on T2 and
    FLAIR-like heads (grey matter, CSF)."""
    inside = small[box_mask]
    return float(np.mean(inside > 1.15 * wm)) if inside.size else 0.0


def fold_about(x: torch.Tensor, wm: float | torch.Tensor, floor: float = FOLD_FLOOR) -> torch.Tensor:
    """T1-like contrast from T2/FLAIR-like: intensities above white matter's ``wm`` folded down
    (``2 wm - x``, no darker than ``floor * wm``), those below left as they are. Grey matter and
    CSF, brighter than white matter on T2, end as much darker as they were brighter; air, bone
    and FLAIR's dark CSF stay dark. White matter becomes the brightest tissue, as on T1, which is
    what deepbet was trained on. ``wm`` may be a tensor that broadcasts against ``x`` (a level
    per slice)."""
    return torch.where(x <= wm, x, torch.clamp(2 * wm - x, min=floor * wm))


def slice_levels(image: np.ndarray, mask: np.ndarray, axis: int, wm: float,
                 pixel_mm2: float) -> np.ndarray:
    """White matter's level in each slice along ``axis`` of a thick-sliced image (shaped to
    broadcast against it), never above the head's ``wm``: a thick slice at the brain's base
    averages the brain with the bone under it, so its tissue is darker, and a mixture of bright
    CSF and dark bone lands on the head's white matter level, where the fold about it would leave
    it looking like white matter. Slices where ``mask`` covers less than
    :data:`SLICE_MIN_AREA_MM2` keep ``wm``."""
    levels = np.full(image.shape[axis], wm, np.float32)
    for index in range(image.shape[axis]):
        inside = np.take(mask, [index], axis=axis)
        if inside.sum() * pixel_mm2 >= SLICE_MIN_AREA_MM2:
            levels[index] = min(white_matter_level(np.take(image, [index], axis=axis), inside), wm)
    shape = [1, 1, 1]
    shape[axis] = -1
    return levels.reshape(shape)


def thick_axis(spacing: Optional[Sequence[float]]) -> Optional[int]:
    """The axis of thick slices (:data:`THICK_RATIO`), or None for a (near) isotropic image."""
    if spacing is None:
        return None
    spacing = np.asarray(spacing, float)
    return int(spacing.argmax()) if spacing.max() >= THICK_RATIO * spacing.min() else None


def brain_probability_ras(x: np.ndarray, device: torch.device | str = "cpu",
                          cancel: Optional[CancelToken] = None,
                          fine_shape: Optional[Sequence[int]] = None,
                          fold: Optional[bool] = None, both: bool = False,
                          grid: Optional[np.ndarray] = None):
    """Brain probability for an image whose axes already point to R, A, S (float32, same shape).

    ``fine_shape``: the fine network's grid; by default :func:`fine_side` of the brain's box.
    ``fold``: also run on the image folded about white matter (:func:`fold_about`) and keep the
    lower of the two probabilities (a voxel is brain when both views of the image say so); by
    default when more than :data:`FOLD_SHARE` of the coarse mask is brighter than white matter
    (T2/FLAIR-like contrast). On thick slices (``grid`` says so: the image's ``ijk_to_ras`` on these
    axes, or an orthogonal grid's voxel sizes, as :func:`.geometry.voxel_volume_mm3` takes it) each slice is
    folded about its own level (:func:`slice_levels`, from the coarse mask of the image folded
    about the head's). ``both``: return ``(probability, probability of the image's own run)``,
    the second the same array when there was no fold."""
    check(cancel)   # before the networks' first pass, not only after it
    device = torch.device(device)
    box_net, fine_net, image, small, (box_mask, low, high) = _stoppable(lambda: _coarse(x, device), cancel)
    check(cancel)
    probability = _stoppable(lambda: _fine_pass(fine_net, image, box_mask, low, high, fine_shape), cancel)
    first = probability
    check(cancel)
    if fold is None or fold:
        small_np = small.cpu().numpy()
        wm = white_matter_level(small_np, box_mask)
        if fold is None:
            fold = brighter_than_white_matter(small_np, box_mask, wm) > FOLD_SHARE
        if fold:
            image, small, (box_mask, low, high) = _stoppable(
                lambda: _folded_pass(box_net, image, small, wm, grid), cancel)
            check(cancel)
            fine = _stoppable(lambda: _fine_pass(fine_net, image, box_mask, low, high, fine_shape), cancel)
            probability = np.minimum(first, fine)
    return (probability, first) if both else probability


def _coarse(x: np.ndarray, device: torch.device):
    """The networks (loaded once a process), the image as a tensor, its 128^3 copy and the
    coarse network's pass on it (:func:`_box_pass`), for :func:`_stoppable`."""
    box_net, fine_net = load_networks(device)
    image = torch.nan_to_num(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))).to(device)
    # Trilinear rather than deepbet's nearest-neighbour resampling: same on 1 mm images, and on
    # thick slices (1x1x5 mm) it interpolates between slices instead of repeating them.
    small = F.interpolate(image[None, None], BOX_SHAPE, mode="trilinear", align_corners=False)[0, 0]
    return box_net, fine_net, image, small, _box_pass(box_net, small)


def _folded_pass(box_net, image: torch.Tensor, small: torch.Tensor, wm: float, grid):
    """:func:`_folded` and the coarse pass on its 128^3 copy, for :func:`_stoppable`."""
    image, small = _folded(box_net, image, small, wm, grid)
    return image, small, _box_pass(box_net, small)


def _folded(box_net, image: torch.Tensor, small: torch.Tensor, wm: float,
            grid: Optional[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
    """The image and its 128^3 copy folded about white matter: the head's level, or on thick
    slices each slice's own (:func:`slice_levels`)."""
    axis = None if grid is None else thick_axis(voxel_sizes(grid))
    if axis is None:
        return fold_about(image, wm), fold_about(small, wm)
    coarse = torch.from_numpy(_box_pass(box_net, fold_about(small, wm))[0].astype(np.float32))
    mask = F.interpolate(coarse[None, None], tuple(image.shape), mode="nearest")[0, 0].numpy() > 0.5
    levels = torch.from_numpy(slice_levels(image.cpu().numpy(), mask, axis, wm, pixel_area_mm2(grid, axis)))
    image = fold_about(image, levels.to(image.device))
    return image, F.interpolate(image[None, None], BOX_SHAPE, mode="trilinear", align_corners=False)[0, 0]


def _stoppable(network_pass, cancel: Optional[CancelToken]):
    """A network's pass on a thread of its own (``core.jobs.abandonable``), waited for here:
    the networks are TorchScript, a whole forward one C++ call (the fine one 3-9 s on the MNI
    head at load 12; the coarse one and the weights' first load about a second), and neither
    Cancel nor Ctrl+C reached the caller before it ended (Python runs a signal's handler between
    two of its own steps). Stopped, the pass runs on to its end on its own, its result dropped
    (the CLI then ends at once: ``core.jobs.end_if_abandoned``). The coarse pass ran on the
    caller's thread until session 44."""
    return abandonable(network_pass, cancel, "brain extraction")


def _box_pass(box_net, small: torch.Tensor):
    """The coarse network on the 128^3 image: its largest region, and the image's 0.5 and 99.5
    percentiles (deepbet's scaling for both networks)."""
    low, high = torch.quantile(small.flatten()[::4], torch.tensor([0.005, 0.995], device=small.device))
    if not bool(high > low):
        raise ModelError("no head found in the image (it has no contrast for brain extraction)")
    with torch.inference_mode():
        box_prob = box_net(_normalise(small, low, high)[None, None])[0, 1]
    return _largest_component((box_prob > 0.5).cpu().numpy()), low, high


def _fine_pass(fine_net, image: torch.Tensor, box_mask: np.ndarray, low, high,
               fine_shape: Optional[Sequence[int]]) -> np.ndarray:
    """The fine network on the brain's box (from the coarse mask), its probability on the image."""
    box = _bbox(box_mask.astype(np.float32), image.shape, BOX_MARGIN)
    crop = image[box]
    if fine_shape is None:
        fine_shape = (fine_side(crop.shape),) * 3
    fine_in = F.interpolate(crop[None, None], tuple(fine_shape), mode="trilinear", align_corners=False)
    with torch.inference_mode():
        fine_prob = fine_net(_normalise(fine_in[0, 0], low, high)[None, None])[:, 1:2]
        back = F.interpolate(fine_prob, tuple(crop.shape), mode="trilinear", align_corners=False)[0, 0]
    probability = np.zeros(tuple(image.shape), np.float32)
    probability[box] = back.float().cpu().numpy()
    return probability


def outside_air(image: np.ndarray, level: float) -> np.ndarray:
    """Voxels of air around the head: darker than ``level`` (after a 3-voxel mean, against noise)
    and connected through such voxels to the image's border. Skull and CSF inside the head are
    not connected to the border through dark voxels (the scalp is between), so on a head with
    skull this is the air outside the scalp; on a skull-stripped image it is the zeros around
    the brain, which the network's mask must not take in."""
    import cc3d

    dark = ndimage.uniform_filter(np.asarray(image, np.float32), 3) < level
    return _reaching_the_border(cc3d.connected_components(dark.astype(np.uint8), connectivity=6))


def _reaching_the_border(regions: np.ndarray) -> np.ndarray:
    """The voxels of the labelled ``regions`` (0: none) that touch a face of the grid."""
    touching = np.zeros(int(regions.max()) + 1, bool)
    for index in ((0,), (-1,), (slice(None), 0), (slice(None), -1), (Ellipsis, 0), (Ellipsis, -1)):
        touching[regions[index]] = True
    touching[0] = False
    return touching[regions]


def fill_holes(mask: np.ndarray) -> np.ndarray:
    """``ndimage.binary_fill_holes(mask)`` of a 3D mask: every voxel but the background that
    reaches a face of the grid through 6-connected background (scipy's default structure), found
    as connected components (cc3d) rather than by scipy's dilation repeated until it stops, 0.55 s
    against 0.07 s for a 1 mm head's brain (the same voxels, ``tests/ai/test_ai_brain.py``)."""
    import cc3d

    background = (~np.asarray(mask, bool)).view(np.uint8)
    return ~_reaching_the_border(cc3d.connected_components(background, connectivity=6))


def brain_mask(image: np.ndarray, ijk_to_ras: np.ndarray, device: torch.device | str = "cpu",
               threshold: float = 0.5, cancel: Optional[CancelToken] = None,
               fold: Optional[bool] = None) -> np.ndarray:
    """Boolean brain mask of ``image`` on its own grid (any orientation, any voxel size).

    The image is permuted/flipped to the closest RAS axes (exact, as deepbet expects), the
    network runs (on T2/FLAIR-like images also on their fold to T1-like contrast, see
    :func:`brain_probability_ras`; ``fold`` forces it on or off), the air around the head is
    taken out (:func:`outside_air`, darker than :data:`AIR_SHARE` of the mask's median), and the
    mask is kept as its largest 6-connected region with holes filled, then brought back to the
    image's axes.
    """
    return brain_masks(image, ijk_to_ras, device, threshold, cancel, fold)[0]


def brain_masks(image: np.ndarray, ijk_to_ras: np.ndarray, device: torch.device | str = "cpu",
                threshold: float = 0.5, cancel: Optional[CancelToken] = None,
                fold: Optional[bool] = None) -> tuple[np.ndarray, np.ndarray]:
    """``(mask, single-run mask)``: :func:`brain_mask`, and the mask of the network's run on the
    image alone (without the fold; the same array when the image was not folded). The lesion
    model's input is skull-stripped with the second, the wider one its figures were measured
    with: stripping T2 heads with the tighter folded mask cost it a lesion and 1.7 more false
    regions per head (``bench/heads_eval.py``, 6 T2-like heads)."""
    import nibabel.orientations as nio

    if np.ndim(image) != 3:
        raise ModelError(f"brain extraction needs a 3D image, got shape {np.shape(image)}")
    ornt = nio.io_orientation(np.asarray(ijk_to_ras, float))
    oriented = nio.apply_orientation(np.asarray(image, np.float32), ornt)
    grid = np.asarray(ijk_to_ras, float) @ nio.inv_ornt_aff(ornt, np.shape(image))  # of ``oriented``
    probability, first = brain_probability_ras(oriented, device, cancel, fold=fold, both=True, grid=grid)
    inverse = nio.ornt_transform(nio.axcodes2ornt("RAS"), ornt)
    air = None
    masks = []
    for p in (probability,) if first is probability else (probability, first):
        mask = p > threshold
        if mask.any():
            if air is None:
                air = outside_air(oriented, AIR_SHARE * float(np.median(oriented[mask])))
            mask &= ~air
        mask = _largest_component(mask)
        if not mask.any():
            raise ModelError("no brain found in the image (brain extraction gave an empty mask)")
        mask = fill_holes(mask)
        masks.append(np.ascontiguousarray(nio.apply_orientation(mask, inverse)).astype(bool))
    return masks[0], masks[-1]


def volume_ml(mask: np.ndarray, ijk_to_ras: np.ndarray) -> float:
    """Volume of a voxel mask in millilitres."""
    return float(np.count_nonzero(mask)) * voxel_volume_ml(ijk_to_ras)


def dilate_mm(mask: np.ndarray, ijk_to_ras: np.ndarray, mm: float = DEFAULT_DILATION_MM) -> np.ndarray:
    """``mask`` grown by ``mm`` millimetres: every voxel whose centre lies within ``mm`` of a mask
    voxel's centre in world space (anisotropic voxels respected, and a sheared grid's, a
    gantry-tilted one's, through :func:`neuroview.core.world_distance.distance_to`).

    The distance runs on the mask's box grown by ``mm`` only: a voxel outside that box is more than
    ``mm`` from every mask voxel along one axis alone (``ball_reach``; 4-6x faster on a 1 mm head
    than the whole grid, ``bench/dilate.py``)."""
    return dilate_mm_margins(mask, ijk_to_ras, (mm,))[0]


def dilate_mm_margins(mask: np.ndarray, ijk_to_ras: np.ndarray, margins: Sequence[float]) -> list[np.ndarray]:
    """:func:`dilate_mm` of one ``mask`` by each of ``margins`` (mm), on the box of the widest (a
    narrower margin's box lies inside it, and its voxels are the same): on perpendicular axes a
    dilation by each margin's ball, else one distance transform for all
    (:func:`neuroview.core.world_distance.within_mm`)."""
    mask = np.asarray(mask).astype(bool)
    widest = max(margins, default=0.0)
    if widest <= 0 or not mask.any():
        return [mask] + [mask.copy() for _ in margins[1:]]
    reach = np.floor(ball_reach(ijk_to_ras, widest) + 1e-9).astype(int) + 1
    box = tuple(slice(max(found.start - r, 0), found.stop + r)
                for found, r in zip(ndimage.find_objects(mask.view(np.uint8))[0], reach))
    positive = [mm for mm in margins if mm > 0]
    within = iter(within_mm(mask[box], ijk_to_ras, positive))
    grown = []
    for mm in margins:
        if mm <= 0:
            grown.append(mask.copy())
            continue
        out = np.zeros(mask.shape, bool)
        out[box] = next(within)
        grown.append(out)
    return grown


def keep_inside(labels: np.ndarray, allowed: np.ndarray, brain: Optional[np.ndarray] = None) -> np.ndarray:
    """``labels`` cleared outside ``allowed`` (the brain mask grown by a few mm); with ``brain``,
    the regions left (26-connected) that touch no brain voxel, i.e. lie only in the margin around
    it (remnants of scalp or skull findings), are dropped too."""
    labels = np.where(allowed, labels, 0).astype(labels.dtype, copy=False)
    if brain is None or not labels.any():
        return labels
    import cc3d

    regions = cc3d.connected_components(labels, connectivity=26)
    touching = np.zeros(int(regions.max()) + 1, bool)
    touching[np.unique(regions[brain])] = True
    touching[0] = True
    labels[~touching[regions]] = 0
    return labels
