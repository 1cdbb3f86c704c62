"""Label map files beside an image: a NIfTI label map and its segment sidecar, written together.

``NAME.nii.gz`` holds the label values on the image's grid; ``NAME.segments.json`` the segment
table (names, colours, provenance). A save writes both or neither (:mod:`neuroview.core.commit`);
a read completes what a save killed half-way left.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np

from ..core.errors import GeometryError, LabelMapError, SaveError
from ..core.file_lock import saving_lock
from ..core.geometry import axis_reorder, grid_mismatch, same_grid
from ..core.jobs import CancelToken, check
from ..core.jsonfile import CutShort, read_json
from ..core.labels import LabelMap, Segment, SegmentTable, as_label_array, label_dtype
from ..core.segment_work import checked_work
from ..core.settings_file import say_broken
from ..core.volume import Volume
from ..core.workspace_names import os_reason
from ..io.seg_names import UNNAMED_SEG
from .adjudicated_file import read_marks, with_marks
from .labels_image import with_image_key

SUFFIXES = (".nii.gz", ".nii", ".nrrd", ".mgz", ".mgh", ".mha", ".mhd")
LABEL_ENDINGS = (".nii", ".nii.gz", ".mha", ".mhd")
"""What *Save labels* writes besides 3D Slicer's ``.seg.nrrd`` (MetaImage since session 44)."""
MAX_LABELS = 500
"""A label file with more distinct values than this is taken for an image, not a mask: the largest
atlases (FreeSurfer's aparc.a2009s+aseg) have under 200 labels, Schaefer's parcellations up to 400,
an MR or CT image thousands of grey values."""
FEW_LABELS = 32
"""Up to this many distinct values a file is always a label map; past it, its voxels must look like
one (:data:`MIN_EQUAL_NEIGHBOURS`): an 8-bit image has at most 256 values, under :data:`MAX_LABELS`."""
MIN_EQUAL_NEIGHBOURS = 0.5
"""In a label map most labelled voxels share their value with their labelled face neighbours (the
inside of each region; 0.9 and more for atlases and lesion masks); in an image most differ (the
MNI T1 template in 8 bits: 0.09, quantised to 64 grey values: 0.29)."""


def check_label_values(array: np.ndarray, source: str = "") -> None:
    """Refuse an image given where a label map is expected, naming ``source``: more than
    :data:`MAX_LABELS` distinct values, or more than :data:`FEW_LABELS` with fewer than
    :data:`MIN_EQUAL_NEIGHBOURS` of the labelled face-neighbour pairs sharing their value.
    ``array`` holds whole non-negative numbers (:func:`core.labels.as_label_array`)."""
    if not array.size:
        return
    counts = np.bincount(array.ravel())  # uint8/uint16: at most 65536 bins
    distinct = int(np.count_nonzero(counts[1:]))
    hint = "is this an image, not a label map?"
    if distinct > MAX_LABELS:
        raise LabelMapError(f"holds {distinct} distinct values, more than the {MAX_LABELS} labels a "
                            f"label map may have: {hint}", path=source or None)
    if distinct <= FEW_LABELS:
        return
    equal = pairs = 0
    for axis in range(array.ndim):
        ahead = array[(slice(None),) * axis + (slice(1, None),)]  # views, no copy
        behind = array[(slice(None),) * axis + (slice(None, -1),)]
        labelled = (ahead != 0) & (behind != 0)
        pairs += int(np.count_nonzero(labelled))
        equal += int(np.count_nonzero(labelled & (ahead == behind)))
    if pairs and equal / pairs < MIN_EQUAL_NEIGHBOURS:
        raise LabelMapError(f"holds {distinct} distinct values and only {100 * equal / pairs:.0f}% of "
                            f"neighbouring voxels share theirs (a label map's regions share theirs): "
                            f"{hint}", path=source or None)


