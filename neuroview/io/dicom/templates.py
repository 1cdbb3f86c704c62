"""Read the next files of a run as their differences from a file read before (its template).

The files of one acquisition stored one volume per file (a Siemens XA fMRI run: hundreds of
Enhanced MR files) repeat their headers byte for byte but for a few values: the instance's UIDs
and number, the acquisition time and, in each frame's content item, its time and indices.
Parsing every frame's functional groups of every such file was most of a large study's scan.

A file read in full by :mod:`.quick_read` (explicit VR little endian, per-frame functional
groups) is kept as a template. A later file of the same size whose bytes up to its pixel data
equal the template's everywhere but inside element values (so every tag, VR, length, item and
delimiter lies where the template's does: the same layout) is read as the template's dataset
with those values replaced:

- a top-level value: in a copy of the template's dataset, from which the scan converts every
  top-level value it uses as for a file read in full (a value the reader does not keep, or the
  scan does not use, changes nothing);
- a value in a frame's own item of a functional group the scan reads (plane position and
  orientation, pixel measures, rescale, frame content, echo, frame type, diffusion): that item
  is copied with its new values and read again for that frame;
- anywhere else the scan does not look (another group's items, the meta group but its
  transfer syntax, sequences it does not read): nothing to do.

What a set of changed values means is worked out once per template and set (a recipe): the
files of a run change the same values. The frames' new times and temporal indices, which a
scanner writes in every frame of every file, are read by numpy all at once (:class:`_FrameTimes`).

It falls back to the full parse on anything else: another layout (a value of another length,
an element more or less), a change in the shared functional groups, in a private sequence the
scan reads or in the transfer syntax, or any value the full path would not convert.
"""

from __future__ import annotations

import os
from typing import NamedTuple, Optional

import numpy as np

from . import frame_fields
from .changed import identity
from .elements import element_map
from .frame_fields import GROUP_TAGS, FrameFields
from .frame_groups import (
    HEAD_EXPLICIT,
    HEAD_IMPLICIT,
    ITEM,
    ITEM_END,
    KEYWORDS,
    LENGTH,
    LONG_VRS,
    PER_FRAME_SEQUENCE,
    SEQUENCE_END,
    UNDEFINED,
)
from .quick_dataset import EXPLICIT_LE, PIXEL_DATA, QuickDataset
from .vendor_fields import PHILIPS_PRIVATE_FRAME_SEQUENCE

MAX_TEMPLATES = 32
"""Templates kept in a process (the most recent first for each file size), at most."""
MAX_RECIPES = 64
"""What a template keeps of the sets of values other files changed (:meth:`_Template._recipe`)."""
_GROUPS = frozenset(GROUP_TAGS.values())
_META_SYNTAX = 0x00020010
_CONTENT = GROUP_TAGS["FrameContentSequence"]
_TEMPORAL_INDEX = KEYWORDS["TemporalPositionIndex"][0]
_FRAME_TIME = KEYWORDS["FrameAcquisitionDateTime"][0]
_NUMBER_BYTES = np.zeros(256, bool)
_NUMBER_BYTES[np.frombuffer(b"0123456789. ", np.uint8)] = True
_PREAMBLE = 132  # 128 bytes and "DICM": the meta group starts here


class Patched(NamedTuple):
    """What the scan needs of a file read as its template's differences."""

    ds: QuickDataset
    groups: FrameFields
    size: int
    stamp: Optional[tuple] = None
    """The file's identity as read (:func:`.changed.identity`)."""


class Unreadable(Exception):
    """The template's bytes do not walk as this module reads them: never use it."""


_templates: dict[int, list] = {}  # file size -> templates, most recently used first


