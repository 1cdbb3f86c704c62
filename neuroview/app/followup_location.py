"""Each follow-up lesion's location (:mod:`.lesion_location`: periventricular, juxtacortical,
infratentorial, deep white matter, or unknown with why), for the follow-up's tables.

A row is located on the baseline study where the lesion is there, else (a new lesion) on the
first later study that has it; in its own image, on the brain mask the follow-up made for that
study (deepbet, a file or a threshold). A row of several parts (lesions that merged or split)
gets every part's location where they differ (``periventricular + deep white matter``). The
MNI152 template is fitted once per study, and only to the studies a row is located on
(:class:`StudyLocations`). No Qt.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from ..core.jobs import CancelToken, ProgressFn, report
from .components import find_components
from .followup import Comparison, StudyInput
from .followup_lesions import components, first_voxels
from .lesion_location import UNKNOWN, Location, case_anatomy, counts_text, joined, locate_lesions


def study_locations(study: StudyInput, cancel: Optional[CancelToken] = None) -> dict:
    """The :class:`~.lesion_location.Location` of each lesion of ``study`` (a 26-connected
    component of its mask), keyed by its first voxel (:func:`.followup_lesions.first_voxels`)."""
    ids, count = components(study.lesions)
    if not count:
        return {}
    firsts = first_voxels(ids, count)
    if study.brain is None:
        source = study.brain_source
        why = (source[len("none ("):-1] if source.startswith("none (") else
               "brain extraction not asked for" if source == "none" else "none given")
        unknown = Location(UNKNOWN, "a CT: told on MR images only" if study.ct
                           else f"no brain mask: {why}")
        return {firsts[n]: unknown for n in range(1, count + 1)}
    mask = ids > 0
    found = find_components(mask, study.ijk_to_ras)
    case = case_anatomy(study.image, study.ijk_to_ras, np.asarray(study.brain, bool), mask,
                        ct=bool(study.ct), cancel=cancel)
    located = locate_lesions(found, mask, (0, 0, 0), study.image, case, cancel)
    return {firsts[int(ids[component.jump_ijk])]: location
            for component, location in zip(found, located)}


class StudyLocations:
    """The lesions' locations of a follow-up's studies (baseline first), each study located the
    first time one of its lesions is asked for."""

    def __init__(self, studies: list[StudyInput], progress: Optional[ProgressFn] = None,
                 cancel: Optional[CancelToken] = None) -> None:
        self.studies, self.progress, self.cancel = studies, progress, cancel
        self.done: dict[int, dict] = {}

    def at(self, time_point: int, voxel) -> Optional[Location]:
        """The location of the lesion of study ``time_point`` (0: the baseline) whose first voxel
        is ``voxel``."""
        if time_point not in self.done:
            study = self.studies[time_point]
            report(self.progress, len(self.done), len(self.studies),
                   f"lesion locations of {study.name or 'a study'}")
            self.done[time_point] = study_locations(study, self.cancel)
        return self.done[time_point].get(tuple(voxel))

    def of(self, time_point: int, voxels) -> Optional[Location]:
        """The location of a row whose parts on study ``time_point`` have first voxels
        ``voxels``: theirs, or each where they differ (:func:`~.lesion_location.joined`: two
        lesions that merged later, one periventricular, read ``periventricular + deep white
        matter``, where the first part's alone was told until 7 Dec 2026)."""
        return joined([self.at(time_point, voxel) for voxel in voxels])


def locate_rows(comparison: Comparison, number: int, locations: StudyLocations) -> None:
    """The rows of ``comparison`` (the baseline against later study ``number``, 1 the first)
    located (``row.location``), and :attr:`Comparison.locations` set, which the table across time
    points (:func:`~.followup_track.tracking_of`) reads. ``locations`` holds the studies (one
    for all the comparisons: each study is fitted once)."""
    comparison.locations = locations
    for row in comparison.table.rows:
        row.location = (locations.of(0, row.baseline_voxels) if row.baseline_voxels
                        else locations.of(number, row.followup_voxels))


def status_locations_line(rows, status: str) -> str:
    """``"new lesions: 2 (periventricular 1, juxtacortical 1)"``: the rows of ``status`` (those
    the reader did not mark wrong) per location; "" when none has that status."""
    located = [row.location for row in rows if row.status == status and not row.marked]
    if not located:
        return ""
    if any(location is None for location in located):
        return f"{status} lesions: {len(located)}"
    whys = {location.why for location in located}
    if all(location.name == UNKNOWN for location in located) and len(whys) == 1:
        return f"{status} lesions: {len(located)} (location unknown: {whys.pop()})"
    return f"{status} lesions: {len(located)} ({counts_text(located)})"


def locations_lines(rows) -> list[str]:
    """:func:`status_locations_line` of the new and the enlarging lesions (those with any): what
    the command prints under each follow-up's counts and the report under its totals."""
    return [line for status in ("new", "enlarging") if (line := status_locations_line(rows, status))]
