"""Localizers stored in an image series: named as such in the series list.

A CT scout (a topogram) or an MR localizer often shares its SeriesInstanceUID with the axial
images. Grouping splits it off by geometry, which named both "(part 1 of 2)" and "(part 2 of 2)"
and warned on each that the series was split because "orientation, matrix, pixel spacing or place
in the slice plane differ": nothing said which part was the scout. Where ImageType says
LOCALIZER, the scout's part is called ``(localizer)`` and the images keep the series' own name,
each with one line saying what was kept apart.
"""

from __future__ import annotations

from .grouping import FrameGroup
from .series import StackPlan

SPLIT_WARNING = "series split into"
SCOUT_WARNING = ("localizer (ImageType LOCALIZER): a scout to plan the scan, not a slice to read or "
                 "measure on; open the study's folder to choose its series")
"""Said of a series all of whose images are localizers (a CT topogram, its own series): opened
alone (one file dropped, a folder of it) it showed as a one-slice CT, with no word of what it was."""


def _series_of(group: FrameGroup) -> tuple:
    ref = group.refs[0]
    return ref.series_uid, ref.series_number, group.suffix


def _is_localizer(group: FrameGroup) -> bool:
    return group.n_parts > 1 and all(ref.localizer for ref in group.refs)


def _images(count: int) -> str:
    return f"{count} image{'' if count == 1 else 's'}"


def localizer_images(groups: list[FrameGroup]) -> dict[tuple, tuple[int, int]]:
    """Per split series: (localizer images, parts that are not localizers)."""
    counts: dict[tuple, tuple[int, int]] = {}
    for group in groups:
        if group.n_parts > 1 and not group.partial:
            images, others = counts.get(_series_of(group), (0, 0))
            if _is_localizer(group):
                counts[_series_of(group)] = (images + len(group.refs), others)
            else:
                counts[_series_of(group)] = (images, others + 1)
    return counts


def split_explained(group: FrameGroup, counts: dict[tuple, tuple[int, int]]) -> bool:
    """Whether ``group``'s series was split only to keep localizers apart: then its parts are not
    ranked by the split (a part after the first lost :data:`PENALTY` ``"split"``), since which
    part is "the" series is not in doubt: the three planes of a localizer had 0.80, 0.50 and 0.50
    under identical warnings."""
    images, others = counts.get(_series_of(group), (0, 0))
    return group.n_parts > 1 and (_is_localizer(group) or bool(images and others == 1))


def name_localizers(plan: StackPlan, group: FrameGroup, counts: dict[tuple, tuple[int, int]]) -> None:
    """``plan`` (of ``group``, one part of a split series) named as a localizer, or as the series
    whose only other parts are localizers; other parts are left as they are. A series of
    localizers only, not split, keeps its name and is said to be a scout (:data:`SCOUT_WARNING`)."""
    if group.n_parts == 1 and group.refs and all(ref.localizer for ref in group.refs):
        plan.warnings.insert(0, SCOUT_WARNING)   # first: what the image is, before its depth
        return
    images, others = counts.get(_series_of(group), (0, 0))
    part = f" (part {group.part} of {group.n_parts})"
    if _is_localizer(group):
        plan.description = plan.description.replace(part, " (localizer)")
        line = (f"localizer (ImageType LOCALIZER): {_images(len(group.refs))} of the series, kept "
                "apart from its other images")
    elif images and others == 1:
        plan.description = plan.description.replace(part, "")
        line = (f"localizer left out: {_images(images)} of this series (ImageType LOCALIZER), "
                f"listed as a series of {'its' if images == 1 else 'their'} own")
    else:
        return
    plan.warnings = [line if w.startswith(SPLIT_WARNING) else w for w in plan.warnings]
