"""Place the slices of a series (``grouping.group_frames``'s) in space and warn about oddities.

Slices are ordered by their position along the slice normal, never by InstanceNumber or file name.
"""

from __future__ import annotations

import itertools
import math
import operator
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ...core.geometry import LPS_TO_RAS, orientation_code, orientation_label, stated_spacing
from ...core.plural import plural
from .plane_values import geometry_problem, usable_mm
from .refs import FrameRef, all_set, order_of, path_of, position_of, rescale_of
from .time_points import NOTHING_TELLS, fill_time_points

STEP_TOLERANCE = 0.01  # relative deviation of a slice step from the median step
TILT_TOLERANCE = 1e-3  # in-plane shift per slice, relative to the step (about 0.06 degrees)

PENALTY = {
    # "filled": a slice missing from one time point of a 4D run, filled from its neighbour in time
    # (.time_points), as a missing slice of a 3D series costs: one slice not the acquired one
    "missing": 0.25, "filled": 0.25, "uneven": 0.35, "duplicate": 0.35, "tilt": 0.1,
    "rescale": 0.05, "geometry": 0.4, "split": 0.3, "single": 0.2,
}


@dataclass
class StackPlan:
    """How to assemble one volume: ``frames[k][t]`` and where voxel (0, 0, 0) lies."""

    key: str
    frames: list[list[FrameRef]]
    ijk_to_ras: np.ndarray
    description: str
    modality: str
    series_number: Optional[int]
    warnings: list[str] = field(default_factory=list)
    confidence: float = 1.0
    mosaic_shape: Optional[tuple[int, int, int]] = None
    """Set for Siemens mosaics: the unpacked volume's shape (``frames[0]`` are time points)."""
    irregular: bool = False
    """Slices unevenly spaced or missing: one uniform step would misplace some (see .uneven)."""
    resample: Optional[tuple[np.ndarray, np.ndarray]] = None
    """(acquired, target) slice offsets in mm along the normal when loaded onto an even grid."""
    uih_grid: bool = False
    """A UIH grid mosaic: ``mosaic_shape`` is (columns, rows, slices) of one tile stack."""
    philips_scale: str = ""
    """The Philips scale applied (``float``, ``display``, ``stored``); empty for other files."""
    monochrome1: bool = False
    """Shown inverted (DICOM MONOCHROME1 or Presentation LUT Shape INVERSE: the lowest value
    white); the values are as stored."""
    uneven_slices: str = ""
    """Made from a series with uneven slices: ``"resampled"`` or ``"split"`` (one of its evenly
    spaced chunks); ``""`` otherwise."""
    echo: dict = field(default_factory=dict)
    """One echo of a multi-echo series split by echo (``io.echoes.echo_metadata``): its
    ``EchoNumbers`` and ``EchoTime``; empty otherwise."""

    @property
    def normal_lps(self) -> np.ndarray:
        orientation = self.first.orientation
        return _unit(np.cross(orientation[:3], orientation[3:]))

    @property
    def first(self) -> FrameRef:
        return self.frames[0][0]

    @property
    def n_times(self) -> int:
        return len(self.frames[0])

    @property
    def shape(self) -> tuple[int, ...]:
        if self.mosaic_shape is not None:
            n = self.n_times
            return self.mosaic_shape + ((n,) if n > 1 else ())
        first = self.first
        n_slices = len(self.resample[1]) if self.resample is not None else len(self.frames)
        shape: tuple[int, ...] = (first.cols, first.rows, n_slices)
        if self.n_times > 1:
            shape += (self.n_times,)
        elif first.samples > 1:
            shape += (first.samples,)
        return shape

    @property
    def n_files(self) -> int:
        return len(set(map(path_of, itertools.chain.from_iterable(self.frames))))

    @property
    def orientation(self) -> str:
        return orientation_label(self.ijk_to_ras)

    @property
    def spacing(self) -> tuple[float, float, float]:
        """As listings show it: a tilted series' slices as far apart as their planes are."""
        return stated_spacing(self.ijk_to_ras)


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    norm = np.linalg.norm(v)
    return v / norm if norm > 0 else v


