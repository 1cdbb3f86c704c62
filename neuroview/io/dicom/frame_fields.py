"""The functional groups of an enhanced (multi-frame) DICOM file, as columns: each frame's
value of each group the scan reads (plane position and orientation, pixel measures, rescale,
frame content, echo, frame type, diffusion, real world value mapping, a CT's reconstruction
kernel), its own item's else the
shared one's, each distinct item read once.
"""

from __future__ import annotations

from typing import Optional

from .fields import as_float, as_floats, as_int, datetime_number, image_kind, kernel_text


def _first_item(container, keyword):
    seq = container.get(keyword) if container is not None else None
    return seq[0] if seq else None


def _group_item(container, tag: int):
    """The first item of functional-group sequence ``tag``, looked up by tag (a scan does this
    for every frame of every enhanced file: keyword lookups cost more than the parsing)."""
    if container is None or tag not in container.keys():
        return None
    seq = container[tag].value
    return seq[0] if seq else None


GROUP_TAGS = {
    "PlanePositionSequence": 0x00209113, "PlaneOrientationSequence": 0x00209116,
    "PixelMeasuresSequence": 0x00289110, "PixelValueTransformationSequence": 0x00289145,
    "FrameContentSequence": 0x00209111, "MREchoSequence": 0x00189114,
    "MRImageFrameTypeSequence": 0x00189226, "CTImageFrameTypeSequence": 0x00189329,
    "MRDiffusionSequence": 0x00189117, "RealWorldValueMappingSequence": 0x00409096,
    "CTReconstructionSequence": 0x00189314,
}
_GROUP_NAMES = {tag: name for name, tag in GROUP_TAGS.items()}


_UNREAD = object()


class FrameFields:
    """Look a functional-group attribute up per frame first, then in the shared groups."""

    def __init__(self, ds, path: str) -> None:
        from .frame_groups import SHARED_SEQUENCE, raw_items

        shared = raw_items(ds, path, SHARED_SEQUENCE)  # raw bytes: 5-10x faster than pydicom
        self.shared = (shared[0] if shared else None) if shared is not None \
            else _first_item(ds, "SharedFunctionalGroupsSequence")
        self.per_frame = raw_items(ds, path)
        if self.per_frame is None:
            self.per_frame = ds.get("PerFrameFunctionalGroupsSequence")
        # the groups some frame has its own item of (the others come from the shared groups)
        self.per_frame_tags = set().union(*(item.keys() for item in self.per_frame or ()))
        self._columns: Optional[tuple[int, dict]] = None

    def columns(self, n_frames: int) -> dict:
        """:meth:`column` of every group the scan reads (:data:`GROUP_READERS`), by name:
        computed once (or given by :meth:`with_items`)."""
        if self._columns is None:
            self._columns = n_frames, {name: self.column(name, read, n_frames)
                                       for name, read in GROUP_READERS}
        if self._columns[0] != n_frames:
            raise ValueError("the columns were read for another number of frames")
        return self._columns[1]

    def with_reads(self, n_frames: int, reads: dict) -> FrameFields:
        """A copy whose frames read other values of some groups: ``reads`` maps (frame index,
        group tag) to what the group's reader (:data:`GROUP_READERS`) makes of the frame's own
        first item of that group. The other frames' values are this one's."""
        columns = dict(self.columns(n_frames))
        for (index, tag), value in reads.items():
            name = _GROUP_NAMES[tag]
            if columns[name] is self._columns[1][name]:
                columns[name] = list(columns[name])
            columns[name][index] = value
        copy = object.__new__(FrameFields)
        copy.__dict__.update(self.__dict__)
        copy._columns = n_frames, columns
        return copy

    def column(self, group: str, read, n_frames: int) -> list:
        """``read`` of each frame's item of functional ``group`` (its own, else the shared one;
        None when neither has it). Each distinct item is read once: a group only the shared
        item has (orientation, spacing...) costs one read for the whole file."""
        tag = GROUP_TAGS[group]
        shared = _group_item(self.shared, tag)
        shared_value = read(shared) if shared is not None else None
        if tag not in self.per_frame_tags:
            return [shared_value] * n_frames
        values, memo = [], {}
        for index in range(n_frames):
            found = _group_item(self.per_frame[index], tag) if index < len(self.per_frame) \
                else None
            if found is None:
                values.append(shared_value)
                continue
            reads = getattr(found, "reads", None)  # a RawItem: its reads, shared by every file
            if reads is not None:
                value = reads.get(read, _UNREAD)
                if value is _UNREAD:
                    value = reads[read] = read(found)
                values.append(value)
                continue
            key = id(found)  # the items live as long as this object: ids stay unique
            if key not in memo:
                memo[key] = read(found)
            values.append(memo[key])
        return values


def _read_position(item):
    return as_floats(item.get("ImagePositionPatient"), 3)


def _read_orientation(item):
    return as_floats(item.get("ImageOrientationPatient"), 6)


def _read_measures(item):
    return as_floats(item.get("PixelSpacing"), 2), as_float(item.get("SliceThickness"))


def _read_rescale(item):
    return as_float(item.get("RescaleSlope")), as_float(item.get("RescaleIntercept"))


def _read_content(item):
    # only these two values: templates.py reads a run's frame times without this item
    return (as_int(item.get("TemporalPositionIndex")),
            datetime_number(item.get("FrameAcquisitionDateTime")))


def _read_echo_time(item):
    return as_float(item.get("EffectiveEchoTime"))


def _read_kind(item):
    """(component, derived) of a frame type item, or None without FrameType."""
    frame_type = item.get("FrameType")
    if frame_type is None:
        return None
    return image_kind(frame_type, item.get("ComplexImageComponent"))


def _read_isotropic(item) -> bool:
    """A frame's diffusion item says isotropic with b > 0 (a trace volume)."""
    b_value = as_float(item.get("DiffusionBValue"), 0.0)
    return bool(b_value and b_value > 0) and \
        str(item.get("DiffusionDirectionality") or "").upper() == "ISOTROPIC"


def read_real_world(item) -> Optional[tuple]:
    """(slope, intercept) of a Real World Value Mapping item (either None where absent)."""
    if item is None:
        return None
    return as_float(item.get("RealWorldValueSlope")), as_float(item.get("RealWorldValueIntercept"))


def _read_kernel(item) -> Optional[str]:
    """An enhanced CT frame's ConvolutionKernel (``fields.kernel_text``), None where absent."""
    kernel = item.get("ConvolutionKernel")
    return None if kernel is None else kernel_text(kernel)


GROUP_READERS = (
    ("PlanePositionSequence", _read_position), ("PlaneOrientationSequence", _read_orientation),
    ("PixelMeasuresSequence", _read_measures), ("PixelValueTransformationSequence", _read_rescale),
    ("FrameContentSequence", _read_content), ("MREchoSequence", _read_echo_time),
    ("MRImageFrameTypeSequence", _read_kind), ("CTImageFrameTypeSequence", _read_kind),
    ("MRDiffusionSequence", _read_isotropic), ("RealWorldValueMappingSequence", read_real_world),
    ("CTReconstructionSequence", _read_kernel),
)
