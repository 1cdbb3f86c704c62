"""Made-up follow-ups on real anatomy: the MNI template moved by a known rigid transform.

The baseline is the template resampled to 2 mm. A later study is the same head seen through a
known transform (rotation, shift), on another grid (voxel size, field of view), read from the 1 mm
template with trilinear interpolation by scipy (not by the code under test). Lesions are balls in
the baseline's world: drawn on the baseline grid as they are, and on the later grid where the
transform carries them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from scipy.spatial.transform import Rotation


def rigid(rotation_deg=(0.0, 0.0, 0.0), shift_mm=(0.0, 0.0, 0.0), centre=(0.0, 0.0, 0.0),
          scale: float = 1.0) -> np.ndarray:
    """4x4 RAS matrix turning by ``rotation_deg`` (xyz Euler) about ``centre``, then shifting."""
    matrix = np.eye(4)
    matrix[:3, :3] = Rotation.from_euler("xyz", rotation_deg, degrees=True).as_matrix() * scale
    centre = np.asarray(centre, dtype=float)
    matrix[:3, 3] = centre - matrix[:3, :3] @ centre + np.asarray(shift_mm, dtype=float)
    return matrix


def grid(volume, spacing, margin_mm=(0.0, 0.0, 0.0)):
    """``(shape, ijk_to_ras)`` of an axis-aligned grid with ``spacing`` over ``volume``'s field
    of view, grown (or cut, when negative) by ``margin_mm`` on each side."""
    spacing = np.asarray(spacing, dtype=float)
    corners = volume.ijk_to_ras_points(np.array([[0, 0, 0], np.asarray(volume.shape) - 1]))
    low = corners.min(axis=0) - np.asarray(margin_mm)
    high = corners.max(axis=0) + np.asarray(margin_mm)
    shape = tuple(int(n) for n in np.floor((high - low) / spacing) + 1)
    affine = np.eye(4)
    affine[:3, :3] = np.diag(spacing)
    affine[:3, 3] = low
    return shape, affine


def sample(template, shape, ijk_to_ras, world_to_template=np.eye(4)) -> np.ndarray:
    """The template read at each voxel of a grid; ``world_to_template`` maps the grid's world
    points to template world points (trilinear, zero outside)."""
    ijk = (template.ras_to_ijk @ world_to_template @ ijk_to_ras)
    return ndimage.affine_transform(template.frame().astype(np.float32), ijk[:3, :3],
                                    offset=ijk[:3, 3], output_shape=shape, order=1, cval=0.0)


def rescan_of(source, rng, margin_mm):
    """One scan of a rescan pair of ``source`` (no real change): voxel sizes 1.6-2.4 mm, a rigid
    pose within 15 degrees and 20 mm about its centre, ``margin_mm`` around it: (image, affine)."""
    spacing = rng.uniform(1.6, 2.4, 3)
    pose = rigid(rng.uniform(-15, 15, 3), rng.uniform(-20, 20, 3), source.center_ras)
    shape, affine = grid(source, spacing, margin_mm)
    return sample(source, shape, affine, np.linalg.inv(pose)), affine


def deepbet_rescans(seed: int = 7):
    """Scans of the synthetic head (skull and scalp on) as a rescan pair's (:func:`rescan_of`, 5 mm
    around it), each with deepbet's brain mask: a function of the study's name giving the next
    ``StudyInput`` (``bench/followup.py --rescan-deepbet``'s draws)."""
    from neuroview.ai.heads import synthetic_head
    from neuroview.app.followup import StudyInput
    from neuroview.app.followup_brain import extract_brain
    from neuroview.core.volume import Volume

    head = synthetic_head("t1", skull=True)
    source = Volume(head.image, head.ijk_to_ras)
    rng = np.random.default_rng(seed)

    def scan(name: str) -> StudyInput:
        image, affine = rescan_of(source, rng, (5.0, 5.0, 5.0))
        mask, how = extract_brain(Volume(image, affine), "cpu")
        return StudyInput(image, affine, np.zeros(image.shape, np.uint8), mask, name, brain_source=how)

    return scan


def balls(shape, ijk_to_ras, centres_ras, radii_mm) -> np.ndarray:
    """A label array with ball ``n`` (voxel centres within the radius) set to 1.

    Each ball is measured on its own box of voxels (its extent along each voxel axis, one voxel
    more each side), not on the whole grid: the same arithmetic on the same voxels as
    :func:`balls_on_whole_grid` (``tests/app/test_followup_balls.py``), 30-40 times faster on a
    2 mm head (the follow-up tests draw dozens)."""
    linear = ijk_to_ras[:3, :3].T.astype(np.float32)
    offset = ijk_to_ras[:3, 3].astype(np.float32)
    ras_to_ijk = np.linalg.inv(ijk_to_ras)
    reach = np.linalg.norm(ras_to_ijk[:3, :3], axis=1)   # voxels per mm along each voxel axis
    out = np.zeros(tuple(shape), dtype=np.uint8)
    for centre, radius in zip(centres_ras, radii_mm):
        centre_ijk = ras_to_ijk[:3, :3] @ np.asarray(centre, float) + ras_to_ijk[:3, 3]
        low = np.maximum(np.floor(centre_ijk - radius * reach) - 1, 0).astype(int)
        high = np.minimum(np.ceil(centre_ijk + radius * reach) + 2, shape).astype(int)
        if np.any(high <= low):
            continue
        box = tuple(slice(a, b) for a, b in zip(low, high))
        ijk = np.indices(high - low, dtype=np.float32).reshape(3, -1).T + low.astype(np.float32)
        p_ras = ijk @ linear + offset
        inside = np.sum((p_ras - np.asarray(centre, np.float32)) ** 2, axis=1) <= radius ** 2
        out[box][inside.reshape(high - low)] = 1
    return out


def balls_on_whole_grid(shape, ijk_to_ras, centres_ras, radii_mm) -> np.ndarray:
    """:func:`balls` measured at every voxel of the grid for every ball (the reference)."""
    ijk = np.indices(shape, dtype=np.float32).reshape(3, -1).T
    p_ras = ijk @ ijk_to_ras[:3, :3].T.astype(np.float32) + ijk_to_ras[:3, 3].astype(np.float32)
    out = np.zeros(int(np.prod(shape)), dtype=np.uint8)
    for centre, radius in zip(centres_ras, radii_mm):
        out[np.sum((p_ras - np.asarray(centre, np.float32)) ** 2, axis=1) <= radius ** 2] = 1
    return out.reshape(shape)


@dataclass
class Lesion:
    name: str
    centre_ras: tuple
    radius_baseline: float
    radius_followup: float
    expected: str


LESIONS = [
    Lesion("stable", (-20.0, -10.0, 20.0), 6.0, 6.0, "stable"),
    Lesion("grown", (22.0, -5.0, 22.0), 5.0, 7.5, "enlarging"),
    Lesion("shrunk", (-25.0, 15.0, 8.0), 8.0, 5.5, "shrinking"),
    Lesion("resolved", (25.0, 20.0, 10.0), 5.0, 0.0, "resolved"),
    Lesion("new", (-10.0, -40.0, 30.0), 0.0, 6.0, "new"),
]
MERGE_CENTRES = ((8.0, 10.0, 35.0), (8.0, 24.0, 35.0))
"""Two baseline lesions 14 mm apart (radius 5 mm) that grow into one (radius 8.5 mm each)."""
MERGE_RADII = (5.0, 8.5)


def lesion_masks(shape, ijk_to_ras, world_to_baseline, followup: bool) -> np.ndarray:
    """Lesion mask of one time point on a grid whose world maps to the baseline's through
    ``world_to_baseline`` (the balls are drawn where the transform carries them)."""
    baseline_to_world = np.linalg.inv(world_to_baseline)
    centres, radii = [], []
    for lesion in LESIONS:
        radius = lesion.radius_followup if followup else lesion.radius_baseline
        if radius > 0:
            centres.append(baseline_to_world[:3, :3] @ lesion.centre_ras + baseline_to_world[:3, 3])
            radii.append(radius)
    for centre in MERGE_CENTRES:
        centres.append(baseline_to_world[:3, :3] @ centre + baseline_to_world[:3, 3])
        radii.append(MERGE_RADII[1] if followup else MERGE_RADII[0])
    return balls(shape, ijk_to_ras, centres, radii)


class StandInModel:
    """Stands in for ``neuroview.ai.segment.segment`` (monkeypatched): its lesions are the voxels
    over five times the image's 99th percentile, i.e. balls painted far brighter than any tissue.
    It records its calls and reports progress as a model would."""

    name = "standin@0.3"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, volume, model="", device="auto", progress=None, cancel=None, **kwargs):
        from neuroview.ai.api import LabelInfo, SegmentationResult

        self.calls.append((model, device))
        if progress is not None:
            progress(1, 1, "segmenting (stand-in model)")
        array = np.asarray(volume.array)
        labels = (array > 5 * float(np.percentile(array, 99))).astype(np.uint8)
        return SegmentationResult(labels, volume.ijk_to_ras, [LabelInfo(1, "lesion", (255, 64, 0))],
                                  self.name, "cpu")


