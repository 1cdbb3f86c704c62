"""Label maps and their segment table.

A label map is an integer array on a voxel grid (uint8, or uint16 past 255 labels), 0 = background.
Each non-zero value is a segment described in a :class:`SegmentTable`: name, colour, visibility,
lock, and provenance (``origin`` ``"model"`` with the model's name and version, ``"interactive"``
with the promptable model's and the prompts a person gave it, or ``"human"``), following MONAI
Label's ORIGINAL/FINAL tagging. Labels are never stored as floats.
"""

from __future__ import annotations

import heapq
import numbers
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from . import geometry
from .errors import GeometryError, LabelMapError
from .extent import checked_extent
from .segment_work import checked_work
from .short_repr import array_text

# Distinct colours (RGB 0-255) for new segments, in the spirit of Slicer's GenericAnatomyColors.
NAME_LIMIT = 256
"""The most characters a segment's name (and its model and file texts) may hold. A sidecar naming
a segment with 50 MB of text was read, and the window then spent four minutes laying the name
out; DICOM SEG's SegmentLabel holds 64."""


def name_too_long(value: int, field_name: str, text: str) -> str:
    """Why ``text`` cannot be segment ``value``'s ``field_name``, or ''."""
    if len(text) <= NAME_LIMIT:
        return ""
    return f"segment {value}'s {field_name} is {len(text)} characters long (at most {NAME_LIMIT})"


DEFAULT_COLORS = [
    (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48),
    (145, 30, 180), (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212),
    (0, 128, 128), (220, 190, 255), (170, 110, 40), (255, 250, 200), (128, 0, 0),
    (170, 255, 195), (128, 128, 0), (255, 215, 180), (0, 0, 128), (128, 128, 128),
]


def default_color(value: int) -> tuple[int, int, int]:
    return DEFAULT_COLORS[(int(value) - 1) % len(DEFAULT_COLORS)]


