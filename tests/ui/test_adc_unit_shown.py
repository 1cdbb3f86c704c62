"""A Siemens ADC series (ImageType DERIVED\\PRIMARY\\DIFFUSION\\ADC, whole numbers in 10⁻⁶ mm²/s)
opened in the window: the status bar's value under the pointer and a rectangle's figures drawn
with the mouse carry the unit, ``value 812 ×10⁻⁶ mm²/s``, ``mean 800.3 ×10⁻⁶ mm²/s``. Until
session 50 they were bare numbers."""

from __future__ import annotations

import numpy as np
from editor_helpers import hover, open_image
from measure_drawing import draw_rectangle
from pydicom.uid import generate_uid
from two_series import SeriesSpec, write_series

from neuroview.core.volume import Volume

UNIT = "×10⁻⁶ mm²/s"


def _write_adc(folder, frame_uid: str, image_type=("DERIVED", "PRIMARY", "DIFFUSION", "ADC", "ND",
                                                    "NORM"), description="ep2d_diff_3scan_trace_p2_ADC"):
    """A 24 x 24 x 4 series of brain ADCs (stored 700-900) in the frame of reference ``frame_uid``."""
    rng = np.random.default_rng(5)
    source = Volume(array=(87.5 + 25 * rng.random((60, 60, 40))).astype(np.float32),   # x 8 stored
                    ijk_to_ras=np.array([[2.0, 0, 0, -60], [0, 2.0, 0, -78], [0, 0, 2.0, -22],
                                         [0, 0, 0, 1]]))
    return write_series(folder, source, SeriesSpec(
        rows=24, cols=24, n_slices=4, row_spacing=2.0, col_spacing=2.0, slice_step=4.0,
        description=description, image_type=image_type,
        extra=(("FrameOfReferenceUID", frame_uid),)))


def test_an_adc_maps_values_are_shown_with_their_unit(qtbot, window, tmp_path):
    written = _write_adc(tmp_path / "adc", generate_uid())
    open_image(qtbot, window, tmp_path / "adc")
    c = window.controller
    point = c.volume.ijk_to_ras_points(np.array([12.0, 12.0, 2.0]))
    hover(window, "axial", point)
    value = int(c.volume.array[12, 12, 2])
    assert 700 <= value <= 900
    assert window.readout.text().split("  ")[2] == f"value {value} {UNIT}"   # the status bar
    assert written.values.shape == c.volume.shape

    draw_rectangle(qtbot, window)
    stats = c.rectangles[0].stats
    assert stats.voxels > 20 and 700 <= stats.mean <= 900
    assert stats.lines()[1] == f"mean {stats.mean:.1f} {UNIT}, std {stats.std:.1f}"


def test_an_adc_map_laid_over_a_dwi_reads_with_its_unit(qtbot, window, tmp_path):
    """The status bar's ``overlay VALUE`` of an ADC map laid over the b=1000 image (one frame of
    reference): it read ``overlay 825``."""
    frame = generate_uid()
    _write_adc(tmp_path / "trace", frame, ("DERIVED", "PRIMARY", "DIFFUSION", "TRACEW", "ND"),
               "ep2d_diff_3scan_trace_p2_TRACEW")
    _write_adc(tmp_path / "adc", frame)
    open_image(qtbot, window, tmp_path / "trace")
    window.fusion.overlay_path(tmp_path / "adc")
    c = window.controller
    qtbot.waitUntil(lambda: c.state.fusion is not None and not window.runner.busy, timeout=30000)
    point = c.volume.ijk_to_ras_points(np.array([12.0, 12.0, 2.0]))
    hover(window, "axial", point)
    value = int(c.state.fusion.volume.array[12, 12, 2])
    assert window.readout.text().split("  ")[2] == f"value {int(c.volume.array[12, 12, 2])}"   # none
    assert window.readout.text().split("  ")[-1] == f"overlay {value} {UNIT}"
