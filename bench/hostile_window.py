"""``bench/hostile_campaign.py``'s files opened in the real main window (offscreen), one after
another in one window, as *File > Open file(s)...* opens them (``MainWindow.open_paths``).

For each file: the seconds until the window is idle again, the red notice bar's first line (it
must name the file and say the problem in one line where the file is refused), whether an image
opened or a dialog asks (the series chooser: answered Cancel), and any exception that reached
Qt's event loop (``sys.excepthook``: a traceback a user would see on the terminal, the window's
work left half done). At the end the window opens a good image, which must show: the window is
still usable. BAD: an exception, over 30 s, a refusal whose line names no file of the case, the
good image not opening, or the process's resident peak over 2 GiB.

    QT_QPA_PLATFORM=offscreen nice -n 5 python bench/hostile_window.py [--only WORDS]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]
from bench import hostile_campaign as H  # noqa: E402

SECONDS = 30
SKIP = {"onnx", "folder"}   # models are not opened as images; the huge folders take minutes here


def _wait(app, condition, seconds: float) -> bool:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.005)
    return False


def _dialog(app):
    """A dialog the window opened and waits on (the series chooser), or None."""
    from PySide6.QtWidgets import QDialog

    return next((w for w in app.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=None, help="cases whose kind or name holds one of these words")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.main_window import MainWindow

    raised: list[str] = []
    sys.excepthook = lambda kind, value, tb: raised.append("".join(
        traceback.format_exception(kind, value, tb)).strip().splitlines()[-1])
    cases = [c for c in H.named_cases() if c[0] not in SKIP]
    if args.only:
        words = args.only.split(",")
        cases = [c for c in cases if any(w in f"{c[0]} {c[1]}" for w in words)]
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1500, 1000)
    window.show()
    bad = 0
    with tempfile.TemporaryDirectory(prefix="hostile_window_") as tmp:
        for index, (kind, name, make) in enumerate(cases):
            case_dir = Path(tmp) / f"c{index:03d}"
            made = make(case_dir / "in", random.Random(f"46-{kind}-{name}"))
            before, raised[:] = window.controller.volume, []
            window.message_bar.hide()   # the last file's line, as Dismiss does
            start = time.perf_counter()
            window.open_paths([str(made["image"])])
            idle = _wait(app, lambda old=before: _dialog(app) is not None or (
                not window.runner.busy
                and (window.controller.volume is not old or bool(window.message_bar.text))), SECONDS)
            _wait(app, lambda: _dialog(app) is not None or not window.runner.busy, 5)
            seconds = time.perf_counter() - start
            dialog = _dialog(app)
            if dialog is not None:   # the series chooser: a question, not a hang
                line = f"{type(dialog).__name__} asks: {dialog.windowTitle()}"
                dialog.reject()
                _wait(app, lambda: not window.runner.busy, 5)
            else:
                line = window.message_bar.text.split("\n")[0]
            opened = window.controller.volume is not before
            names = any(part in line for part in (case_dir.name, "in/", made["image"].name))
            verdict = ("BAD exception" if raised else "BAD hang" if not idle else "asked" if dialog
                       else "opened" if opened else "refused" if names and line else "BAD noname")
            bad += verdict.startswith("BAD")
            print(f"{verdict:13s} {seconds:5.1f} s  {kind}/{name}: {(raised[:1] or [line])[0][:200]}",
                  flush=True)
        good = H._image(Path(tmp) / "good" / "head.nii.gz")
        before = window.controller.volume
        window.open_paths([str(good)])
        usable = _wait(app, lambda: window.controller.volume is not before and not window.runner.busy,
                       SECONDS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
    bad += (not usable) + (peak > 2048)
    print(f"{len(cases)} files in one window: {bad} BAD; a good image opened after them: {usable}; "
          f"resident peak {peak} MiB")
    window.close()


if __name__ == "__main__":
    main()
