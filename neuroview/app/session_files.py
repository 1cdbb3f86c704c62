"""Files and model results of :class:`~neuroview.app.session.Session`: saving the label map,
loading a mask as one undo step, adding a model's output as segments.

A part of ``Session`` (its base class), not used alone.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np

from ..core.edit import EditTarget, Tool
from ..core.edit.base import mask_box
from ..core.errors import GeometryError
from ..core.extent import encode_extent
from ..core.jobs import check
from ..core.labels import LabelMap, SegmentTable, as_label_array
from ..core.undo import Step, box_slices
from ..core.volume import Volume
from .adjudicated_file import load_meta
from .adjudicated_step import META as ADJUDICATED
from .adjudicated_step import as_persons
from .label_files import (
    PreparedLabels,
    file_marks,
    label_array_on_grid,
    prepare_label_file,
    read_label_file,
    save_label_files,
)
from .labels_image import frame_key
from .model_segments import model_segments
from .session_loaded import (
    NOTHING,
    STEP_META,
    Loaded,
    discard_voxels,
    keep_loaded,
    new_voxels_name,
    write_loaded_voxels,
)


class SessionFiles:
    """Save, load and model-result commands of :class:`~neuroview.app.session.Session`."""

    def mark_saved(self, version: int, compact: bool = True) -> bool:
        """The label map as it was at ``version`` was saved elsewhere (a DICOM SEG on a PACS or on
        disk): unless it changed since, it is no longer :attr:`modified` and the journal is compacted,
        as after :meth:`save_labels` (``compact=False``: the caller compacts, e.g. in a worker
        through :meth:`begin_checkpoint`). Returns whether it applied."""
        if version != self._version:
            return False
        self._saved_position = self.history.position
        if self.journal is not None:
            try:   # a crash's restore question says "since the last save", not "never saved"
                self.journal.note_saved()
            except OSError:
                pass
        if compact and self.journal is not None and self.journal.has_records():
            try:
                self.checkpoint()
            except OSError:
                pass  # saved; compaction waits
        elif self.journal is not None and not self.journal.has_records():
            try:   # nothing since the base: the base is what was saved
                self.journal.mark_base_saved()
            except OSError:
                pass  # a restore after a crash then offers it as unsaved, as before
            from .adjudication_record import forget_plans

            forget_plans(self.journal.folder, self)   # as a compaction does (session 38's plan)
        return True

    def save_labels(self, path: str | os.PathLike, compact: bool = True, work=None) -> Path:
        """Write the label map on the image's grid as NIfTI (``.nii``, ``.nii.gz``) or 3D Slicer's
        ``.seg.nrrd`` (atomically; missing folders are made), with a segment sidecar
        ``NAME.segments.json`` (names, colours, provenance) that :meth:`load_labels` reads back;
        both files or neither (:func:`.label_files.save_label_files`). Then the journal is
        compacted, as by :meth:`mark_saved` (``compact=False``: the caller compacts). ``work``: the
        annotators' sessions behind the labels, for the sidecar (``Case.work_done``)."""
        version = self._version
        path = save_label_files(self.labels, self.volume.ijk_to_ras, path, work=work,
                                adjudicated=self.segments.adjudication_marks(),
                                image_key=self.volume.workspace_key(),
                                frame_key=frame_key(self.volume))
        self.mark_saved(version, compact)
        return path

    def load_labels(self, path: str | os.PathLike, resample: bool = False) -> Optional[Step]:
        """Replace the label map with a mask file on the image grid, as one undo step.

        A mask on another grid raises :class:`GeometryError` naming the file, unless
        ``resample=True``: then it is resampled nearest-neighbour into the image grid with
        ``scipy.ndimage.affine_transform`` (labels stay labels; voxels outside it become 0).
        A DICOM SEG (*Save labels as DICOM SEG*'s) comes with its segment names and colours, as
        *File > Load labels* opens it (it was refused as "not an image" until session 36).
        """
        from ..io.seg import is_seg_file

        if is_seg_file(os.fspath(path)):
            return self.apply_labels(prepare_label_file(path, self.volume))
        return self.load_label_volume(read_label_file(path), os.fspath(path), resample=resample)

    def load_label_volume(self, mask_volume: Volume, source: str = "",
                          resample: bool = False, meta: Optional[dict] = None) -> Optional[Step]:
        """:meth:`load_labels` for a mask already read from ``source`` (the GUI reads the file in
        a background thread and applies it here, on the thread that owns the session); ``meta``:
        as :meth:`apply_labels`'s."""
        array, names = label_array_on_grid(mask_volume, self.volume, source, resample)
        values = [int(v) for v in np.unique(array) if v]
        return self.apply_labels(PreparedLabels(array, names, values, False, os.path.basename(source),
                                                adjudicated=file_marks(source, names)),
                                 from_file=bool(source), meta=meta)

    def apply_labels(self, prepared: PreparedLabels, step=None,
                     from_file: bool = True, meta: Optional[dict] = None) -> Optional[Step]:
        """Make a mask from ``label_files.prepare_labels`` (a worker's) the label map, as one undo
        step: ``step`` (``label_files.labels_step``, also a worker's) if it still fits, else made here.

        With nothing unsaved before, a mask that becomes the label map as it is in its file (not
        resampled, no locked voxel kept) leaves the labels unmodified: that file holds them (as
        ITK-SNAP and Slicer treat a loaded segmentation), so closing asks nothing. Over unsaved
        edits they stay modified: the edits are only in Ctrl+Z. A mask made in memory
        (``from_file=False``: the readers' adjudicated map) is in no file: modified. ``meta``: more
        of the step's meta, journaled with it (``app.adjudicated_step``'s: the segment it names
        becomes a person's in the same step)."""
        was_saved = not self.modified
        if prepared.file:
            self.not_editing()   # loading a file is no hand edit: its time is not editing time
        folder = self.journal.folder if self.journal is not None else None
        keep = folder is not None and bool(prepared.file)
        made, voxels, written = self._apply_labels(prepared, step, keep, meta or {})
        if made is not None:   # what the file held: hand edits after are counted against it
            after = Loaded(self.labels.copy(), voxels) if prepared.file else NOTHING
            kept = {s.step_id for s in (*self.history.undo_steps, *self.history.redo_steps)}
            self.loaded_steps.loaded(made.step_id, after, kept)
            if folder is not None and voxels is not None and not written:
                try:
                    write_loaded_voxels(folder, after.labels.array, voxels)
                except OSError:
                    pass   # the labels are loaded and journaled; a restore only loses the count
            self._keep_loaded()
        elif written:
            discard_voxels(folder, voxels)
        if from_file and was_saved and not prepared.resampled and (
                not self.labels.segments.locked_values()
                or np.array_equal(self.labels.array, prepared.array)):
            self._saved_position = self.history.position
        return made

    @property
    def loaded_labels(self) -> Optional[LabelMap]:
        """The map as the last label file loaded made it, as far as the undo history stands
        (Ctrl+Z of a load gives back the one before): hand edits are counted against it."""
        return self.loaded_steps.current.labels

    def _keep_loaded(self, gone=None) -> None:
        """Keep the labels as loaded in the workspace (``app.session_loaded``) for a restore
        after a crash (``gone``: as for ``keep_loaded``)."""
        if self.journal is not None:
            try:
                keep_loaded(self.journal.folder, self.loaded_steps, self._journaled, gone)
            except OSError:
                pass   # the labels are loaded and journaled; a restore only loses the count

    def _loads_left(self) -> None:
        """After a new step (or :meth:`drop_redo`): the load steps that left the history (the
        oldest forgotten, or the undone ones cut off) free their labels as loaded, in memory and,
        once ``loaded.json`` no longer names them (rewritten first), their voxel files."""
        if not self.loaded_steps.swaps:
            return
        kept = {s.step_id for s in (*self.history.undo_steps, *self.history.redo_steps)}
        swaps = len(self.loaded_steps.swaps)
        gone = self.loaded_steps.keep(kept)
        if len(self.loaded_steps.swaps) < swaps:   # loaded.json's base moves on
            self._keep_loaded(gone)

    def _loaded_moved(self, step: Step, forward: bool) -> None:
        """Undo (redo with ``forward``) of ``step``: a load's takes the labels as loaded back."""
        if self.loaded_steps.moved(step.step_id, forward):
            self.loaded_steps.read_current(self.journal.folder if self.journal else None, self.labels)
            self._keep_loaded()

    def _apply_labels(self, prepared: PreparedLabels, step=None, keep: bool = False, meta=None):
        """The load's step (or ``None``), the name of the file of the labels as loaded its meta
        names (``keep``: a file's labels in a workspace) and whether ``step`` wrote it already."""
        before = self.labels.segments.to_list()
        meta = dict(meta or {})
        # the file's adjudicated segments read so again, unless a locked one of the session kept its own
        table = self.labels.segments
        meta.update(load_meta(prepared.adjudicated,
                              [v for v in prepared.values if v not in table or not table.get(v).locked]))
        adjudicated = meta.get(ADJUDICATED, {}).get("value")
        if adjudicated is not None and adjudicated in self.labels.segments \
                and not self.labels.segments.get(adjudicated).locked:
            self.labels.segments.put(as_persons(self.labels.segments.get(adjudicated)))
        named = {}   # value -> the UID-named SEG that gave it ("": another file)
        relock = []   # the file's locked segments: locked once their own voxels are written
        for value in prepared.values:
            if value in prepared.names:   # the file's name, also over a segment of that value
                if value not in self.labels.segments or not self.labels.segments.get(value).locked:
                    given = prepared.names[value]
                    if given.locked:   # a file's lock guards the segment from later edits, not
                        relock.append(value)   # from its own voxels (it loaded empty until session 40)
                        given = dataclasses.replace(given, locked=False)
                    self.labels.segments.put(given)
            elif value not in self.labels.segments:
                self.labels.segments.add(f"Segment {value}", value=value)
            elif not self.labels.segments.get(value).locked:   # the file's voxels: no time point known
                self.labels.segments.put(dataclasses.replace(self.labels.segments.get(value), time_points=()))
            segment = self.labels.segments.get(value)
            if prepared.file and segment.origin in ("human", "loaded") and not segment.locked:
                # from a file: nobody drew it here (the file says who made it only for a model or AI
                # click segment); a file this session saved names this file, its edits were its own
                # (its AI click prompts too, unless the file's sidecar names them: they were kept
                # from the segment of that value the file replaced)
                fresh = {} if value in prepared.names else {"prompts": {}, "model": "", "work": ()}
                self.labels.segments.put(dataclasses.replace(segment, origin="loaded",
                                                             file=prepared.file, drawn=False, **fresh))
                self.segments.shown_file(value, prepared.file, prepared.shown)
                named[value] = prepared.seg_file
        if named and self.journal is not None:
            from .seg_recall import remember_segs

            remember_segs(self.journal.folder, named)
        self.labels.ensure_capacity(max(prepared.values, default=0))
        if step is not None and step.fits(self.labels, self._version):
            np.copyto(self.labels.array, step.result)
            self._lock_values(relock)
            voxels = (step.loaded or new_voxels_name()) if keep else None
            if not keep and self.journal is not None:
                discard_voxels(self.journal.folder, step.loaded)
            made = self._commit("load_labels", step.diff, before,
                                {**meta, STEP_META: voxels} if voxels else meta, blob=step.blob)
            return made, voxels, keep and step.loaded is not None
        if step is not None and self.journal is not None:
            self.journal.discard_blob(step.blob)
            discard_voxels(self.journal.folder, step.loaded)
        voxels = new_voxels_name() if keep else None   # written once the step is journaled
        writer = Tool(self._target())
        writer.write_region((0, 0, 0), prepared.array.astype(self.labels.array.dtype, copy=False))
        diff = writer.release()
        self._lock_values(relock)
        made = self._commit("load_labels", diff, before,
                            {**meta, STEP_META: voxels} if voxels else meta)
        return made, voxels, False

    def _lock_values(self, values) -> None:
        """Lock the segments of ``values`` (a loaded file's locked ones, after their voxels)."""
        for value in values:
            self.labels.segments.put(dataclasses.replace(self.labels.segments.get(value), locked=True))

    def apply_model_result(self, label_array, segments, model: str = "",
                           colors: Optional[dict] = None, hidden=(),
                           step: Optional["ModelStep"] = None,
                           outside_domain: str = "") -> Optional[Step]:
        """Add a model's output as segments (origin ``"model"``) in ONE undoable step.

        ``label_array`` is on the image grid; ``segments`` maps the model's label values to names
        (``{1: "lesion"}``, or a list of names for values 1, 2, ...). A segment this model made
        before with the same name is replaced; locked segments and the overwrite policy are
        respected. ``colors`` maps model label values to RGB for new segments; ``hidden`` lists
        model label values whose new segment starts hidden (context such as a brain mask; one
        made before keeps the visibility the user gave it) and fills empty voxels only; given as
        ``{value: mask}`` (the model's brain mask, lesions included; ``None``: the value's voxels)
        the mask is the segment's extent, where a voxel cleared of another segment goes back to it
        (``core.extent``). ``outside_domain``: the card's refusal the person overrode, kept on
        each of the model's segments (``Segment.outside_domain``). Returns
        the step (``None`` when nothing changed). ``step``: the same step made by
        :func:`model_result_step` in a worker, committed as made while it :meth:`ModelStep.fits`
        the session, else made again here.
        """
        if step is not None and step.fits(self):
            np.copyto(self.labels.array, step.result)
            self.labels.segments = SegmentTable.from_list(step.after)
            meta = {**step.meta, "model": model}
            return self._commit("model", step.diff, step.before, meta, blob=step.blob)
        if step is not None and self.journal is not None:
            self.journal.discard_blob(step.blob)
        before = self.labels.segments.to_list()
        diff = write_model_result(self._target(), label_array, segments, model, colors, hidden,
                                  outside_domain)
        return self._commit("model", diff, before, {"model": model})

    @property
    def stroke_open(self) -> bool:
        """A brush stroke is under way (its voxels are in the label map, not yet a step)."""
        return self._stroke is not None

    def model_result_snapshot(self) -> "ModelSnapshot":
        """What :func:`model_result_step` needs, taken on the thread that owns the session: a copy
        of the label map (voxels and segments), its version, the overwrite policy, the workspace."""
        return ModelSnapshot(self.labels.copy(), self._version, self.policy, self.volume,
                             self.journal.folder if self.journal is not None else None)


