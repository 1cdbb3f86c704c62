"""*Compare series side by side*: each pane numbers the slice it shows by its own series' slices,
as the PACS numbers that series' images. Session 52's walk (a Philips 12-slice current beside a GE
prior of 40 slices, Xvfb): both panes read ``7/12``, the prior numbered by the current's grid."""

from __future__ import annotations

import numpy as np

import neuroview.ui.linked_panes as linked_panes
from neuroview.core.volume import Volume
from neuroview.ui.compare_pair import SeriesPairWidget

WITHOUT_3D = True


def test_each_pane_is_numbered_by_its_own_series(qtbot, monkeypatch):
    rng = np.random.default_rng(5)
    current = Volume(array=rng.random((8, 8, 12)).astype(np.float32),
                     ijk_to_ras=np.diag([3.0, 3.0, 4.0, 1.0]))            # S 0 to 44 mm, 4 mm apart
    prior = Volume(array=rng.random((8, 8, 40)).astype(np.float32),
                   ijk_to_ras=np.diag([3.0, 3.0, 1.1, 1.0]))              # S 0 to 42.9 mm, 1.1 mm apart
    pair = SeriesPairWidget(current, prior, names=("current", "prior"))
    qtbot.addWidget(pair)
    pair.resize(600, 300)
    pair.state.set_crosshair([9.0, 9.0, 20.0])   # current's slice 6 from the I end; prior's 19 (18.2)
    numbers = []
    real = linked_panes.annotate

    def noted(rgb, geom, *args, **kwargs):
        numbers.append(kwargs["number"])
        return real(rgb, geom, *args, **kwargs)

    monkeypatch.setattr(linked_panes, "annotate", noted)
    pair.pane_images()
    assert numbers == ["6/12", "19/40"]
    pair.state.scroll("axial", 1)                # one step of the left grid: 4 mm
    numbers.clear()
    pair.pane_images()
    assert numbers == ["7/12", "23/40"]          # S 24 mm: 21.8 steps above the prior's first slice
