"""Group frames into series, split mixed series, place the slices in space and warn about oddities.

Series are what dcm2niix makes of them: one SeriesInstanceUID and SeriesNumber, split by echo,
complex component (magnitude/phase/real/imaginary) and derived map (``group_frames``). A scanner
often stores localizers (other orientation) or reformats (other matrix) under the same
SeriesInstanceUID; each distinct (orientation, matrix, pixel spacing) becomes its own candidate,
and so does each stack of several side by side in the slice plane (:mod:`.stacks`).
Slices are ordered by their position along the slice normal, never by InstanceNumber or file name.
"""

from __future__ import annotations

import itertools
import math
import operator
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ...core.geometry import LPS_TO_RAS, is_oblique, orientation_code, stated_spacing
from .refs import FrameRef, all_set, header_of, order_of, path_of, position_of, rescale_of
from .stacks import split_stacks

ORIENTATION_TOLERANCE = 1e-3  # direction cosines
SPACING_TOLERANCE = 1e-3  # mm
STEP_TOLERANCE = 0.01  # relative deviation of a slice step from the median step
TILT_TOLERANCE = 1e-3  # in-plane shift per slice, relative to the step (about 0.06 degrees)

PENALTY = {
    "missing": 0.25, "uneven": 0.35, "duplicate": 0.35, "tilt": 0.1, "rescale": 0.05,
    "geometry": 0.4, "split": 0.3, "single": 0.2,
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
    uneven_slices: str = ""
    """Made from a series with uneven slices: ``"resampled"`` or ``"split"`` (one of its evenly
    spaced chunks); ``""`` otherwise."""

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
        return orientation_code(self.ijk_to_ras) + (" (oblique)" if is_oblique(self.ijk_to_ras)
                                                     else "")

    @property
    def spacing(self) -> tuple[float, float, float]:
        """As listings show it: a tilted series' slices as far apart as their planes are."""
        return stated_spacing(self.ijk_to_ras)


def _same_geometry(a: FrameRef, b: FrameRef) -> bool:
    if (a.rows, a.cols, a.samples) != (b.rows, b.cols, b.samples):
        return False
    # plain Python: called once per frame (thousands in an enhanced study), numpy's per-call
    # overhead on six numbers cost more than the comparison
    if (a.orientation is None) != (b.orientation is None):
        return False
    if a.orientation is not None and a.orientation != b.orientation and any(
            abs(x - y) > ORIENTATION_TOLERANCE for x, y in zip(a.orientation, b.orientation)):
        return False
    return a.pixel_spacing == b.pixel_spacing or all(
        abs(x - y) <= SPACING_TOLERANCE for x, y in zip(a.pixel_spacing, b.pixel_spacing))


@dataclass
class FrameGroup:
    key: str
    refs: list[FrameRef]
    part: int = 1
    n_parts: int = 1
    suffix: str = ""
    """dcm2niix's name suffix for this kind of image (``_e2``, ``_ph``, ``_ADC``), or ``""``."""
    partial: str = ""
    """For a volume file cut short (an interrupted run): the warning saying so, else ``""``."""


def _kind(ref: FrameRef, echoes: bool, derived: bool) -> tuple:
    echo = (ref.echo_number, None if ref.echo_time is None else round(ref.echo_time, 3))
    return (echo if echoes else None, ref.component, ref.derived if derived else "")


def _suffixes(kinds: list[tuple]) -> dict[tuple, str]:
    """dcm2niix's suffixes: ``_e<n>`` when echoes differ (EchoNumbers, else the echo time in ms:
    ``_e4.2``), ``_ph`` / ``_real`` / ``_imaginary`` for those components, ``_<map>`` for
    derived."""
    echoes = {k[0] for k in kinds if k[0] is not None}
    out = {}
    for kind in kinds:
        echo, component, derived = kind
        text = ""
        if echo is not None and len(echoes) > 1:
            number = echo[0] or (f"{echo[1]:g}" if echo[1] is not None else 1)
            text += f"_e{number}"
        if component:
            text += f"_{component}"
        if derived:
            text += f"_{derived}"
        out[kind] = text
    return out


def group_frames(frames: list[FrameRef]) -> list[FrameGroup]:
    """Split frames into series as dcm2niix does, then by geometry (parts numbered largest first).

    One series: one SeriesInstanceUID *and* SeriesNumber (Siemens XA's numbers past 1000 count
    by their thousands: 16001, 16002... are one run's volumes); within it, echoes (EchoNumbers or echo
    time), complex components (magnitude, phase, real, imaginary) and derived maps are separate
    series. Multi-frame files of one series are pooled: files that each hold one volume of an
    acquisition become one 4D series, ordered by acquisition (see ``plan_stack``). The frames of
    a file that differ only in place and time (``Header.alike``) are moved as one block.
    """
    by_series: dict[tuple, list[list[FrameRef]]] = {}
    numbers: dict[str, set] = {}
    for block in _blocks(frames):
        ref = block[0]
        number = ref.series_number
        if ref.xa_volume_numbers and number is not None and number > 1000:
            number = ("xa", number // 1000)  # 16001, 16002...: one run's volumes, as dcm2niix
        by_series.setdefault((ref.series_uid, number, ref.mosaic), []).append(block)
        numbers.setdefault(ref.series_uid, set()).add(number)
    out = []
    for (uid, number, mosaic), series_blocks in by_series.items():
        base = uid + (f"#{number}" if len(numbers[uid]) > 1 else "") + ("#mosaic" if mosaic else "")
        suffixes, by_kind = _by_kind(series_blocks)
        for kind, blocks in by_kind.items():
            suffix = suffixes[kind]
            parts: list[list[list[FrameRef]]] = []
            part_of: dict[tuple, list[list[FrameRef]]] = {}  # a geometry seen before: its part
            for block in blocks:
                ref = block[0]
                geometry = (ref.rows, ref.cols, ref.samples, ref.orientation, ref.pixel_spacing)
                found = part_of.get(geometry)
                if found is None:
                    found = next((part for part in parts if _same_geometry(part[0][0], ref)),
                                 None)
                    if found is None:
                        found = []
                        parts.append(found)
                    part_of[geometry] = found
                found.append(block)
            flat = sorted((stack for part in parts
                           for stack in split_stacks([ref for block in part for ref in block])),
                          key=lambda p: -len(p))
            for index, part in enumerate(flat, start=1):
                key = base + suffix + ("" if len(flat) == 1 else f".{index}")
                part, cut_short = split_partial_volumes(part)
                out.append(FrameGroup(key, part, index, len(flat), suffix))
                for number, (refs, total) in enumerate(cut_short, start=1):
                    out.append(FrameGroup(
                        f"{key}.partial{number}", refs, index, len(flat), suffix,
                        partial=f"partial volume: this file holds {len(refs)} of the {total} "
                                "slices of the run's other volume files (an interrupted "
                                "acquisition); kept apart from the 4D series, as dcm2niix "
                                "does with Siemens XA runs"))
    return out


def _blocks(frames: list[FrameRef]) -> list[list[FrameRef]]:
    """The frames, in order, in blocks grouping treats as one: the consecutive frames of one
    file whose frames differ only in place and time (``Header.alike``), else each frame alone."""
    blocks = []
    for header, run in itertools.groupby(frames, key=header_of):
        if getattr(header, "alike", False):
            blocks.append(list(run))
        else:
            blocks.extend([ref] for ref in run)
    return blocks


def _by_kind(blocks: list[list[FrameRef]]) -> tuple[dict[tuple, str],
                                                      dict[tuple, list[list[FrameRef]]]]:
    """The blocks (:func:`_blocks`) of one series by kind (:func:`_kind`), in their order, and
    each kind's suffix. The blocks are first grouped by the values a kind is made of, which most
    frames share: a kind is then made once per distinct value, not once per frame."""
    by_values: dict[tuple, list[list[FrameRef]]] = {}
    for block in blocks:
        ref = block[0]
        by_values.setdefault((ref.echo_number, ref.echo_time, ref.component, ref.derived),
                             []).append(block)
    echoes = len({values[:2] for values in by_values}) > 1
    derived = len({bool(values[3]) for values in by_values}) > 1
    kinds = {values: _kind(found[0][0], echoes, derived) for values, found in by_values.items()}
    by_kind: dict[tuple, list[list[FrameRef]]] = {}
    if len(set(kinds.values())) == len(kinds) and all(
            values[1] == values[1] for values in by_values):  # no two kinds merge (NaN never
        # equals itself: each such frame its own kind): each list keeps its order
        by_kind = {kinds[values]: found for values, found in by_values.items()}
    else:  # as before: a kind per frame
        for block in blocks:
            for ref in block:
                by_kind.setdefault(_kind(ref, echoes, derived), []).append([ref])
    return _suffixes(list(by_kind)), by_kind


def split_partial_volumes(refs: list[FrameRef]):
    """(refs without partial volumes, [(refs of a partial volume file, full slice count)]).

    An interrupted Siemens XA run stored one volume per file ends with a file holding fewer
    frames than the others; stacked with them, its positions would hold one more frame than
    the rest and the 4D series would collapse. A file is partial only when every longest file
    repeats one set of slice positions (they are time points) and its positions are a subset
    of that set: files that together tile one volume (disjoint positions) are left alone.
    """
    if min(map(operator.attrgetter("n_frames_in_file"), refs), default=0) < 2 \
            or not all_set(map(position_of, refs)):
        return refs, []
    by_file: dict[str, list[FrameRef]] = {}
    for path, run in itertools.groupby(refs, key=path_of):
        by_file.setdefault(path, []).extend(run)
    if len(by_file) < 3:
        return refs, []
    full = max(len(frames) for frames in by_file.values())
    short = [path for path, frames in by_file.items() if len(frames) < full]
    if not short or len(short) * 2 >= len(by_file):
        return refs, []

    def positions(path: str) -> set:
        return {tuple(np.round(ref.position, 2)) for ref in by_file[path]}

    sets = [positions(path) for path, frames in by_file.items() if len(frames) == full]
    if any(s != sets[0] or len(s) != full for s in sets) \
            or not all(positions(path) <= sets[0] for path in short):
        return refs, []
    kept = [ref for ref in refs if ref.path not in short]
    return kept, [(by_file[path], full) for path in short]


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


def _cluster_positions(refs: list[FrameRef], normal: np.ndarray):
    """Sort frames along the normal and group those sharing a position: list of lists."""
    # one array operation, not a numpy call per frame (5,760 frames in an enhanced study)
    points = np.array([ref.position for ref in refs], dtype=float).reshape(-1, 3)
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


def plan_stack(key: str, refs: list[FrameRef], part: int = 1, n_parts: int = 1) -> StackPlan:
    """Order the frames of one geometry group and compute the volume's ``ijk_to_ras``."""
    refs, copies = without_copies(refs)
    first = refs[0]
    warnings: list[str] = [copies] if copies else []
    penalties: list[str] = []
    description = first.description
    if n_parts > 1:
        description = f"{description or 'series'} (part {part} of {n_parts})"
        warnings.append(f"series split into {n_parts} parts (orientation, matrix, pixel spacing "
                        f"or place in the slice plane differ); this part has {len(refs)} image(s)")
        if part > 1:
            penalties.append("split")
    row_spacing, col_spacing = first.pixel_spacing
    if not all(math.isfinite(s) and s > 0 for s in first.pixel_spacing):
        warnings.append(f"pixel spacing {row_spacing:g} x {col_spacing:g} mm is not usable: "
                        "1 x 1 mm assumed (as dcm2niix does)")
        penalties.append("geometry")
        row_spacing = col_spacing = 1.0
    has_geometry = all_set(map(position_of, refs)) \
        and all_set(map(operator.attrgetter("orientation"), refs))
    if has_geometry:
        row_dir, col_dir = _unit(first.orientation[:3]), _unit(first.orientation[3:])
        normal = _unit(np.cross(row_dir, col_dir))
        stacks = _cluster_positions(refs, normal)
        origin = np.asarray(stacks[0][0].position, dtype=float)
    else:
        row_dir, col_dir, normal = np.eye(3)
        stacks = _stacks_without_geometry(refs)
        warnings.append("no patient position/orientation in the files: images stacked in "
                        "acquisition order around the origin, axes assumed LPS, "
                        f"{_gap_text(first)}")
        penalties.append("geometry")
    stacks, times_warning = _regular_times(stacks)
    if times_warning:
        warnings.append(times_warning)
        penalties.append("duplicate")
    irregular = False
    thickness = first.slice_thickness if first.slice_thickness and first.slice_thickness > 0 else 1.0
    if not has_geometry and first.slice_gap and first.slice_gap > 0:
        thickness = first.slice_gap  # SpacingBetweenSlices, the centre-to-centre step
    if len(stacks) == 1 or not has_geometry:
        step = normal * thickness
        if len(stacks) == 1 and len(refs) == 1 and refs[0].n_frames_in_file == 1:
            penalties.append("single")
    else:
        step, step_warnings = _slice_step(stacks, normal)
        for kind, text in step_warnings:
            warnings.append(text)
            penalties.append(kind)
        irregular = any(kind in ("missing", "uneven") for kind, _ in step_warnings)
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
    return kept, (f"{copies} image(s) read twice (copies: same SOPInstanceUID, position and "
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
    if first.slice_gap and first.slice_gap > 0:
        return f"{first.slice_gap:g} mm apart (SpacingBetweenSlices)"
    if first.slice_thickness and first.slice_thickness > 0:
        return f"{first.slice_thickness:g} mm apart (SliceThickness)"
    return "1 mm apart (no SpacingBetweenSlices or SliceThickness)"


def _regular_times(stacks: list[list[FrameRef]]):
    """Positions holding several frames: a 4D series when each holds the same number; else the
    first acquired frames at each position, as many as every position holds (an interrupted
    run of one slice per file keeps its complete volumes, not only its first)."""
    counts = {len(s) for s in stacks}
    if len(counts) == 1:
        return stacks, ""  # every position has the same number of frames (one, or a 4D series)
    keep = min(counts)
    left = sum(len(s) - keep for s in stacks)
    kept = [s[:keep] for s in stacks]
    if keep == 1:
        return kept, (f"duplicate positions: {left} image(s) repeat the position of another and "
                      "were left out (kept the first acquired at each position)")
    return kept, (f"positions hold {min(counts)} to {max(counts)} images: the {keep} time points "
                  f"every position has are kept, {left} image(s) acquired after them left out "
                  "(an interrupted run, or slices repeated)")


def _slice_step(stacks: list[list[FrameRef]], normal: np.ndarray):
    """The LPS vector from one slice to the next, with warnings about gaps, unevenness and tilt."""
    positions = np.array([s[0].position for s in stacks], dtype=float)
    diffs = np.diff(positions, axis=0)
    along = diffs @ normal
    median = median_of(along)
    regular = np.abs(along - median) <= STEP_TOLERANCE * abs(median) + 1e-4
    step = diffs[regular].mean(axis=0)
    warnings = []
    irregular = along[~regular]
    if irregular.size:
        ratios = irregular / median
        gaps = np.abs(ratios - np.rint(ratios)) <= STEP_TOLERANCE * np.rint(ratios)
        if np.all(gaps & (np.rint(ratios) >= 2)):
            missing = int(np.sum(np.rint(ratios) - 1))
            warnings.append(("missing", f"{missing} missing slice(s): {irregular.size} gap(s) of up "
                             f"to {irregular.max():.4g} mm where the step is {median:.4g} mm; "
                             "spacing uses the median step, slices after a gap are misplaced"))
        else:
            warnings.append(("uneven", f"uneven slice spacing: steps from {along.min():.4g} to "
                             f"{along.max():.4g} mm; spacing uses the median step {median:.4g} mm"))
    in_plane = step - np.dot(step, normal) * normal
    if np.linalg.norm(in_plane) > TILT_TOLERANCE * abs(median):
        angle = np.degrees(np.arctan2(np.linalg.norm(in_plane), abs(np.dot(step, normal))))
        warnings.append(("tilt", f"gantry tilt of {angle:.2f} degrees: slices "
                         f"{abs(np.dot(step, normal)):.4g} mm apart ({np.linalg.norm(step):.4g} mm "
                         "between their centres); loaded on the sheared grid as acquired (not "
                         "resampled)"))
    return step, warnings