def painted(image: np.ndarray, lesions: np.ndarray) -> np.ndarray:
    """``image`` with the lesions painted at ten times its maximum (what :class:`StandInModel`
    finds)."""
    out = np.array(image, dtype=np.float32)
    out[np.asarray(lesions) > 0] = 10 * float(out.max())
    return out


TRACKED = {
    # name: (centres in the baseline's world, radius (mm) at tp1, tp2, tp3, expected status per step)
    "stable": ([(-20.0, -10.0, 20.0)], (6.0, 6.0, 6.0), ("stable", "stable")),
    "new, then grown": ([(-10.0, -40.0, 30.0)], (0.0, 5.0, 7.5), ("new", "enlarging")),
    "resolved at tp3": ([(25.0, 20.0, 10.0)], (6.0, 6.0, 0.0), ("stable", "resolved")),
    "shrunk at tp2": ([(-25.0, 15.0, 8.0)], (8.0, 5.5, 5.5), ("shrinking", "stable")),
    "merged at tp3": (list(MERGE_CENTRES), (5.0, 5.0, 8.5), ("stable", "enlarging")),
}
"""Three time points of made-up lesions (tests/app/test_followup_track.py): each lesion's balls
at each time point; the two balls of "merged at tp3" are apart at tp1 and tp2 and one at tp3."""


