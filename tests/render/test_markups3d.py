"""Rulers and angles in the 3D scene: a line through their points, seen through the volume
rendering and label surfaces (drawn over them), with their value beside them. The 3D view showed
no measurement."""

from __future__ import annotations

import numpy as np
import pytest
from render_cases import AFFINES, make_case

from neuroview.render.markups3d import Markup
from neuroview.render.volume3d import Scene3D

SIZE = 200
CYAN = (0, 230, 255)


def cyan(rgb) -> np.ndarray:
    return np.all(np.abs(rgb.astype(int) - CYAN) <= 40, axis=2)


@pytest.fixture
def scene():
    volume, labels = make_case(AFFINES["oblique"])
    scene = Scene3D(SIZE, SIZE)
    scene.set_volume(volume, "MR default")
    scene.set_labels(labels)
    scene.set_volume_visible(True)
    yield scene
    scene.close()


def test_a_ruler_is_drawn_over_the_volume_and_surfaces_and_follows_its_points(scene):
    plain = scene.render(SIZE, SIZE)
    assert not cyan(plain).any()
    # a ruler right to left through the centre of the (opaque) head, inside it; the camera looks
    # from the front, right of the patient on the left of the picture
    scene.show_markups([Markup(((20.0, 0.0, 0.0), (-20.0, 0.0, 0.0)), "40.0 mm", CYAN)])
    rgb = scene.render(SIZE, SIZE)
    line = cyan(rgb)
    _rows, cols = np.nonzero(line)
    assert line.sum() > 40, "the ruler inside the head is drawn"
    assert cols.max() - cols.min() > 20, "a line across the picture"
    scene.show_markups([Markup(((0.0, 0.0, 20.0), (0.0, 0.0, -20.0)), "40.0 mm", CYAN, 0)])
    upright = cyan(scene.render(SIZE, SIZE))
    rows, _cols = np.nonzero(upright)
    assert rows.max() - rows.min() > 20, "moved: now a line up the picture"
    scene.show_markups([])
    assert np.array_equal(scene.render(SIZE, SIZE), plain), "none left behind"


def test_the_value_is_written_beside_the_ruler(scene):
    ruler = ((20.0, 0.0, 0.0), (-20.0, 0.0, 0.0))
    scene.show_markups([Markup(ruler, "", CYAN)])
    bare = scene.render(SIZE, SIZE)
    scene.show_markups([Markup(ruler, "40.0 mm", CYAN)])
    labelled = scene.render(SIZE, SIZE)
    dark = labelled.max(axis=2) < 15
    assert (dark & ~(bare.max(axis=2) < 15)).sum() > 50, "the value's dark box"
    # its letters: cyan off the line's rows (counted with the line, the box hid as much of the
    # line as they added once the head filled the view in session 43)
    line_rows = np.unique(np.nonzero(cyan(bare))[0])
    off_line = np.ones(SIZE, bool)
    off_line[np.clip(np.concatenate([line_rows - 1, line_rows, line_rows + 1]), 0, SIZE - 1)] = False
    assert cyan(labelled)[off_line].sum() > cyan(bare)[off_line].sum() + 10, "the value's letters"


def label_boxes_drawn(scene, markups, label_top: int = 0) -> list[tuple]:
    """The values' boxes as drawn: the pixels that change when the values are written, in
    connected pieces, each as ``(row0, col0, row1, col1)`` (inclusive), largest first."""
    from scipy import ndimage

    scene.show_markups([Markup(m.points, "", m.rgb, m.label_at) for m in markups])
    bare = scene.render(SIZE, SIZE, label_top=label_top)
    scene.show_markups(markups)
    changed = np.any(scene.render(SIZE, SIZE, label_top=label_top) != bare, axis=2)
    pieces, _count = ndimage.label(changed)
    found = ndimage.find_objects(pieces)
    boxes = [(s[0].start, s[1].start, s[0].stop - 1, s[1].stop - 1) for s in found]
    return sorted(boxes, key=lambda b: -(b[2] - b[0] + 1) * (b[3] - b[1] + 1))