@dataclass
class ModelSnapshot:
    """The session as a model result will meet it (:meth:`SessionFiles.model_result_snapshot`)."""

    labels: LabelMap
    version: int
    policy: str
    volume: Volume
    workspace: Optional[Path]


@dataclass
class ModelStep:
    """``Session.apply_model_result`` computed in a worker (:func:`model_result_step`)."""

    version: int
    policy: str
    before: list
    """The segment table it was computed against (``to_list()``)..."""
    after: list
    """...and the table after it."""
    result: np.ndarray
    """The whole label map after the step."""
    diff: object
    blob: Optional[dict] = None
    """The diff's voxels written to the workspace (``core.journal_records.write_blob``), if any."""
    meta: dict = field(default_factory=dict)
    """Journaled with the step besides ``model`` (the name of the proposal file made with it)."""

    def fits(self, session) -> bool:
        """The session is as it was when the snapshot was taken (no edit, undo, segment change or
        policy change since, no stroke open): the step applies as made."""
        labels = session.labels
        return (session.version == self.version and not session.stroke_open
                and session.policy == self.policy and labels.array.dtype == self.result.dtype
                and labels.array.shape == self.result.shape
                and labels.segments.to_list() == self.before)


def model_result_step(snapshot: ModelSnapshot, label_array, segments, model: str = "",
                      colors: Optional[dict] = None, hidden=(), cancel=None,
                      outside_domain: str = "") -> ModelStep:
    """The step of ``Session.apply_model_result`` made on ``snapshot`` (which it changes: its
    copy of the label map becomes the map after the step), for a worker thread; the diff's
    voxels are written to the workspace here (fsync'ed), so the GUI thread journals a short record.
    ``cancel`` (a ``core.jobs.CancelToken``) is looked at before the voxels are written: a
    cancelled step leaves no file."""
    from ..core.journal_records import write_blob

    labels = snapshot.labels
    before = labels.segments.to_list()
    diff = write_model_result(EditTarget(snapshot.volume, labels, snapshot.policy), label_array,
                              segments, model, colors, hidden, outside_domain)
    blob = None
    check(cancel)
    if diff is not None:
        diff.count_change()   # here, not in the GUI thread's commit (the segment counts)
        check(cancel)
        if snapshot.workspace is not None:
            blob = write_blob(snapshot.workspace, diff)
    return ModelStep(snapshot.version, snapshot.policy, before, labels.segments.to_list(), labels.array,
                     diff, blob)