def remember(ds: QuickDataset, path: str, size: int, n_frames: int) -> None:
    """Keep ``ds``, a file of ``size`` bytes read in full, as a template when it can be one."""
    elements = element_map(ds)
    pixels = elements.get(PIXEL_DATA)
    per_frame = elements.get(PER_FRAME_SEQUENCE)
    if (ds.transfer_syntax != EXPLICIT_LE or pixels is None or pixels.length == UNDEFINED
            or per_frame is None or not isinstance(per_frame.value, list)
            or pixels.value_tell > len(ds.raw)):
        return
    if sum(len(kept) for kept in _templates.values()) >= MAX_TEMPLATES:
        _templates.clear()
    _templates.setdefault(size, []).insert(0, _Template(ds, path, size, n_frames,
                                                        ds.raw[:pixels.value_tell]))


def forget() -> None:
    """Drop every template (tests; a process that scans no more)."""
    _templates.clear()


def read_like_template(path: str) -> Optional[Patched]:
    """``path`` read as a template's differences, or ``None`` (no template has its layout)."""
    if not _templates:
        return None
    try:
        info = os.stat(path)
        size = info.st_size
        kept = _templates.get(size)
        if not kept:
            return None
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None  # the full read reports it
    try:
        data = os.read(fd, max(len(template.head) for template in kept))
    except OSError:
        return None
    finally:
        os.close(fd)
    for template in list(kept):
        patched = template.patch(data)
        if patched is not None:
            if kept[0] is not template and template in kept:
                kept.remove(template)
                kept.insert(0, template)
            return patched._replace(stamp=identity(info))
    return None


