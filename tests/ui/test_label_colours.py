"""One colour table: a segment looks the same in the window and in ``neuroview snapshot``."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image
from render_cases import BLOB_RAS

from neuroview.render.png import read_png

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

ORANGE = (255, 64, 0)  # the bundled lesionseg card's colour for "lesion"


def test_window_and_snapshot_give_label_1_the_same_rgb(qtbot, window, tmp_path):
    from neuroview.cli.main import main

    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    distance = np.linalg.norm(volume.ijk_to_ras_points(np.argwhere(np.ones(volume.shape, bool)))
                              - BLOB_RAS, axis=1).reshape(volume.shape)
    result = (distance <= 6.0).astype(np.uint8)
    session.apply_model_result(result, {1: "lesion"}, model="lesionseg@1.1.0", colors={1: ORANGE})
    saved = session.save_labels(tmp_path / "labels.nii.gz")
    window.controller.set_crosshair(BLOB_RAS)
    in_window = window.slice_views["axial"].render(240, 200)
    out = tmp_path / "snap.png"
    assert main(["snapshot", str(path), "--labels", str(saved), "--at", ",".join(map(str, BLOB_RAS)),
                 "--size", "240x200", "--out", str(out)]) == 0
    snapshot = read_png(out)
    lesion = in_window.labels == 1
    assert lesion.sum() > 20
    np.testing.assert_array_equal(snapshot[lesion], in_window.rgb[lesion])
    # ...and that colour is the segment's orange blended over the image, not another table's pink
    mean = snapshot[lesion].astype(float).mean(axis=0)
    assert mean[0] > mean[1] + 40 and mean[1] > mean[2]
