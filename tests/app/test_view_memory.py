"""``app.view_memory``: what is given back of a kept record, and what is not (a record from
another grid, damaged numbers), with no Qt."""

from __future__ import annotations

import json

import numpy as np

from neuroview.app import view_memory
from neuroview.app.view_memory import give_back, remember_view, remembered_view, view_record
from neuroview.app.view_slab import Slab
from neuroview.app.view_state import ViewerState
from neuroview.paths import user_data_path

CAMERA = ((10.0, -200.0, 5.0), (0.0, 0.0, 0.0), (0.0, 0.0, 1.0), 80.0, 30.0)


def _state() -> ViewerState:
    return ViewerState((40, 40, 20), np.diag([0.9, 0.9, 2.0, 1.0]), 80.0, 40.0)


def test_a_record_gives_every_part_back():
    state = _state()
    state.set_crosshair(state.crosshair_ras + [1.8, -0.9, 6.0])
    state.set_window_level(2000.0, 500.0)
    state.views["coronal"].zoom, state.views["coronal"].pan_mm = 2.5, np.array([3.0, -4.0])
    state.slabs["axial"] = Slab(10.0, "min")
    record = json.loads(json.dumps(view_record(state, CAMERA)))   # as read back from the file
    again = _state()
    camera = give_back(again, record)
    assert camera == tuple(list(c) if isinstance(c, tuple) else c for c in CAMERA)
    assert np.allclose(again.crosshair_ras, state.crosshair_ras)
    assert (again.window, again.level) == (2000.0, 500.0)
    assert again.views["coronal"].zoom == 2.5 and list(again.views["coronal"].pan_mm) == [3.0, -4.0]
    assert again.slabs["axial"] == Slab(10.0, "min") and again.slabs["sagittal"] == Slab()


def test_what_does_not_fit_is_not_given_back():
    state = _state()
    before = (state.crosshair_ras.copy(), state.window, state.level)
    record = {"crosshair": [0.0, 0.0, 500.0],            # beyond the image's slices
              "window": -5, "level": 40,                 # no window of -5
              "views": {"axial": {"zoom": float("nan"), "pan": [1, 2]}, "sagittal": "x"},
              "slabs": {"axial": {"mm": 10, "mode": "brightest"}, "coronal": {"mm": 1e6, "mode": "max"}},
              "camera": [[0, 0, 1], [0, 0, 0], [0, 1, 0], 80, 400]}
    assert give_back(state, record) is None
    assert np.allclose(state.crosshair_ras, before[0]) and (state.window, state.level) == before[1:]
    assert all(v.zoom == 1.0 for v in state.views.values())
    assert all(not s.on for s in state.slabs.values())
    assert give_back(state, ["not", "a", "record"]) is None


def test_a_slab_mode_of_another_type_is_not_given_back_and_the_rest_is():
    """A slab's mode written as a list or an object (views.json damaged or edited) was an internal
    TypeError (unhashable type: 'list') as the image opened (bench/mutate_readers.py --only views,
    seed 50: 2 of 40 cases); the rest of the record is given back."""
    state = _state()
    record = {"window": 300.0, "level": 50.0,
              "slabs": {"axial": {"mm": 10, "mode": ["max"]}, "coronal": {"mm": 5, "mode": {"max": 1}},
                        "sagittal": {"mm": 4, "mode": "mean"}}}
    assert give_back(state, record) is None
    assert (state.window, state.level) == (300.0, 50.0)
    assert not state.slabs["axial"].on and not state.slabs["coronal"].on
    assert state.slabs["sagittal"] == Slab(4.0, "mean")


def test_the_newest_images_are_kept(monkeypatch):
    monkeypatch.setattr(view_memory, "MAX_IMAGES", 3)
    for n in range(5):
        remember_view(f"key{n}", {"window": float(n + 1), "level": 0.0})
    kept = json.loads((user_data_path() / "views.json").read_text())
    assert list(kept) == ["key4", "key3", "key2"]
    assert remembered_view("key1") is None and remembered_view("key3")["window"] == 4.0
    remember_view("key2", {"window": 9.0, "level": 0.0})   # opened again: newest
    assert list(json.loads((user_data_path() / "views.json").read_text()))[0] == "key2"


def test_a_record_without_camera_keeps_the_camera_kept_before():
    """Closed in a layout without the 3D view (no scene made): the camera left earlier stays."""
    state = _state()
    remember_view("key", view_record(state, CAMERA))
    state.set_window_level(400.0, 40.0)
    remember_view("key", view_record(state))
    again = _state()
    assert give_back(again, remembered_view("key")) is not None
    assert (again.window, again.level) == (400.0, 40.0)
