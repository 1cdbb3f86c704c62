"""Adjudication lesion by lesion: readers' lesions matched across readers, one decision per lesion.

Lesions are matched through the union of all readers' masks: each 26-connected component of the
union is one lesion group, holding every reader's outline that touches it (readers who drew the
same lesion differently land in the same group; a lesion only one reader saw is a group of its
own). For each group the adjudicator takes one reader's outline, the consensus (STAPLE or majority,
:mod:`neuroview.dataset.agreement`) or nothing; the result records which was taken per lesion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Mapping, Union

import numpy as np

from ..core.errors import DatasetError
from .agreement import lesions


class Other(Enum):
    """What a lesion may be given besides a reader's outline. A reader is their name (a ``str``);
    these are no ``str``, so a reader named "consensus" or "none" keeps their own outline (until
    session 35 the choice was the word, and such a reader's outline was the consensus, or nothing)."""

    CONSENSUS = "consensus"
    NOTHING = "none"


CONSENSUS, NOTHING = Other.CONSENSUS, Other.NOTHING
Choice = Union[str, Other]
"""A reader's name, :data:`CONSENSUS` or :data:`NOTHING`."""


def taken_record(choice: Choice) -> dict:
    """The provenance's ``taken_from`` (the reader's name, ``"consensus"`` or ``"none"``) and
    ``from_reader``, which tells a reader named so from the consensus or nothing."""
    if isinstance(choice, Other):
        return {"taken_from": choice.value, "from_reader": False}
    return {"taken_from": choice, "from_reader": True}


@dataclass
class LesionGroup:
    number: int
    box: tuple[slice, slice, slice]
    """The lesion's bounding box in the image (``region`` is cropped to it)."""
    region: np.ndarray = field(repr=False)
    """Voxels of the union of all outlines of this lesion, within ``box`` (a cropped array: many
    lesions of a big image do not each hold a whole-image mask)."""
    voxels: dict[str, int]
    """Voxels each reader drew in this lesion (0: the reader did not see it)."""
    centre_ijk: tuple[float, float, float]

    def full_region(self, shape) -> np.ndarray:
        out = np.zeros(shape, dtype=bool)
        out[self.box] = self.region
        return out

    def contains(self, ijk) -> bool:
        local = [int(i) - s.start for i, s in zip(ijk, self.box)]
        return all(0 <= i < n for i, n in zip(local, self.region.shape)) and bool(self.region[tuple(local)])

    def jump_ijk(self) -> tuple[int, int, int]:
        """The lesion's voxel nearest its centre (always inside it)."""
        points = np.argwhere(self.region) + np.array([s.start for s in self.box])
        nearest = points[np.argmin(((points - np.asarray(self.centre_ijk)) ** 2).sum(axis=1))]
        return tuple(int(c) for c in nearest)


def region_centre(box, region: np.ndarray) -> tuple[float, float, float]:
    """The mean voxel of ``region`` (cropped to ``box``), in the image's voxel indices."""
    lo = np.array([s.start for s in box])
    return tuple(float(c) for c in np.argwhere(region).mean(axis=0) + lo)


@dataclass
class Adjudication:
    mask: np.ndarray = field(repr=False)
    adjudicator: str
    taken: dict[int, Choice]
    """Lesion group number -> reader name, :data:`CONSENSUS` or :data:`NOTHING`."""
    voxels: dict[int, int]

    def provenance(self) -> dict:
        """JSON-ready record of who decided and which outline was taken for each lesion; the
        adjudicator as people read the name (``Sam Senior``, as the segment list, the record's
        ``annotator`` and a reloaded label file's mark give it; :attr:`adjudicator`, the SEG's
        ContentCreatorName, is in DICOM's PN form, ``Senior^Sam``)."""
        from ..io.dicom.person_name import readable_name

        return {"adjudicator": readable_name(self.adjudicator),
                "lesions": [{"lesion": n, **taken_record(self.taken[n]), "voxels": self.voxels[n]}
                            for n in sorted(self.taken)]}


def lesion_groups(masks: Mapping[str, np.ndarray]) -> list[LesionGroup]:
    """The lesions of all readers, matched across readers, largest first."""
    from scipy import ndimage  # (imported when used: the window's start need not pay for scipy)

    stack = {name: np.asarray(mask) > 0 for name, mask in masks.items()}
    union = np.logical_or.reduce(list(stack.values()))
    labels, count = lesions(union)
    groups = []
    for number, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None:
            continue
        region = labels[box] == number
        groups.append(LesionGroup(0, box, region, {n: int((m[box] & region).sum()) for n, m in stack.items()},
                                  region_centre(box, region)))
    groups.sort(key=lambda g: -int(g.region.sum()))
    for number, group in enumerate(groups, start=1):
        group.number = number
    return groups


def empty_choice(group: LesionGroup, choice: Choice, consensus: np.ndarray | None = None) -> str:
    """Why ``choice`` cannot be taken for ``group``: a reader who drew none of the lesion, or a
    consensus holding none of it (taking it kept nothing, recorded as a lesion kept from that
    outline: ``2 of 2 lesions kept`` for one lesion, session 48's walk); "" when it can."""
    from ..io.dicom.person_name import readable_name

    if choice is CONSENSUS and consensus is not None:
        if not ((np.asarray(consensus)[group.box] > 0) & group.region).any():
            return (f"lesion {group.number}: the consensus holds none of it: take a reader who "
                    "outlined it, or none (Not a lesion)")
    elif isinstance(choice, str) and group.voxels.get(choice, 1) == 0:
        return (f"lesion {group.number}: {readable_name(choice)} drew none of it: take a reader who "
                "outlined it, the consensus, or none (Not a lesion)")
    return ""


def adjudicate(masks: Mapping[str, np.ndarray], groups: list[LesionGroup], choices: Mapping[int, Choice],
               consensus: np.ndarray | None = None, adjudicator: str = "") -> Adjudication:
    """The adjudicated mask: for each lesion group, the chosen reader's outline, the consensus or
    nothing. Every group must be decided."""
    undecided = [g.number for g in groups if g.number not in choices]
    if undecided:
        raise DatasetError(f"{'lesion' if len(undecided) == 1 else 'lesions'} "
                           f"{', '.join(map(str, undecided))} not decided yet")
    known = {g.number for g in groups}
    extra = sorted(set(choices) - known)
    if extra:
        raise DatasetError(f"no lesion numbered {', '.join(map(str, extra))} (there are {len(groups)})")
    shape = next(iter(masks.values())).shape
    result = np.zeros(shape, dtype=bool)
    voxels = {}
    for group in groups:
        choice = choices[group.number]
        empty = empty_choice(group, choice, consensus)
        if empty:
            raise DatasetError(empty)
        if choice is NOTHING:
            outline = np.zeros(group.region.shape, bool)
        elif choice is CONSENSUS:
            if consensus is None:
                raise DatasetError("a consensus was chosen but none was computed")
            outline = (np.asarray(consensus)[group.box] > 0) & group.region
        elif isinstance(choice, str) and choice in masks:
            outline = (np.asarray(masks[choice])[group.box] > 0) & group.region
        else:
            raise DatasetError(f"lesion {group.number}: {choice!r} is not a reader, the consensus or nothing")
        result[group.box] |= outline
        voxels[group.number] = int(outline.sum())
    return Adjudication(result, adjudicator, dict(choices), voxels)
