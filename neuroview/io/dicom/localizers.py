"""Localizers stored in an image series: named as such in the series list.

A CT scout (a topogram) or an MR localizer often shares its SeriesInstanceUID with the axial
images. Grouping splits it off by geometry, which named both "(part 1 of 2)" and "(part 2 of 2)"
and warned on each that the series was split because "orientation, matrix, pixel spacing or place
in the slice plane differ": nothing said which part was the scout. Where ImageType says
LOCALIZER, the scout's part is called ``(localizer)`` and the images keep the series' own name,
each with one line saying what was kept apart. A secondary capture stored in the series (a CT's
dose page: SOP class Secondary Capture) is kept apart and named the same way,
``(secondary capture)``.
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


def _apart(group: FrameGroup) -> str:
    """What ``group`` (a part of a split series) was kept apart as: ``"localizer"``, ``"secondary
    capture"``, or ``""`` for the series' own images."""
    if group.n_parts > 1 and all(ref.localizer for ref in group.refs):
        return "localizer"
    if group.n_parts > 1 and all(ref.capture for ref in group.refs):
        return "secondary capture"
    return ""


_WHY = {"localizer": "ImageType LOCALIZER", "secondary capture": "SOP class Secondary Capture"}


def _images(count: int) -> str:
    return f"{count} image{'' if count == 1 else 's'}"


def localizer_images(groups: list[FrameGroup]) -> dict[tuple, tuple[dict[str, int], int]]:
    """Per split series: (images kept apart, by what they are (:func:`_apart`); parts that are
    the series' own images)."""
    counts: dict[tuple, tuple[dict[str, int], int]] = {}
    for group in groups:
        if group.n_parts > 1 and not group.partial:
            images, others = counts.setdefault(_series_of(group), ({}, 0))
            kind = _apart(group)
            if kind:
                images[kind] = images.get(kind, 0) + len(group.refs)
            else:
                counts[_series_of(group)] = (images, others + 1)
    return counts


def split_explained(group: FrameGroup, counts: dict[tuple, tuple[dict[str, int], int]]) -> bool:
    """Whether ``group``'s series was split only to keep localizers (or captures) apart: then its
    parts are not ranked by the split (a part after the first lost :data:`PENALTY` ``"split"``), since which
    part is "the" series is not in doubt: the three planes of a localizer had 0.80, 0.50 and 0.50
    under identical warnings."""
    images, others = counts.get(_series_of(group), ({}, 0))
    return group.n_parts > 1 and (bool(_apart(group)) or bool(images and others == 1))


def name_localizers(plan: StackPlan, group: FrameGroup,
                    counts: dict[tuple, tuple[dict[str, int], int]]) -> None:
    """``plan`` (of ``group``, one part of a split series) named as a localizer (or a secondary
    capture), or as the series whose only other parts are those; other parts are left as they are. A series of
    localizers only, not split, keeps its name and is said to be a scout (:data:`SCOUT_WARNING`)."""
    if group.n_parts == 1 and group.refs and all(ref.localizer for ref in group.refs):
        plan.warnings.insert(0, SCOUT_WARNING)   # first: what the image is, before its depth
        return
    images, others = counts.get(_series_of(group), ({}, 0))
    part = f" (part {group.part} of {group.n_parts})"
    kind = _apart(group)
    if kind:
        plan.description = plan.description.replace(part, f" ({kind})")
        line = (f"{kind} ({_WHY[kind]}): {_images(len(group.refs))} of the series, kept "
                "apart from its other images")
    elif images and others == 1:
        plan.description = plan.description.replace(part, "")
        line = "; ".join(
            f"{kind} left out: {_images(count)} of this series ({_WHY[kind]}), listed as a series "
            f"of {'its' if count == 1 else 'their'} own" for kind, count in images.items())
    else:
        return
    plan.warnings = [line if w.startswith(SPLIT_WARNING) else w for w in plan.warnings]