def test_values_of_markups_sharing_a_point_do_not_cover_each_other(scene):
    """Two rulers ending 2 mm apart and an angle whose vertex is one of those ends: their values
    were drawn on top of each other (one unreadable blot)."""
    cyan_, green = (0, 230, 255), (120, 255, 120)
    markups = [Markup(((20.0, 0.0, 0.0), (-20.0, 0.0, 0.0)), "40.0 mm", cyan_),
               Markup(((20.0, 0.0, 3.0), (-19.0, 0.0, 2.0)), "39.0 mm", cyan_),
               Markup(((-10.0, 0.0, 20.0), (-20.0, 0.0, 0.0), (0.0, 0.0, -15.0)), "92.3°", green, 1)]
    boxes = label_boxes_drawn(scene, markups)
    assert len(boxes) == 3, f"three values, each its own box: {boxes}"
    for n, a in enumerate(boxes):
        for b in boxes[n + 1:]:
            apart = a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]
            assert apart, f"boxes {a} and {b} intersect"
    heights = sorted(b[2] - b[0] + 1 for b in boxes)
    assert heights[-1] < 2 * heights[0], "no box is two values merged"


def test_stack_boxes_moves_a_box_below_every_one_it_meets():
    from neuroview.render.markups3d import stack_boxes

    # (x0, y0, x1, y1), y up: the second meets the first and goes below it; the third meets
    # both and goes below the second; the fourth meets none
    boxes = [(0, 100, 50, 115), (10, 105, 60, 120), (5, 95, 40, 110), (200, 100, 250, 115)]
    shifts = stack_boxes(boxes, gap=2)
    assert shifts[0] == 0 and shifts[3] == 0, "the first stays; one meeting none stays"
    placed = [(x0, y0 + d, x1, y1 + d) for (x0, y0, x1, y1), d in zip(boxes, shifts)]
    assert placed[1][3] == 98 and placed[2][3] == placed[1][1] - 2
    for n, a in enumerate(placed):
        for b in placed[n + 1:]:
            assert a[2] + 2 <= b[0] or b[2] + 2 <= a[0] or a[3] + 2 <= b[1] or b[3] + 2 <= a[1]


def test_values_stay_below_the_rows_a_notice_bar_covers(scene):
    """A ruler near the top of the head: its value is written below the frame's top rows that the
    window covers (``label_top``: its title strip and a notice bar), its letters whole there, and
    beside its end again once they are free. It was drawn where the ruler's end is, under the bar."""
    ruler = [Markup(((20.0, 0.0, 25.0), (-20.0, 0.0, 25.0)), "40.0 mm", CYAN)]   # the head: 30 mm
    (free,) = label_boxes_drawn(scene, ruler)
    assert free[0] < 50, f"the value is drawn high in the frame: {free}"
    (kept,) = label_boxes_drawn(scene, ruler, label_top=60)
    assert kept[0] >= 60, f"the value is drawn below the covered rows: {kept}"
    assert kept[1] == free[1] and kept[2] - kept[0] == free[2] - free[0], "moved down, whole"
    letters = cyan(scene.render(SIZE, SIZE, label_top=60))[kept[0]:kept[2] + 1, kept[1]:kept[3] + 1]
    assert letters.sum() > 20, "its letters are drawn in its box"
    assert label_boxes_drawn(scene, ruler, label_top=0) == [free], "back beside its end"


@pytest.fixture(scope="module")
def small_scene():
    volume, _labels = make_case(AFFINES["oblique"])
    scene = Scene3D(160, 120)
    scene.set_volume(volume, "MR default")
    yield scene
    scene.close()