def median_of(values: np.ndarray) -> float:
    """``float(np.median(values))`` for a non-empty 1-D array, without ``np.median``: it imports
    ``numpy.ma`` on its first call (to test for masked arrays): about 15 ms of CPU, spent by
    every ``neuroview convert``."""
    ordered = sorted(values.tolist())
    if any(v != v for v in ordered):
        return math.nan
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _cluster_positions(refs: list[FrameRef], normal: np.ndarray, points: np.ndarray):
    """Sort frames along the normal and group those sharing a position (``points``, one row
    per frame): list of lists."""
    proj = (points[:, 0] * normal[0] + points[:, 1] * normal[1] + points[:, 2] * normal[2]).tolist()
    keys = list(zip(proj, map(order_of, refs)))
    order = sorted(range(len(refs)), key=keys.__getitem__)
    steps = np.diff(np.array([proj[i] for i in order]))
    positive = steps[steps > 1e-4]
    tolerance = max(1e-3, 0.01 * median_of(positive)) if positive.size else 1e-3
    clusters: list[list[int]] = []
    start = None
    for index in order:
        if start is None or proj[index] - start > tolerance:
            clusters.append([index])
            start = proj[index]
        else:
            clusters[-1].append(index)
    return [sorted([refs[i] for i in c], key=order_of) for c in clusters]


def plan_stack(key: str, refs: list[FrameRef], part: int = 1, n_parts: int = 1,
               rank_part: bool = True) -> StackPlan:
    """Order the frames of one geometry group and compute the volume's ``ijk_to_ras``."""
    refs, copies = without_copies(refs)
    first = refs[0]
    warnings: list[str] = [copies] if copies else []
    penalties: list[str] = []
    description = first.description
    if n_parts > 1:
        description = f"{description or 'series'} (part {part} of {n_parts})"
        warnings.append(f"series split into {n_parts} parts (orientation, matrix, pixel spacing "
                        f"or place in the slice plane differ); this part has {plural(len(refs), 'image')}")
        if part > 1 and rank_part:  # (not where the parts are localizers: .localizers)
            penalties.append("split")
    row_spacing, col_spacing = first.pixel_spacing
    if not all(map(usable_mm, first.pixel_spacing)):
        warnings.append(f"pixel spacing {row_spacing:g} x {col_spacing:g} mm is not usable: "
                        "1 x 1 mm assumed (as dcm2niix does)")
        penalties.append("geometry")
        row_spacing = col_spacing = 1.0
    if not first.spacing_said:   # dcm2niix assumes 1 x 1 mm with no word (and reads text as 3.5e9)
        warnings.append("no pixel spacing it can read (PixelSpacing missing, or not two numbers): "
                        "1 x 1 mm assumed, measurements in mm may be wrong")
    has_geometry = all_set(map(position_of, refs)) \
        and all_set(map(operator.attrgetter("orientation"), refs))
    unusable = ""
    if has_geometry:
        # one array operation, not a numpy call per frame (5,760 frames in an enhanced study)
        points = np.array([ref.position for ref in refs], dtype=float).reshape(-1, 3)
        unusable = geometry_problem(first.orientation, points)
        has_geometry = not unusable
    if has_geometry:
        row_dir, col_dir = _unit(first.orientation[:3]), _unit(first.orientation[3:])
        normal = _unit(np.cross(row_dir, col_dir))
        stacks = _cluster_positions(refs, normal, points)
        origin = np.asarray(stacks[0][0].position, dtype=float)
    else:
        row_dir, col_dir, normal = np.eye(3)
        stacks = _stacks_without_geometry(refs)
        warnings.append(f"{unusable or 'no patient position/orientation in the files'}: images "
                        "stacked in acquisition order around the origin, axes assumed LPS, "
                        f"{_gap_text(first)}")
        penalties.append("geometry")
    axes = np.eye(4)
    axes[:3, :3] = np.column_stack([row_dir, col_dir, normal])   # k along the normal
    stacks, times_warning, filled = _regular_times(stacks, _series_name(first),
                                                   orientation_code(LPS_TO_RAS @ axes))
    if times_warning:
        warnings.append(times_warning)
        penalties.append("filled" if filled else "duplicate")
    irregular = False
    thickness = first.slice_thickness if usable_mm(first.slice_thickness) else 1.0
    if not has_geometry and usable_mm(first.slice_gap):
        thickness = first.slice_gap  # SpacingBetweenSlices, the centre-to-centre step
    if len(stacks) == 1 or not has_geometry:
        step = normal * thickness
        if len(stacks) == 1 and len(refs) == 1 and refs[0].n_frames_in_file == 1:
            penalties.append("single")  # the confidence lost is said, as every other penalty
            warnings.append("one image: no slice step to measure, its depth is "
                            + (f"its slice thickness ({thickness:g} mm)"
                               if usable_mm(first.slice_thickness) else "1 mm (no slice thickness)"))
    else:
        step, step_warnings = _slice_step(stacks, normal)
        for kind, text in step_warnings:
            warnings.append(text)
            penalties.append(kind)
        irregular = any(kind in ("missing", "uneven") for kind, _ in step_warnings)
    slopes = set(map(rescale_of, itertools.chain.from_iterable(stacks)))
    unusable_rescale = _unusable_rescale(stacks, slopes)
    if unusable_rescale:
        warnings.append(unusable_rescale)
        penalties.append("rescale")
        slopes = set(map(rescale_of, itertools.chain.from_iterable(stacks)))
    if len(slopes) > 1:
        warnings.append(f"rescale slope/intercept differ between slices ({len(slopes)} values): "
                        "applied per slice, voxels stored as float32")
        penalties.append("rescale")
    affine_lps = np.eye(4)
    affine_lps[:3, 0] = row_dir * col_spacing  # i runs along a row: column index
    affine_lps[:3, 1] = col_dir * row_spacing  # j runs down a column: row index
    affine_lps[:3, 2] = step
    if not has_geometry:  # centred on the origin, as dcm2niix places such images
        origin = -affine_lps[:3, :3] @ (np.array([first.cols, first.rows, len(stacks)]) - 1) / 2
    affine_lps[:3, 3] = origin
    confidence = 1.0
    for kind in penalties:
        confidence -= PENALTY[kind]
    return StackPlan(
        key=key, frames=stacks, ijk_to_ras=LPS_TO_RAS @ affine_lps, description=description,
        modality=first.modality, warnings=warnings,
        series_number=stacks[0][0].series_number,  # the first acquired: XA's 16001 of 16001-16003
        confidence=round(max(0.05, confidence), 2), irregular=irregular,
    )


