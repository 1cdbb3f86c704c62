"""An image and its label map opened together (two files dropped on the window, or given at once):
ITK-SNAP and Slicer show the second as the labels of the first rather than asking which to open.

A pair is two single-file candidates of one shape: the mask (the one whose name extends the
other's, as ``case_mask.nii.gz``, ``case-labels``, ``case_seg`` for ``case.nii.gz``; else the
smaller file) holds a label map (whole non-negative numbers that pass
:func:`~neuroview.app.label_files.check_label_values`) on the other's grid, and the other is not a
label map too unless the names say which is which. Otherwise nothing pairs and the series chooser
asks, as before.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Optional

from ..core.errors import NeuroviewError
from ..core.geometry import same_grid
from ..core.jobs import check
from ..core.labels import as_label_array
from ..core.volume import Volume
from .label_files import SUFFIXES, check_label_values


@dataclass
class ImageWithLabels:
    """The image to open (its candidate, whose loader returns the volume already read) and the
    label map file to load onto it."""

    image: object
    """The image's ``SeriesCandidate``."""
    labels_path: str


def _stem(path: str) -> str:
    name = os.path.basename(path).lower()
    for suffix in SUFFIXES + (".nhdr", ".hdr", ".img"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _is_label_map(volume: Volume) -> bool:
    if volume.array.ndim == 4 and volume.n_frames > 1:
        return False
    try:
        check_label_values(as_label_array(volume.frame(0)))
    except NeuroviewError:
        return False
    return True


def _named_after(mask: str, image: str) -> bool:
    """``mask``'s name extends ``image``'s: case_mask, case-labels, case_seg for case."""
    mask_stem, image_stem = _stem(mask), _stem(image)
    return len(mask_stem) > len(image_stem) and mask_stem.startswith(image_stem)


def image_with_labels(paths, result, cancel=None) -> Optional[ImageWithLabels]:
    """The image and label map among two opened ``paths`` (``result``: their scan), or ``None``
    when they are not such a pair (the caller offers the scan's series as usual). Reads both files'
    voxels (off the GUI thread): the image's candidate returned loads the volume read here."""
    paths = [os.fspath(p) for p in paths]
    candidates = result.candidates
    if len(paths) != 2 or len(candidates) != 2 or not all(os.path.isfile(p) for p in paths):
        return None
    if any(c.key not in paths or c.uneven_slices for c in candidates):   # no DICOM series
        return None
    if tuple(candidates[0].shape[:3]) != tuple(candidates[1].shape[:3]):
        return None
    named = [_named_after(candidates[i].key, candidates[1 - i].key) for i in (0, 1)]
    # the mask is read first: the one named after the other, else the smaller file (a mask
    # compresses to a fraction of its image), so two images read one file before the chooser;
    # a name can mislead (brain.nii.gz beside brain_T1.nii.gz): then the other is tried too
    if named.count(True) == 1:
        order = [named.index(True), named.index(False)]
    else:
        order = [min((0, 1), key=lambda i: os.path.getsize(candidates[i].key))]
    volumes: dict[int, Optional[Volume]] = {}

    def read(i: int) -> Optional[Volume]:
        if i not in volumes:
            volumes[i] = _read(candidates[i], cancel)
        return volumes[i]

    for mask in order:
        mask_volume = read(mask)
        if mask_volume is None or not _is_label_map(mask_volume):
            continue
        image = 1 - mask
        volume = read(image)
        if volume is None or not same_grid(mask_volume.shape, mask_volume.ijk_to_ras, volume.shape,
                                           volume.ijk_to_ras):
            return None
        if _is_label_map(volume) and not named[mask]:   # two label maps: the names decide
            return None
        return ImageWithLabels(_already_read(candidates[image], volume), candidates[mask].key)
    return None


def _already_read(candidate, volume: Volume):
    """``candidate`` whose loader returns ``volume``, read while looking for the pair."""
    return dataclasses.replace(candidate, loader=lambda _progress=None, _cancel=None: volume)


def _read(candidate, cancel) -> Optional[Volume]:
    check(cancel)
    try:
        return candidate.load(None, cancel)
    except NeuroviewError:
        return None   # the chooser, then the load, say what is wrong with it
