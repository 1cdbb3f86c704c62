"""Reading one CT after another: *Measurements* keeps every image's lines (rulers, statistics,
warnings), and each warning line now names its image. A gantry tilt warning of the CT read before
stood there with nothing to tell it from the CT on screen (walk of 4 Dec 2026)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from editor_helpers import open_image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from series_maker import SeriesSpec, write_series  # noqa: E402

SMALL = dict(modality="CT", rows=40, cols=36, n_slices=8, slice_step=5.0)


def _lines(window) -> list[str]:
    return [window.measurements.item(i).text() for i in range(window.measurements.count())]


def test_each_warning_line_names_its_image(qtbot, window, tmp_path, mni_volume):
    tilted = write_series(tmp_path / "tilted", mni_volume, SeriesSpec(
        orientation="gantry 15", tilt_mm_per_slice=5.0 * np.tan(np.radians(15)),
        description="CT head tilted", **SMALL))
    plain = write_series(tmp_path / "plain", mni_volume, SeriesSpec(description="CT head plain",
                                                                    **SMALL))
    open_image(qtbot, window, tilted.folder)
    open_image(qtbot, window, plain.folder)
    qtbot.waitUntil(lambda: window.controller.volume.description == "CT head plain", timeout=30000)
    warnings = [line for line in _lines(window) if line.startswith("warning")]
    assert len(warnings) == 1 and "gantry tilt of 15.00 degrees" in warnings[0]
    assert warnings[0].startswith("warning (CT head tilted): gantry tilt")
