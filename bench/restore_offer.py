"""Benchmark: what the restore offer costs the GUI thread when an image with a long crash journal opens.

When an image opens, the window asks ``Session.recovery`` what a restore would give back (the
question "... 2000 edits since the last save ... Restore them?") and ``Session.saved_unchanged``.
Both ran on the GUI thread and read the whole journal (every record decoded, its voxels
decompressed) and the stored label map: on a long session's journal the window froze.

Here: the demo case (MNI152 T1 with lesions, 197x233x189), a workspace journal of ``--strokes``
brush strokes (3D, 3 mm, along a path, as a long editing session leaves it, never compacted: the
journal's limits are raised), then, in the same process, the median of ``--repeats`` of
1. reading the journal file's bytes (the reference: ``Path.read_bytes``),
2. ``Session.recovery`` + ``Session.saved_unchanged``: what the GUI thread did before (session 25),
3. the window's ``EditActions.volume_opened`` on the GUI thread now (an offscreen ``MainWindow``;
   the journal is read by ``app.restore_offer.restore_offer`` in a worker), and the time until
   the offer shows in the notice bar (the worker's read and the GUI thread's answer).
Then *Restore* (the answer): 4. the GUI thread's block when it replayed the journal itself (until
session 27: ``Case.open`` + the editor taking the case, as ``OpeningActions._start`` still does for
a workspace with nothing to offer), 5. now: the longest gap between two turns of the GUI thread's
event loop (a 1 ms ``QTimer``) from the click to the case being edited (the journal replayed in a
worker, the case taken on the GUI thread), and the time until then.
Printed: milliseconds and each one's ratio to reading the bytes.

Run: python bench/restore_offer.py [--strokes 2000] [--repeats 5] [--compact-first]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
HOME = Path(tempfile.mkdtemp(prefix="restore-offer-"))
os.environ["NEUROVIEW_HOME"] = str(HOME)   # the window's workspaces: a throwaway data folder
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from neuroview.app.case import workspace_for  # noqa: E402
from neuroview.app.session import Session  # noqa: E402
from neuroview.cli.demo import lesion_case  # noqa: E402
from neuroview.io import load  # noqa: E402


def write_journal(volume, workspace: Path, strokes: int, compact_first: bool) -> int:
    """``strokes`` brush strokes journaled into ``workspace``; the journal's size in bytes."""
    session = Session(volume, workspace, journal_max_bytes=None, journal_max_records=None)
    lesion = session.segments.add("lesion")
    if compact_first:   # a label map stored at a save, the strokes after it
        session.apply("paint", at_ras=volume.center_ras, radius_mm=20.0, mode="3d", segment=lesion)
        session.checkpoint()
    rng = np.random.default_rng(0)
    centre = np.asarray(volume.center_ras)
    session.set_params("paint", radius_mm=3.0, mode="3d")
    for n in range(strokes):
        start = centre + rng.uniform(-50, 50, 3)
        path = [start + k * rng.uniform(-2, 2, 3) for k in range(1, 5)]
        session.apply("erase" if n % 5 == 4 else "paint", at_ras=start, path=path,
                      **({"segment": lesion} if n % 5 != 4 else {}))
    size = session.journal.journal_path.stat().st_size
    session.journal.close()   # as a crash leaves it: nothing saved, nothing compacted
    return size


def timed(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times)) * 1000


def window_times(volume, paths, repeats: int) -> list[float]:
    """Milliseconds: the GUI thread in ``volume_opened``, until the offer shows; *Restore* on the
    GUI thread (before), the GUI thread's longest block during *Restore* now, until it is done."""
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.controller.set_volume(volume)
    held, shown, before, block, restored = [], [], [], [], []
    actions = window.edit_actions
    for n in range(2 * repeats):
        start = time.perf_counter()
        actions.volume_opened(volume, paths)
        held.append(time.perf_counter() - start)
        while actions.pending is None:   # set as the question is put (window hidden)
            app.processEvents()
            time.sleep(0.001)
        shown.append(time.perf_counter() - start)
        assert "Restore" in window.notice_bar.buttons
        if n % 2 == 0:   # Restore as until session 27: the replay on the GUI thread
            pending, actions.pending = actions.pending, None
            start = time.perf_counter()
            actions._start(*pending, restore=True)
            before.append(time.perf_counter() - start)
        else:
            longest, total = restore_now(app, window)
            block.append(longest)
            restored.append(total)
        assert window.editor.session is not None and window.editor.session.restored_steps
        actions.close_case()   # the workspace stays as it was: the next turn is offered it again
    window.runner.wait(5000)
    return [float(np.median(times)) * 1000 for times in (held, shown, before, block, restored)]


def restore_now(app, window) -> tuple[float, float]:
    """*Restore* clicked: (the longest gap between two turns of the GUI thread's event loop, the
    time until the case is edited), in seconds."""
    from PySide6.QtCore import QTimer

    turns = []
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: turns.append(time.perf_counter()))
    timer.start()
    start = time.perf_counter()
    turns.append(start)
    window.edit_actions.answer_restore(True)
    while window.editor.session is None:
        app.processEvents()
        time.sleep(0.0005)
    app.processEvents()
    end = time.perf_counter()
    turns.append(end)
    timer.stop()
    return float(np.max(np.diff(turns))), end - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--compact-first", action="store_true",
                        help="store a label map (a save) before the strokes")
    args = parser.parse_args()
    volume = load(lesion_case())
    try:
        workspace = workspace_for(volume)
        start = time.perf_counter()
        size = write_journal(volume, workspace, args.strokes, args.compact_first)
        print(f"demo {volume.shape}, {args.strokes} strokes: journal {size / 1e6:.2f} MB "
              f"(written in {time.perf_counter() - start:.1f} s)")
        journal = next(workspace.glob("journal-*.bin"))
        floor = timed(journal.read_bytes, args.repeats)

        def before():
            Session.recovery(volume, workspace)
            Session.saved_unchanged(volume, workspace)

        print(f"  the offer: {Session.recovery(volume, workspace).question()}")
        rows = [("read the journal's bytes", floor),
                ("GUI thread before: recovery + saved_unchanged", timed(before, args.repeats))]
        held, shown, before_restore, block, restored = window_times(volume, [str(lesion_case())],
                                                                    args.repeats)
        rows += [("GUI thread now: volume_opened", held), ("  until the offer shows (worker)", shown),
                 ("Restore, GUI thread before: the replay", before_restore),
                 ("Restore, GUI thread now: longest block", block),
                 ("  until the case is edited (worker)", restored)]
        for name, ms in rows:
            print(f"  {name:<46} {ms:9.1f} ms   x{ms / floor:8.1f} of reading the bytes")
    finally:
        shutil.rmtree(HOME, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
