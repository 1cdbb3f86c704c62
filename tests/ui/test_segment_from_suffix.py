"""The segment list's *From* cell, elided in a narrow dock, keeps what it says: the origin word
(``file``) and the ``+ drawn`` suffix whole, the file name shortened (``file de….gz + drawn``).
Until session 28 the whole text was elided in the middle: at the README picture's dock width a
painted segment of ``demo-labels.nii.gz`` read ``file d… drawn``, the ``+`` gone."""

from __future__ import annotations

import os

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_case, stroke
from PySide6.QtGui import QFont, QFontMetrics

from neuroview.io.nifti import save_nifti
from neuroview.ui.segment_from_column import elide_from

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

FILE = "demo-labels.nii.gz"


def test_a_painted_file_segment_keeps_file_and_plus_drawn_at_the_readme_width(
        qtbot, window, tmp_path):
    volume, session = open_case(qtbot, window, tmp_path)
    labels = np.zeros(volume.shape, np.uint8)
    labels[28:40, 8:20, 10:30] = 1
    save_nifti(labels, volume.ijk_to_ras, tmp_path / FILE)
    window.open_labels(tmp_path / FILE)
    panel = window.edit_actions.panel
    table = panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 4).text() == f"file {FILE}",
                    timeout=10000)
    window.resize(1400, 900)                      # the README picture's window
    window.edit_actions.dock.raise_()
    session.segments.rename(1, "Lateral ventricles")   # the picture's longest name
    session.segments.select(1)
    panel.refresh()
    panel.select_tool("paint")
    offset = np.array([6.0, 0.0, 0.0])
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + offset])
    qtbot.waitUntil(lambda: table.item(0, 4).text() == f"file {FILE} + drawn", timeout=10000)
    qtbot.wait(100)
    panel.grab().save(os.fspath(tmp_path / "segments_readme_width.png"))   # paints the cells
    shown = table.itemDelegateForColumn(4).shown[0]
    width = table.columnWidth(4)
    assert shown != f"file {FILE} + drawn", (width, shown)     # elided at this width...
    assert shown.startswith("file ") and shown.endswith("+ drawn"), (width, shown)
    assert "\u2026" in shown                                    # the name shortened
    assert table.item(0, 4).toolTip() == f"file {FILE} + drawn"


def test_the_name_goes_before_the_suffix_and_the_text_is_whole_when_it_fits(qapp):
    metrics = QFontMetrics(QFont())
    parts = ("file ", FILE, " + drawn + AI click")
    text = "".join(parts)

    def fits(width: int) -> str:
        shown = elide_from(parts, metrics, width)
        assert metrics.horizontalAdvance(shown) <= width or shown == ""
        return shown

    assert fits(metrics.horizontalAdvance(text)) == text
    squeezed = fits(metrics.horizontalAdvance("file demo-\u2026.gz + drawn + AI click"))
    assert squeezed.startswith("file ") and squeezed.endswith(" + drawn + AI click")
    assert "\u2026" in squeezed
    assert fits(metrics.horizontalAdvance("file \u2026 + drawn + AI click")) \
        == "file \u2026 + drawn + AI click"
    assert fits(metrics.horizontalAdvance("\u2026 + drawn + AI click")) == "\u2026 + drawn + AI click"
    tiny = fits(metrics.horizontalAdvance("file d\u2026"))
    assert tiny.startswith("file") and tiny.endswith("\u2026")
    alone = elide_from(("file ", FILE, ""), metrics, metrics.horizontalAdvance("file demo\u2026i.gz"))
    assert alone.startswith("file d") and alone.endswith(".gz")   # the extension kept too
    model = ("", "lesion-unet@1.2.0", " + AI click")
    shown = elide_from(model, metrics, metrics.horizontalAdvance("lesion\u2026 + AI click") + 1)
    assert shown.endswith(" + AI click") and shown.startswith("le")