MAX_RESCALE = 1e20
"""Largest RescaleSlope or RescaleIntercept used: stored values of up to 32 bits times it stay
within float32 (3.4e38). Scanners' are far below (PET's SUV slopes, CT's -1024, Philips scales)."""


def _usable_rescale(pair) -> bool:
    return all(math.isfinite(v) and abs(v) <= MAX_RESCALE for v in pair)


def _unusable_rescale(stacks: list[list[FrameRef]], pairs: set) -> str:
    """The warning for frames whose RescaleSlope/Intercept is NaN, infinite or over
    ``MAX_RESCALE`` (or ""), their stored values used instead (slope 1, intercept 0, as nibabel
    reads a NIfTI scl_slope of NaN): used, every voxel of the volume was NaN or infinite."""
    bad = [pair for pair in pairs if not _usable_rescale(pair)]
    if not bad:
        return ""
    count = 0
    for ref in itertools.chain.from_iterable(stacks):
        if not _usable_rescale(rescale_of(ref)):
            ref.slope, ref.intercept = 1.0, 0.0
            count += 1
    slope, intercept = bad[0]
    return (f"rescale slope {slope:g} and intercept {intercept:g} of {plural(count, 'image')} are not "
            "usable (not finite, or beyond 1e+20): their stored values are used")


def without_copies(refs: list[FrameRef]) -> tuple[list[FrameRef], str]:
    """The frames with each image once, and the warning saying how many were left out (or
    ""). A copy has the same SOPInstanceUID, frame, position and acquisition order (instance
    number, times): a UID alone is not enough, as some anonymisers give every file the same one."""
    if len(set(map(operator.attrgetter("sop_uid", "frame"), refs))) == len(refs):
        return refs, ""  # no two frames of one instance: no copies (and no tuples of floats)
    seen, kept = set(), []
    for ref in refs:
        key = (ref.sop_uid, ref.frame, ref.position, ref.order)
        if ref.sop_uid and key in seen:
            continue
        seen.add(key)
        kept.append(ref)
    copies = len(refs) - len(kept)
    return kept, (f"{plural(copies, 'image')} read twice (copies: same SOPInstanceUID, position and "
                  "acquisition order): each kept once") if copies else ""


