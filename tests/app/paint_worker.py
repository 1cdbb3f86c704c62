"""Paints strokes into a workspace and prints after each committed step (for the SIGKILL test).

Usage: python paint_worker.py IMAGE WORKSPACE N_STROKES
Stroke n is defined by ``stroke_plan(n)``; every 4th stroke is followed by an undo.
"""

import sys

import numpy as np


def stroke_plan(n: int, centre):
    rng = np.random.default_rng(n)
    start = np.asarray(centre) + rng.uniform(-40, 40, 3)
    path = [start + step for step in np.cumsum(rng.uniform(-3, 3, (12, 3)), axis=0)]
    return start, path, float(rng.uniform(5, 12)), "3d" if n % 2 else "2d", 1 + n % 2


def run_stroke(session, n: int, centre, on_drag=None):
    start, path, radius, mode, segment = stroke_plan(n, centre)
    session.press("paint", start, segment=segment, radius_mm=radius, mode=mode, view="axial")
    for point in path:
        session.drag(point)
        if on_drag:
            on_drag()
    session.release()
    if n % 4 == 3:
        session.undo()


def main() -> None:
    import time

    from neuroview import Session

    image, workspace, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    session = Session.open(image, workspace=workspace)
    session.segments.add("one")
    session.segments.add("two")
    print("ready", flush=True)
    centre = session.volume.center_ras
    for n in range(count):
        run_stroke(session, n, centre, on_drag=lambda: time.sleep(0.002))
        print(f"committed {n}", flush=True)


if __name__ == "__main__":
    main()
