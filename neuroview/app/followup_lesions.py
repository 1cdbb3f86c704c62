"""Lesion matching of two time points: connected components, linked by overlap, one table row each.

Lesions are the connected components (26-connected, ``cc3d``) of each time point's mask (label
values > 0). Each later component map is carried onto the baseline grid with the registration
(nearest neighbour, so component ids survive) and components that share a voxel are linked. Each
linked group is one row of the table: ``new`` (no baseline part), ``resolved`` (no later part),
else ``enlarging`` / ``shrinking`` when the volume changes by at least ``min_change_pct`` and
``min_change_ml``, ``stable`` otherwise. Groups with several parts at one time point are marked
``merged`` (several baseline lesions, one later) or ``split`` (the other way round). Volumes are
counted on each study's own grid, so resampling does not change them. No Qt.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ..core.geometry import voxel_volume_ml
from .lesion_location import Location
from .view_measure import format_ras_side


@dataclass
class MatchThresholds:
    min_change_pct: float = 25.0
    """Relative volume change (of the baseline volume) that makes a lesion enlarging/shrinking:
    the 24.2 % a published study of repeated MS lesion measurements found needed for lesions of
    0.67 cm2 or more (45.2 % for smaller ones; Arch Neurol 1992;49(3):261-263)."""
    min_change_ml: float = 0.05
    """Absolute volume change (mL) needed as well: set by hand; on made-up lesions it keeps those
    under 0.1 mL, whose volume partial volume alone moves by 15-70 %, stable
    (``bench/followup_thresholds.py``, README "Follow-up studies")."""


@dataclass
class LesionRow:
    id: int
    status: str
    event: str
    """``merged``, ``split``, ``merged+split`` or empty."""
    volume_baseline_ml: float
    volume_followup_ml: float
    position_ras: tuple[float, float, float]
    """Centre of the lesion (both time points together) in the baseline's RAS millimetres."""
    baseline_parts: int
    followup_parts: int
    baseline_voxels: tuple = ()
    """One voxel (ijk on the baseline's grid, its first in C order) of each baseline part: what
    a reader's mark (:mod:`.followup_marks`) names, the same when the studies are compared again."""
    followup_voxels: tuple = ()
    """The same for each part in the later study, on its own grid."""
    marked: bool = False
    """Marked wrong (not a lesion) by the reader: left out of the counts and the load."""
    location: Optional[Location] = None
    """Where it lies, told on the baseline (a new lesion: on the later study), every part's
    where they differ, once located (:func:`~.followup_location.locate_rows`)."""

    @property
    def change_ml(self) -> float:
        return self.volume_followup_ml - self.volume_baseline_ml

    @property
    def change_pct(self) -> Optional[float]:
        if self.volume_baseline_ml == 0:
            return None
        return 100.0 * self.change_ml / self.volume_baseline_ml


@dataclass
class LesionTable:
    rows: list[LesionRow] = field(default_factory=list)

    def count(self, status: str) -> int:
        """Lesions of ``status``, those the reader marked wrong left out."""
        return sum(1 for row in self.kept if row.status == status)

    @property
    def kept(self) -> list[LesionRow]:
        """The rows not marked wrong by the reader."""
        return [row for row in self.rows if not row.marked]

    @property
    def lesions_baseline(self) -> int:
        """Lesions (parts counted one by one) at the baseline, those marked wrong left out."""
        return sum(row.baseline_parts for row in self.kept)

    @property
    def lesions_followup(self) -> int:
        return sum(row.followup_parts for row in self.kept)

    @property
    def load_baseline_ml(self) -> float:
        return float(sum(row.volume_baseline_ml for row in self.kept))

    @property
    def load_followup_ml(self) -> float:
        return float(sum(row.volume_followup_ml for row in self.kept))


