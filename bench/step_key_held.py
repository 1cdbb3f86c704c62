"""Alt+Right held down through a 4D CT run: a press, then the key's autorepeat (a
release and a press, as X11 sends them) ``--delay`` ms later, every ``--interval`` ms, reaching
the window's ``QWindow``, the event loop running between repeats. Prints the wall time of the
repeats against the time the keyboard took to send them, the 3D view's volume renderings made
meanwhile (each ~1 s on this run, the repeats waiting), and the time from the key's release to
the 3D view drawn.

    QT_QPA_PLATFORM=offscreen python bench/step_key_held.py [--interval 33] [--repeats 5]

The 6-frame 512x512x64 CT run of ``bench/time_cine.py --ct`` in the four-view layout at
1024x768; the repeats step forward from time point 1 (5 repeats: to time point 6).
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
    parser.add_argument("--interval", type=int, default=33, help="ms between repeats")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--delay", type=int, default=500, help="ms from the press to the first "
                        "repeat (GNOME's 500, X11's 660)")
    args = parser.parse_args()
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    from time_cine import ct_run

    from neuroview.io.nifti import save_nifti
    from neuroview.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        os.environ["NEUROVIEW_HOME"] = str(Path(folder) / "home")
        path = Path(folder) / "ct.nii"
        save_nifti(ct_run(), np.diag([0.5, 0.5, 2.0, 1.0]), path)
        path.with_suffix(".json").write_text('{"Modality": "CT"}')
        window = MainWindow()
        window.resize(1024, 768)
        window.show()
        window.open_paths([path])
        view3d = window.view3d
        while window.controller.volume is None or window.runner.busy:
            app.processEvents()
            time.sleep(0.005)
        window.set_layout("four-up")

        def settle():
            while window.controller.volume is None or window.runner.busy or view3d.rgb is None \
                    or view3d.surfaces_pending:
                app.processEvents()
                time.sleep(0.005)

        settle()
        made, show = [], view3d.scene.show_volume_data   # a time point's volume rendering taken
        view3d.scene.show_volume_data = lambda *a, **k: made.append(1) or show(*a, **k)
        entry = window.windowHandle()

        def key(kind, repeat):
            QApplication.sendEvent(entry, QKeyEvent(kind, Qt.Key_Right, Qt.AltModifier, "", repeat))

        key(QEvent.KeyPress, False)   # one step: its volume rendering made before the repeats
        start = time.perf_counter()
        while time.perf_counter() < start + args.delay / 1000:
            app.processEvents()
            time.sleep(0.002)
        made.clear()
        start = time.perf_counter()   # the first repeat (the press's rendering may overrun the delay)
        for n in range(args.repeats):
            due = start + n * args.interval / 1000
            while time.perf_counter() < due:   # the event loop between repeats
                app.processEvents()
                time.sleep(0.002)
            key(QEvent.KeyRelease, True)
            key(QEvent.KeyPress, True)
        held = (time.perf_counter() - start) * 1000
        renderings = len(made)
        released = time.perf_counter()
        key(QEvent.KeyRelease, False)
        settle()
        print(f"{args.repeats} repeats {args.interval} ms apart after {args.delay} ms: {held:.0f} ms "
              f"(the keyboard's {(args.repeats - 1) * args.interval} ms), {renderings} volume "
              f"renderings while held; time point {window.controller.state.frame + 1}; "
              f"released -> 3D drawn {(time.perf_counter() - released) * 1000:.0f} ms")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