def ras_at(scene, width: int, height: int, col: float, row: float) -> np.ndarray:
    """The RAS point (mm) drawn at pixel ``(col, row)`` (top-left origin) of a ``width`` x
    ``height`` frame, on the plane through the camera's focal point."""
    scene.render(width, height)
    renderer = scene.renderer
    renderer.SetWorldPoint(*renderer.GetActiveCamera().GetFocalPoint(), 1.0)
    renderer.WorldToDisplay()
    renderer.SetDisplayPoint(col, height - 1 - row, renderer.GetDisplayPoint()[2])
    renderer.DisplayToWorld()
    x, y, z, w = renderer.GetWorldPoint()
    return np.array([x, y, z]) / w


def drawn_box(scene, markup, width: int, height: int) -> tuple:
    """The value's box as drawn (the pixels that change when it is written): ``(row0, col0,
    row1, col1)``, inclusive."""
    scene.show_markups([Markup(markup.points, "", markup.rgb, markup.label_at)])
    bare = scene.render(width, height)
    scene.show_markups([markup])
    rows, cols = np.nonzero(np.any(scene.render(width, height) != bare, axis=2))
    assert rows.size, "the value is not drawn at all"
    return rows.min(), cols.min(), rows.max(), cols.max()


@pytest.mark.parametrize("width, height", [(160, 120), (90, 64)])
def test_a_value_near_any_edge_is_drawn_whole_inside_the_frame(small_scene, width, height):
    """A ruler from the centre to a point one pixel in from an edge or a corner: its value is
    drawn whole, inside the frame. It was moved in only from the top (below a notice bar), and
    cut off at the right and bottom edges (at the top too, with no bar)."""
    centre = ras_at(small_scene, width, height, width / 2, height / 2)

    def box(col, row):
        end = ras_at(small_scene, width, height, col, row)
        return drawn_box(small_scene, Markup((tuple(centre), tuple(end)), "40.0 mm", CYAN),
                         width, height)

    free = box(width * 0.3, height * 0.3)
    size = (free[2] - free[0], free[3] - free[1])
    assert size[0] > 10 and size[1] > 40, f"a whole value: {free}"
    ends = {"right": (width - 2, height / 2), "bottom": (width / 2, height - 2),
            "top": (width / 2, 1), "left": (1, height / 2), "bottom right": (width - 2, height - 2),
            "top right": (width - 2, 1)}
    for edge, (col, row) in ends.items():
        drawn = box(col, row)
        assert (drawn[2] - drawn[0], drawn[3] - drawn[1]) == size, f"{edge}: cut off {drawn}"
        assert drawn[0] >= 1 and drawn[1] >= 1, f"{edge}: at the top or left edge {drawn}"
        assert drawn[2] <= height - 2 and drawn[3] <= width - 2, f"{edge}: past the edge {drawn}"


def test_values_at_the_bottom_edge_stay_clear_of_each_other(small_scene):
    """Two rulers ending together at the bottom edge: the second value cannot go below the first
    (off the frame); both are drawn whole, apart (on either side of the two lines since session
    49: beside its end, right of it, each value lay over the other ruler's line)."""
    width, height = 160, 120
    centre = ras_at(small_scene, width, height, width / 2, height / 2)
    near = [ras_at(small_scene, width, height, width / 2 + d, height - 2) for d in (0, 3)]
    markups = [Markup((tuple(centre), tuple(end)), text, CYAN) for end, text in
               zip(near, ("40.0 mm", "41.0 mm"))]
    small_scene.show_markups(markups)
    small_scene.render(width, height)
    (a, b) = small_scene.markups.label_boxes
    assert a[1] >= 2 and b[1] >= 2, "both inside the frame"
    apart = a[2] + 2 <= b[0] or b[2] + 2 <= a[0] or a[3] + 2 <= b[1] or b[3] + 2 <= a[1]
    assert apart and max(a[2], b[2]) <= width - 2, f"apart, inside the frame: {a} {b}"


