"""Lesions the reader marks wrong on a follow-up (``app.followup_marks``): the row stays, struck
through, but leaves the counts and the load; its mark names the lesion's parts by a voxel of each
on its own study's grid, so the same mark finds the same lesion in the other tables and when the
studies are compared again; the corrected mask lacks exactly that lesion."""

from __future__ import annotations

import numpy as np

from neuroview.app.followup import StudyInput
from neuroview.app.followup_lesions import match_lesions, table_csv
from neuroview.app.followup_marks import Marks, marked_line, pair_keys, tracked_keys, whole_lesion
from neuroview.app.followup_track import track_lesions
from tests.app.followup_cases import balls

SHAPE = (40, 40, 40)
AFFINE = np.diag([2.0, 2.0, 2.0, 1.0])


def _mask(*centres_radii):
    return balls(SHAPE, AFFINE, [c for c, _ in centres_radii], [r for _, r in centres_radii])


STABLE, NEW, FAR = ((20.0, 20.0, 20.0), 6.0), ((60.0, 60.0, 20.0), 5.0), ((20.0, 60.0, 60.0), 5.0)
MASKS = [_mask(STABLE), _mask(STABLE, NEW), _mask(STABLE, NEW, FAR)]


def _tables():
    studies = [StudyInput(np.zeros(SHAPE, np.float32), AFFINE, mask) for mask in MASKS]
    pairs = [match_lesions(MASKS[0], AFFINE, later, AFFINE, np.eye(4)) for later in MASKS[1:]]
    return pairs, track_lesions(studies, [np.eye(4)] * 3)


class _Compared:   # what Marks.apply reads of a comparison: its table
    def __init__(self, table):
        self.table = table


def test_a_new_lesion_marked_wrong_leaves_the_counts_in_every_table():
    pairs, tracking = _tables()
    new = next(r for r in pairs[0].rows if r.status == "new")
    assert pairs[0].count("new") == 1 and pairs[1].count("new") == 2
    load = pairs[0].load_followup_ml
    marks = Marks().toggled(whole_lesion(pair_keys(new, 1), tracking))
    marks.apply([_Compared(t) for t in pairs], tracking)

    assert new.marked and pairs[0].count("new") == 0
    assert pairs[0].lesions_followup == 1
    assert np.isclose(pairs[0].load_followup_ml, load - new.volume_followup_ml)
    # the same lesion in follow-up 2's table (its tp3 part, which follow-up 1's pair does not
    # hold) and across time points is marked too
    assert pairs[1].count("new") == 1
    assert pairs[0].count("new") == 0 and pair_keys(new, 1) < whole_lesion(pair_keys(new, 1), tracking)
    marked = [r for r in tracking.rows if r.marked]
    assert len(marked) == 1 and marked[0].volumes_ml[1] == new.volume_followup_ml
    assert marked_line(tracking).startswith(f"1 lesion marked wrong by the reader (not a lesion; "
                                            f"across all time points: {marked[0].id})")
    header, *rows = table_csv(pairs[0]).splitlines()
    assert header.endswith(",reader")
    assert [row.endswith(",marked wrong") for row in rows] == [r.marked for r in pairs[0].rows]

    # marked across time points, the lesion's parts at tp2 and tp3 are both named
    again = Marks().toggled(tracked_keys(marked[0]))
    again.apply([_Compared(t) for t in pairs], tracking)
    assert pairs[0].count("new") == 0 and pairs[1].count("new") == 1
    # toggled again: nothing marked, the columns as the command writes them
    none = again.toggled(tracked_keys(marked[0]))
    none.apply([_Compared(t) for t in pairs], tracking)
    assert not none.keys and "reader" not in table_csv(pairs[0])
    assert "reader" not in tracking.csv() and marked_line(tracking) == ""


def test_marks_find_the_same_lesion_compared_again_and_correct_its_mask():
    pairs, tracking = _tables()
    new = next(r for r in tracking.rows if r.volumes_ml[0] == 0 and r.volumes_ml[1] > 0)
    saved = Marks().toggled(tracked_keys(new)).to_json()
    assert saved == Marks.from_json(saved).to_json()
    assert Marks.from_json([[1, 2, 3], "x", [1, 2, 3, True], None]).keys == set()

    pairs, tracking = _tables()   # compared again: new objects, the same voxels
    read = Marks.from_json(saved)
    read.apply([_Compared(t) for t in pairs], tracking)
    assert [r.marked for r in tracking.rows] == [r.volumes_ml[0] == 0 and r.volumes_ml[1] > 0
                                                 for r in tracking.rows]
    assert read.corrected_mask(MASKS[0], 0) is None            # nothing of the baseline marked
    corrected = read.corrected_mask(MASKS[2], 2)
    assert np.array_equal(corrected, _mask(STABLE, FAR))       # exactly the marked ball gone
    assert np.array_equal(read.corrected_mask(MASKS[1], 1), _mask(STABLE))
