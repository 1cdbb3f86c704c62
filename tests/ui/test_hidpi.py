"""On a HiDPI screen (device pixel ratio 2) the slice views draw the picture at the screen's
resolution, and the pointer reads and clicks the voxel drawn in the screen pixel under it. The
picture was rendered at half the screen's resolution and upscaled: a blurry image and letters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_at_ratio_2(tmp_path, script: str = "hidpi_check.py") -> dict:
    env = dict(os.environ, QT_SCALE_FACTOR="2", NEUROVIEW_HOME=str(tmp_path / "home"),
               PYTHONPATH=os.pathsep.join([str(HERE.parent.parent), os.environ.get("PYTHONPATH", "")]))
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([sys.executable, str(HERE / script), str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=180)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    return json.loads(lines[-1][len("RESULT "):])


def test_slice_view_draws_and_reads_at_the_device_pixel_ratio(tmp_path):
    result = run_at_ratio_2(tmp_path)
    assert result["ratio"] == 2.0
    width, height = result["widget"]
    assert result["picture"] == [2 * height, 2 * width], "rendered at the screen's resolution"
    assert result["grab"] == [2 * height, 2 * width]
    assert result["same_as_picture"] > 0.95, "the screen shows the picture's pixels, not an upscale"
    drawn = result["drawn"]
    assert min(drawn) >= 0 and len(set(drawn)) > 8
    wrong = [(d, r) for d, r in zip(drawn, result["read"]) if d != r]
    assert not wrong, f"the pointer readout named another voxel than drawn under it: {wrong[:4]}"
    wrong = [(d, c) for d, c in zip(drawn, result["clicked"]) if d != c]
    assert not wrong, f"a click moved the crosshair to another voxel than drawn under it: {wrong[:4]}"


def test_3d_view_renders_at_the_device_pixel_ratio_and_pans_under_the_pointer(tmp_path):
    """The 3D view rendered a frame of the widget's size in points, upscaled twice each way on
    the screen (blurry). A middle-drag pans the scene as far as the pointer went (it has no other
    picking: left-drag rotates, the wheel zooms)."""
    result = run_at_ratio_2(tmp_path, "hidpi3d_check.py")
    assert result["ratio"] == 2.0
    width, height = result["widget"]
    assert result["frame"] == [2 * height, 2 * width], "rendered at the screen's resolution"
    assert result["grab"] == [2 * height, 2 * width]
    assert result["same_as_frame"] > 0.95, "the screen shows the frame's pixels, not an upscale"
    assert abs(result["panned"][0] - result["dragged"][0]) < 1.0
    assert abs(result["panned"][1] - result["dragged"][1]) < 1.0
