"""The small files beside a crash journal (``work-session.json``, ``hand-edits.json``,
``removed-work.json``, ``sending.json``) damaged: opening the image restores the journal's edits
and leaves out only what the damaged file held (the editing session's token, the count of edits
by hand, the removed segments' work, the cut-short send's line). ``bench/mutate_readers.py
--only journal`` found (seed 55) that each was read with ``json.loads`` of the whole file, so
JSON nested 100,000 deep raised RecursionError out of ``Case.open`` (the window's start: an
internal error, the image left without editing); ``sending.json`` read so too, and 1e999 edits
by hand raised OverflowError (found reading the code)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.case import Case
from neuroview.app.hand_edits_kept import recall_hand_edits
from neuroview.app.send_marker import cut_short_send
from neuroview.app.session import Session
from neuroview.core.volume import Volume

NESTED = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def killed(tmp_path):
    """An image and its workspace as a kill left it: four strokes, a compaction after two."""
    volume = Volume(np.random.default_rng(3).normal(0, 1, (20, 22, 18)).astype(np.float32), np.eye(4))
    workspace = tmp_path / "ws"
    session = Session(volume, workspace)
    lesion = session.segments.add("lesion")
    for k in range(4):
        session.apply("paint", at_ras=(4.0 + 2 * k, 5.0 + k, 6.0), radius_mm=2.0, mode="3d", segment=lesion)
        if k == 1:
            session.checkpoint()
    painted = session.labels.array.copy()
    session.journal.close()
    return volume, workspace, painted


@pytest.mark.parametrize("name", ["work-session.json", "hand-edits.json", "removed-work.json"])
@pytest.mark.parametrize("text", [NESTED, '{"session": ' + NESTED + "}"])
def test_a_side_file_nested_deep_leaves_the_restore_whole(killed, name, text):
    volume, workspace, painted = killed
    (workspace / name).write_text(text)
    case = Case.open(volume, workspace, restore=True)
    try:
        assert case.session.restored_steps > 0
        np.testing.assert_array_equal(case.labels.array, painted)
    finally:
        case.close()


@pytest.mark.parametrize("count", ["1e999", "-1e999", "NaN"])
def test_a_count_of_hand_edits_out_of_range_is_none(killed, count):
    _volume, workspace, _painted = killed
    (workspace / "hand-edits.json").write_text(f'{{"generation": 1, "hand_edits": {count}}}')
    assert recall_hand_edits(workspace, 1) == 0


def test_a_send_mark_nested_deep_is_dropped(tmp_path):
    (tmp_path / "sending.json").write_text(NESTED)
    assert cut_short_send(tmp_path) is None
    assert not (tmp_path / "sending.json").exists()
