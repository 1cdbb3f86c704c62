"""A CT with no header window opens with both preset boxes naming what the opening rule chose:
a chest at 400/40 with the *Preset* box on *Soft tissue* (OHIF's name; it said *Abdomen*) and the
3D view at "CT soft tissue" (it started at "CT bone", ribs and spine); a head keeps *Brain* and
"CT bone" (its skull). The *3D preset* box names it as the image opens. Series written as
scanners write them (ct_maker)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from editor_helpers import open_image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402


@pytest.mark.parametrize("chest, box, preset3d", [(True, "Soft tissue", "CT soft tissue"),
                                                  (False, "Brain", "CT bone")])
def test_a_ct_opens_with_the_presets_named_for_it(qtbot, window, tmp_path, chest, box, preset3d):
    options = dict(chest=True, spacing=8.0, fov_mm=250.0) if chest else {}
    write_ct(tmp_path / "ct", **options)
    panel = window.display_panel
    named = []   # the 3D preset box as the image opens, long before the 3D view's first frame
    window.controller.volume_changed.connect(lambda: named.append(panel.preset3d_box.currentText()))
    open_image(qtbot, window, tmp_path / "ct")
    assert named == [preset3d]   # it read "MR default" until the first frame was drawn
    state, view3d = window.controller.state, window.view3d
    expected = (400.0, 40.0) if chest else (80.0, 40.0)
    assert (state.window, state.level, panel.preset_box.currentText()) == (*expected, box)
    qtbot.waitUntil(lambda: view3d.scene is not None and view3d.rgb is not None, timeout=20000)
    assert view3d.scene.preset == preset3d
    qtbot.waitUntil(lambda: panel.preset3d_box.currentText() == preset3d, timeout=5000)