RAS_COLUMNS = ("x_ras_mm", "y_ras_mm", "z_ras_mm")
"""The CSV's position columns: signed RAS mm, for programs (x > 0: right, y > 0: anterior,
z > 0: superior); a person reads them as :data:`SIDE_COLUMNS` (:func:`for_reading`)."""
SIDE_COLUMNS = ("R/L", "A/P", "S/I")
"""The position as the report and the window show it: side and distance (``L 21.1``), as the
main window's Lesions panel does: a signed ``r_mm`` of -21.1 was misread as the right side."""
CSV_COLUMNS = ("id", "status", "event", "volume_baseline_ml", "volume_followup_ml", "change_ml",
               "change_pct", *RAS_COLUMNS, "baseline_parts", "followup_parts")
LOCATION_COLUMN = "location"
"""After :data:`CSV_COLUMNS` once the rows were located (:mod:`.followup_location`): the
columns before it keep their places."""
READER_COLUMN = "reader"
"""The last column once the reader marked a lesion wrong: ``marked wrong`` on its rows."""
MARKED_WRONG = "marked wrong"


COLUMN_TITLES = {"id": "ID", "status": "Status", "event": "Event",
                 "volume_baseline_ml": "Baseline (mL)", "volume_followup_ml": "Follow-up (mL)",
                 "change_ml": "Change (mL)", "change_pct": "Change (%)",
                 "baseline_parts": "Parts at baseline", "followup_parts": "Parts at follow-up",
                 LOCATION_COLUMN: "Location", READER_COLUMN: "Reader"}
"""The window's words for the CSV's columns (the CSV keeps its names, for programs)."""


def column_title(name: str) -> str:
    """The header a radiologist reads over the CSV's column ``name``: ``Change (%)`` for
    ``change_pct``, ``tp2 (mL)`` for ``volume_tp2_ml``, ``Status tp3`` for ``status_tp3``,
    ``Parts tp1`` for ``parts_tp1``; a position's side (``R/L``) as it is."""
    if match := re.fullmatch(r"volume_tp(\d+)_ml", name):
        return f"tp{match[1]} (mL)"
    if match := re.fullmatch(r"(status|parts)_tp(\d+)", name):
        return f"{match[1].capitalize()} tp{match[2]}"
    return COLUMN_TITLES.get(name, name)


def table_columns(table: LesionTable) -> list[str]:
    """:data:`CSV_COLUMNS`, :data:`LOCATION_COLUMN` when the rows were located, and
    :data:`READER_COLUMN` when a row is marked wrong."""
    return [*CSV_COLUMNS, *([LOCATION_COLUMN] if located(table.rows) else []),
            *([READER_COLUMN] if any(r.marked for r in table.rows) else [])]


def located(rows) -> bool:
    """Whether ``rows`` (a table's) were located."""
    return any(row.location is not None for row in rows)


def location_cell(row) -> list[str]:
    """The location column's cell of ``row``."""
    return [row.location.text() if row.location else ""]


def for_reading(columns, rows) -> tuple[list[str], list[list[str]]]:
    """``columns`` and text ``rows`` (the CSV's) as a person reads them: each signed RAS column
    as its side and distance (``-21.1`` under ``x_ras_mm``: ``L 21.1`` under ``R/L``)."""
    axes = {i: RAS_COLUMNS.index(name) for i, name in enumerate(columns) if name in RAS_COLUMNS}
    shown = [SIDE_COLUMNS[axes[i]] if i in axes else name for i, name in enumerate(columns)]
    return shown, [[format_ras_side(float(cell), axes[i]) if i in axes and cell else cell
                    for i, cell in enumerate(cells)] for cells in rows]


def figure(value: float, spec: str) -> str:
    """``value`` formatted by ``spec``, a value that rounds to zero without a minus sign: the
    midline lesion's ``r_mm`` (now ``x_ras_mm``) read ``-0.0`` (s26 walk), a change under 0.05 % ``-0.0``;
    nor with a plus sign where ``spec`` signs the others (``+.1f``: ``+3.8``, ``-2.0``, ``0.0``)."""
    text = format(value, spec)
    return format(0.0, spec.replace("+", "")) if float(text) == 0.0 else text


