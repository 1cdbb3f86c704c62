"""Reading one CT after another: *Measurements* keeps every image's lines (rulers, statistics,
warnings), and each image's lines now follow a line naming it. A gantry tilt warning of the CT
read before stood there with nothing to tell it from the CT on screen (walk of 4 Dec 2026)."""

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


def test_each_image_s_warnings_follow_a_line_naming_it(qtbot, window, tmp_path, mni_volume):
    tilted = write_series(tmp_path / "tilted", mni_volume, SeriesSpec(
        orientation="gantry 15", tilt_mm_per_slice=5.0 * np.tan(np.radians(15)),
        description="CT head tilted", **SMALL))
    plain = write_series(tmp_path / "plain", mni_volume, SeriesSpec(description="CT head plain",
                                                                    **SMALL))
    open_image(qtbot, window, tilted.folder)
    open_image(qtbot, window, plain.folder)
    qtbot.waitUntil(lambda: window.controller.volume.description == "CT head plain", timeout=30000)
    lines = _lines(window)
    assert "Image: CT head tilted" in lines and "Image: CT head plain" in lines
    tilt = next(n for n, line in enumerate(lines) if line.startswith("warning: gantry tilt"))
    assert lines.index("Image: CT head tilted") < tilt < lines.index("Image: CT head plain")
    assert not any("gantry tilt" in line for line in lines[lines.index("Image: CT head plain"):])