@dataclass
class Segment:
    value: int
    name: str
    color: tuple[int, int, int]
    visible: bool = True
    locked: bool = False
    origin: str = "human"
    """``"human"`` (drawn or corrected by a person), ``"model"`` (proposed by a model),
    ``"interactive"`` (made by a promptable model from a person's prompts: the AI click tool) or
    ``"loaded"`` (read from a label file, :attr:`file`, that says nothing of who made it: another
    tool, an earlier session, a colleague)."""
    model: str = ""
    """``name@version`` of the model that proposed this segment (``origin`` ``"model"``) or that
    answered its prompts (``"interactive"``, or a ``"loaded"`` one refined with AI click)."""
    prompts: dict = field(default_factory=dict)
    """An ``"interactive"`` segment's prompts by kind, over its accepted AI click objects
    (``{"point+": 2, "box+": 1}``); for a ``"model"`` one, those of the AI click objects accepted
    on the model's mask or on a loaded one (:attr:`ai_clicked`); empty otherwise."""
    file: str = ""
    """A ``"loaded"`` segment's file name (never its folder: no patient path in exports)."""
    drawn: bool = False
    """A person drew in it by hand too: an ``"interactive"`` segment that held voxels drawn by a
    person before its first AI click object, or a ``"model"`` or ``"interactive"`` one whose
    voxels a person's editor tool (brush, eraser, fill...) changed after (``drawn + AI click``,
    ``name@version + drawn`` in the list; no mark until session 26). A ``"loaded"`` segment gets
    it when a person changes the file's voxels."""
    extent: dict = field(default_factory=dict, repr=False)
    """A context segment's whole extent (a model's brain mask, lesions included): ``core.extent``."""
    time_points: tuple = ()
    """A 4D image's time points (1-based) shown as its voxels changed (``app.hand_marks``)."""
    work: tuple = ()
    """The annotators' editing sessions behind this segment's voxels, as the label file it was
    loaded from says (``core.segment_work``: who, which session, seconds, edits by hand)."""
    outside_domain: str = ""
    """A ``"model"`` segment whose model ran on an image outside its card's domain because the
    person said to: the refusal they overrode (``lesionseg@2.5.1 is made for head MR; this
    series is a knee MR (BodyPartExamined KNEE)``, ``ai.domain``)."""

    @property
    def ai_clicked(self) -> bool:
        """A model's mask, or labels loaded from a file, refined with AI click: an object accepted
        on it (its prompts kept; for a loaded one :attr:`model` is the model that answered)."""
        return self.origin in ("model", "loaded") and bool(self.prompts)

    @property
    def made_by(self) -> str:
        """Who or what made it, in words for the segment list: the model's ``name@version``,
        ``AI click name@version, 3 prompts`` (``drawn + AI click ...`` for a drawn segment that got
        AI click objects, or one corrected by hand after), ``name@version + drawn`` for a model's
        segment corrected by hand, ``name@version + AI click, 2 prompts`` for one refined with AI
        click (``name@version + drawn + AI click, ...`` with both), ``file NAME`` for a segment
        loaded from a file (``file NAME + drawn`` once changed by hand, ``file NAME + AI click
        name@version, 1 prompt`` once refined with AI click), or ``drawn``."""
        count = sum(self.prompts.values())
        clicks = f"AI click, {count} prompt{'s' * (count != 1)}"
        if self.origin == "model":
            made = " + ".join([self.model or "model", *(["drawn"] if self.drawn else []),
                               *([clicks] if self.ai_clicked else [])])
            return made if self.drawn or self.ai_clicked else self.model
        answered = " ".join(filter(None, ("AI click", self.model))) + clicks[len("AI click"):]
        if self.origin == "interactive":
            return f"drawn + {answered}" if self.drawn else answered
        if self.origin == "loaded":
            return " + ".join([" ".join(filter(None, ("file", self.file))),
                               *(["drawn"] if self.drawn else []), *([answered] if self.prompts else [])])
        return "drawn"

    def to_dict(self) -> dict:
        return {"value": self.value, "name": self.name, "color": list(self.color),
                "visible": self.visible, "locked": self.locked, "origin": self.origin,
                "model": self.model, "prompts": dict(self.prompts), "drawn": self.drawn,
                **{k: v for k, v in (("file", self.file), ("extent", dict(self.extent)),
                                     ("time_points", list(self.time_points)),
                                     ("work", [dict(w) for w in self.work]),
                                     ("outside_domain", self.outside_domain)) if v}}

    @classmethod
    def from_dict(cls, data: dict) -> "Segment":
        """A segment as :meth:`to_dict` wrote it; ``ValueError`` naming a wrong field (a damaged sidecar)."""
        if not isinstance(data, dict):
            raise ValueError("a segment is not a JSON object")
        data = dict(data)
        value, color = data["value"], data["color"]
        if not isinstance(value, numbers.Integral) or isinstance(value, bool) or not 0 < value <= 65535:
            raise ValueError(f"a segment's value is {str(value)[:24]!r}, not a label from 1 to 65535")
        if not isinstance(data["name"], str):
            raise ValueError(f"segment {value}'s name is not text")
        if not (isinstance(color, (list, tuple)) and len(color) == 3
                and all(isinstance(c, numbers.Real) and not isinstance(c, bool) and c in range(256)
                        for c in color)):
            raise ValueError(f"segment {value}'s colour is {str(color)[:40]}, not 3 values 0-255")
        data["color"] = tuple(int(c) for c in color)
        for flag in ("visible", "locked", "drawn"):
            if not isinstance(data.get(flag, False), (bool, np.bool_)):
                raise ValueError(f"segment {value}'s {flag} is not true or false")
        for text in [t for t in ("origin", "model", "file", "outside_domain")
                     if not isinstance(data.get(t, ""), str)]:
            raise ValueError(f"segment {value}'s {text} is not text")
        for text in ("name", "model", "file"):
            too_long = name_too_long(value, text, data.get(text, ""))
            if too_long:
                raise ValueError(too_long)
        prompts = data.get("prompts")   # a hand-edited sidecar: anything but kind -> count is none
        data["prompts"] = {str(k): n for k, n in prompts.items()   # a count: a whole number >= 0
                           if type(n) is int and n >= 0} if isinstance(prompts, dict) else {}
        data["extent"] = checked_extent(data.get("extent"), value)
        points = data.get("time_points") if isinstance(data.get("time_points"), list) else []
        data["time_points"] = tuple(sorted({n for n in points if type(n) is int and n >= 1}))
        data["work"] = checked_work(data.get("work"))
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class SegmentTable:
    """Ordered segments keyed by their label value.

    A name index and a heap of the values keep :meth:`by_name`, :meth:`has_name` and
    :meth:`next_value` O(1) amortised whatever the table's length (issue #16.11), so change the
    table through :meth:`add`, :meth:`put`, :meth:`remove` and :meth:`rename`, not through
    ``segments`` or a segment's ``name`` (read ``segments`` freely).
    """

    segments: dict[int, Segment] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._reindex()

    def _reindex(self) -> None:
        self._names: dict[str, set[int]] = {}
        for value, segment in self.segments.items():
            self._names.setdefault(segment.name, set()).add(value)
        self._heap = [-value for value in self.segments]  # a max-heap; removed values go lazily
        heapq.heapify(self._heap)

    def _index(self, segment: Segment) -> None:
        self._names.setdefault(segment.name, set()).add(segment.value)

    def _unindex(self, segment: Segment) -> None:
        values = self._names.get(segment.name)
        if values is not None:
            values.discard(segment.value)
            if not values:
                del self._names[segment.name]

    def __iter__(self) -> Iterator[Segment]:
        return iter(sorted(self.segments.values(), key=lambda s: s.value))

    def __len__(self) -> int:
        return len(self.segments)

    def __contains__(self, value: int) -> bool:
        return int(value) in self.segments

    def get(self, value: int) -> Segment:
        try:
            return self.segments[int(value)]
        except KeyError:
            raise LabelMapError(f"no segment with label value {value}") from None

    def _named(self, name: str) -> list[int]:
        return sorted(v for v in self._names.get(name, ()) if v in self.segments
                      and self.segments[v].name == name)

    def by_name(self, name: str) -> Segment:
        """The segment named ``name`` (the lowest value when several share it)."""
        values = self._named(name)
        if not values:
            self._reindex()  # in case the table was changed behind the index
            values = self._named(name)
        if not values:
            raise LabelMapError(f"no segment named {name!r}")
        return self.segments[values[0]]

    def has_name(self, name: str) -> bool:
        return bool(self._named(name))

    def next_value(self) -> int:
        """One past the highest value in use (a removed highest value is given out again)."""
        heap = self._heap
        while heap and self.segments.get(-heap[0]) is None:
            heapq.heappop(heap)
        return -heap[0] + 1 if heap else 1

    def add(self, name: str, color=None, value: int | None = None, **kwargs) -> Segment:
        value = self.next_value() if value is None else int(value)
        if value <= 0:
            raise LabelMapError(f"segment values start at 1, got {value}")
        if value in self.segments:
            raise LabelMapError(f"label value {value} is already used by {self.segments[value].name!r}")
        return self.put(Segment(value, name, tuple(color) if color else default_color(value), **kwargs))

    def put(self, segment: Segment) -> Segment:
        """Insert ``segment`` under its value, replacing the segment that had that value."""
        old = self.segments.get(segment.value)
        if old is not None:
            self._unindex(old)
        self.segments[segment.value] = segment
        self._index(segment)
        if old is None:
            heapq.heappush(self._heap, -segment.value)
            if len(self._heap) > 2 * len(self.segments) + 64:  # many values removed and re-added
                self._heap = [-value for value in self.segments]
                heapq.heapify(self._heap)
        return segment

    def remove(self, value: int) -> Segment:
        segment = self.segments.pop(int(value))
        self._unindex(segment)
        return segment

    def rename(self, value: int, name: str) -> Segment:
        segment = self.get(value)
        self._unindex(segment)
        segment.name = name
        self._index(segment)
        return segment

    def locked_values(self) -> list[int]:
        return [s.value for s in self if s.locked]

    def to_list(self) -> list[dict]:
        return [s.to_dict() for s in self]

    def copy(self) -> "SegmentTable":
        """A new table holding the same segments (its indexes copied, not rebuilt)."""
        table = SegmentTable.__new__(SegmentTable)
        table.segments, table._heap = dict(self.segments), list(self._heap)
        table._names = {name: set(values) for name, values in self._names.items()}
        return table

    def delta(self, values) -> dict:
        """The state of the segments ``values`` only (``None``: absent), for an undo step that
        touches a few segments of a long table: its size does not grow with the table."""
        return {"delta": {str(int(v)): (self.segments[int(v)].to_dict() if int(v) in self.segments
                                        else None) for v in values}}

    def restored(self, state) -> "SegmentTable":
        """A new table: ``state`` applied to this one (a whole ``to_list()``, or a ``delta()``)."""
        if not isinstance(state, dict):
            return SegmentTable.from_list(state)
        table = self.copy()
        for key, item in state["delta"].items():
            if item is None:
                if int(key) in table.segments:
                    table.remove(int(key))
            else:
                table.put(Segment.from_dict(item))
        return table

    @classmethod
    def from_list(cls, items: list[dict]) -> "SegmentTable":
        return cls({segment.value: segment for segment in map(Segment.from_dict, items)})

    @classmethod
    def from_values(cls, values, names: dict[int, str] | None = None) -> "SegmentTable":
        """A table with one segment per non-zero value, named from ``names`` or ``Segment N``."""
        table = cls()
        for value in sorted(int(v) for v in values if int(v) != 0):
            name = (names or {}).get(value, f"Segment {value}")
            table.add(name, value=value)
        return table


