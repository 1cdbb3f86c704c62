"""The measurements kept with their image (``drawn-measurements/KEY.json``): given back with the same
points and the same figures, a damaged entry left out with the reason while the others come back, no
record for an image (a data folder of before session 49) gives nothing, two windows on one image
keep each other's, and ``kill -9`` in the middle of a write leaves the file as it was before it,
right after it the new one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from neuroview.app import measure_memory
from neuroview.app.measure_memory import (
    MAX_ENTRIES,
    MEMORY_FOLDER,
    image_file,
    measure_record,
    measurements_from,
    remember_measurements,
    remembered_measurements,
)
from neuroview.app.view_measure import Angle, Ellipse, Rectangle, Ruler, drawn_on_slice
from neuroview.app.view_state import ViewerState
from neuroview.core.volume import Volume
from neuroview.paths import user_data_path


def _volume() -> Volume:
    values = np.arange(40 * 30 * 6, dtype=np.float32).reshape(40, 30, 6)
    return Volume(values, np.diag([0.8, 0.6, 2.0, 1.0]))


def _drawn(volume) -> list:
    state = ViewerState.for_volume(volume)
    return [Ruler("axial", np.array([1.3, 2.1, 4.0]), np.array([20.7, 9.9, 4.0])),
            Angle("coronal", np.array([3.0, 6.0, 2.0]), np.array([9.0, 6.0, 6.0]),
                  np.array([15.0, 6.0, 2.5])),
            drawn_on_slice(Ellipse, volume, state, "axial", [4.1, 3.3, 4.0], [17.9, 12.2, 4.0]),
            drawn_on_slice(Rectangle, volume, state, "axial", [2.2, 1.1, 6.0], [12.5, 8.8, 6.0])]


def test_measurements_come_back_with_the_same_points_and_figures():
    volume = _volume()
    drawn = _drawn(volume)
    remember_measurements("key-a", measure_record(drawn))
    back, problems = measurements_from(remembered_measurements("key-a"), volume)
    assert problems == [] and [type(i) for i in back] == [Ruler, Angle, Ellipse, Rectangle]
    for before, after in zip(drawn, back):
        assert after.plane == before.plane
        assert all(np.array_equal(a, b) for a, b in zip(after.points, before.points))   # exact
        assert after.value_text == before.value_text
    assert back[2].stats.lines() == drawn[2].stats.lines() and back[2].stats.voxels > 20
    assert back[3].stats.lines() == drawn[3].stats.lines() and back[3].stats.voxels > 20
    assert np.array_equal(back[3].axes, drawn[3].axes) and back[3].thickness_mm == 2.0
    assert remembered_measurements("another image") is None   # a data folder of before: nothing


def test_a_damaged_entry_is_left_out_with_its_reason_the_others_come_back():
    volume = _volume()
    record = measure_record(_drawn(volume))
    record[0]["points"][1] = [1.0, "x", 2.0]
    record[2]["axes"][0] = [2.0, 0.0, 0.0]
    bad = [{"kind": "ruler", "plane": "axial", "points": [[0, 0, 4], [1e9, 0, 4]]},
           {"kind": ["ruler"]}, "ruler", {"kind": "rectangle", "plane": "oblique"},
           {"kind": "angle", "plane": "axial", "points": [[0, 0, 4], [0, 0, 4], [3, 0, 4]]}]
    back, problems = measurements_from(record + bad, volume)
    assert [type(i) for i in back] == [Angle, Rectangle]
    assert problems == [
        "a ruler whose points are not 2 points of 3 numbers",
        "an ellipse whose view axes are not three unit axes at right angles",
        "a ruler whose points lie far off the image",
        "of no kind this neuroview knows", "not a JSON object",
        "a rectangle of no view (axial, coronal or sagittal)",
        "an angle of no size"]
    assert measurements_from({"rulers": []}, volume) == ([], ["not a list of measurements"])
    slab = dict(record[3], thickness_mm=1000.0)   # the whole image read for one rectangle
    assert measurements_from([slab], volume)[1] == [
        "a rectangle whose thickness is not that of one slice of the image"]
    many, problems = measurements_from([record[1]] * (MAX_ENTRIES + 2), volume)
    assert len(many) == MAX_ENTRIES and problems == [f"past the first {MAX_ENTRIES} of the image"] * 2


def test_an_empty_record_drops_the_image_and_the_others_stay():
    remember_measurements("a", [{"kind": "ruler"}])
    remember_measurements("b", [{"kind": "angle"}])
    remember_measurements("a", [])
    folder = user_data_path() / MEMORY_FOLDER
    assert sorted(f.name for f in folder.iterdir()) == ["b.json"]
    assert json.loads((folder / "b.json").read_text()) == [{"kind": "angle"}]
    assert remembered_measurements("a") is None


def test_only_the_newest_images_are_kept(monkeypatch):
    monkeypatch.setattr(measure_memory, "MAX_IMAGES", 2)
    for n, key in enumerate("abc"):
        remember_measurements(key, [{"kind": "ruler", "n": n}])
        os.utime(image_file(key), ns=(n * 10**9, n * 10**9))   # the order they were written in
    killed, writing = (image_file("x").with_name(f".x.{n}.json") for n in ("k2j4x8ab", "p0q1r2s3"))
    killed.write_text("[")   # a write killed two hours ago, and one another window is writing
    writing.write_text("[")
    os.utime(killed, (time.time() - 7200,) * 2)
    remember_measurements("d", [{"kind": "ruler"}])
    assert [remembered_measurements(k) is not None for k in "abcd"] == [False, False, True, True]
    assert not killed.exists() and writing.exists()


def test_two_windows_on_one_image_keep_each_others_measurements():
    ruler, angle, ellipse = ({"kind": k} for k in ("ruler", "angle", "ellipse"))
    remember_measurements("k", [ruler])
    first, second = [ruler], [ruler]   # both windows opened the image with its ruler
    kept = remember_measurements("k", [ruler, angle], base=first)    # the first draws an angle
    assert kept == [ruler, angle]
    kept = remember_measurements("k", [ellipse], base=second)        # the second: an ellipse, the
    assert kept == [angle, ellipse]                                   # ruler deleted
    assert remembered_measurements("k") == [angle, ellipse]
    kept = remember_measurements("k", [ruler], base=[ruler, angle])  # the first deletes its angle
    assert kept == [ellipse]                                          # (the ruler was deleted)
    assert remembered_measurements("k") == [ellipse]


KILLED_WRITER = """
import sys, time
from neuroview.app.measure_memory import remember_measurements
from neuroview.core import atomic
remember_measurements("key", [{"kind": "ruler", "n": 1}])
def held(source, target):
    print("writing", flush=True)   # the new file written, not yet in place
    time.sleep(60)
atomic.os.replace = held
remember_measurements("key", [{"kind": "ruler", "n": 2}])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kill_9_during_a_write_leaves_the_file_as_it_was():
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER], stdout=subprocess.PIPE,
                             env=dict(os.environ), text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    assert remembered_measurements("key") == [{"kind": "ruler", "n": 1}]


WRITE_THEN_KILLED = """
import os, signal
from neuroview.app.measure_memory import remember_measurements
remember_measurements("key", [{"kind": "ruler", "n": 3}])
os.kill(os.getpid(), signal.SIGKILL)   # the fsyncs may not have run: the kernel has the file
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kill_9_right_after_a_keep_keeps_it():
    remember_measurements("key", [{"kind": "ruler", "n": 1}])
    child = subprocess.run([sys.executable, "-c", WRITE_THEN_KILLED], env=dict(os.environ), timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert remembered_measurements("key") == [{"kind": "ruler", "n": 3}]
