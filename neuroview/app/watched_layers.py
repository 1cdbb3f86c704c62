"""Several annotators' labels of one case shown together, read only, as a lead watching a
worklist sees them (``ui.watched_labels``), as Slicer shows several segmentations over one image:
each annotator's label map is a layer, its segments renumbered after the layers below and, with
more than one annotator, named by who saved them (``anna: lesion``), a colour another layer took
given another. The picture is one label map: the layers in order, the last saved on top, less the
segments hidden (a hidden segment uncovers the layers under it). Until session 50 the lead saw the
last annotator's labels alone."""

from __future__ import annotations

import dataclasses
from typing import Iterable

import numpy as np

from ..core.labels import LabelMap, Segment, SegmentTable, default_color, label_dtype


@dataclasses.dataclass
class WatchedLayer:
    who: str
    """The login that saved it."""
    labels: LabelMap
    """The annotator's labels, on the image grid, as their file holds them."""
    when: str = ""
    """When it was saved, in words (``09:41 today``), or ""."""
    where: str = ""
    """Its file, as the window names it (``a_case-labels.nii.gz``, ``… in …/anna``)."""


class WatchedLayers:
    """``layers`` (oldest first) as one read-only label map: :attr:`table` (every layer's segments,
    renumbered), :attr:`owner` (value -> its layer) and :meth:`picture`."""

    def __init__(self, layers: list[WatchedLayer]) -> None:
        self.layers = layers
        self.table = SegmentTable()
        self.owner: dict[int, WatchedLayer] = {}
        self.file_names: dict[int, str] = {}
        """value -> its segment's name in its annotator's file (``lesion``, not ``anna: lesion``)."""
        self._arrays: list[np.ndarray] = []
        named = len(layers) > 1
        count = sum(len(layer.labels.segments) for layer in layers)
        dtype, colours = label_dtype(count), set()
        for layer in layers:
            values = [segment.value for segment in layer.labels.segments]
            lut = np.zeros(max(values, default=0) + 1, dtype)
            for segment in layer.labels.segments:
                value = self.table.next_value()
                colour = tuple(segment.color) if tuple(segment.color) not in colours else default_color(value)
                colours.add(colour)
                self.table.put(dataclasses.replace(
                    segment, value=value, color=colour,
                    name=f"{layer.who}: {segment.name}" if named else segment.name))
                self.owner[value] = layer
                self.file_names[value] = segment.name
                lut[segment.value] = value
            array = np.asarray(layer.labels.array)
            self._arrays.append(lut[np.clip(array, 0, len(lut) - 1)] if len(lut) > 1 else
                                np.zeros(array.shape, dtype))
        self.ijk_to_ras = layers[0].labels.ijk_to_ras

    def picture(self, hidden: Iterable[int] = ()) -> LabelMap:
        """The label map drawn: each layer over the ones before, its ``hidden`` segments left out
        (the voxels of the layers under them shown there)."""
        hidden = np.asarray(sorted(hidden), dtype=np.int64)
        out = np.zeros(self._arrays[0].shape, self._arrays[0].dtype)
        for array in self._arrays:
            mask = array > 0
            if hidden.size:
                mask &= ~np.isin(array, hidden)
            out[mask] = array[mask]
        return LabelMap(out, self.ijk_to_ras, self.table)

    def under(self, ijk, hidden: Iterable[int] = ()) -> list[tuple[WatchedLayer, str]]:
        """(layer, its segment's name as its file names it) of each layer labelling the voxel
        ``ijk``, top first, less the ``hidden`` segments: the status line names whose label is
        under the cursor, and those under it (each layer's colour alone told them apart)."""
        hidden, found = set(hidden), []
        for layer, array in zip(reversed(self.layers), reversed(self._arrays)):
            value = int(array[ijk])
            if value and value not in hidden:
                found.append((layer, self.file_names[value]))
        return found

    def segments_of(self, layer: WatchedLayer) -> list[Segment]:
        return [segment for segment in self.table if self.owner[segment.value] is layer]