def test_a_value_whose_point_is_beyond_an_edge_shows_at_the_edge_while_its_ruler_shows(small_scene):
    """The ruler's end 20 px beyond the right edge, its start in the view: the value is drawn
    whole at the right edge (VTK's culling left it out or drew it, by chance); a ruler wholly
    beyond the edge shows no value."""
    width, height = 160, 120
    inside = ras_at(small_scene, width, height, width / 2, height / 2)
    beyond = ras_at(small_scene, width, height, width + 20, height / 2)
    further = ras_at(small_scene, width, height, width + 60, height / 2)
    drawn = drawn_box(small_scene, Markup((tuple(inside), tuple(beyond)), "40.0 mm", CYAN), width, height)
    assert drawn[3] <= width - 2 and drawn[3] > width - 12, f"at the right edge, whole: {drawn}"
    small_scene.show_markups([Markup((tuple(beyond), tuple(further)), "40.0 mm", CYAN)])
    small_scene.render(width, height)
    assert small_scene.markups.label_boxes == []


@pytest.mark.parametrize("ruler", [((-20.0, 0.0, 0.0), (20.0, 0.0, 0.0)),      # ends on the left
                                   ((0.0, 0.0, -20.0), (0.0, 0.0, 20.0)),      # ends at the top
                                   ((20.0, 0.0, 0.0), (-20.0, 0.0, 0.0))])     # ends on the right
def test_a_rulers_value_does_not_cover_its_own_line(scene, ruler):
    """A ruler whose end lies left of its start (on the picture) had its length written right of
    its end, over its own line."""
    scene.show_markups([Markup(ruler, "", CYAN)])
    bare = scene.render(SIZE, SIZE)
    scene.show_markups([Markup(ruler, "40.0 mm", CYAN)])
    labelled = scene.render(SIZE, SIZE)
    line = cyan(bare)
    covered = line & np.any(labelled != bare, axis=2)
    assert line.sum() > 20 and covered.sum() <= 3, f"{covered.sum()} of the line's pixels covered"
    assert (np.any(labelled != bare, axis=2)).sum() > 100, "its value is written"


@pytest.mark.parametrize("vertex", [(4.0, 0.0, 4.0), (-4.0, 0.0, 6.0)])
def test_no_value_covers_another_markups_line(scene, vertex):
    """Two rulers crossing in the middle and an angle whose vertex lies just beside the crossing:
    the angle's degrees were written beside its vertex over a ruler's line (98 and 68 of the lines'
    pixels covered); each value now goes to a side, or further off, where it covers no line."""
    green = (120, 255, 120)
    v = np.asarray(vertex)
    markups = [Markup(((20.0, 0.0, 0.0), (-20.0, 0.0, 0.0)), "40.0 mm", CYAN),
               Markup(((0.0, 0.0, 20.0), (0.0, 0.0, -20.0)), "40.0 mm", CYAN, 0),
               Markup((tuple(v + (10, 0, 15)), vertex, tuple(v + (15, 0, 3))), "30.0°", green, 1)]
    scene.show_markups([Markup(m.points, "", m.rgb, m.label_at) for m in markups])
    bare = scene.render(SIZE, SIZE)
    scene.show_markups(markups)
    labelled = scene.render(SIZE, SIZE)
    lines = cyan(bare) | np.all(np.abs(bare.astype(int) - green) <= 40, axis=2)
    covered = lines & np.any(labelled != bare, axis=2)
    assert lines.sum() > 150 and covered.sum() <= 3, f"{covered.sum()} of the lines' pixels covered"
    assert len(label_boxes_drawn(scene, markups)) == 3, "three values, apart"


def test_lines_are_looked_at_only_inside_the_frame():
    """A ruler's end close to the camera's plane lies ~1e12 pixels off: only the part of its line
    inside the frame is sampled (every pixel of it would not fit in memory)."""
    from neuroview.render.markups3d import _line_pixels

    pixels = _line_pixels([[(-1e12, 50.0), (1e12, 50.0)], [None, (5.0, 5.0)], [(10.0, 10.0)] * 2],
                          100, 80)
    assert len(pixels) < 110 and np.all(pixels >= 0) and np.all(pixels <= (100, 80))
    assert np.allclose(pixels[:, 1][:-2], 50.0) and pixels[:, 0].max() == 100 and pixels[:, 0].min() == 0