def file_marks(source: str, names: dict) -> dict:
    """The adjudicated segments of the label file ``source``'s sidecar among those it ``names``."""
    if not source or not names:
        return {}
    return {v: mark for v, mark in read_marks(sidecar_path(source)).items() if v in names}


def sidecar_path(path: str | os.PathLike) -> Path:
    """``NAME.segments.json`` beside the label file ``NAME.nii.gz`` (or .nii, .nrrd, .mgz)."""
    name = Path(path).name
    for suffix in SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return Path(path).with_name(name + ".segments.json")


def read_sidecar(path: Path, strict: bool = True) -> dict[int, Segment]:
    """The segments of a sidecar by value; ``{}`` when there is none. ``strict=False`` (a mask
    opened to view or edit, not sent to a training set): one left empty or cut short (a save
    killed half-way by an older neuroview or another program) is said in one line and kept aside
    as ``NAME.bad``, and the mask loads with its segments named by value; it stopped the load."""
    if not path.exists():
        return {}
    try:   # bounded: one of 3 GB was read whole, a named pipe hung the load
        segments = [Segment.from_dict(item) for item in read_json(path)]
    except CutShort as exc:
        if strict:
            raise LabelMapError(f"segment table is unreadable ({exc})", path=path) from None
        say_broken(path, str(exc), "the labels load with their segments named by value")
        return {}
    except (OSError, ValueError, KeyError, TypeError, OverflowError) as exc:   # 1e999 reads as inf
        # the error names the sidecar: the OS's text without its path (the window's own)
        raise LabelMapError(f"segment table is unreadable ({os_reason(exc)})", path=path) from None
    by_value: dict[int, Segment] = {}
    for segment in segments:
        # ITK-SNAP's and Slicer's colour tables let the last entry win unsaid: which name the
        # voxels of that value have is then a guess, so the table is refused, naming the value
        if segment.value in by_value:
            first = by_value[segment.value].name[:40]
            raise LabelMapError(f"segment table names label value {segment.value} twice "
                                f"({first!r} and {segment.name[:40]!r})", path=path,
                                hint="remove one of the two entries")
        by_value[segment.value] = segment
    return by_value


def sidecar_row(segment: dict) -> dict:
    """A segment (``Segment.to_dict``) as a saved label file's sidecar keeps it: without a
    brain's extent (``core.extent``: the workspace's, on this grid) nor the name of the file a
    loaded segment came from, which a PACS export may name after the patient (``"file": "DICOM
    SEG"`` is a kind, not a name: kept); the segment list names that file while it is open."""
    return {k: v for k, v in segment.items()
            if k != "extent" and (k != "file" or v == UNNAMED_SEG)}


def writes_labels_to(path) -> bool:
    """Whether :func:`save_label_files` writes a file of ``path``'s kind (by its ending)."""
    from ..io.slicer_seg import SEG_NRRD

    name = Path(path).name.lower()
    return name.endswith(SEG_NRRD) or name.endswith(LABEL_ENDINGS)


