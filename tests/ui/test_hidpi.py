"""On a HiDPI screen (device pixel ratio 2, and 1.5 and 1.25) the slice views draw the picture at the screen's
resolution, and the pointer reads and clicks the voxel drawn in the screen pixel under it. The
picture was rendered at half the screen's resolution and upscaled: a blurry image and letters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def run_at_ratio(tmp_path, ratio: str = "2") -> dict:
    env = dict(os.environ, QT_SCALE_FACTOR=ratio, NEUROVIEW_HOME=str(tmp_path / "home"),
               PYTHONPATH=os.pathsep.join([str(HERE.parent.parent), os.environ.get("PYTHONPATH", "")]))
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([sys.executable, str(HERE / "hidpi_check.py"), str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=240)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    return json.loads(lines[-1][len("RESULT "):])


@pytest.fixture(scope="module", params=["2", "1.5", "1.25"])
def at_ratio(request, tmp_path_factory) -> tuple[str, dict]:
    """The ratio, and what one Python at that ratio saw: the slice views' checks, then the 3D
    view's in the same window (a Python and a window per ratio, not one per test)."""
    return request.param, run_at_ratio(tmp_path_factory.mktemp("hidpi"), request.param)


def test_slice_views_draw_read_click_and_paint_at_the_device_pixel_ratio(at_ratio):
    """At 125 % and 150 % a view of w points covers round(1.25 w) screen pixels: the picture was
    fitted to those, the pointer to w points (a hair apart), and the pointer's pixel was taken as
    its left neighbour where ``X / 1.25 * 1.25`` came back under ``X``: near voxel edges the status
    bar, a click and a one-voxel brush took the neighbouring voxel (12 and 35 of 120 pixels of the
    coronal view at 125 % and 150 %). File > Export view made a PNG of the view's size in points
    (half the screen's pixels at 200 %)."""
    ratio, result = at_ratio
    export = result["export"]
    assert export["exported"] == export["shown"], "File > Export view at the screen's resolution"
    assert export["same"] > 0.97, "the PNG shows what the view shows: letters, crosshair, ruler"
    for plane in ("axial", "coronal"):
        seen = result[plane]
        assert seen["ratio"] == float(ratio)
        width, height = seen["widget"]
        assert seen["picture"] == [int(height * seen["ratio"] + 0.5), int(width * seen["ratio"] + 0.5)], \
            "rendered at the screen's resolution (halves rounded up, as Qt gives the widget)"
        assert seen["grab"] == seen["picture"]
        assert seen["same_as_picture"] > 0.95, "the screen shows the picture's pixels, not an upscale"
        assert seen["window_match"] > 0.95, "the picture found in the window's pixels"
        drawn = seen["drawn"]
        assert min(drawn) >= 0 and len(set(drawn)) > 8
        wrong = [(d, r) for d, r in zip(drawn, seen["read"]) if d != r]
        assert not wrong, f"{plane}: the pointer readout named another voxel than drawn: {wrong[:4]}"
        wrong = [(d, c) for d, c in zip(drawn, seen["clicked"]) if d != c]
        assert not wrong, f"{plane}: a click moved the crosshair to another voxel than drawn: {wrong[:4]}"
        assert seen["painted"] == [[d] for d in seen["dabbed"]], \
            f"{plane}: a one-voxel brush painted another voxel than drawn under the pointer"
        brush = seen["brush"]   # the brush's mm in the picture's screen pixels, not in points
        assert abs(brush["left"] - brush["expected"]) <= 1 and abs(brush["top"] - brush["expected"]) <= 1, \
            f"{plane}: brush cursor radius {brush} (screen pixels)"


def test_3d_view_renders_at_the_device_pixel_ratio_and_pans_under_the_pointer(at_ratio):
    """The 3D view rendered a frame of the widget's size in points, upscaled twice each way on
    the screen (blurry). A middle-drag pans the scene as far as the pointer went (it has no other
    picking: left-drag rotates, the wheel zooms). At 125 % a 314-point wide view is given 393 screen
    pixels: the frame was 392 wide (Python's round(392.5)), its last column unpainted."""
    ratio, result = at_ratio
    result = result["3d"]
    assert result["images"] == [result["opened"]] * 2, "the frame and the pan: the image just opened"
    assert result["ratio"] == float(ratio)
    width, height = result["widget"]
    assert result["grab"] == [int(height * float(ratio) + 0.5), int(width * float(ratio) + 0.5)]
    assert result["frame"] == result["grab"], "rendered at the screen's resolution"
    assert result["same_as_frame"] > 0.95, "the screen shows the frame's pixels, not an upscale"
    assert abs(result["panned"][0] - result["dragged"][0]) < 1.0
    assert abs(result["panned"][1] - result["dragged"][1]) < 1.0
