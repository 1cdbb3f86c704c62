"""Group frames into series and split mixed series.

Series are what dcm2niix makes of them: one SeriesInstanceUID and SeriesNumber, split by echo,
complex component (magnitude/phase/real/imaginary) and derived map (``group_frames``). A scanner
often stores localizers (other orientation) or reformats (other matrix) under the same
SeriesInstanceUID; each distinct (orientation, matrix, pixel spacing) becomes its own candidate,
and so does each stack of several side by side in the slice plane (:mod:`.stacks`). Localizers
(ImageType LOCALIZER) are kept apart even in the series' own plane and grid: one axial scout among
6 axial slices made them 7 unevenly spaced slices, resampled onto 11 (dcm2niix stacks it too;
Slicer splits a series by ImageType, to load it "without localizer"); so are secondary captures
(a dose page stored in the CT's series). Each group's
slices are then placed in space by ``series.plan_stack``.
"""

from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass

import numpy as np

from .corrections import split_corrections
from .kernels import split_kernels
from .refs import FrameRef, all_set, header_of, path_of, position_of
from .stacks import split_stacks
from .unplaced import leave_out_unplaced, notes_for
from .vendor_fields import ISOTROPIC

ORIENTATION_TOLERANCE = 1e-3  # direction cosines
SPACING_TOLERANCE = 1e-3  # mm


def _same_geometry(a: FrameRef, b: FrameRef) -> bool:
    if (a.rows, a.cols, a.samples, a.localizer, a.capture) != (b.rows, b.cols, b.samples,
                                                               b.localizer, b.capture):
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
    left_out: tuple[str, ...] = ()
    """Warnings naming the images of the series left out as unplaceable (:mod:`.unplaced`)."""
    kernel: str = ""
    """Where one series held reconstructions with different kernels at different slice positions
    (:mod:`.kernels`): this one's ConvolutionKernel, else ``""``."""
    kernels: tuple[str, ...] = ()
    """With ``kernel``: all the series' kernels, in order."""
    correction: str = ""
    """Where one series held Siemens images of different corrections (:mod:`.corrections`):
    this one's words (``"DIS2D NORM"``), else ``""``."""
    corrections: tuple[tuple[str, int], ...] = ()
    """With ``correction``: every kind's words and number of images, in order."""


def _kind(ref: FrameRef, echoes: bool, derived: bool) -> tuple:
    echo = (ref.echo_number, None if ref.echo_time is None else round(ref.echo_time, 3))
    later = (ref.echo_number or 0) > 1  # an echo after the first, alone in its series
    return (echo if echoes or later else None, ref.component, ref.derived if derived else "")


def _suffixes(kinds: list[tuple]) -> dict[tuple, str]:
    """dcm2niix's suffixes: ``_e<n>`` when echoes differ (EchoNumbers, else the echo time in ms:
    ``_e4.2``) or the series holds an echo after the first alone (a Siemens field map's phase
    difference, echo 2: ``_e2_ph``), ``_ph`` / ``_real`` / ``_imaginary`` for those components,
    ``_<map>`` for derived."""
    echoes = {k[0] for k in kinds if k[0] is not None}
    out = {}
    for kind in kinds:
        echo, component, derived = kind
        text = ""
        if echo is not None and (len(echoes) > 1 or (echo[0] or 0) > 1):
            number = echo[0] or (f"{echo[1]:g}" if echo[1] is not None else 1)
            text += f"_e{number}"
        if component:
            text += f"_{component}"
        if derived:   # a Philips trace image: dcm2niix's _ADC
            text += "_ADC" if derived == ISOTROPIC else f"_{derived}"
        out[kind] = text
    return out


def group_frames(frames: list[FrameRef]) -> list[FrameGroup]:
    """Split frames into series as dcm2niix does, then by geometry (parts numbered largest first,
    parts of one size in acquisition order, not in the order their files were found).

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
        for kind, kind_blocks in by_kind.items():
            kernels = split_kernels(kind_blocks)
            for kernel, kernel_blocks in kernels:
                corrections = split_corrections(kernel_blocks)
                counts = tuple((words, sum(map(len, found))) for words, found in corrections)
                for words, blocks in corrections:
                    key = (base + suffixes[kind] + (f"#kernel{kernel}" if kernel else "")
                           + (f"#{words or 'none'}" if len(corrections) > 1 else ""))
                    variant = {"kernel": kernel, "kernels": tuple(k for k, _ in kernels if kernel),
                               "correction": words if len(corrections) > 1 else "",
                               "corrections": counts if len(corrections) > 1 else ()}
                    out.extend(_groups(key, blocks, mosaic, suffixes[kind], variant))
    return out


def _groups(base: str, blocks: list[list[FrameRef]], mosaic: bool, suffix: str,
            variant: dict) -> list[FrameGroup]:
    """The series of one kind (kernel, corrections) of images: split by geometry, stacks,
    cut-short files; ``variant``: the :class:`FrameGroup` fields naming its kernel and
    corrections."""
    # before the split by geometry and into stacks: a damaged image is placed nowhere
    blocks, left_out, distinct = (blocks, {}, set()) if mosaic else leave_out_unplaced(blocks)
    parts: list[list[list[FrameRef]]] = []
    part_of: dict[tuple, list[list[FrameRef]]] = {}  # a geometry seen before: its part
    for block in blocks:
        ref = block[0]
        geometry = (ref.rows, ref.cols, ref.samples, ref.orientation, ref.pixel_spacing,
                    ref.localizer, ref.capture)
        found = part_of.get(geometry)
        if found is None:
            found = next((part for part in parts if _same_geometry(part[0][0], ref)), None)
            if found is None:
                found = []
                parts.append(found)
            part_of[geometry] = found
        found.append(block)
    if len(parts) > 1:
        distinct = set()  # the kind's positions are not one part's
    flat = sorted((stack for part in parts
                   for stack in split_stacks([ref for block in part for ref in block], distinct)),
                  key=lambda p: (-len(p), min(r.order for r in p), min(r.path for r in p)))
    out = []
    for index, part in enumerate(flat, start=1):
        key = base + ("" if len(flat) == 1 else f".{index}")
        notes = tuple(notes_for(part, left_out))
        part, cut_short = split_partial_volumes(part)
        out.append(FrameGroup(key, part, index, len(flat), suffix, left_out=notes, **variant))
        for number, (refs, total) in enumerate(cut_short, start=1):
            out.append(FrameGroup(
                f"{key}.partial{number}", refs, index, len(flat), suffix, left_out=notes,
                **variant,
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