def _stacks_without_geometry(refs: list[FrameRef]) -> list[list[FrameRef]]:
    """Acquisition order; several multi-frame files of one size are the time points of a 4D."""
    by_file: dict[str, list[FrameRef]] = {}
    for ref in refs:
        by_file.setdefault(ref.path, []).append(ref)
    sizes = {len(frames) for frames in by_file.values()}
    if len(by_file) > 1 and len(sizes) == 1 and sizes != {1}:
        files = sorted(by_file.values(), key=lambda f: (min(r.order for r in f), f[0].path))
        files = [sorted(f, key=lambda r: r.order) for f in files]
        return [list(stack) for stack in zip(*files)]
    return [[r] for r in sorted(refs, key=lambda r: (r.order, r.path))]


def _gap_text(first: FrameRef) -> str:
    if usable_mm(first.slice_gap):
        return f"{first.slice_gap:g} mm apart (SpacingBetweenSlices)"
    if usable_mm(first.slice_thickness):
        return f"{first.slice_thickness:g} mm apart (SliceThickness)"
    return "1 mm apart (no SpacingBetweenSlices or SliceThickness)"


def _series_name(first: FrameRef) -> str:
    number = f"series {first.series_number}" if first.series_number is not None else "the series"
    return f"{number} ({first.description})" if first.description else number


def _regular_times(stacks: list[list[FrameRef]], series: str, code: str):
    """Positions holding several frames: a 4D series when each holds the same number; where a
    number tells the time points apart and some lack a slice, every time point holding more than
    half of the positions, its gaps filled (:mod:`.time_points`: ``filled`` True); else the first
    acquired frames at each position, as many as every position holds (an interrupted run of one
    slice per file keeps its complete volumes, not only its first), said in one line naming
    ``series`` where nothing told which time point lacks a slice; ``code``: the grid's orientation."""
    counts = {len(s) for s in stacks}
    if len(counts) == 1:
        return stacks, "", False  # every position the same number of frames (one, or a 4D series)
    filled, told = fill_time_points(stacks, code)  # a slice missing from a time point: the others whole
    if filled is not None:
        return filled[0], filled[1], True
    keep = min(counts)
    left = sum(len(s) - keep for s in stacks)
    kept = [s[:keep] for s in stacks]
    if keep == 1:
        return kept, (f"duplicate positions: {plural(left, 'image')} "
                      f"{'repeats' if left == 1 else 'repeat'} the position of another and "
                      f"{'was' if left == 1 else 'were'} left out (kept the first acquired at each "
                      "position)"), False
    text = (f"positions hold {min(counts)} to {max(counts)} images: the {keep} time points "
            f"every position has are kept, {plural(left, 'image')} acquired after them left out "
            "(an interrupted run, or slices repeated)")
    if not told:
        text = (f"{series}: positions hold {min(counts)} to {max(counts)} images and nothing in "
                f"the files ({NOTHING_TELLS}) tells which time point lacks a slice: the first "
                f"{keep} acquired at each position kept as time points 1 to {keep}, "
                f"{plural(left, 'image')} left out; where a slice is missing from a time point, "
                "that position's later slices may stand in the wrong time point")
    return kept, text, False


def written_precision(positions: np.ndarray) -> float:
    """The unit of the last decimal the positions were written with, where that is 0.1 to
    0.001 mm (a scanner or PACS that rounds ImagePositionPatient), else 0: every coordinate a
    multiple of it, and not all of them whole millimetres (whole numbers are taken as exact)."""
    for decimals in (0, 1, 2, 3):
        if np.all(np.abs(positions - np.round(positions, decimals)) < 1e-7):
            return 0.0 if decimals == 0 else 10.0 ** -decimals
    return 0.0


SPACING_RUN = 3
"""Consecutive steps of one longer size that make a run at another spacing, not missing slices."""


def _instance(ref: FrameRef) -> int:
    """The image's InstanceNumber (``FrameRef.order``'s fourth), 0 where it has none."""
    return int(ref.order[3]) if len(ref.order) > 3 else 0