def table_rows(table: LesionTable) -> list[list[str]]:
    """The table as text cells in :data:`CSV_COLUMNS` order (what the CSV and the report show)."""
    out = []
    reader = any(r.marked for r in table.rows)
    where = located(table.rows)
    for row in table.rows:
        pct = "" if row.change_pct is None else figure(row.change_pct, "+.1f")   # signed, as change_ml
        out.append([str(row.id), row.status, row.event, f"{row.volume_baseline_ml:.4f}",
                    f"{row.volume_followup_ml:.4f}", figure(row.change_ml, "+.4f"), pct,
                    *(figure(x, ".1f") for x in row.position_ras),
                    str(row.baseline_parts), str(row.followup_parts),
                    *(location_cell(row) if where else []),
                    *([MARKED_WRONG if row.marked else ""] if reader else [])])
    return out


def table_csv(table: LesionTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table_columns(table))
    writer.writerows(table_rows(table))
    return buffer.getvalue()


def components(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """26-connected components of ``mask > 0``: ``(ids, count)``, ids 1..count."""
    import cc3d  # noqa: PLC0415

    ids, count = cc3d.connected_components(np.asarray(mask) > 0, connectivity=26,
                                           return_N=True)
    return ids.astype(np.uint32, copy=False), int(count)


def _groups(n_base: int, n_later: int, pairs: np.ndarray) -> list[tuple[list[int], list[int]]]:
    """Connected groups of the overlap graph: ``(baseline ids, later ids)`` per group."""
    parent = list(range(n_base + n_later + 1))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(int(a))] = find(n_base + int(b))
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for node in range(1, n_base + n_later + 1):
        base, later = groups.setdefault(find(node), ([], []))
        (base if node <= n_base else later).append(node if node <= n_base else node - n_base)
    return list(groups.values())


def lesion_status(volume_0: float, volume_1: float, thresholds: MatchThresholds) -> str:
    if volume_0 == 0:
        return "new"
    if volume_1 == 0:
        return "resolved"
    change = volume_1 - volume_0
    if (abs(change) >= thresholds.min_change_ml
            and abs(change) >= thresholds.min_change_pct / 100.0 * volume_0):
        return "enlarging" if change > 0 else "shrinking"
    return "stable"


def _event(n_base: int, n_later: int) -> str:
    if n_base > 1 and n_later > 1:
        return "merged+split"
    if n_base > 1 and n_later == 1:
        return "merged"
    if n_base == 1 and n_later > 1:
        return "split"
    return ""


def match_lesions(baseline_mask: np.ndarray, baseline_ijk_to_ras: np.ndarray,
                  followup_mask: np.ndarray, followup_ijk_to_ras: np.ndarray,
                  baseline_to_followup: np.ndarray,
                  thresholds: MatchThresholds = MatchThresholds()) -> LesionTable:
    """Match the lesions of two time points (see the module notes); rows ordered by position."""
    base_ids, n_base = components(baseline_mask)
    later_ids, n_later = components(followup_mask)
    pairs = overlap_pairs(base_ids, baseline_ijk_to_ras, later_ids, followup_ijk_to_ras,
                          baseline_to_followup)
    base_ml = np.bincount(base_ids.ravel(), minlength=n_base + 1) * voxel_volume_ml(baseline_ijk_to_ras)
    later_ml = np.bincount(later_ids.ravel(), minlength=n_later + 1) * voxel_volume_ml(followup_ijk_to_ras)
    base_centres = centres(base_ids, n_base, baseline_ijk_to_ras, np.eye(4))
    base_voxels, later_voxels = first_voxels(base_ids, n_base), first_voxels(later_ids, n_later)
    # later centres, brought back into the baseline's world
    later_centres = centres(later_ids, n_later, followup_ijk_to_ras,
                             np.linalg.inv(baseline_to_followup))
    rows = []
    for base, later in _groups(n_base, n_later, pairs):
        v0, v1 = float(base_ml[base].sum()), float(later_ml[later].sum())
        weights = np.concatenate([base_ml[base], later_ml[later]])
        points = np.concatenate([base_centres[base], later_centres[later]])
        centre = tuple(float(x) for x in (weights @ points) / weights.sum())
        rows.append(LesionRow(0, lesion_status(v0, v1, thresholds), _event(len(base), len(later)),
                              v0, v1, centre, len(base), len(later),
                              tuple(base_voxels[n] for n in base), tuple(later_voxels[n] for n in later)))
    rows.sort(key=lambda r: (-r.position_ras[2], r.position_ras[1], r.position_ras[0]))
    for number, row in enumerate(rows, start=1):
        row.id = number
    return LesionTable(rows)


