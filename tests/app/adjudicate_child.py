"""Adjudicates a case and is killed (SIGKILL) by ``test_adjudicated_restore``: a model's lesion,
the readers' outlines applied over it, (with SAVED_LABELS: the labels saved there, which
compacts the crash journal), then a voxel of the lesion erased by hand; after each, the segment
list's *From* cell and tooltip of the lesion as the window shows them, printed as JSON.

Usage: python adjudicate_child.py SERIES_FOLDER WORKSPACE [SAVED_LABELS]
"""

import json
import sys
import time


def main() -> None:
    import numpy as np

    from neuroview.app.case import Case
    from neuroview.app.readers import AdjudicationPlan, apply_adjudication, compare_readers
    from neuroview.dataset.adjudication import NOTHING
    from neuroview.io import load

    volume = load(sys.argv[1])
    comparison = compare_readers(volume, None, "majority")
    case = Case.open(volume, workspace=sys.argv[2])
    case.apply_model_result(comparison.masks["Smith^Ann"].astype(np.uint8), {1: "lesion"}, "tiny@1.0")
    plan = AdjudicationPlan(comparison)
    plan.choose(1, "Jones^Bob")
    for group in plan.groups[1:]:
        plan.choose(group.number, NOTHING)
    apply_adjudication(case, plan, "Senior^Sam")
    session = case.session
    value = session.labels.segments.by_name("lesion").value
    print(json.dumps(["applied", *session.segments.source_cell(value)]), flush=True)
    if len(sys.argv) > 3:
        session.save_labels(sys.argv[3])
    corner = np.argwhere(session.labels.array == value)[0]
    at_ras = (volume.ijk_to_ras @ np.append(corner, 1.0))[:3]
    session.apply("erase", at_ras=at_ras, radius_mm=1.0, mode="2d", segment=value)
    print(json.dumps(["erased", *session.segments.source_cell(value)]), flush=True)
    time.sleep(120)   # killed here


if __name__ == "__main__":
    main()