def _spacing_changes(regular: np.ndarray, along: np.ndarray, median: float,
                     instances: list[int]) -> bool:
    """Whether the steps other than the median run ``SPACING_RUN`` or more in a row at one
    size, their images numbered on without a gap: a series reconstructed at 2.5 mm over the
    abdomen and 5 mm over the chest changes its spacing, no slice is missing (said '39 missing
    slices' until session 48, and 'uneven' when the 5 mm run was the longer). Every other slice
    left out of a run skips its InstanceNumber too: missing."""
    ratios = np.rint(along / median)
    numbered = all(instances[n] and instances[n + 1] for n in np.flatnonzero(~regular))
    if numbered and all(abs(instances[n + 1] - instances[n]) == ratios[n]
                        for n in np.flatnonzero(~regular)):
        return False
    run, size = 0, None
    for is_regular, ratio in zip(regular, ratios):
        ratio = None if is_regular else ratio
        run = run + 1 if ratio is not None and ratio == size else int(ratio is not None)
        size = ratio
        if run >= SPACING_RUN:
            return True
    return False


def _slice_step(stacks: list[list[FrameRef]], normal: np.ndarray):
    """The LPS vector from one slice to the next, with warnings about gaps, unevenness and tilt.

    Steps differing by no more than the positions' rounding (:func:`written_precision`: two
    roundings of up to half a unit in each coordinate, along the normal) are even: positions
    written to 0.1 mm made a 3.33 mm series' steps 3.3 and 3.4 mm, resampled onto 11 slices
    3 mm apart where dcm2niix (0.2 mm) keeps the 10. A gap is as many steps within that
    rounding too: a 1.33 mm series' 2.7 mm gap is 1 missing slice, not 'uneven'."""
    positions = np.array([s[0].position for s in stacks], dtype=float)
    diffs = np.diff(positions, axis=0)
    along = diffs @ normal
    median = median_of(along)
    rounding = written_precision(positions) * float(np.abs(normal).sum())
    regular = np.abs(along - median) <= STEP_TOLERANCE * abs(median) + rounding + 1e-4
    if regular.any():
        step = diffs[regular].mean(axis=0)
    else:  # as many steps of one size as of another (2.5, 2.5, 3.5, 3.5): none is the median
        step = diffs.mean(axis=0) * (median / along.mean())
    warnings = []
    irregular = along[~regular]
    if irregular.size:
        ratios = irregular / median
        # a gap of n steps, each end and the median step written with the positions' rounding
        gaps = (np.abs(irregular - np.rint(ratios) * median)
                <= (STEP_TOLERANCE * abs(median) + rounding) * np.rint(ratios) + rounding + 1e-4)
        instances = [_instance(stack[0]) for stack in stacks]
        if np.all(gaps & (np.rint(ratios) >= 2)) and not _spacing_changes(regular, along, median,
                                                                          instances):
            missing = int(np.sum(np.rint(ratios) - 1))
            warnings.append(("missing", f"{plural(missing, 'missing slice')}: "
                             f"{plural(irregular.size, 'gap')} of up to {irregular.max():.4g} mm "
                             f"where the step is {median:.4g} mm; "
                             "spacing uses the median step, slices after a gap are misplaced"))
        else:
            warnings.append(("uneven", f"uneven slice spacing: steps from {along.min():.4g} to "
                             f"{along.max():.4g} mm; spacing uses the median step {median:.4g} mm"))
    in_plane = step - np.dot(step, normal) * normal
    # the mean step's rounding: the first and last position's over the steps between them
    rounding = written_precision(positions) * np.sqrt(3.0) / max(1, int(regular.sum()))
    if np.linalg.norm(in_plane) > TILT_TOLERANCE * abs(median) + rounding:
        angle = np.degrees(np.arctan2(np.linalg.norm(in_plane), abs(np.dot(step, normal))))
        warnings.append(("tilt", f"gantry tilt of {angle:.2f} degrees: slices "
                         f"{abs(np.dot(step, normal)):.4g} mm apart ({np.linalg.norm(step):.4g} mm "
                         "between their centres); loaded on the sheared grid as acquired (not "
                         "resampled)"))
    return step, warnings