def overlap_pairs(ids_a: np.ndarray, ijk_to_ras_a: np.ndarray, ids_b: np.ndarray,
                  ijk_to_ras_b: np.ndarray, a_to_b: np.ndarray) -> np.ndarray:
    """``(id in a, id in b)`` of the components that share a voxel: each voxel of a lesion of
    ``a`` is looked up (nearest neighbour) in ``b`` through ``a_to_b`` (a's world to b's); only the
    lesion voxels are looked up, not the whole grid. An ``(n, 2)`` array, each pair once."""
    a_ijk = np.nonzero(ids_a)
    a_lesion = ids_a[a_ijk]
    to_b_ijk = np.linalg.inv(ijk_to_ras_b) @ np.asarray(a_to_b) @ np.asarray(ijk_to_ras_a)
    b_ijk = to_b_ijk[:3, :3] @ np.array(a_ijk, dtype=float) + to_b_ijk[:3, 3:]
    from scipy import ndimage  # here: importing it held File > Open follow-up... 0.7-2.3 s

    b_under = ndimage.map_coordinates(ids_b, b_ijk, order=0, mode="constant", cval=0)
    both = b_under > 0
    return np.unique(np.stack([a_lesion[both], b_under[both]], axis=1), axis=0).reshape(-1, 2)


def restatus(table: LesionTable, thresholds: MatchThresholds) -> None:
    """The rows' statuses again with other thresholds (volumes and links stay: no new
    registration or matching)."""
    for row in table.rows:
        row.status = lesion_status(row.volume_baseline_ml, row.volume_followup_ml, thresholds)


def first_voxels(ids: np.ndarray, count: int) -> list[tuple[int, int, int]]:
    """The first voxel (C order) of each component, item ``n`` for id ``n`` (item 0 unused):
    the same voxel whenever the same mask is read, whatever the registration."""
    flat = ids.ravel()
    where = np.flatnonzero(flat)
    labels, first = np.unique(flat[where], return_index=True)
    out = [(-1, -1, -1)] * (count + 1)
    for label, ijk in zip(labels, np.stack(np.unravel_index(where[first], ids.shape), axis=1)):
        out[int(label)] = tuple(int(n) for n in ijk)
    return out


def centres(ids: np.ndarray, count: int, ijk_to_ras: np.ndarray, world_to_baseline) -> np.ndarray:
    """RAS centre (in the baseline's world) of each component, row ``n`` for id ``n``."""
    centres = np.zeros((count + 1, 3))
    if count:
        where = np.nonzero(ids)
        labels = ids[where]
        voxels = np.bincount(labels, minlength=count + 1)[1:].astype(float)
        ijk = np.stack([np.bincount(labels, weights=axis, minlength=count + 1)[1:] / voxels
                        for axis in where], axis=1)
        affine = np.asarray(world_to_baseline) @ np.asarray(ijk_to_ras)
        centres[1:] = ijk @ affine[:3, :3].T + affine[:3, 3]
    return centres
