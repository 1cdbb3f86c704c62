"""Hostile files whose pixels cannot be read (``tests/io/dicom/hostile_pixels.py``: JPEG 2000,
RLE and JPEG-LS frames cut short, a JPEG file cut inside its pixel data, a deflated dataset cut
short, pixel data under the wrong transfer syntax, a NIfTI's vox_offset beyond its file or in its
header) opened one after another in one window: each is the line ``neuroview`` gives, in the red
bar, no decoder's own text; the image on screen stays, and the window opens the next."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from hostile_pixels import HOSTILE, make_hostile  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_each_hostile_file_is_its_line_and_the_image_stays(qtbot, window, tmp_path):
    from editor_helpers import open_image, write_image

    good, volume = write_image(tmp_path)
    open_image(qtbot, window, good)
    for name in HOSTILE:
        path, line = make_hostile(tmp_path, name)
        window.message_bar.hide()
        window.open_paths([str(path)])
        qtbot.waitUntil(lambda: not window.runner.busy and window.message_bar.isVisible(),
                        timeout=30000)
        assert window.message_bar.text == line, name
        assert window.controller.volume.source_path == str(good), name
    assert np.array_equal(window.controller.volume.array, volume.array)
    window.open_paths([str(good)])   # the window goes on opening files
    qtbot.waitUntil(lambda: not window.runner.busy and not window.message_bar.isVisible(),
                    timeout=30000)