def save_label_files(labels: LabelMap, ijk_to_ras: np.ndarray, path: str | os.PathLike,
                     cancel: Optional[CancelToken] = None,
                     description: str = "neuroview labels", adjudicated: Optional[dict] = None,
                     image_key: str = "", frame_key: str = "", work: Optional[list] = None,
                     unchanged: Optional[tuple] = None) -> Path:
    """Write ``labels`` as NIfTI (3D Slicer's ``.seg.nrrd``, MetaImage ``.mha``/``.mhd``) with its
    sidecar, all or none; a full disk is a SaveError.
    ``adjudicated``: value -> ``(adjudicator, hand edited)`` of the segments an adjudicator's
    Apply filled, which the sidecar says (``app.adjudicated_file``). ``image_key``: the
    ``Volume.workspace_key`` of the image the labels are saved on, which the sidecar names
    (``app.labels_image``: *Load labels* asks before loading them onto another image), and
    ``frame_key`` its study's (``labels_image.frame_key``: another series of it is offered them).
    ``work``: the annotators' editing sessions behind the labels (``core.segment_work``), which
    each row names (in place of the segment's own, which it includes; ``None``: the segments').
    ``description``: the NIfTI header's (``neuroview MODEL@VERSION`` for a model's map).
    ``cancel`` set before the files are renamed into place: ``Cancelled``, the old files (if
    any) left as they were. ``unchanged``: the :func:`file_state` of ``path`` when the user chose
    to save there; a file another window wrote since (two annotators saving one worklist case at
    the same moment: both found no colleague's file, and the second replaced the first's labels,
    told nothing) is :class:`SavedMeanwhile`, the file left as that window wrote it."""
    from ..core import commit
    from ..io.metaimage_write import data_file_name, write_metaimage
    from ..io.nifti import save_nifti
    from ..io.slicer_seg import SEG_NRRD, write_slicer_seg

    path = Path(path)
    name = path.name.lower()
    slicer = name.endswith(SEG_NRRD)   # 3D Slicer's segmentation, names in it
    if not writes_labels_to(path):
        raise SaveError(f"can only write .nii, .nii.gz, {SEG_NRRD}, .mha or .mhd", path=path)
    # an .mhd header's voxels are a second file, renamed into place with it
    data = [path.with_name(data_file_name(path))] if name.endswith(".mhd") else []
    targets = [path, *data, sidecar_path(path)]
    try:
        with saving_lock(path):   # another window's save of this file waits (its temporaries kept)
            if unchanged is not None and file_state(path) != unchanged:
                raise SavedMeanwhile(_saved_meanwhile(path, work), path=path)
            commit.recover(targets)  # what a save killed earlier left
            with commit.write_together(targets) as temporaries:
                image_tmp, sidecar_tmp = temporaries[0], temporaries[-1]
                if slicer:
                    write_slicer_seg(labels.array, ijk_to_ras, list(labels.segments), image_tmp)
                elif name.endswith((".mha", ".mhd")):   # ITK-SNAP's and grand-challenge's
                    write_metaimage(labels.array, ijk_to_ras, image_tmp, *temporaries[1:-1],
                                    *(d.name for d in data))
                else:
                    save_nifti(labels.array, ijk_to_ras, image_tmp, description=description, atomic=False)
                rows = [sidecar_row(row) for row in labels.segments.to_list()]
                if work is not None:
                    rows = [{**row, "work": [dict(entry) for entry in work]} for row in rows]
                table = with_image_key(with_marks(rows, adjudicated), image_key, frame_key)
                sidecar_tmp.write_text(json.dumps(table, indent=1), "utf-8")
                check(cancel)
    except SavedMeanwhile:
        raise
    except (OSError, SaveError) as exc:
        raise SaveError(commit.not_saved("labels", exc, targets), path=path) from None
    return path


def file_state(path: str | os.PathLike) -> tuple:
    """What tells one version of the file at ``path`` from another (its inode, size and time of
    change); ``()`` when there is none (or it cannot be looked at)."""
    try:
        stat = os.stat(path)
    except OSError:
        return ()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


class SavedMeanwhile(SaveError):
    """Another window wrote the labels file while this save waited (``save_label_files``'s
    ``unchanged``); nothing was written."""


def _saved_meanwhile(path: Path, work: Optional[list]) -> str:
    """The line of :class:`SavedMeanwhile`: who saved the file now there, as its sidecar's work
    entries name them (other than this window's editing sessions, ``work``)."""
    ours = {entry.get("session") for entry in work or ()}
    names = []
    with contextlib.suppress(OSError, ValueError, CutShort):
        rows = read_json(sidecar_path(path))
        for row in rows if isinstance(rows, list) else ():
            for entry in checked_work(row.get("work") if isinstance(row, dict) else None):
                if entry["session"] not in ours and entry["annotator"] not in names:
                    names.append(entry["annotator"])
    who = f"saved by {', '.join(names)}" if names else "saved by another window"
    return (f"{who} while this save waited: their labels are kept and yours were not written "
            "(they stay unsaved, in the crash journal). Load theirs to go on from them, or save "
            "again to replace them (File > Save labels... under another name keeps both).")


