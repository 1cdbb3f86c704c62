"""The notice of AI > Segment's result gives each segment's volume as it landed, as the Segments
list does: it gave the model's output, counting voxels kept by a locked segment or by a segment a
person drew (which a model's result leaves alone)."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import open_image, wait_for_session, write_image
from tiny_models import tiny_model

pytest.importorskip("torch")


@pytest.mark.parametrize("locked", [False, True], ids=["drawn", "locked"])
def test_the_notice_gives_the_volume_that_landed(qtbot, window, tmp_path, locked):
    package = tiny_model(tmp_path)       # its lesion: every voxel of the image
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    session.segments.add("mine")
    session.apply("paint", at_ras=session.volume.center_ras, radius_mm=12, mode="3d", segment="mine")
    if locked:
        session.segments.lock("mine")
    mine = int((session.labels.array == 1).sum())
    assert mine > 500                    # 4 mL of the image's 885
    window.ai_actions.segment(str(package), "cpu")
    qtbot.waitUntil(lambda: "tiny@1.2.0 on cpu" in window.notice_bar.text, timeout=60000)
    landed = (session.labels.array == session.segments["lesion"].value).sum()
    assert landed == session.labels.array.size - mine
    ml = landed * session.labels.voxel_volume_ml
    assert f"lesion {ml:.0f} mL" in window.notice_bar.text, window.notice_bar.text
    assert np.isclose(ml, 884.736 - mine * 0.008)
