"""A VTK observer that raises (``render.observers``): the frame is drawn, the exception said once;
a Ctrl+C during a frame is raised once the frame's VTK call has returned, where VTK ended the
process (``Py_Exit`` in its observer: rc 1, or a segmentation fault, as ``neuroview snapshot``
ended 2 runs of 2)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from render_cases import AFFINES, make_case

from neuroview.render import observers, volume3d

HERE = Path(__file__).parent


def test_a_raising_observer_is_said_once_and_the_frame_drawn(monkeypatch):
    monkeypatch.setattr(volume3d, "PUMP_S", 0.0)   # during_frame at every progress event
    monkeypatch.setattr(observers, "_said", set())
    told = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, tb: told.append(str(error)))
    volume, _ = make_case(AFFINES["ras"], blob_radius=6.0)
    scene = volume3d.Scene3D(120, 100)
    calls = []

    def during() -> None:
        calls.append(1)
        raise ZeroDivisionError("pump fault")

    try:
        scene.set_volume(volume, "MR default")
        scene.during_frame = during
        first = scene.render(120, 100)
        second = scene.render(120, 100)
    finally:
        scene.close()
    assert len(calls) >= 4   # called again and again, and each time it raised
    assert told == ["pump fault"]   # VTK printed it at every call
    assert first.std() > 5 and (first == second).all()   # the head, drawn whole both times


CHILD = textwrap.dedent("""
    import os, signal, sys
    sys.path[:0] = [{here!r}, {root!r}]
    from render_cases import AFFINES, make_case
    from neuroview.render import volume3d
    volume3d.PUMP_S = 0.0
    volume, _ = make_case(AFFINES["ras"], blob_radius=6.0)
    scene = volume3d.Scene3D(120, 100)
    scene.set_volume(volume, "MR default")
    calls = []
    def during():
        calls.append(1)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)   # Ctrl+C, as the frame is being drawn
    scene.during_frame = during
    try:
        scene.render(120, 100)
        print("no interrupt")
    except KeyboardInterrupt:
        print("interrupted after the frame")
    print("next frame", scene.render(120, 100).std() > 5)
    scene.close()
""")


def test_ctrl_c_during_a_frame_is_raised_once_vtk_returned():
    root = str(HERE.parents[1])
    child = CHILD.format(here=str(HERE), root=root)
    env = dict(os.environ, PYTHONPATH=root)
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr   # was 1: "Caught a Ctrl-C within python"
    lines = done.stdout.splitlines()
    assert lines[0] == "interrupted after the frame"
    assert lines[1] == "next frame True"
