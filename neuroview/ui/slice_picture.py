"""The picture of a slice view kept between paints: what it depends on (:func:`render_key`: when
that is unchanged nothing is resampled; when only its grey or overlay colours changed the values
are re-mapped, not resampled), the screen rows and columns a moved crosshair touches
(:func:`crosshair_region`) and the part of it an edit redraws (:func:`render_part`)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QRegion

from ..app.view_regions import sub_geometry
from ..core.same_object import Same
from ..render.slices import render_slice
from . import hidpi


def _outlines_key(outlines) -> tuple | None:
    return None if outlines is None else (Same(outlines), outlines.visible, tuple(outlines.shown),
                                          tuple(outlines.colours))


def _fusion_key(fusion) -> tuple | None:
    return None if fusion is None else (fusion.visible, fusion.window, fusion.level,
                                        fusion.opacity, fusion.colours)


def render_key(controller, plane: str, size: tuple[int, int]) -> tuple:
    """Everything the picture of ``plane`` (``size`` screen pixels) under the crosshair depends
    on: when a wheel step in another view moves only the crosshair line here, the key is
    unchanged and nothing is resampled. The image, label map, uncertainty map and outlines are
    in it by identity (``core.same_object``): by ``id()`` until session 35, a preview made after
    the one drawn was freed could get its id, and the view kept the old preview's picture.

    Three parts: ``(sampled, overlay, mapped)``. ``sampled``: what the image's and labels' values
    at the pixels depend on (image, plane, size, zoom, pan, interpolation, time point, label map,
    slab); ``overlay``: what the overlay series' values there depend on (its volume and time
    point, the plane, size, zoom and pan; ``None`` without one); ``mapped``: what only turns those values into
    colours (window/level, invert, label colours and opacity, overlays; the overlay series'
    window/level, opacity, colours and whether it is shown). A change of ``mapped`` alone
    re-maps the values kept (a window/level drag re-sampled the volume at every step: 1.29 of
    1.57 s of 60 preset keys, session 42; and an oblique overlay series, 65-110 ms a picture,
    session 43)."""
    c = controller
    state = c.state
    geom = state.geometry(plane, *size)
    heat, shown, labels = state.heat, state.labels, c.display_labels()
    place = place_key(geom)
    sampled = (Same(c.volume), *place, state.interpolate, state.frame, Same(labels),
               state.slabs[plane])
    overlay = None if state.fusion is None else (Same(state.fusion.volume), state.fusion.frame,
                                                  *place)
    mapped = (state.window, state.level, shown.opacity, shown.outline, shown.visible,
              frozenset(shown.hidden), Same(heat),
              None if heat is None else (heat.visible, heat.threshold, heat.vmax, heat.opacity),
              _outlines_key(state.reader_outlines),
              None if labels is None else tuple((s.value, s.color, s.visible) for s in labels.segments),
              c.threshold_preview, state.inverted, _fusion_key(state.fusion))
    return sampled, overlay, mapped


def place_key(geom) -> tuple:
    """Where a picture ``geom``'s pixels lie: its plane, size, zoom and pan (rounded to 1e-9 mm,
    so that the same picture worked out twice has the same key)."""
    where = np.concatenate([geom.origin_ras, geom.col_ras, geom.row_ras])
    return tuple(np.round(where, 9)), geom.width, geom.height


def crosshair_region(geom, old_ras, new_ras, size: tuple[int, int], ratio: float) -> QRegion:
    """The widget region of the screen rows and columns (picture ``geom``, ``size`` screen
    pixels at ``ratio``) the crosshair's lines leave (at ``old_ras``) and reach (``new_ras``)."""
    w, h = size
    (x0, y0), (x1, y1) = (np.floor(geom.ras_to_pixel(p)).astype(int) for p in (old_ras, new_ras))
    region = QRegion()
    if y0 != y1:
        for y in (y0, y1):
            region = region.united(hidpi.to_widget(0, y, w, y + 1, ratio))
    if x0 != x1:
        for x in (x0, x1):
            region = region.united(hidpi.to_widget(x, 0, x + 1, h, ratio))
    return region


def render_part(controller, plane: str, geom, x0: int, y0: int, x1: int, y1: int, slab=None):
    """The screen pixels ``[x0, x1) x [y0, y1)`` of the picture ``geom`` of ``plane`` (its thick
    slab too: an edit on a MIP view redraws the MIP under the labels). ``slab``: the view's
    ``slab_job.SlabPicture``, whose oblique slab computed is drawn there (not computed again)."""
    c, state = controller, controller.state
    part = sub_geometry(geom, x0, y0, x1, y1)
    sampled = None if slab is None else slab.at(c.volume, state.frame, part, state.slabs[plane])
    return render_slice(c.volume, part, state.window, state.level,
                        labels=c.display_labels(), label_display=state.labels, heat=state.heat,
                        interpolate=state.interpolate, outlines=state.reader_outlines,
                        frame=state.frame, threshold=c.threshold_preview,
                        slab=state.slabs[plane], sampled=sampled, invert=state.inverted,
                        fusion=state.fusion)