def label_dtype(max_value: int) -> np.dtype:
    """uint8 up to 255 labels, uint16 beyond."""
    if max_value < 0:
        raise LabelMapError("label values cannot be negative")
    if max_value <= 255:
        return np.dtype(np.uint8)
    if max_value <= 65535:
        return np.dtype(np.uint16)
    raise LabelMapError(f"at most 65535 labels are supported, got {max_value}")


def as_label_array(array: np.ndarray, source: str = "") -> np.ndarray:
    """Validate and convert an array of labels to uint8/uint16, refusing non-integral values."""
    array = np.asarray(array)
    if array.dtype.kind == "f":
        if not np.isfinite(array).all():
            raise LabelMapError("label map holds NaN or infinite values; is this an image, not a "
                                "mask?", path=source or None)
        rounded = np.rint(array)
        if not np.array_equal(rounded, array):
            raise LabelMapError("label map holds non-integer values; is this an image, not a mask?",
                                path=source or None)
        array = rounded
    elif array.dtype.kind not in "uib":
        raise LabelMapError(f"label map has unsupported type {array.dtype}", path=source or None)
    if array.size and array.min() < 0:
        raise LabelMapError("label map holds negative values", path=source or None)
    max_value = int(array.max()) if array.size else 0
    if max_value > 65535:
        raise LabelMapError(f"label map holds the value {max_value}; at most 65535 labels are "
                            "supported (is this an image, not a mask?)", path=source or None)
    return array.astype(label_dtype(max_value), copy=False)