def write_model_result(target: EditTarget, label_array, segments, model: str = "",
                       colors: Optional[dict] = None, hidden=(), outside_domain: str = ""):
    """Write a model's output into ``target.labels`` (see ``Session.apply_model_result``);
    returns the diff (``None``: no voxel changed)."""
    labels = target.labels
    array = as_label_array(np.asarray(label_array), source=model or "model result")
    if array.shape != labels.shape:
        raise GeometryError(f"model result of shape {array.shape} does not fit the image grid "
                            f"{labels.shape}", path=model or None)
    segments, colors = model_segments(segments, colors)
    table = labels.segments
    writer = Tool(target)
    # the segments a person drew (by hand, or with AI click) keep their voxels: a model fills
    # background and model segments only (a lesion painted before AI > Segment lost voxels to it)
    drawn = frozenset(s.value for s in table if s.origin != "model")
    for model_value, name in sorted(segments.items()):
        existing = [s for s in table if s.origin == "model" and s.model == model and s.name == name]
        color = (colors or {}).get(model_value)
        segment = existing[0] if existing else table.add(name, color=color, origin="model", model=model,
                                                         visible=model_value not in hidden)
        if (segment.drawn or segment.prompts) and not segment.locked:   # the model's output again:
            segment = table.put(dataclasses.replace(segment, drawn=False, prompts={}))  # no correction
        if segment.outside_domain != outside_domain:   # run anyway on an image the card refused
            segment = table.put(dataclasses.replace(segment, outside_domain=outside_domain))
        labels.ensure_capacity(segment.value)
        mask = array == int(model_value)
        stale = (labels.array == segment.value) & ~mask if existing else None
        # context (``hidden``: a brain mask) fills empty voxels only: it took every unlocked
        # segment inside the brain, the user's own included, into a segment not even shown
        policy = "background" if model_value in hidden else None
        for region, value, only in ((stale, 0, segment.value), (mask, segment.value, None)):
            box = None if region is None or segment.locked else mask_box(region)
            if box is not None:  # write only the bounding box, never the whole volume
                writer.write_mask(box[0], np.ascontiguousarray(region[box_slices(*box)]), value,
                                  only_value=only, policy=policy, spare=drawn)
        if model_value in hidden and not segment.locked:   # the brain under the lesions: its extent
            extent = hidden.get(model_value) if isinstance(hidden, dict) else None
            extent = mask if extent is None or np.shape(extent) != mask.shape else np.asarray(extent, bool)
            table.put(dataclasses.replace(segment, extent=encode_extent(extent)))
    return writer.release()