class _Template:
    def __init__(self, ds: QuickDataset, path: str, size: int, n_frames: int,
                 head: bytes) -> None:
        self.ds, self.path, self.size, self.n_frames, self.head = ds, path, size, n_frames, head
        self.layout: Optional[tuple] = None  # made on first use (most templates are not used)

    def patch(self, data: bytes) -> Optional[Patched]:
        """``data`` (another file's first bytes) read as this file with other values."""
        if len(data) < len(self.head):
            return None
        if self.layout is None:
            try:
                self.layout = self._layout()
            except Exception:  # noqa: BLE001 - bytes this walk does not read: never used
                self.layout = ()
        if not self.layout:
            return None
        array, start_array, end_array = self.layout
        found = np.frombuffer(data, np.uint8, len(self.head))
        changed = np.flatnonzero(found != array)
        if not changed.size:
            return Patched(self.ds, self.groups, self.size)
        spans = np.searchsorted(start_array, changed, side="right") - 1
        if spans[0] < 0 or (changed >= end_array[spans]).any():
            return None  # a byte outside every value: another layout
        # each once (sorted); np.concatenate, not np.r_: 4 against 10 us a file
        spans = spans[np.concatenate(([True], spans[1:] != spans[:-1]))]
        key = spans.tobytes()
        if key not in self.recipes:
            if len(self.recipes) >= MAX_RECIPES:
                self.recipes.clear()
            self.recipes[key] = self._recipe(spans.tolist())
        recipe = self.recipes[key]
        if recipe is None:
            return None
        top, items, times = recipe
        reads = {}
        if times is not None:
            try:
                reads = times.read(found, self.groups.columns(self.n_frames))
            except ValueError:  # a time numpy does not read as float() does: item by item
                pass
        for (index, group), values in items.items():
            if (index, group) not in reads:
                item = self._item(index, group).with_values(
                    {tag: data[start:end] for tag, start, end in values})
                reads[index, group] = self.readers[group](item)
        groups = self.groups.with_reads(self.n_frames, reads) if reads else self.groups
        ds = self.ds.with_values({tag: data[start:end] for tag, start, end in top}) if top \
            else self.ds
        return Patched(ds, groups, self.size)

    def _recipe(self, spans: list) -> Optional[tuple]:
        """What a change in the values ``spans`` (indices into the layout's values) means:
        ``None`` (read the file in full), else the top-level values to replace as (tag, start,
        end), the frames' items to read again ((index, group) -> [(tag, start, end)]) and, where
        those are frame content items whose time (and temporal index) alone the scan reads,
        the :class:`_FrameTimes` that reads them all at once."""
        top, items = [], {}
        for span in spans:
            action = self.actions[span]
            if action is None:
                continue
            if action == "full":
                return None
            where = (self.starts[span], self.ends[span])
            if len(action) == 1:
                top.append((action[0], *where))
            else:
                items.setdefault(action[:2], []).append((action[2], *where))
        return top, items, _FrameTimes.of(items, self._item)

    def _item(self, index: int, tag: int):
        return self.groups.per_frame[index][tag].value[0]

    def _layout(self) -> tuple:
        """The bytes as an array, where each value (not a sequence) of the header starts and
        ends; kept beside: the starts and ends as lists, what a change in each value means
        (:meth:`_action`) and the recipes made of them (:meth:`_recipe`)."""
        self.groups = FrameFields(self.ds, self.path)
        self.groups.columns(self.n_frames)
        self.readers = {GROUP_TAGS[name]: read for name, read in frame_fields.GROUP_READERS}
        leaves: list = []
        if _walk_elements(self.head, _PREAMBLE, len(self.head), (), leaves) \
                != len(self.head) - 12:  # the pixel data's head: tag, VR, 0, 32-bit length
            raise Unreadable("the walk did not end at the pixel data")
        self.starts, self.ends = [s for s, _, _ in leaves], [e for _, e, _ in leaves]
        self.actions = [self._action(start, end, path) for start, end, path in leaves]
        self.recipes: dict = {}
        return (np.frombuffer(self.head, np.uint8), np.array(self.starts), np.array(self.ends))

    def _action(self, start: int, end: int, path: tuple):
        """None: a value the scan does not read; "full": parse the file in full; (tag,): a
        top-level value the scan may read; (frame index, group tag, tag): a value in a frame's
        own item of a group the scan reads. Each is checked against what the full reader made
        of the template's bytes."""
        value = self.head[start:end]
        top = path[0]
        if top >> 16 == 2:  # the meta group: the scan reads its transfer syntax only
            return "full" if top == _META_SYNTAX else None
        element = element_map(self.ds)[top]
        if len(path) == 1:
            if element.value is None:  # a value the reader does not keep
                return None
            return (top,) if element.value == value else "full"
        if element.value is None:  # a sequence the reader does not parse
            return None
        if top != PER_FRAME_SEQUENCE:  # the shared groups, a private sequence the scan reads
            return "full"
        index, group = path[1], path[2]
        if len(path) == 3:  # an element of the frame's item that is not a sequence
            return "full" if group in _GROUPS or group == PHILIPS_PRIVATE_FRAME_SEQUENCE else None
        if group == PHILIPS_PRIVATE_FRAME_SEQUENCE:
            return "full"
        if group not in _GROUPS or path[3] != 0 or len(path) > 5:
            return None  # read: only the first item of a group, and none of its sequences
        if index >= self.n_frames or self._item(index, group)[path[4]].value != value:
            return "full"
        return index, group, path[4]


