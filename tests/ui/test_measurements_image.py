"""Reading one CT after another: the notice bar says the warnings of the image on screen, not
those of the image read before, and *Measurements* holds the user's measurements only. Warnings
went into that list, among the rulers, until session 28; on 4 Dec 2026 a gantry tilt warning of
the CT read before stood there with nothing to tell it from the CT on screen."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from editor_helpers import open_image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from series_maker import SeriesSpec, write_series  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

SMALL = dict(modality="CT", rows=40, cols=36, n_slices=8, slice_step=5.0)


def test_the_warnings_shown_are_those_of_the_image_on_screen(qtbot, window, tmp_path, mni_volume):
    tilted = write_series(tmp_path / "tilted", mni_volume, SeriesSpec(
        orientation="gantry 15", tilt_mm_per_slice=5.0 * np.tan(np.radians(15)),
        description="CT head tilted", **SMALL))
    plain = write_series(tmp_path / "plain", mni_volume, SeriesSpec(description="CT head plain",
                                                                    **SMALL))
    open_image(qtbot, window, tilted.folder)
    warnings = [line for line in window.notice_bar.text.split("\n") if line.startswith("Warning")]
    assert len(warnings) == 1 and warnings[0].startswith("Warning: gantry tilt of 15.00 degrees")
    assert window.measurements.count() == 0
    open_image(qtbot, window, plain.folder)
    qtbot.waitUntil(lambda: window.controller.volume.description == "CT head plain", timeout=30000)
    assert "gantry tilt" not in window.notice_bar.text
    assert window.measurements.count() == 0
