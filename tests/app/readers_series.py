"""The small DICOM series the readers' tests draw their SEGs on (24 x 20 x 12, 6 x 6 x 8 mm)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io" / "dicom"))

from series_maker import SeriesSpec, write_series  # noqa: E402

from neuroview.io import load  # noqa: E402
from neuroview.io.seg import read_series_headers  # noqa: E402


def readers_series(folder: Path, mni_volume):
    """``folder``/study/series written: (its volume, its headers for ``save_seg``)."""
    series = write_series(folder / "study" / "series", mni_volume,
                          SeriesSpec(rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0,
                                     slice_step=8.0, description="FLAIR readers"))
    return load(series.folder), read_series_headers([series.folder])


def save_reader(volume, headers, mask, path, reader: str) -> None:
    """``reader``'s SEG of ``mask`` at ``path``, named as *Save to PACS* names a reader's version."""
    import numpy as np

    from neuroview.core.labels import LabelMap
    from neuroview.io.seg import save_seg

    save_seg(LabelMap(mask.astype(np.uint8), volume.ijk_to_ras), headers, path,
             series_description=f"Lesions - {reader}'s version", content_creator=reader)


def ann_and_bob(root: Path, mni_volume):
    """A series and two readers' SEGs beside it under ``root``: Ann's lesion, and Bob's, shifted 2
    voxels. (the series folder, its volume, Ann's mask, Bob's mask)."""
    import numpy as np

    volume, headers = readers_series(root, mni_volume)
    ann = np.zeros(volume.shape, bool)
    ann[4:12, 4:12, 3:8] = True
    bob = np.zeros_like(ann)
    bob[6:14, 4:12, 3:8] = True
    save_reader(volume, headers, ann, root / "study" / "ann.dcm", "Smith^Ann")
    save_reader(volume, headers, bob, root / "study" / "bob.dcm", "Jones^Bob")
    return root / "study" / "series", volume, ann, bob


BOB_REFUSED = ("lesion 2: Bob Jones drew none of it: take a reader who outlined it, the consensus, "
               "or none (Not a lesion)")
"""What taking Bob for :func:`bob_misses_lesion_2`'s lesion 2 is refused with."""


def bob_misses_lesion_2(root: Path, mni_volume):
    """A series and two readers' SEGs beside it under ``root``: Ann drew lesions 1 and 2, Bob
    lesion 1 only (shifted a voxel). The series' volume."""
    import numpy as np

    volume, headers = readers_series(root, mni_volume)
    ann, bob = np.zeros(volume.shape, bool), np.zeros(volume.shape, bool)
    ann[4:12, 4:12, 3:8] = bob[5:13, 4:12, 3:8] = True
    ann[16:19, 14:17, 8:10] = True   # lesion 2, smaller: Ann's alone
    save_reader(volume, headers, ann, root / "study" / "ann.dcm", "Smith^Ann")
    save_reader(volume, headers, bob, root / "study" / "bob.dcm", "Jones^Bob")
    return volume


LESION_BOXES = [(slice(2, 6), slice(2, 6), slice(2, 5)), (slice(12, 16), slice(2, 6), slice(2, 5)),
                (slice(2, 6), slice(14, 18), slice(6, 10))]


def three_lesions(root: Path, mni_volume, shift: int = 1):
    """A series and Ann's and Bob's SEGs of three lesions (``LESION_BOXES``; Bob's shifted
    ``shift`` voxels) under ``root``: (the series folder, its volume)."""
    import numpy as np

    volume, headers = readers_series(root, mni_volume)
    for reader, offset in (("Smith^Ann", 0), ("Jones^Bob", shift)):
        mask = np.zeros(volume.shape, bool)
        for box in LESION_BOXES:
            mask[slice(box[0].start + offset, box[0].stop + offset), box[1], box[2]] = True
        save_reader(volume, headers, mask, root / "study" / f"{reader[:3].lower()}.dcm", reader)
    return root / "study" / "series", volume


def choose_then_killed(volume, workspace, choices=None) -> None:
    """The killed window's work: ``choices`` made (by default lesion 1 Bob's, 2 the consensus,
    3 none), each kept as made."""
    from neuroview.app.case import Case
    from neuroview.app.pending_choices import keep_choices
    from neuroview.app.readers import AdjudicationPlan, compare_readers
    from neuroview.dataset.adjudication import CONSENSUS, NOTHING

    choices = ((1, "Jones^Bob"), (2, CONSENSUS), (3, NOTHING)) if choices is None else choices
    case = Case.open(volume, workspace)
    plan = AdjudicationPlan(compare_readers(volume, None, "majority"))
    for number, choice in choices:
        plan.choose(number, choice)
        keep_choices(case.workspace, plan)


def modelled_case(folder, workspace):
    """A case of the series ``folder`` whose lesion a model drew as Ann did, and the readers
    compared: (case, comparison)."""
    import numpy as np

    from neuroview.app.case import Case
    from neuroview.app.readers import compare_readers

    volume = load(folder)
    comparison = compare_readers(volume, None, "majority")
    case = Case.open(volume, workspace=workspace)
    case.apply_model_result(comparison.masks["Smith^Ann"].astype(np.uint8), {1: "lesion"}, "tiny@1.0")
    return case, comparison


def apply_outline(case, comparison, reader: str, adjudicator: str):
    """``reader``'s outline of lesion 1 applied to ``case`` by ``adjudicator``: the plan."""
    from neuroview.app.readers import AdjudicationPlan, apply_adjudication

    plan = AdjudicationPlan(comparison)
    plan.choose(1, reader)
    apply_adjudication(case, plan, adjudicator)
    return plan