def recover_label_files(folder: str | os.PathLike) -> list[Path]:
    """Complete the label saves a kill cut short in ``folder`` (after their intent file was
    written; see :mod:`neuroview.core.commit`), so no label map there lacks its sidecar; the
    label maps completed. Each under its saving lock: a window saving that file meanwhile is
    waited for (its temporaries were deleted as a killed save's, and it said *Saved* with the
    labels before in the file)."""
    from ..core import commit

    done = []
    with contextlib.suppress(OSError):
        for intent in sorted(Path(folder).glob(".*.commit")):
            target = intent.with_name(intent.name[1:-len(".commit")])
            if not target.name.lower().endswith(SUFFIXES):
                continue
            with saving_lock(target):
                if commit.recover([target, sidecar_path(target)]):
                    done.append(target)
    return done


def finish_label_save(path: str | os.PathLike) -> bool:
    """Before reading the label file ``path`` (or telling it from an image by its sidecar):
    complete a save of it that a kill cut between its two renames, so the mask is not read with
    its old sidecar or none (names, colours and the model lost). True when one was completed."""
    from ..core import commit

    return commit.finish([Path(path), sidecar_path(path)])


def read_label_file(path: str | os.PathLike) -> Volume:
    """The mask file at ``path``, after completing a save of it that was killed half-way (no
    temporaries deleted: they may be another process's save in progress)."""
    from ..io import load

    with contextlib.suppress(OSError):
        finish_label_save(path)
    return load(path)


def label_array_on_grid(mask_volume: Volume, volume: Volume, source: str = "",
                        resample: bool = False) -> tuple[np.ndarray, dict[int, Segment]]:
    """The label values of ``mask_volume`` on ``volume``'s grid and the segments its sidecar
    names (else, for a 3D Slicer ``.seg.nrrd``, the segments its header names). A 4-D mask, or one
    on another grid without ``resample``, is an error naming ``source``."""
    from ..io.slicer_seg import layers_problem

    slicer = (mask_volume.source_metadata or {}).get("segments") or []
    problem = layers_problem(slicer)
    if problem:
        raise LabelMapError(problem, path=source or None)
    if mask_volume.array.ndim == 4 and mask_volume.n_frames > 1:  # never a silent first frame
        raise LabelMapError(f"a label map must be 3D, got shape {mask_volume.array.shape}",
                            path=source or None, hint="choose one frame of this series")
    array = as_label_array(mask_volume.frame(0), source=source)
    check_label_values(array, source)
    in_file = LabelMap(array, mask_volume.ijk_to_ras)
    if not in_file.on_grid_of(volume):
        if axis_reorder(array.shape, mask_volume.ijk_to_ras, volume.shape, volume.ijk_to_ras):
            # the image's own voxels stored in another axis order (a sagittal series' mask saved
            # with its slices the other way): reordered, voxel for voxel (resampled until s47)
            array = in_file.onto_grid_of(volume, source).array
        elif not resample:
            raise GeometryError(
                grid_mismatch("mask", array.shape, mask_volume.ijk_to_ras, volume.shape,
                              volume.ijk_to_ras),
                path=source, hint="use a mask made on this image, or load it with resample=True")
        else:
            array = resample_nearest(array, mask_volume.ijk_to_ras, volume)
    names = read_sidecar(sidecar_path(source), strict=False) if source else {}
    if not names and slicer:
        table = SegmentTable()
        names = {s["value"]: table.add(s["name"], color=s["color"], value=s["value"])
                 for s in slicer if s["value"] not in table}   # a value named twice: the first
    return array, names


