"""The readers dialog's lesion choices not yet applied, kept in the case's workspace as they are
made (``adjudication-choices.json``, a few hundred bytes written atomically on each choice), so
that a window killed before *Apply to label map* loses none: comparing the same readers again on
that image takes them back (:func:`recall_choices`). Until session 39 they were in memory only.

A choice comes back only for a lesion the new comparison numbers alike, in the same place with the
same voxels per reader (the readers' outlines of it unchanged); an Apply forgets them
(:func:`forget_choices`): they are in its plan then (``app.adjudication_record``).
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np

from ..core.atomic import write_text_atomic
from ..core.errors import DatasetError
from ..core.jsonfile import read_json
from ..dataset.adjudication import Other

CHOICES_FILE = "adjudication-choices.json"


def _lesion_key(group) -> dict:
    """What tells the lesion is the same: where it lies (its box, a digest of the outlines'
    union) and the voxels each reader drew in it."""
    return {"box": [[s.start, s.stop] for s in group.box],
            "union": zlib.crc32(np.packbits(group.region).tobytes()),
            "voxels": {str(reader): int(voxels) for reader, voxels in sorted(group.voxels.items())}}


def keep_choices(workspace, plan) -> None:
    """Write ``plan``'s choices (``app.readers.AdjudicationPlan``) into ``workspace`` (none:
    the file goes). A failed write loses only the choices after a kill."""
    if workspace is None:
        return
    path = Path(workspace) / CHOICES_FILE
    groups = {g.number: g for g in plan.groups}
    lesions = [{"lesion": number, "seen": _lesion_key(groups[number]),
                "choice": choice.value if isinstance(choice, Other) else choice,
                "from_reader": not isinstance(choice, Other)}
               for number, choice in sorted(plan.choices.items()) if number in groups]
    try:
        if lesions:
            readers = sorted(plan.comparison.readers)
            write_text_atomic(path, json.dumps({"readers": readers, "lesions": lesions}))
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass


def recall_choices(workspace, plan) -> int:
    """The choices kept in ``workspace`` made again on ``plan`` (a new comparison of the same
    readers) where a lesion is numbered alike, lies where it lay and holds the same voxels per
    reader; how many. A damaged or missing file gives none."""
    if workspace is None:
        return 0
    try:
        kept = read_json(Path(workspace) / CHOICES_FILE)
        if sorted(plan.comparison.readers) != kept["readers"]:
            return 0
        items = list(kept["lesions"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return 0
    groups = {g.number: g for g in plan.groups}
    made = 0
    for item in items:
        try:
            group = groups.get(item["lesion"])
            if group is None or _lesion_key(group) != item["seen"]:
                continue
            plan.choose(group.number, item["choice"] if item["from_reader"] else Other(item["choice"]))
        except (DatasetError, KeyError, TypeError, ValueError):   # no consensus this time; damaged
            continue
        made += 1
    return made


def forget_choices(workspace) -> None:
    """The choices were applied: nothing is pending."""
    if workspace is not None:
        try:
            (Path(workspace) / CHOICES_FILE).unlink(missing_ok=True)
        except OSError:
            pass