class _FrameTimes:
    """The frame content items a change touches, where only their times (each frame's
    FrameAcquisitionDateTime, DT) and temporal indices (TemporalPositionIndex, UL) change, or
    values the scan does not read: their reads (what ``frame_fields._read_content`` gives of each
    item) made at once by numpy from the file's bytes, without an item per frame. A scanner
    writes a new time in every frame of every file of a run: 86,400 items in the study of
    ``bench/load.py --study large``."""

    def __init__(self, unread: list, frames: list, times: list, width: int,
                 indices: Optional[list]) -> None:
        self.unread = unread  # frames whose content item changed only in values not read
        self.frames = frames
        self.times = np.array(times)[:, None] + np.arange(width)  # each time's bytes
        self.width = width
        self.indices = None if indices is None else np.array(indices)[:, None] + np.arange(4)

    @classmethod
    def of(cls, items: dict, item_of) -> Optional[_FrameTimes]:
        """For the content items among ``items`` ((index, group) -> [(tag, start, end)]),
        else ``None`` (no content item, or one this class does not read: see the text)."""
        unread, frames, times, indices = [], [], [], []
        widths = set()
        for (index, group), values in items.items():
            if group != _CONTENT:
                continue
            where = {tag: (start, end) for tag, start, end in values}
            if _FRAME_TIME not in where and _TEMPORAL_INDEX not in where:
                unread.append(index)
                continue
            elements = element_map(item_of(index, group))
            if _FRAME_TIME not in where or elements[_FRAME_TIME].vr != "DT":
                return None
            start, end = where[_FRAME_TIME]
            frames.append(index)
            times.append(start)
            widths.add(end - start)
            if _TEMPORAL_INDEX in where:
                start, end = where[_TEMPORAL_INDEX]
                if elements[_TEMPORAL_INDEX].vr != "UL" or end - start != 4:
                    return None
                indices.append(start)
        if not frames and not unread or len(widths) > 1 or indices and len(indices) != len(frames):
            return None
        return cls(unread, frames, times, widths.pop() if widths else 0, indices or None)

    def read(self, data: np.ndarray, columns: dict) -> dict:
        """(index, content group) -> (temporal index, time number) of each frame it covers,
        from ``data``, a file's header bytes; ValueError where a time is not digits, points
        and spaces that numpy reads as a number (then each item is read again)."""
        old = columns["FrameContentSequence"]
        reads = {(index, _CONTENT): old[index] for index in self.unread}
        if not self.frames:
            return reads
        text = data[self.times]
        if not _NUMBER_BYTES[text].all():
            raise ValueError("not a plain number")
        times = text.view(f"S{self.width}").ravel().astype(np.float64).tolist()
        temporal = (data[self.indices].view("<u4").ravel().tolist() if self.indices is not None
                    else [old[index][0] for index in self.frames])
        reads.update(((index, _CONTENT), (position, time))
                     for index, position, time in zip(self.frames, temporal, times))
        return reads


def _walk_elements(data: bytes, pos: int, end: int, path: tuple, leaves: list,
                   delimited: bool = False) -> int:
    """Append (start, end, path) of each value from ``pos`` on that is not a sequence (path:
    the tags and item indices down to it); the position after the elements (after the item's
    delimiter when ``delimited``, at the pixel data at the top level)."""
    while pos < end:
        group, element, code, length = HEAD_EXPLICIT(data, pos)
        tag = (group << 16) | element
        if tag == ITEM_END:
            if not delimited:
                raise Unreadable("item delimiter in a defined-length item")
            return pos + 8
        if code in LONG_VRS:
            length = LENGTH(data, pos + 8)[0]
            start = pos + 12
        else:
            start = pos + 8
        if tag == PIXEL_DATA and not path:
            return pos
        if code == b"SQ":
            pos = _walk_items(data, start, length, path + (tag,), leaves)
            continue
        if length == UNDEFINED or start + length > end:
            raise Unreadable("a value of undefined length, or past its item")
        leaves.append((start, start + length, path + (tag,)))
        pos = start + length
    if delimited:
        raise Unreadable("item without its delimiter")
    return pos


def _walk_items(data: bytes, pos: int, length: int, path: tuple, leaves: list) -> int:
    """The items of a sequence's value from ``pos`` (see :func:`_walk_elements`)."""
    end = len(data) if length == UNDEFINED else pos + length
    index = 0
    while pos < end:
        group, element, size = HEAD_IMPLICIT(data, pos)
        tag = (group << 16) | element
        pos += 8
        if tag == SEQUENCE_END and length == UNDEFINED:
            return pos
        if tag != ITEM:
            raise Unreadable("not an item")
        if size == UNDEFINED:
            pos = _walk_elements(data, pos, end, path + (index,), leaves, True)
        else:
            _walk_elements(data, pos, pos + size, path + (index,), leaves)
            pos += size
        index += 1
    if length == UNDEFINED or pos != end:
        raise Unreadable("sequence without its delimiter, or past its length")
    return pos
