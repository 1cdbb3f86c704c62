"""A slice view keeps its picture while what it draws is unchanged (``slice_picture.render_key``).
The key held the image, label map, uncertainty map and outlines by ``id()``: a preview made
after the drawn one was freed could get its id (CPython reuses the memory), and the view went on
showing the old preview. Here the new preview gets the freed one's id (asserted)."""

from __future__ import annotations

import functools
import gc

import numpy as np

from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.core.volume import Volume
from neuroview.render.slices import render_view
from neuroview.ui.controller import ViewerController
from neuroview.ui.slice_widget import SliceViewWidget
from tests.freed_id import made_at, with_neighbours

SHAPE = (24, 20, 16)


def _preview(rows: slice, table: SegmentTable) -> LabelMap:
    array = np.zeros(SHAPE, np.uint8)
    array[rows] = 1
    return LabelMap(array, np.eye(4), table)


def test_a_preview_given_a_freed_previews_id_is_drawn(qtbot):
    controller = ViewerController()
    volume = Volume(np.random.default_rng(0).random(SHAPE, np.float32), np.eye(4))
    controller.set_volume(volume)
    table = SegmentTable()
    table.add("lesion", value=1)
    controller.set_labels(LabelMap(np.zeros(SHAPE, np.uint8), np.eye(4), table))
    view = SliceViewWidget("axial", controller)
    qtbot.addWidget(view)
    view.resize(120, 120)
    view.show()
    qtbot.waitExposed(view)

    right = _preview(slice(12, 24), table).array  # the next preview: the right half
    make = functools.partial(LabelMap, right, np.eye(4), table)
    gc.collect()
    old, beside = with_neighbours(lambda: _preview(slice(0, 12), table), make)   # the left half
    controller.preview_labels = old
    controller.changed.emit()
    view.grab()                                  # paints it
    drawn, old_id = view.renders, id(old)
    controller.preview_labels = None             # Cancel: the view not painted since
    del old
    new = made_at(old_id, make)
    controller.preview_labels = new
    controller.changed.emit()
    view.grab()                                  # paints it

    assert view.renders == drawn + 1             # was kept: the left half shown
    reference = render_view(volume, controller.state, "axial", view.width(), view.height(),
                            labels=new)
    np.testing.assert_array_equal(view.last.rgb, reference.rgb)
