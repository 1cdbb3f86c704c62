"""A window that opens a worklist folder on its first case, paints one stroke on it and prints
``edited`` (then waits, its edits unsaved, to be SIGKILLed): for the test that the case's
``corrected`` status outlives the kill (``test_worklist_status_killed.py``).

Usage: python worklist_edit_child.py CASES_FOLDER
"""

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from editor_helpers import stroke_a_lesion
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1000, 760)
    window.show()
    window.training_actions.open_worklist(sys.argv[1])
    deadline = time.monotonic() + 90
    while window.editor.session is None or window.runner.busy:
        assert time.monotonic() < deadline, "the worklist case did not open"
        app.processEvents()
        time.sleep(0.01)
    stroke_a_lesion(window, window.editor.session)
    app.processEvents()
    print("edited", window.training_actions.worklist_id, flush=True)
    while True:   # killed here, the edits in the crash journal only
        app.processEvents()
        time.sleep(0.05)


if __name__ == "__main__":
    main()
