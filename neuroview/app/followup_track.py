"""One lesion table across all time points: each lesion followed baseline -> tp2 -> tp3 ...

Time points are numbered as the CLI's files are: ``tp1`` is the baseline, ``tp2`` the first later
study. Each later study was registered to the baseline (``baseline_to_study[n]``, the comparisons'
transforms); two consecutive time points are linked through the baseline's world. Lesions are the
26-connected components of each mask; a component of time point ``t`` and one of ``t + 1`` that
share a voxel (the earlier lesion's voxels looked up, nearest neighbour, in the later grid) are
one lesion. Each connected group over all time points is one row: its volume at each time point
(counted on that study's own grid), its status at each step (against the time point before:
:func:`neuroview.app.followup_lesions.lesion_status`, empty when it is absent at both), the status of its
last step in which it was present (``status``), the change from the baseline to the last time
point, merges and splits with the time point where they happened, and its centre in the
baseline's RAS millimetres (all time points, weighted by volume).

Only consecutive time points are linked: a lesion that went away and came back at the same place
is a new lesion, as in the per-pair tables.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ..core.geometry import voxel_volume_ml
from .followup import StudyInput
from .followup_lesions import (
    LOCATION_COLUMN,
    MARKED_WRONG,
    RAS_COLUMNS,
    READER_COLUMN,
    MatchThresholds,
    components,
    figure,
    first_voxels,
    lesion_status,
    located,
    location_cell,
    overlap_pairs,
)
from .followup_lesions import centres as component_centres
from .lesion_location import Location


@dataclass
class TrackedLesion:
    id: int
    volumes_ml: list[float]
    """Volume at each time point (0 where absent), baseline first."""
    parts: list[int]
    """Number of components at each time point."""
    events: list[str]
    """Per step (tp2...): ``merged``, ``split``, ``merged+split`` or empty."""
    position_ras: tuple[float, float, float]
    steps: list[str] = field(default_factory=list)
    """Status per step (tp2...) against the time point before; empty where absent at both."""
    voxels: list = field(default_factory=list)
    """``(time point, ijk)`` of each of its parts: one voxel of the part on that study's grid
    (:func:`~neuroview.app.followup_lesions.first_voxels`), what a reader's mark names."""
    marked: bool = False
    """Marked wrong (not a lesion) by the reader (:mod:`.followup_marks`)."""
    location: Optional[Location] = None
    """Where it lies, told on the first time point that has it, every part's where they differ
    (:mod:`.followup_location`)."""

    @property
    def status(self) -> str:
        """The status of the last step in which the lesion was present at either end."""
        present = [s for s in self.steps if s]
        return present[-1] if present else ""

    @property
    def event(self) -> str:
        return "; ".join(f"{e} at tp{n}" for n, e in enumerate(self.events, start=2) if e)

    @property
    def change_ml(self) -> float:
        return self.volumes_ml[-1] - self.volumes_ml[0]

    @property
    def change_pct(self) -> Optional[float]:
        if self.volumes_ml[0] == 0:
            return None
        return 100.0 * self.change_ml / self.volumes_ml[0]


@dataclass
class Tracking:
    rows: list[TrackedLesion]
    count: int
    """Number of time points."""

    def restatus(self, thresholds: MatchThresholds) -> None:
        """Statuses again with other thresholds: volumes and links do not change (no new
        registration or matching)."""
        for row in self.rows:
            row.steps = [_step(row.volumes_ml[t - 1], row.volumes_ml[t], thresholds)
                         for t in range(1, self.count)]

    def columns(self) -> list[str]:
        """The CSV's columns; ``reader`` last once a row is marked wrong."""
        n = range(1, self.count + 1)
        return (["id", "status", "event"] + [f"volume_tp{t}_ml" for t in n] + ["change_ml", "change_pct"]
                + [f"status_tp{t}" for t in n if t > 1] + list(RAS_COLUMNS)
                + [f"parts_tp{t}" for t in n] + ([LOCATION_COLUMN] if located(self.rows) else [])
                + ([READER_COLUMN] if self.any_marked else []))

    @property
    def any_marked(self) -> bool:
        return any(row.marked for row in self.rows)

    def text_rows(self) -> list[list[str]]:
        """The table as text cells in :meth:`columns` order (the CSV, the window, the report)."""
        out = []
        reader = self.any_marked
        where = located(self.rows)
        for row in self.rows:
            pct = "" if row.change_pct is None else figure(row.change_pct, "+.1f")   # signed, as change_ml
            out.append([str(row.id), row.status, row.event, *(f"{v:.4f}" for v in row.volumes_ml),
                        figure(row.change_ml, "+.4f"), pct, *row.steps,
                        *(figure(x, ".1f") for x in row.position_ras), *(str(p) for p in row.parts),
                        *(location_cell(row) if where else []),
                        *([MARKED_WRONG if row.marked else ""] if reader else [])])
        return out

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns())
        writer.writerows(self.text_rows())
        return buffer.getvalue()


