"""Picking Fill between slices (or Grow from seeds) imports what their first Preview imported
(scipy.ndimage: 0.38 s of the first preview's 0.42 s on the demo case), in a worker: the first
Preview then costs what the next ones do. A module of the test's stands in for scipy.ndimage,
which an earlier test of the process may have imported already."""

from __future__ import annotations

import sys

from neuroview.ui import edit_preview


def test_picking_fill_between_imports_the_preview_s_modules_off_the_gui_thread(
        qtbot, window, tmp_path, monkeypatch):
    assert edit_preview.PREVIEW_MODULES == ("scipy.ndimage",)
    (tmp_path / "nv_warm_probe.py").write_text(
        "import threading\nimport time\n"
        "time.sleep(0.3)   # in sys.modules, half imported, for a while: as a large module is\n"
        "ON_GUI = threading.current_thread() is threading.main_thread()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(edit_preview, "PREVIEW_MODULES", ("nv_warm_probe",))
    try:
        window.edit_actions.panel.select_tool("interpolate")
        # the module is in sys.modules from the moment its import starts: wait for its
        # name to be bound, not for the entry (the CI of 7 Dec read it half imported)
        qtbot.waitUntil(lambda: hasattr(sys.modules.get("nv_warm_probe"), "ON_GUI"),
                        timeout=10000)
        assert sys.modules["nv_warm_probe"].ON_GUI is False
    finally:
        sys.modules.pop("nv_warm_probe", None)