@dataclass
class PreparedLabels:
    """A mask file made ready to become a session's labels (:func:`prepare_labels`)."""

    array: np.ndarray
    """Label values on the image grid."""
    names: dict[int, Segment]
    """Segments its sidecar names, by value."""
    values: list[int]
    """The non-zero values the array holds, ascending."""
    resampled: bool
    """It lay on another grid and was resampled (nearest neighbour)."""
    file: str = ""
    """The file's name (no folder), for the ``"loaded"`` origin of the segments it brings
    (``DICOM SEG`` for a SEG named by its UID: ``io.seg_names``)."""
    shown: str = ""
    """What the window calls the file when not its name: a SEG's series description and reader."""
    seg_file: str = ""
    """The path of a SEG named by its UID (``shown`` its name), which the workspace keeps a
    fingerprint of, so that a restore names it again (``app.seg_recall``)."""
    adjudicated: dict = field(default_factory=dict)
    """The segments its sidecar says an adjudicator's Apply filled: value -> ``(adjudicator,
    hand edited)`` (``app.adjudicated_file``)."""
    note: str = ""
    """A line for the user about how it was read (a SEG of another SOP class: ``io.seg_class``)."""
    grid: tuple | None = None
    """The file's own grid, ``(shape, ijk_to_ras)`` (a label map's; None for a SEG): which series
    it was drawn on (``app.labels_image.series_saved_on``)."""
    emptied: list[int] = field(default_factory=list)
    """Values the file holds that no voxel of the image grid took in the resampling (a segment
    drawn thinner than the image's voxels: one 1 mm slice of a T1 onto a 5 mm FLAIR): said to
    the user, never gone without a word."""


def prepare_labels(mask_volume: Volume, volume: Volume, source: str = "") -> PreparedLabels:
    """Everything of loading a mask that does not touch a session, for a worker thread: the label
    values checked (:func:`check_label_values`), resampled onto ``volume``'s grid when it lies on
    another one, its sidecar read, its values listed. Errors name ``source``."""
    grids = (mask_volume.shape[:3], mask_volume.ijk_to_ras, volume.shape, volume.ijk_to_ras)
    resample = not same_grid(*grids) and axis_reorder(*grids) is None   # reordered losslessly
    array, names = label_array_on_grid(mask_volume, volume, source, resample=resample)
    values = np.flatnonzero(np.bincount(array.ravel())).tolist() if array.size else []
    emptied = []
    if resample:   # the values of the file that the image grid kept none of
        in_file = np.flatnonzero(np.bincount(as_label_array(mask_volume.frame(0), source).ravel()))
        emptied = [int(v) for v in in_file if v and v not in values]
    return PreparedLabels(array, names, [v for v in values if v], resample,
                          os.path.basename(source), adjudicated=file_marks(source, names),
                          grid=(tuple(mask_volume.shape[:3]), np.asarray(mask_volume.ijk_to_ras)),
                          emptied=emptied)


def prepare_label_file(path: str | os.PathLike, volume: Volume, progress=None,
                       cancel=None) -> PreparedLabels:
    """:func:`prepare_labels` for the mask file at ``path``: a NIfTI/NRRD/MGH label map, or a
    DICOM SEG (the file *Save labels as DICOM SEG* writes; ``io.seg.load_seg`` places it on
    ``volume``'s grid, with its segment names and colours). For a worker thread."""
    from ..io import load
    from ..io.seg import is_seg_file, load_seg_placed
    from ..io.seg_class import seg_class_note
    from ..io.seg_names import seg_names

    source = os.fspath(path)
    if is_seg_file(source):
        labels, emptied = load_seg_placed(source, volume, cancel)
        values = np.flatnonzero(np.bincount(labels.array.ravel())).tolist()
        recorded, shown = seg_names(source)
        return PreparedLabels(labels.array, {s.value: s for s in labels.segments},
                              [v for v in values if v], False, recorded, shown,
                              source if recorded != os.path.basename(source) else "",
                              note=seg_class_note(source), emptied=emptied)
    finish_label_save(source)   # a save killed between the mask and its sidecar: complete it first
    mask_volume = load(source, progress=progress, cancel=cancel)
    if progress is not None:   # a busy bar
        progress(0, 0, f"Checking the label values of {os.path.basename(source)}")
    return prepare_labels(mask_volume, volume, source)


