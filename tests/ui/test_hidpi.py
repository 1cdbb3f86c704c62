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


def run_at_ratio_2(tmp_path) -> dict:
    env = dict(os.environ, QT_SCALE_FACTOR="2", NEUROVIEW_HOME=str(tmp_path / "home"),
               PYTHONPATH=os.pathsep.join([str(HERE.parent.parent), os.environ.get("PYTHONPATH", "")]))
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run([sys.executable, str(HERE / "hidpi_check.py"), str(tmp_path)], env=env,
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