def tracked_masks(shape, ijk_to_ras, world_to_baseline, time_point: int,
                  only: str = "") -> np.ndarray:
    """Lesion mask of time point ``time_point`` (0 = baseline) of :data:`TRACKED` (or of lesion
    ``only``) on a grid whose world maps to the baseline's through ``world_to_baseline``."""
    baseline_to_world = np.linalg.inv(world_to_baseline)
    centres, radii = [], []
    for name, (points, sizes, _) in TRACKED.items():
        if sizes[time_point] > 0 and (not only or name == only):
            for point in points:
                centres.append(baseline_to_world[:3, :3] @ point + baseline_to_world[:3, 3])
                radii.append(sizes[time_point])
    return balls(shape, ijk_to_ras, centres, radii)


def landmarks(centre) -> np.ndarray:
    """27 landmarks (RAS mm) spread over the brain about ``centre``."""
    offsets = np.array([[x, y, z] for x in (-45, 0, 45) for y in (-60, 0, 50) for z in (-30, 0, 40)])
    return np.asarray(centre, dtype=float) + offsets


def landmark_error(estimated: np.ndarray, truth: np.ndarray, centre) -> np.ndarray:
    """Distances (mm) between where both transforms send the :func:`landmarks`."""
    points = landmarks(centre)
    return np.linalg.norm((points @ estimated[:3, :3].T + estimated[:3, 3])
                          - (points @ truth[:3, :3].T + truth[:3, 3]), axis=1)


def best_rigid_rms(truth: np.ndarray, centre) -> float:
    """The least root-mean-square :func:`landmark_error` any rigid transform can reach against
    ``truth`` (the Kabsch fit of the landmarks to where ``truth`` sends them). Every rigid
    transform's largest landmark error is at least this."""
    points = landmarks(centre)
    moved = points @ truth[:3, :3].T + truth[:3, 3]
    _, rssd = Rotation.align_vectors(moved - moved.mean(axis=0), points - points.mean(axis=0))
    return float(rssd / np.sqrt(len(points)))


def head_in_its_field(head, margin_mm: float = 6.0):
    """``head`` (:func:`neuroview.ai.heads.synthetic_head`) cut to the box of its tissue (the brain
    and the skull and scalp around it, :data:`~neuroview.ai.heads.LAYER_REACH` voxels) grown by
    ``margin_mm`` of air: the same head in a field of view as tight as a scan's. The template's
    grid keeps 18 mm more air on each side (1 mm head: 14.1 million voxels against 7.9 million),
    which every step of a follow-up pays for (the acquisition, the cubic reading halfway, brain
    extraction's air and masks)."""
    from neuroview.ai.heads import LAYER_REACH, Head

    spacing = np.linalg.norm(np.asarray(head.ijk_to_ras, float)[:3, :3], axis=0)
    reach = LAYER_REACH + np.ceil(margin_mm / spacing).astype(int)
    found = ndimage.find_objects(head.brain.view(np.uint8))[0]
    box = tuple(slice(max(s.start - r, 0), min(s.stop + r, n))
                for s, r, n in zip(found, reach, head.brain.shape))
    affine = np.asarray(head.ijk_to_ras, float).copy()
    affine[:3, 3] += affine[:3, :3] @ [s.start for s in box]

    def cut(array):
        return np.ascontiguousarray(array[box])

    return Head(cut(head.image), affine, cut(head.brain), cut(head.gm), cut(head.wm))
