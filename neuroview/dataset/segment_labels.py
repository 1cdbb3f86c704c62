"""Which dataset label each segment of a label map becomes when it is sent to a training set.

A segment named like a label of the dataset (any case) is that label; a model's *brain* segment is
context, stored as background; a value with no segment at all (a bare nnU-Net label array,
``LabelMap(array, affine)``) keeps its value, as nnU-Net reads a label file. Any other segment, a
painted ``Segment 1`` included, is a label only through ``label_for`` (segment name -> dataset
label name): its number says nothing of what the person meant, and ``Segment 1`` used to become
the dataset's label 1 (``lesion``) without a word. The window asks which label it is; the API and
the CLI refuse with :class:`SegmentNotALabelError` until a mapping is given.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Optional

import numpy as np

from ..core.errors import DatasetError
from ..core.extent import is_context
from ..core.labels import LabelMap, Segment
from .layout import DatasetInfo


class SegmentNotALabelError(DatasetError):
    """Segments whose names are not labels of the dataset and that no mapping names
    (``.segments``: their names, in value order)."""

    def __init__(self, message: str, path=None, hint: str = "", segments: tuple[str, ...] = ()):
        self.segments = tuple(segments)
        super().__init__(message, path, hint)

    def __reduce__(self):
        return (_rebuild, (self.message, self.path, self.hint, self.segments))


def _rebuild(message, path, hint, segments):
    return SegmentNotALabelError(message, path, hint, segments)


def label_values(info: DatasetInfo, label_for: Optional[Mapping[str, str]] = None) -> dict[str, int]:
    """Lower-cased segment name -> dataset value: the dataset's own label names, then the names
    ``label_for`` maps (a mapping to a label the dataset lacks is refused, naming both)."""
    by_name = {name.lower(): value for name, value in info.foreground.items()}
    targets = {**{name.lower(): 0 for name in background_names(info)}, **by_name}
    mapped = {}
    for segment_name, label in (label_for or {}).items():
        value = targets.get(str(label).strip().lower())
        if value is None:
            raise DatasetError(f"segment {segment_name!r} is mapped to {label!r}, which is not a "
                               f"label of this dataset ({', '.join(info.foreground)}; "
                               f"{' or '.join(background_names(info))} leaves it out)")
        mapped[str(segment_name).lower()] = value
    return {**mapped, **by_name}


def background_names(info: DatasetInfo) -> list[str]:
    """The dataset's name of label 0 (``background``): a segment mapped to it is stored as
    background, as a model's *brain* is. Grow from seeds wants a seed segment around the lesion
    (Slicer's workflow); its grown region is no label, and the window offered the dataset's
    foreground labels alone for it: sent, 7,047 voxels of normal brain became ``lesion``."""
    return [name for name, value in info.labels.items() if value == 0] or ["background"]


def unmatched_segments(label_map: LabelMap, info: DatasetInfo,
                       label_for: Optional[Mapping[str, str]] = None) -> list[str]:
    """Names of the segments holding voxels that no dataset label and no ``label_for`` names."""
    lookup = label_values(info, label_for)
    present = {int(v) for v in np.unique(label_map.array) if v != 0}
    return [s.name for s in label_map.segments if s.value in present and not is_context(s)
            and s.name.lower() not in lookup]


SHOWN_NAME = 60
"""Characters of a segment's name an error shows (a sidecar's name of 50 MB was printed twice)."""


def _short(name: str) -> str:
    return name if len(name) <= SHOWN_NAME else name[:SHOWN_NAME - 3] + "..."


def unmatched_error(names: list[str], info: DatasetInfo, path=None) -> SegmentNotALabelError:
    """``path``: the label file whose segments they are (the CLI's ``--labels``)."""
    labels = ", ".join(info.foreground)
    first = next(iter(info.foreground), "lesion")
    shown = ", ".join(repr(_short(n)) for n in names[:5]) + (f" and {len(names) - 5} more"
                                                               if len(names) > 5 else "")
    name = _short(names[0])
    return SegmentNotALabelError(
        (f"segments {shown} are not labels of this dataset ({labels}): say which label each is"
         if len(names) > 1 else
         f"segment {shown} is not a label of this dataset ({labels}): say which label it is"),
        path, hint=f"--label-for '{name}={first}' in the CLI, label_for={{{name!r}: {first!r}}} "
                   "in the API, or rename the segment", segments=tuple(names))


def parse_label_for(pairs: Iterable[str]) -> dict[str, str]:
    """``SEGMENT=LABEL`` texts (``--label-for``) as a mapping; a text without ``=`` is refused."""
    mapping = {}
    for pair in pairs:
        segment, sep, label = pair.partition("=")
        if not sep or not segment.strip() or not label.strip():
            raise DatasetError(f"--label-for {pair!r}: give SEGMENT=LABEL, e.g. 'Segment 1=lesion'")
        mapping[segment.strip()] = label.strip()
    return mapping


def to_dataset_values(label_map: LabelMap, info: DatasetInfo,
                      label_for: Optional[Mapping[str, str]] = None, strict: bool = True) -> np.ndarray:
    """The label map's array with the dataset's values (see the module's docstring). With
    ``strict=False`` (the labels as a file loaded them, a reference to count changes against) an
    unmatched segment keeps its value when that is a label, else becomes background."""
    lookup = label_values(info, label_for)
    valid = set(info.foreground.values())
    unmatched = unmatched_segments(label_map, info, label_for)
    if unmatched and strict:
        raise unmatched_error(unmatched, info)
    present = [int(v) for v in np.unique(label_map.array) if v != 0]
    lut = np.zeros(max(present, default=0) + 1, dtype=np.uint8)
    for value in present:
        segment = label_map.segments.segments.get(value)
        if segment is None:
            if value not in valid:
                raise DatasetError(f"value {value} is not a label of this dataset "
                                   f"({', '.join(f'{v}={n}' for n, v in info.foreground.items())})",
                                   hint="relabel the mask or add the label to dataset.json")
            lut[value] = value
        elif not is_context(segment):
            lut[value] = lookup.get(segment.name.lower(), value if value in valid else 0)
    return lut[label_map.array]


def dataset_labels_of(label_map: LabelMap, info: DatasetInfo, segments: Iterable[Segment],
                      label_for: Optional[Mapping[str, str]] = None) -> set[int]:
    """The dataset label values that ``segments`` of ``label_map`` become (as
    :func:`to_dataset_values` matches them)."""
    lookup = label_values(info, label_for)
    return {lookup[s.name.lower()] for s in segments if s.name.lower() in lookup} - {0}


UNNAMED = re.compile(r"Segment \d+")
"""The name the Segment editor gives a segment added by hand (*Add*, a first stroke), until renamed."""


def proposed_labels(segment_names: Iterable[str], model_labels: Iterable[str] = ()) -> dict[str, str]:
    """A new dataset's label for each segment never renamed (``Segment 1``): the default model's
    labels (``model_labels``, its card's names) no segment is named, in order, then ``lesion``,
    ``lesion 2``, ... A dataset labelled ``Segment 1`` trains a model whose output is called so."""
    names = list(segment_names)
    taken = {n.lower() for n in names}
    offered = [n for n in model_labels if n.lower() not in taken]
    proposed = {}
    for name in (n for n in names if UNNAMED.fullmatch(n)):
        label, k = (offered.pop(0), 0) if offered else ("lesion", 1)
        while label.lower() in taken:
            k += 1
            label = f"lesion {k}"
        taken.add(label.lower())
        proposed[name] = label
    return proposed


__all__ = ["UNNAMED", "SegmentNotALabelError", "background_names", "dataset_labels_of", "label_values",
           "parse_label_for", "proposed_labels", "to_dataset_values", "unmatched_segments"]
