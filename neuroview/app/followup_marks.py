"""The reader's marks on a follow-up: lesions marked wrong (a false positive, not a lesion).

A mark names the parts of one lesion row by one voxel of each part on its own study's grid
(``(time point, i, j, k)``, time point 0 the baseline; the part's first voxel in C order,
:func:`~neuroview.app.followup_lesions.first_voxels`): the same voxels whenever the same masks are
compared again, whatever the registration found, so the marks survive the window closed and the
follow-up opened again the next day. A row of any table (a pair's or the one across all time
points) is marked when one of its parts is. Marked rows stay in the tables (``reader`` column:
``marked wrong``) but leave the counts and the lesion load (``LesionTable.kept``), and
:func:`corrected_mask` takes them out of a study's mask, the reader's correction, as *Reject*
takes a lesion out of the labels in the main window. No Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

Key = tuple[int, int, int, int]


def pair_keys(row, number: int) -> frozenset:
    """The parts of ``row`` of follow-up ``number`` (1: the first later study)'s table."""
    return frozenset([(0, *v) for v in row.baseline_voxels] + [(number, *v) for v in row.followup_voxels])


def tracked_keys(row) -> frozenset:
    """The parts of ``row`` of the table across all time points."""
    return frozenset((t, *v) for t, v in row.voxels)


def whole_lesion(parts: frozenset, tracking) -> frozenset:
    """``parts`` with every part of the lesions they belong to across all time points: a lesion
    marked wrong in one pair's table is marked in the others too (its part in a later study the
    pair does not hold was still counted there)."""
    found = [tracked_keys(row) for row in tracking.rows if tracked_keys(row) & parts]
    return frozenset(parts.union(*found))


@dataclass
class Marks:
    keys: set = field(default_factory=set)

    def toggled(self, parts: frozenset) -> "Marks":
        """These marks with the lesion of ``parts`` marked, or unmarked when one of them is."""
        if self.keys & parts:
            return Marks({key for key in self.keys if key not in parts})
        return Marks(self.keys | set(parts))

    def apply(self, comparisons: list, tracking=None) -> None:
        """Set ``marked`` on every row of the comparisons' tables and ``tracking``."""
        for number, comparison in enumerate(comparisons, start=1):
            for row in comparison.table.rows:
                row.marked = bool(self.keys & pair_keys(row, number))
        if tracking is not None:
            for row in tracking.rows:
                row.marked = bool(self.keys & tracked_keys(row))

    def to_json(self) -> list:
        return sorted([list(key) for key in self.keys])

    @classmethod
    def from_json(cls, data) -> "Marks":
        """Marks read back; anything but lists of four integers is left out."""
        keys = set()
        for item in data if isinstance(data, list) else []:
            if (isinstance(item, list) and len(item) == 4
                    and all(isinstance(n, int) and not isinstance(n, bool) for n in item)):
                keys.add(tuple(item))
        return cls(keys)

    def marked_mask(self, lesions: np.ndarray, time_point: int) -> np.ndarray | None:
        """The voxels of study ``time_point``'s lesions marked wrong (on its grid), or None."""
        corrected = self.corrected_mask(lesions, time_point)
        return None if corrected is None else (np.asarray(lesions) > 0) & (corrected == 0)

    def shown_on_baseline(self, baseline, later, number: int, later_shown: np.ndarray,
                          baseline_to_later: np.ndarray) -> tuple:
        """``(baseline's, later study's)`` voxels marked wrong on the baseline grid, as the
        follow-up window shows them (None where none): the later study's shown lesion voxels
        (``later_shown``, resampled nearest by :func:`~neuroview.app.followup_display.later_on_baseline`)
        looked up, nearest, in its own grid's marked lesions."""
        base = self.marked_mask(baseline.lesions, 0)
        marked = self.marked_mask(later.lesions, number)
        if marked is None:
            return base, None
        where = np.nonzero(later_shown)
        to_later = np.linalg.inv(later.ijk_to_ras) @ np.asarray(baseline_to_later) @ baseline.ijk_to_ras
        ijk = np.rint(to_later[:3, :3] @ np.array(where, dtype=float) + to_later[:3, 3:]).astype(int)
        inside = np.all((ijk >= 0) & (ijk < np.array(marked.shape)[:, None]), axis=0)
        hit = np.zeros(inside.shape, dtype=bool)
        hit[inside] = marked[tuple(ijk[:, inside])]
        shown = np.zeros(np.shape(later_shown), dtype=bool)
        shown[tuple(axis[hit] for axis in where)] = True
        return base, shown

    def corrected_mask(self, lesions: np.ndarray, time_point: int) -> np.ndarray | None:
        """``lesions`` (study ``time_point``'s mask) without the lesions marked wrong (their whole
        26-connected components), or None when none of its lesions is marked."""
        from .followup_lesions import components  # noqa: PLC0415

        voxels = [key[1:] for key in self.keys if key[0] == time_point]
        inside = [v for v in voxels if all(0 <= n < s for n, s in zip(v, lesions.shape)) and lesions[v]]
        if not inside:
            return None
        ids, _ = components(lesions)
        out = np.array(lesions, copy=True)
        out[np.isin(ids, [ids[v] for v in inside])] = 0
        return out


def marked_line(tracking) -> str:
    """``1 lesion marked wrong by the reader (...)`` for the report, empty with none."""
    count = sum(1 for row in tracking.rows if row.marked)
    if not count:
        return ""
    ids = ", ".join(str(row.id) for row in tracking.rows if row.marked)
    return (f"{count} lesion{'s' if count > 1 else ''} marked wrong by the reader (not a lesion; "
            f"across all time points: {ids}), left out of the counts and the lesion load")
