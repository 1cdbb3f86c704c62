"""The status line after a one-shot tool's Apply (``app.apply_notes``), against counts made here."""

from __future__ import annotations

import numpy as np

from neuroview.app.apply_notes import apply_note
from neuroview.app.session import Session


def _three_islands(volume, tmp_path):
    s = Session(volume, tmp_path / "ws")
    lesion = s.segments.add("lesion")
    s.labels.array[2:8, 2:8, 2:6] = lesion.value      # 144 voxels
    s.labels.array[12:14, 12:14, 2:4] = lesion.value  # 8
    s.labels.array[18, 18, 8] = lesion.value          # 1
    return s, lesion


def test_remove_small_counts_the_islands_and_their_volume(volume, tmp_path):
    s, lesion = _three_islands(volume, tmp_path)
    s.set_params("islands", operation="remove_small", min_voxels=10)
    step = s.apply("islands")
    note = apply_note("islands", s.params["islands"], step, lesion.value, "lesion", s.labels.voxel_volume_ml)
    assert note == "Islands: removed 2 small ones (9 voxels, 0.02 mL) from 'lesion'."
    assert int((s.labels.array == lesion.value).sum()) == 144
    s.close()


def test_split_names_how_many_segments(volume, tmp_path):
    s, lesion = _three_islands(volume, tmp_path)
    s.set_params("islands", operation="split")
    step = s.apply("islands")
    note = apply_note("islands", s.params["islands"], step, lesion.value, "lesion", s.labels.voxel_volume_ml)
    assert note == "Islands: split 'lesion' into 3 segments (9 voxels moved to 2 new segments)."
    assert len(np.unique(s.labels.array)) == 4
    s.close()


def test_no_step_says_nothing_changed(volume, tmp_path):
    s, lesion = _three_islands(volume, tmp_path)
    assert apply_note("margin", s.params["margin"], None, lesion.value, "lesion", 0.002) == \
        "Margin: nothing changed."
    s.close()