def resample_nearest(array: np.ndarray, ijk_to_ras: np.ndarray, volume: Volume) -> np.ndarray:
    """Resample a label array onto ``volume``'s grid, nearest neighbour (no new label values):
    each voxel takes the label of the mask voxel whose cell (half a voxel either side of its
    centre) holds its centre, 0 outside the mask's cells. (Mode ``constant`` ended the mask at its
    outer voxels' centres: a centre a rounding error past the last slice read 0, and a resampled
    tilted CT lost labels along its last slice.)"""
    from scipy import ndimage

    image_to_mask = np.linalg.inv(ijk_to_ras) @ volume.ijk_to_ras  # image ijk -> mask ijk
    out = ndimage.affine_transform(array, image_to_mask[:3, :3], offset=image_to_mask[:3, 3],
                                   output_shape=volume.shape, order=0, mode="grid-constant", cval=0)
    return out.astype(label_dtype(int(out.max()) if out.size else 0), copy=False)


def label_map_moved(path: str | os.PathLike, volume: Volume,
                    target: Volume) -> tuple[LabelMap, list[str]]:
    """The label map file at ``path``, made on ``volume``'s grid (as the window saves it), on
    ``target``'s grid: resampled by nearest neighbour where that grid differs (each voxel takes the
    label at its centre in world space; no new values), with the segments its sidecar names. For
    ``convert --labels``: a tilted series' labels onto the grid ``--tilt resample`` writes. A DICOM
    SEG is placed by its frames' positions (``io.seg.load_seg``). A file on another grid than
    ``volume``'s, or holding an image, is an error naming it. Also the names of the segments that
    held voxels in the file and none on ``target``'s grid (drawn thinner than its voxels), as
    :attr:`PreparedLabels.emptied` says them in the window: they were emptied without a word."""
    from ..io.seg import is_seg_file, load_seg_placed

    source = os.fspath(path)
    emptied = []
    if is_seg_file(source):   # a DICOM SEG (File > Save labels as DICOM SEG) of this series
        seg, emptied = load_seg_placed(source, volume)
        array, names = seg.array, {s.value: s for s in seg.segments}
    else:
        array, names = label_array_on_grid(read_label_file(source), volume, source)
    held = np.flatnonzero(np.bincount(array.ravel()))
    if not LabelMap(array, volume.ijk_to_ras).on_grid_of(target):
        array = resample_nearest(array, volume.ijk_to_ras, target)
    kept = np.flatnonzero(np.bincount(array.ravel()))
    emptied = sorted({*emptied, *(int(v) for v in np.setdiff1d(held, kept) if v)})
    segments = SegmentTable.from_values(kept)
    for segment in names.values():
        segments.put(segment)
    return LabelMap(array, target.ijk_to_ras, segments), \
        [names[v].name if v in names else f"Segment {v}" for v in emptied]


@dataclass
class LabelsStep:
    """The undo step of :func:`labels_step`: the label map after it and its diff, made off the
    GUI thread; it fits the session only while the label map is as it was then."""

    version: int
    """``Session.version`` of the label map it was computed against."""
    locked: frozenset
    """The locked label values then (a locked segment is neither overwritten nor written)."""
    result: np.ndarray
    """The whole label map after the step."""
    diff: object
    """Its :class:`~neuroview.core.undo.VoxelDiff` (``None``: nothing changes)."""
    blob: Optional[dict] = None
    """The diff's voxels written to the workspace (``core.journal_records.write_blob``), when there is one."""
    loaded: Optional[str] = None
    """The map after the step written to the workspace as the labels as loaded (its file name,
    ``app.session_loaded``), when there is a workspace."""

    def fits(self, labels: LabelMap, version: int) -> bool:
        return (version == self.version and labels.array.dtype == self.result.dtype
                and labels.array.shape == self.result.shape
                and frozenset(labels.segments.locked_values()) == self.locked)


