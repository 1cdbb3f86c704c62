"""The readers of an image that is not DICOM (a NIfTI worklist's case): the label files saved for
it, as *Compare readers* and *Adjudicate* take a DICOM series' SEGs. A label file neuroview saved
(``NAME.nii.gz`` with ``NAME.segments.json``) whose name starts with the image's (``a_case`` ->
``a_case-labels.nii.gz``, ``a_case-labels-ben.nii.gz``), beside the image or in the folder above,
or one a worklist recorded for the case (``label_files``), on the image's grid; its reader is the
annotator of the last editing session its sidecar holds (``core.segment_work``: the one who saved
it), and a file of an adjudicated version is left out. Until session 49 a NIfTI image could not be
compared nor adjudicated: ``comparing readers needs a DICOM image``."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Iterable, Optional

from ..core.errors import NeuroviewError
from ..core.jobs import check
from ..core.labels import LabelMap, SegmentTable, default_color
from ..core.segment_work import merge_work
from .label_files import prepare_label_file, sidecar_path
from .save_folder import image_stem

LABEL_ENDINGS = (".nii.gz", ".nii", ".nrrd", ".mgz")
"""The label files looked for (those *Save labels* writes, with a sidecar)."""


def prepared_label_map(prepared, volume) -> LabelMap:
    """The label map of a labels file read for ``volume`` (``PreparedLabels``): its voxels, and
    its segments as its sidecar names them (a value it does not name: ``Segment N``)."""
    table = SegmentTable()
    for value in prepared.values:
        segment = prepared.names.get(value)
        if segment is not None:
            table.put(segment)
        else:
            table.add(f"Segment {value}", default_color(value), value=value)
    return LabelMap(prepared.array, volume.ijk_to_ras, table)


def saved_label_files(volume, folders: Iterable, label_files: Iterable = ()) -> list[Path]:
    """The label files of ``volume`` in ``folders`` (named as its own files are, with a sidecar),
    and ``label_files`` (a worklist's record), each once."""
    stem, found = image_stem(volume), {}
    for path in label_files:
        if path and os.path.isfile(path):
            found.setdefault(os.path.realpath(path), Path(path))
    for folder in folders:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            path = Path(folder) / name
            if name.startswith(stem) and name.lower().endswith(LABEL_ENDINGS) \
                    and sidecar_path(path).is_file():
                found.setdefault(os.path.realpath(path), path)
    image = os.path.realpath(volume.source_path or "")
    return [path for real, path in found.items() if real != image]


def label_file_versions(volume, folders: Iterable, label_files: Iterable = (),
                        problems: Optional[list] = None, cancel=None) -> list:
    """A reader's version (``io.pacs.readers.ReaderVersion``) of each label file of ``volume``
    (:func:`saved_label_files`); one that cannot be read or lies on another grid is a line in
    ``problems``."""
    from ..io.pacs.readers import LOCAL, ReaderVersion

    problems = [] if problems is None else problems
    versions = []
    for path in saved_label_files(volume, folders, label_files):
        check(cancel)
        try:
            prepared = prepare_label_file(path, volume, cancel=cancel)
            created = _saved_at(path)
        except (NeuroviewError, OSError, ValueError) as exc:
            problems.append(f"{path.name}: {exc}")
            continue
        if prepared.resampled:
            problems.append(f"{path.name}: drawn on another grid than this image")
            continue
        if prepared.adjudicated:   # an adjudicated version, not a reader's
            continue
        labels = prepared_label_map(prepared, volume)
        work = merge_work(*(segment.work for segment in labels.segments))
        versions.append(ReaderVersion(work[-1]["annotator"] if work else "", "", path.name, created,
                                      _file_key(path), path, labels, LOCAL))
    return versions


def _saved_at(path) -> str:
    """When ``path`` was saved, as a SEG's ContentDate and ContentTime read (``20261207120615.482913``):
    readers are listed, and a reader's latest file kept, in that order."""
    mtime = os.path.getmtime(path)
    return time.strftime("%Y%m%d%H%M%S", time.localtime(mtime)) + f".{int(mtime % 1 * 1e6):06d}"


def _file_key(path) -> str:
    """What tells two label files apart in the record of an adjudication (its readers'
    ``seg_series_uid``): a digest of the file's place, never its name, which may name the patient."""
    return "file:" + hashlib.sha1(os.path.realpath(path).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def none_found(volume) -> str:
    """The dialog's line when no label file of ``volume`` is found."""
    return (f"No reader's labels file of this image found: files named {image_stem(volume)}... "
            "saved with Save labels, beside the image or in the folder above.")