@dataclass
class LabelMap:
    """An integer label array on its own voxel grid, with its segment table."""

    array: np.ndarray
    ijk_to_ras: np.ndarray
    segments: SegmentTable = field(default_factory=SegmentTable)

    def __post_init__(self) -> None:
        self.array = as_label_array(self.array)
        if self.array.ndim != 3:
            raise LabelMapError(f"a label map must be 3D, got shape {self.array.shape}")
        self.ijk_to_ras = np.asarray(self.ijk_to_ras, dtype=np.float64)

    def __repr__(self) -> str:
        spacing = tuple(round(float(s), 4) for s in self.spacing)
        names = [segment.name for segment in self.segments]
        return f"LabelMap(array={array_text(self.array)}, spacing={spacing}, segments={names})"

    @classmethod
    def empty_like(cls, volume, dtype=np.uint8) -> "LabelMap":
        """An all-background label map on the grid of ``volume`` (a :class:`Volume`)."""
        return cls(np.zeros(volume.shape, dtype=dtype), volume.ijk_to_ras.copy())

    @classmethod
    def from_array(cls, array, ijk_to_ras, names: dict[int, str] | None = None) -> "LabelMap":
        array = as_label_array(array)
        return cls(array, ijk_to_ras, SegmentTable.from_values(np.unique(array), names))

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(int(n) for n in self.array.shape)

    @property
    def spacing(self) -> tuple[float, float, float]:
        return geometry.spacing_from_affine(self.ijk_to_ras)

    @property
    def voxel_volume_ml(self) -> float:
        return geometry.voxel_volume_ml(self.ijk_to_ras)

    def copy(self) -> "LabelMap":
        """Voxels, grid and segment table copied: what a worker thread may read while the user
        goes on editing this one."""
        return LabelMap(self.array.copy(), self.ijk_to_ras.copy(),
                        SegmentTable.from_list(self.segments.to_list()))

    def on_grid_of(self, volume) -> bool:
        return geometry.same_grid(self.shape, self.ijk_to_ras, volume.shape, volume.ijk_to_ras)

    def require_grid_of(self, volume, source: str = "") -> None:
        """Raise :class:`GeometryError` naming both grids when this map is not on ``volume``'s."""
        if not self.on_grid_of(volume):
            raise GeometryError(
                geometry.grid_mismatch("label map", self.shape, self.ijk_to_ras, volume.shape,
                                       volume.ijk_to_ras),
                path=source or None,
                hint="resample it or choose the matching image",
            )

    def onto_grid_of(self, volume, source: str = "") -> "LabelMap":
        """This map on ``volume``'s grid: itself, or when it holds the same voxels stored in
        another axis order or direction (:func:`geometry.axis_reorder`; the window places such a
        map by resampling), its array reordered, losslessly. Else :meth:`require_grid_of`'s error."""
        if self.on_grid_of(volume):
            return self
        reorder = geometry.axis_reorder(self.shape, self.ijk_to_ras, volume.shape, volume.ijk_to_ras)
        if reorder is None:
            self.require_grid_of(volume, source)
        axes, flips = reorder
        array = np.ascontiguousarray(np.flip(np.transpose(self.array, axes), flips))
        return LabelMap(array, np.array(volume.ijk_to_ras, dtype=float),
                        SegmentTable.from_list(self.segments.to_list()))

    def ensure_capacity(self, value: int) -> None:
        """Widen the array to uint16 when a value above 255 is needed."""
        if value > np.iinfo(self.array.dtype).max:
            self.array = self.array.astype(label_dtype(value))

    def voxel_counts(self) -> dict[int, int]:
        counts = count_values(self.array)
        return {int(v): int(counts[v]) for v in np.nonzero(counts)[0] if v != 0}


COUNT_CHUNK = 1 << 18
"""Voxels counted at a time by :func:`count_values` (its int64 temporary: 2 MiB, cache-sized)."""


def count_values(array: np.ndarray) -> np.ndarray:
    """``np.bincount`` of a label array, in chunks: a whole-volume bincount casts every voxel to
    int64 (a 2 GiB temporary for a 512x512x1000 uint8 map). An empty map is recognised without
    counting (``np.any`` reads the bytes once, with no temporary)."""
    flat = array.reshape(-1, order="A")
    if not flat.any():
        return np.array([flat.size], np.int64)
    counts = np.zeros(int(flat.max()) + 1, np.int64)
    for start in range(0, flat.size, COUNT_CHUNK):
        counts += np.bincount(flat[start:start + COUNT_CHUNK], minlength=counts.size)
    return counts
