"""An image and its label map opened together (two files dropped on the window, or given at once):
ITK-SNAP and Slicer show the second as the labels of the first rather than asking which to open.

A pair is two single-file candidates of one shape of which exactly one holds a label map
(whole non-negative numbers that pass :func:`~neuroview.app.label_files.check_label_values`) on the
other's grid. When both could be label maps, the one whose name extends the other's
(``case.nii.gz`` and ``case_mask.nii.gz``, ``case-labels``, ``case_seg``) is the mask; otherwise
nothing pairs and the series chooser asks, as before.
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
    if any(c.n_files != 1 or c.key not in paths or c.uneven_slices for c in candidates):
        return None
    if tuple(candidates[0].shape[:3]) != tuple(candidates[1].shape[:3]):
        return None
    volumes = []
    for candidate in candidates:
        check(cancel)
        try:
            volumes.append(candidate.load(None, cancel))
        except NeuroviewError:
            return None   # the chooser, then the load, say what is wrong with it
    if not same_grid(volumes[0].shape, volumes[0].ijk_to_ras, volumes[1].shape,
                     volumes[1].ijk_to_ras):
        return None
    maps = [_is_label_map(v) for v in volumes]
    if maps == [True, True]:   # two masks, or a mask and an image of few values: the names decide
        maps = [_named_after(candidates[i].key, candidates[1 - i].key) for i in (0, 1)]
    if maps.count(True) != 1:
        return None
    mask = maps.index(True)
    image, volume = candidates[1 - mask], volumes[1 - mask]
    loaded = dataclasses.replace(image, loader=lambda _progress=None, _cancel=None: volume)
    return ImageWithLabels(loaded, candidates[mask].key)
