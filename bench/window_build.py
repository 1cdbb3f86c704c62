"""Benchmark of the main window's build and show against main's code: processor time to make a
``MainWindow``, show it (its events handled) and close it, for this tree's ``main_window``,
``key_focus``, ``focus_return``, ``full_screen`` and ``time_cine`` and for the same five modules as a git
revision has them (default ``main``), loaded from ``git show`` into neuroview.ui under other names
(the rest of neuroview is this tree's).
Alternating windows, medians of CPU ms (``time.process_time``), the ratio; and the time of the
click-focus filter's walks over the window's widgets (at the show; a turn of the event loop later,
where a revision has ``_watch``: before session 52's focusfilter). Qt's offscreen platform unless
DISPLAY is set.

Run: python bench/window_build.py [--repeats 30] [--rev main]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def old_module(rev: str, name: str):
    """neuroview/ui/``name``.py as ``rev`` has it, imported as neuroview.ui._old_``name``."""
    text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:neuroview/ui/{name}.py"],
                          check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp(prefix="window-build-")) / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(f"neuroview.ui._old_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def timed(cls, name: str, into: list) -> None:
    real = getattr(cls, name)

    def wrapper(self, *args):
        start = time.process_time()
        result = real(self, *args)
        into.append(time.process_time() - start)
        return result

    setattr(cls, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--rev", default="main")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["NEUROVIEW_HOME"] = tempfile.mkdtemp(prefix="window-build-")   # no user's settings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from window_start import one

    from neuroview.ui import key_focus, main_window

    old_focus = old_module(args.rev, "key_focus")
    old_focus.FocusReturn = old_module(args.rev, "focus_return").FocusReturn
    old_window = old_module(args.rev, "main_window")
    old_window.ClickFocusFilter = old_focus.ClickFocusFilter
    old_window.FullScreen = old_module(args.rev, "full_screen").FullScreen
    old_window.TimeCine = old_module(args.rev, "time_cine").TimeCine
    makers = {args.rev: old_window.MainWindow, "this tree": main_window.MainWindow}
    walks = {args.rev: ([], []), "this tree": ([], [])}
    for (shown, turned), focus in zip(walks.values(), (old_focus, key_focus)):
        timed(focus.ClickFocusFilter, "attach", shown)
        if hasattr(focus.ClickFocusFilter, "_watch"):
            timed(focus.ClickFocusFilter, "_watch", turned)
    for make in makers.values():   # first windows: caches, fonts, the style
        for _ in range(2):
            one(app, make)
    for shown, turned in walks.values():
        shown.clear()
        turned.clear()
    runs: dict[str, list] = {name: [] for name in makers}
    for _ in range(args.repeats):   # alternating: a burst of load elsewhere hits both alike
        for name, make in makers.items():
            runs[name].append(sum(one(app, make)))
    print(f"{args.repeats} windows each, medians of CPU ms (user + system of this process)")
    print(f"{'':12} {'whole':>7} {'attach':>7} {'_watch':>7}")
    whole = {}
    for name, times in runs.items():
        whole[name] = 1000 * statistics.median(times)
        shown, turned = (f"{1000 * statistics.median(w):7.2f}" if w else f"{'-':>7}" for w in walks[name])
        print(f"{name:12} {whole[name]:7.1f} {shown} {turned}")
    print(f"this tree / {args.rev}: {whole['this tree'] / whole[args.rev]:.3f}")


if __name__ == "__main__":
    main()
