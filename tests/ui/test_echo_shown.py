"""One echo of a Siemens multi-echo GRE opened in the window (a folder of echo 3 of 4, EchoNumbers
3, TE 15 ms, which dcm2niix names ``_e3``): the window's title, each slice view's corner and a
rectangle's line in *Measurements* say ``echo 3, TE 15 ms``, so two echoes' figures copied into a
report do not read alike. Until session 51 only the title's ``_e3`` said which echo, and the TE
was nowhere."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from two_series import SeriesSpec, write_series

from neuroview.core.volume import Volume

WITHOUT_3D = True


def test_an_echo_of_a_multi_echo_series_is_named_on_screen(qtbot, window, tmp_path):
    rng = np.random.default_rng(3)
    source = Volume(array=(400 + 100 * rng.random((40, 40, 20))).astype(np.float32),
                    ijk_to_ras=np.diag([3.0, 3.0, 3.0, 1.0]) + np.array(
                        [[0, 0, 0, -60], [0, 0, 0, -60], [0, 0, 0, -30], [0, 0, 0, 0]]))
    write_series(tmp_path / "echo3", source, SeriesSpec(
        rows=24, cols=24, n_slices=6, row_spacing=3.0, col_spacing=3.0, slice_step=3.0,
        description="gre_me_t2star", echo_number=3, echo_time=15.0))
    open_image(qtbot, window, tmp_path / "echo3")
    assert window.windowTitle() == "neuroview - gre_me_t2star_e3 (echo 3, TE 15 ms)"
    axial = window.slice_views["axial"]
    assert axial._annotations()[1].splitlines()[0] == "echo 3, TE 15 ms"   # the view's corner
    lines = []
    window.controller.measured.connect(lambda text, *_: lines.append(text))
    window.mode_actions["rectangle"].trigger()
    a = QPoint(axial.width() // 2 - 40, axial.height() // 2 - 30)
    QTest.mousePress(axial, Qt.LeftButton, Qt.NoModifier, a)
    QTest.mouseMove(axial, a + QPoint(80, 60))
    QTest.mouseRelease(axial, Qt.LeftButton, Qt.NoModifier, a + QPoint(80, 60))
    stats = window.controller.rectangles[0].stats
    assert stats.voxels > 10
    assert lines == [f"Rectangle (axial, echo 3, TE 15 ms): {stats.describe()}"]


def test_two_echoes_side_by_side_say_which_they_are(qtbot):
    """*Compare series side by side* of echo 1 and echo 4: each pane's caption names its echo
    (they read ``gre_e1`` and ``gre_e4`` alone)."""
    from neuroview.ui.compare_pair import SeriesPairWidget

    echoes = [Volume(array=np.full((8, 8, 4), 500.0 * np.exp(-te / 25), np.float32),
                     ijk_to_ras=np.eye(4), description=f"gre_e{n}",
                     source_metadata={"EchoNumbers": str(n), "EchoTime": f"{te:g}"})
              for n, te in ((1, 5.0), (4, 20.0))]
    pair = SeriesPairWidget(*echoes, names=("gre_e1", "gre_e4"))
    qtbot.addWidget(pair)
    assert pair.captions() == ("gre_e1 (echo 1, TE 5 ms)", "gre_e4 (echo 4, TE 20 ms)")