def written_map(new: np.ndarray, current: np.ndarray, locked) -> tuple[np.ndarray, np.ndarray]:
    """The voxels that writing ``new`` over ``current`` changes (not those of a ``locked`` value,
    before or after, as ``core.edit.base.Tool`` writes) and the map after; ``new`` of ``current``'s
    type."""
    changed = current != new
    if locked:
        lut = np.zeros(int(np.iinfo(current.dtype).max) + 1, dtype=bool)
        lut[[v for v in locked if v < lut.size]] = True
        changed &= ~lut[current] & ~lut[new]
    return changed, np.where(changed, new, current)


def labels_step(prepared: PreparedLabels, current: np.ndarray, locked, version: int,
                workspace=None, cancel: Optional[CancelToken] = None):
    """The step that makes ``prepared`` the label map ``current`` (a copy of the session's, taken
    at ``version``), as ``Session.apply_labels`` writes it, computed in a worker thread: the
    changed voxels (not those of a ``locked`` value, before or after), the map after, the diff.
    ``None`` when the map would need a wider type first (past 255 labels into a uint8 map).
    ``workspace``: the session's journal folder; the diff's voxels are written there (fsync'ed)
    here, so the GUI thread journals the step with a few hundred bytes, and the map after it, the
    labels as loaded that a restore after a crash needs (``app.session_loaded``). ``cancel`` is
    looked at between those stages and as the map after is written (4 MiB at a time: 1.9 s of a
    512x512x300 map): cancelled (or Ctrl+C), it leaves nothing in ``workspace``."""
    from ..core.journal_records import write_blob
    from ..core.undo import VoxelDiff
    from .session_loaded import write_loaded_voxels

    if max(prepared.values, default=0) > np.iinfo(current.dtype).max:
        return None
    check(cancel)
    new = prepared.array.astype(current.dtype, copy=False)
    locked = frozenset(int(v) for v in locked)
    changed, result = written_map(new, current, locked)
    check(cancel)
    diff = VoxelDiff.from_mask((0, 0, 0), changed, current[changed], new[changed])
    del changed
    check(cancel)
    blob = write_blob(workspace, diff) if workspace is not None and diff is not None else None
    try:
        loaded = write_loaded_voxels(workspace, result, cancel=cancel) if workspace is not None else None
    except BaseException:   # the diff's voxels no step will name
        if blob is not None:
            with contextlib.suppress(OSError):
                (Path(workspace) / blob["blob"]).unlink()
        raise
    return LabelsStep(version, locked, result, diff, blob, loaded)


def without_label_maps(result):
    """``result`` (a scan's ``ScanResult``) less the label maps neuroview saved beside the images
    (a file with its ``NAME.segments.json``: *Save labels* proposes the image's folder), unless
    nothing else was found; returns the result and the names of the files left out. Opening a
    folder of cases offered ``case-labels.nii.gz`` as an image series to open, as the worklist
    and ``neuroview segment`` no longer did."""
    def is_label_map(candidate) -> bool:
        key = candidate.key
        return os.path.isfile(key) and sidecar_path(key).is_file()   # a DICOM series' key is a UID

    images, maps = [], []   # one pass, in the scan's order (each candidate compared with every
    for candidate in result.candidates:   # label map until session 30: n^2 for a big folder)
        (maps if is_label_map(candidate) else images).append(candidate)
    if not maps or not images:
        return result, []
    result.candidates = images
    return result, [os.path.basename(c.key) for c in maps]
