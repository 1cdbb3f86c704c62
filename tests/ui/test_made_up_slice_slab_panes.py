"""A made-up slice is marked where it is shown outside the main views' thin slices too: on a
thick slab whose centre slice was acquired but which combines a made-up one (``made-up slice in
slab``, orange, in the view and its exported PNG), and in both panes of *Compare series side by
side* on the made-up slice and on such a slab. Until session 45 neither was marked."""

from __future__ import annotations

import numpy as np
from editor_helpers import grab
from made_up_series import compared, marks_by_slice, missing_slice, open_chosen, orange
from PySide6.QtCore import Qt

from neuroview.app.view_slab import Slab
from neuroview.render.slices import MADE_UP_IN_SLAB, MADE_UP_NOTE, made_up_note


def _to_slice(window, k: int) -> None:
    volume = window.controller.volume
    window.controller.set_crosshair(volume.ijk_to_ras[:3, :3] @ np.array([31.5, 31.5, k])
                                    + volume.ijk_to_ras[:3, 3])


def test_a_slab_taking_in_a_made_up_slice_says_so(qtbot, window, tmp_path):
    open_chosen(qtbot, window, missing_slice(tmp_path / "ct"))
    assert window.controller.volume.made_up_slices == (2,)   # 5 mm apart
    axial = window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.width() > 200, timeout=5000)
    state = window.controller.state
    seen = {}
    for k, thickness in ((1, 0.0), (1, 10.0), (4, 10.0), (3, 10.0), (0, 10.0), (2, 10.0)):
        _to_slice(window, k)
        window.controller.set_slab(Slab(thickness, "max"), "axial")
        axial.repaint()
        seen[k, thickness] = (orange(grab(axial)), made_up_note(window.controller.volume, state,
                                                                "axial"))
    assert seen[1, 0.0] == (0, "")                      # an acquired slice, thin
    assert seen[4, 10.0] == (0, "") and seen[0, 10.0] == (0, "")  # slabs of acquired slices
    assert seen[1, 10.0][0] > 100 and seen[1, 10.0][1] == MADE_UP_IN_SLAB   # 0-2: takes in 2
    assert seen[3, 10.0] == seen[1, 10.0]
    assert seen[2, 10.0][0] > seen[1, 10.0][0] * 0.5 and seen[2, 10.0][1] == MADE_UP_NOTE
    assert seen[1, 10.0][0] != seen[2, 10.0][0]          # another line
    _to_slice(window, 1)
    assert orange(window.view_picture("axial")) == seen[1, 10.0][0]   # the exported PNG too


def test_both_compare_panes_mark_the_made_up_slice(qtbot, window, tmp_path):
    import pydicom
    from pydicom.uid import generate_uid

    folder = missing_slice(tmp_path / "ct")
    frame = generate_uid()   # one frame of reference: shown as it lies, not registered
    for path in folder.glob("*.dcm"):
        ds = pydicom.dcmread(path)
        ds.FrameOfReferenceUID = frame
        ds.save_as(path)
    pair = compared(qtbot, window, folder, folder).pair   # the same series beside it
    marks = marks_by_slice(qtbot, pair)
    qtbot.keyClick(pair, Qt.Key_Home)
    qtbot.keyClick(pair, Qt.Key_Up)                      # the second slice, acquired
    pair.set_slab(Slab(10.0, "max"))                     # 5 mm each side: the third taken in
    qtbot.waitUntil(lambda: pair.repaint() or pair.thin == (False, False), timeout=20000)
    shown, (w, h) = grab(pair), pair.pane_size()
    slab = (orange(shown[:h, :w]), orange(shown[:h, w: 2 * w]))
    assert slab[0] > 100 and slab[0] == slab[1] and slab[0] != marks[2][0], (slab, marks)


def test_the_follow_up_baseline_pane_marks_its_made_up_slice(qtbot):
    """The follow-up window's baseline pane (and the flicker's right pane, showing it); the later
    study here has no made-up slices of its own (one that has: test_made_up_registered_panes)."""
    from followup_views import shown_pair

    from neuroview.core.volume import Volume

    rng = np.random.default_rng(3)
    baseline = Volume(rng.normal(100, 20, (40, 40, 6)).astype(np.float32),
                      np.diag([4.0, 4.0, 5.0, 1.0]), modality="MR", made_up_slices=(2,))
    pair = shown_pair(qtbot, baseline)
    seen = {}
    for k, flicker in ((1, False), (2, False), (2, True)):
        pair.flicker = flicker
        pair.state.set_crosshair(np.array([80.0, 80.0, 5.0 * k]))
        left, right = pair.pane_images()
        seen[k, flicker] = (orange(left), orange(right))
    assert seen[1, False] == (0, 0)
    assert seen[2, False][0] > 100 and seen[2, False][1] == 0
    assert seen[2, True][0] == seen[2, True][1] == seen[2, False][0]
