"""Loads labels into a workspace the way the window does (the step and its voxels made by a worker
thread, the record appended by the GUI thread), optionally saves them as NIfTI the way Save labels
does (SAVE_TO: a copy of the labels written by a worker thread, then marked saved; ``writing``
stops inside that write, the file's temporary written but not yet renamed into place), optionally
compacts the way a save does (the base written by a worker), prints what it finished, then waits
to be SIGKILLed.

tests/app/test_kill_journal_workers.py runs ``main`` in a forked copy of the test, sys.argv set.

Usage: python journal_worker_child.py IMAGE MASK WORKSPACE {loaded,writing,saved,written,adopted}
       [SAVE_TO]
"""

import sys
import threading
import time


def main() -> None:
    import numpy as np

    from neuroview import Session
    from neuroview.app.label_files import labels_step, prepare_labels
    from neuroview.io import load

    image, mask, workspace, stop_after = sys.argv[1:5]
    save_to = sys.argv[5] if len(sys.argv) > 5 else None
    session = Session.open(image, workspace=workspace)
    prepared = prepare_labels(load(mask), session.volume, mask)
    made = {}
    current = session.labels.array.copy()
    worker = threading.Thread(target=lambda: made.update(step=labels_step(
        prepared, current, [], session.version, session.journal.folder)))
    worker.start()
    worker.join()
    session.apply_labels(prepared, made["step"])
    print("loaded", int(np.count_nonzero(session.labels.array)), flush=True)
    if save_to:
        save_as_the_window_does(session, save_to, stop_after == "writing")
        print("saved", flush=True)
    if stop_after not in ("loaded", "saved"):
        checkpoint = session.begin_checkpoint()
        worker = threading.Thread(target=checkpoint.write)
        worker.start()
        worker.join()
        print("written", flush=True)
        if stop_after == "adopted":
            assert session.end_checkpoint(checkpoint)
            print("adopted", flush=True)
    time.sleep(120)


def save_as_the_window_does(session, path, stop_inside: bool) -> None:
    """``ui.background_save``: the labels copied, written by a worker thread, then marked saved."""
    from neuroview.app.case import Case
    from neuroview.io import nifti

    if stop_inside:
        save_nifti = nifti.save_nifti

        def slow(*args, **kwargs):
            written = save_nifti(*args, **kwargs)
            print("writing", flush=True)
            time.sleep(120)
            return written

        nifti.save_nifti = slow
    case = Case(session, session.journal.folder)
    labels, version = case.labels_snapshot()
    worker = threading.Thread(target=lambda: case.write_labels(path, labels))
    worker.start()
    worker.join()
    assert case.mark_saved(version, compact=False)


if __name__ == "__main__":
    main()
