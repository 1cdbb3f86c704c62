"""The GUI thread's longest stall when *Play time points* stops on a 4D CT and the 3D view is made
for the time point on screen (its one rebuild after the cine).

    QT_QPA_PLATFORM=offscreen python bench/cine_stop_stall.py [--frames 30] [--repeats 5]

A 512x512x64 CT perfusion-like run in HU (``bench/time_cine.ct_run``, int16, 0.5x0.5x2 mm, a sidecar
naming it CT, ``--frames`` time points) opened in the window at 1024x768, four-up. Each repeat
plays a few time points (the cine's ``step``, the action checked), stops the cine, and runs the
event loop until the 3D view has drawn the time point shown; a 5 ms timer ticks meanwhile, and the
longest gap between its ticks is the GUI thread's longest stall (the slice views, clicks and keys
wait as long). Prints each repeat's stall and time to the 3D view drawn, and their medians.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication
    from time_cine import ct_run

    from neuroview.io.nifti import save_nifti
    from neuroview.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        os.environ["NEUROVIEW_HOME"] = str(Path(folder) / "home")
        path = Path(folder) / "ct.nii"
        save_nifti(ct_run(args.frames), np.diag([0.5, 0.5, 2.0, 1.0]), path)
        path.with_suffix(".json").write_text('{"Modality": "CT"}')
        window = MainWindow()
        window.resize(1024, 768)
        window.show()
        window.open_paths([path])
        view3d, c = window.view3d, window.controller

        def settled() -> bool:
            return (c.volume is not None and not window.runner.busy and view3d.rgb is not None
                    and not view3d._volume_timer.isActive() and not view3d.surfaces_pending)

        def wait_until(done) -> None:
            """The event loop runs (as the app's does) until ``done()``, looked at every 2 ms."""
            loop, poll = QEventLoop(), QTimer()
            poll.timeout.connect(lambda: done() and loop.quit())
            poll.start(2)
            loop.exec()
            poll.stop()

        wait_until(settled)
        cine = window.time_cine
        cine.timer.setInterval(10 ** 9)   # the steps are this script's
        ticks: list[float] = []
        ticker = QTimer()
        ticker.setInterval(5)
        ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))
        stalls, drawn = [], []
        for _ in range(args.repeats):
            cine.action.setChecked(True)
            for _step in range(3):
                cine.step()
                app.processEvents()
            frame = c.state.frame
            ticks.clear()
            ticker.start()
            start = time.perf_counter()
            cine.action.setChecked(False)   # stopped: the 3D view follows
            ticks.append(start)
            wait_until(lambda f=frame: settled() and view3d._scene_frame == f)
            end = time.perf_counter()
            app.processEvents()
            ticker.stop()
            ticks.append(end)
            stalls.append(float(np.max(np.diff(ticks))) * 1000)
            drawn.append((end - start) * 1000)
            print(f"stall {stalls[-1]:.0f} ms, 3D view drawn after {drawn[-1]:.0f} ms")
        print(f"longest GUI stall after the cine stops: median {np.median(stalls):.0f} ms, max "
              f"{np.max(stalls):.0f} ms ({len(stalls)}); 3D view drawn after median "
              f"{np.median(drawn):.0f} ms")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