def _step(before: float, after: float, thresholds: MatchThresholds) -> str:
    return "" if before == 0 and after == 0 else lesion_status(before, after, thresholds)


def track_lesions(studies: list[StudyInput], baseline_to_study: list[np.ndarray],
                  thresholds: MatchThresholds = MatchThresholds()) -> Tracking:
    """Follow each lesion over ``studies`` (baseline first); ``baseline_to_study[n]`` takes a
    baseline point into study ``n``'s world (the identity for the baseline). Rows are ordered by
    position, as the per-pair tables."""
    if len(studies) != len(baseline_to_study):
        raise ValueError("one transform per study, the baseline's too")
    ids, counts, volumes, centres, firsts = [], [], [], [], []
    for study, transform in zip(studies, baseline_to_study):
        labels, count = components(study.lesions)
        ids.append(labels)
        counts.append(count)
        firsts.append(first_voxels(labels, count))
        volumes.append(np.bincount(labels.ravel(), minlength=count + 1) * voxel_volume_ml(study.ijk_to_ras))
        centres.append(component_centres(labels, count, study.ijk_to_ras, np.linalg.inv(transform)))
    offsets = np.concatenate([[0], np.cumsum([c + 1 for c in counts])])
    parent = list(range(int(offsets[-1])))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links = []  # (step, earlier node, later node)
    for t in range(1, len(studies)):
        earlier_to_later = baseline_to_study[t] @ np.linalg.inv(baseline_to_study[t - 1])
        for a, b in overlap_pairs(ids[t - 1], studies[t - 1].ijk_to_ras, ids[t],
                                  studies[t].ijk_to_ras, earlier_to_later):
            node_a, node_b = int(offsets[t - 1] + a), int(offsets[t] + b)
            links.append((t, node_a, node_b))
            parent[find(node_a)] = find(node_b)
    groups: dict[int, list[tuple[int, int]]] = {}
    for t, count in enumerate(counts):
        for label in range(1, count + 1):
            groups.setdefault(find(int(offsets[t] + label)), []).append((t, label))
    rows = []
    for root, members in groups.items():
        times = range(len(studies))
        vols = [float(sum(volumes[t][label] for tt, label in members if tt == t)) for t in times]
        parts = [sum(1 for tt, _ in members if tt == t) for t in times]
        weights = np.array([volumes[t][label] for t, label in members])
        points = np.array([centres[t][label] for t, label in members])
        centre = tuple(float(x) for x in (weights @ points) / weights.sum())
        events = [_event_at(t, root, links, find) for t in range(1, len(studies))]
        rows.append(TrackedLesion(0, vols, parts, events, centre,
                                  voxels=[(t, firsts[t][label]) for t, label in members]))
    rows.sort(key=lambda r: (-r.position_ras[2], r.position_ras[1], r.position_ras[0]))
    for number, row in enumerate(rows, start=1):
        row.id = number
    tracking = Tracking(rows, len(studies))
    tracking.restatus(thresholds)
    return tracking


def _event_at(step: int, root: int, links, find) -> str:
    """``merged`` when a lesion of time point ``step`` overlaps several of the time point before,
    ``split`` when one of the time point before overlaps several later ones."""
    mine = [(a, b) for t, a, b in links if t == step and find(a) == root]
    earlier = {a for a, _ in mine}
    later = {b for _, b in mine}
    merged = any(sum(1 for _, b in mine if b == node) > 1 for node in later)
    split = any(sum(1 for a, _ in mine if a == node) > 1 for node in earlier)
    return "merged+split" if merged and split else "merged" if merged else "split" if split else ""


def tracking_of(baseline: StudyInput, laters: list[StudyInput], comparisons: list) -> Tracking:
    """:func:`track_lesions` over the baseline and its compared later studies, with the
    comparisons' transforms and thresholds."""
    tracking = track_lesions([baseline, *laters],
                             [np.eye(4)] + [c.registration.fixed_to_moving for c in comparisons],
                             comparisons[0].thresholds)
    locations = comparisons[0].locations
    if locations is not None:   # each lesion where it first appears (the baseline if there)
        for row in tracking.rows:
            first = min(time_point for time_point, _ in row.voxels)
            row.location = locations.of(first, [ijk for time_point, ijk in row.voxels
                                                if time_point == first])
    return tracking
