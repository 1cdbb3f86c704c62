"""Slice views drawn with numpy: reslice, window/level, label overlay, crosshair, letters.

Why numpy and not a VTK reslice pipeline: on llvmpipe (no GPU) a 512x512 VTK slice update costs
11-22 ms, while sampling the image at the view's pixels with one numpy gather costs about 1-3 ms
(``bench/render.py`` measures both). Sampling at the exact RAS point of every screen pixel also
makes the picture the same in the window, in ``neuroview snapshot`` and in tests, and puts a label
map on another grid (other resolution or orientation) where it belongs in world space.

The image is sampled linearly by default (as Slicer and ITK-SNAP draw it; ``interpolate=False``
gives the voxels' blocks), labels always by nearest voxel so their edges stay crisp; sampling
itself is in :mod:`neuroview.render.sampling`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fusion import fused, sample_layer
from .heat import draw_heat
from .outlines import draw_outlines, outline_of
from .sampling import is_oblique, sample_plane
from .scale_bar import BAR, bar_box, bar_length, draw_bar
from .slab import sample_slab
from .text import draw_text, text_alpha, text_box
from .threshold import draw_threshold

CROSSHAIR_COLOR = (255, 215, 0)
CROSSHAIR_GAP = 6
"""Pixels left open around the crosshair centre, so the voxel pointed at stays visible."""
LETTER_COLOR = (255, 255, 120)
WARNING_COLOR = (255, 150, 40)
"""A warning written on the picture (:data:`MADE_UP_NOTE`): orange, apart from the letters'
yellow and the caption's white."""
MADE_UP_NOTE = "made-up slice: no image acquired here"
"""Written above the caption of a view showing a slice a resampled series made up between its
acquired ones (``Volume.made_up_slices``): the notice bar alone said so when the image opened."""
MADE_UP_IN_SLAB = "made-up slice in slab: one of the slices it combines was not acquired"
"""Written there instead when the view's thick slab takes in a made-up slice, its thin slice
acquired (the slab's maximum or mean mixes interpolated voxels in)."""


def made_up_note(volume, state, plane: str, slab: bool = True) -> str:
    """:data:`MADE_UP_NOTE` where ``plane``'s view of ``state`` shows a made-up slice of
    ``volume`` (:meth:`.Volume.made_up_at`), :data:`MADE_UP_IN_SLAB` where its thick slab (drawn:
    ``slab``) takes one in, else ``""``."""
    if volume is None or state is None or not volume.made_up_slices:
        return ""
    normal = state.axes(plane)[2]
    if volume.made_up_at(state.crosshair_ras, normal):
        return MADE_UP_NOTE
    thick = getattr(state, "slabs", {}).get(plane) if slab else None
    if thick is not None and thick.on and volume.made_up_within(state.crosshair_ras, normal,
                                                                thick.thickness_mm):
        return MADE_UP_IN_SLAB
    return ""


def window_to_gray(values: np.ndarray, window: float, level: float) -> np.ndarray:
    """Map intensities to 0..255 with a linear ramp over ``level +- window/2``."""
    low = level - window / 2.0
    scale = 255.0 / max(window, 1e-12)
    gray = (values.astype(np.float32) - np.float32(low)) * np.float32(scale)
    np.clip(gray, 0, 255, out=gray)
    if values.dtype.kind == "f":   # NaN voxels (a background written as NaN) are drawn black
        gray[np.isnan(gray)] = 0   # (their cast to uint8 was undefined)
    return (gray + 0.5).astype(np.uint8)


def label_lut(segments, max_value: int, opacity: float, hidden=()) -> tuple[np.ndarray, np.ndarray]:
    """Colour ``(n, 3)`` uint8 and opacity ``(n,)`` float32 tables indexed by label value."""
    from ..core.labels import default_color

    n = int(max_value) + 1
    colors = np.zeros((n, 3), dtype=np.uint8)
    alpha = np.zeros(n, dtype=np.float32)
    for value in range(1, n):
        colors[value] = default_color(value)
        alpha[value] = opacity
    for segment in segments or ():
        if segment.value < n:
            colors[segment.value] = segment.color
            alpha[segment.value] = opacity if segment.visible else 0.0
    for value in hidden:
        if 0 < value < n:
            alpha[value] = 0.0
    return colors, alpha


def blend_labels(rgb: np.ndarray, labels2d: np.ndarray, colors: np.ndarray, alpha: np.ndarray,
                 outline: bool = False) -> None:
    """Blend a label image over ``rgb`` in place with its colour and opacity tables."""
    mask = labels2d > 0
    if outline:
        mask = outline_of(labels2d)
    if not mask.any():
        return
    values = labels2d[mask]
    a = alpha[values][:, None]
    if outline:
        a = np.where(a > 0, np.float32(1.0), np.float32(0.0))
    under = rgb[mask].astype(np.float32)
    rgb[mask] = (under * (1 - a) + colors[values].astype(np.float32) * a + 0.5).astype(np.uint8)


def gray_label_lut(colors: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """``(n * 256, 3)`` uint8: the colour of every (label value, gray level) pair, blended as
    :func:`blend_labels` blends (same float32 arithmetic, so the same pixels)."""
    under = np.arange(256, dtype=np.float32)[None, :, None]
    a = alpha.astype(np.float32)[:, None, None]
    lut = (under * (1 - a) + colors.astype(np.float32)[:, None, :] * a + 0.5).astype(np.uint8)
    lut[0] = np.arange(256, dtype=np.uint8)[:, None]  # background: the gray level itself
    return lut.reshape(-1, 3)


def gray_with_labels(gray: np.ndarray, labels2d: np.ndarray, colors: np.ndarray, alpha: np.ndarray,
                     outline: bool = False) -> np.ndarray:
    """The ``(h, w, 3)`` picture of a gray image under labels of at most 255 values, in one table
    lookup per pixel: about 6x faster than :func:`blend_labels` over ``np.repeat`` (which copies
    the gray image to three channels, then gathers, blends and scatters the labelled pixels)."""
    if outline:
        labels2d = np.where(outline_of(labels2d), labels2d, 0).astype(np.uint8)
        alpha = np.where(alpha > 0, np.float32(1.0), np.float32(0.0))
    index = (labels2d.astype(np.uint16) << 8) | gray
    rows = np.ascontiguousarray(gray_label_lut(colors, alpha)).view("V3").reshape(-1)
    return rows.take(index).view(np.uint8).reshape(*gray.shape, 3)


def draw_crosshair(rgb: np.ndarray, x: float, y: float, color=CROSSHAIR_COLOR,
                   gap: int = CROSSHAIR_GAP) -> None:
    """Thin horizontal and vertical lines through widget point ``(x, y)``, open at the centre."""
    h, w = rgb.shape[:2]
    col, row = int(np.floor(x)), int(np.floor(y))
    if 0 <= col < w:
        rgb[: max(row - gap, 0), col] = color
        rgb[max(row + gap + 1, 0):, col] = color
    if 0 <= row < h:
        rgb[row, : max(col - gap, 0)] = color
        rgb[row, max(col + gap + 1, 0):] = color


@dataclass
class SliceImage:
    rgb: np.ndarray
    """``(height, width, 3)`` uint8, row 0 at the top: what the view shows."""
    geometry: object
    labels: np.ndarray | None = None
    """Label values under each pixel (``None`` without a label map)."""
    sampled: tuple | None = None
    """The image's ``(values, inside)`` at the pixels, before window/level: a slice view keeps
    them and re-maps them alone when only the grey mapping changes (``ui.slice_widget``)."""
    fusion: tuple | None = None
    """The overlay series' ``(values, inside)`` at the pixels (``render.fusion.sample_layer``),
    kept likewise: ``None`` where it was not sampled (no overlay shown, or at opacity 0)."""


def render_slice(volume, geom, window: float, level: float, labels=None, label_display=None,
                 crosshair_ras=None, letters: dict | None = None, caption: str = "",
                 number: str = "", frame: int = 0, heat=None, interpolate: bool = True, outlines=None,
                 threshold=None, slab=None, sampled=None, invert: bool = False,
                 sampled_labels=None, fusion=None, sampled_fusion=None,
                 warning: str = "") -> SliceImage:
    """Draw one slice view: the image at ``geom``'s pixels, labels, crosshair, letters, caption,
    ``warning`` and slice number (:func:`annotate`).

    ``labels`` is a :class:`~neuroview.core.labels.LabelMap` on any grid; ``label_display`` has
    ``opacity``, ``outline``, ``visible`` and ``hidden`` (see ``app.view_state.LabelDisplay``).
    ``heat`` is a float map drawn between the image and the labels (``render.heat.draw_heat``,
    e.g. ``app.uncertainty.UncertaintyMap``), unless its ``visible`` is false. ``interpolate``
    samples the image linearly (nearest voxel otherwise, except on oblique planes); labels are
    always nearest. ``outlines``: several readers' masks, one outline colour each
    (``render.outlines``, e.g. ``app.readers.ReaderOutlines``), drawn over the labels.
    ``threshold``: the Threshold tool's preview (``low``, ``high``, ``color``, ``opacity``:
    ``render.threshold``), drawn over the labels. ``slab``: a thick slab (``thickness_mm``,
    ``mode`` max/min/mean: ``render.slab``) drawn instead of the thin image slice; the labels,
    heat map, outlines and threshold preview stay those of the thin slice. ``sampled``: the
    image's ``(values, inside)`` at ``geom``'s pixels sampled beforehand (an oblique thick slab
    computed off the GUI thread, ``ui.slab_job``, or the ``sampled`` of a picture drawn before),
    drawn instead of sampling ``volume``; ``sampled_labels``: ``labels`` at those pixels likewise
    (a picture's ``labels``). ``invert``: the grey scale turned over (*View > Invert*; a
    MONOCHROME1 image back to its stored values' order). ``fusion``: a second series drawn in
    colour over the image, under the heat map and labels (``render.fusion.fused``,
    ``app.fusion.FusionLayer``), unless its ``visible`` is false; ``sampled_fusion``: its
    ``(values, inside)`` at the pixels sampled beforehand (a picture's ``fusion``), else sampled
    here.
    """
    image = volume.frame(frame)
    values, inside = sample_image(volume, geom, frame, interpolate, slab) if sampled is None \
        else sampled
    gray = window_to_gray(values, window, level)
    if volume.display_inverted != bool(invert):  # DICOM MONOCHROME1: the lowest value white
        np.subtract(255, gray, out=gray)
    gray[~inside] = 0
    heat_shown = heat is not None and getattr(heat, "visible", True)
    fusion_shown = fusion is not None and getattr(fusion, "visible", True)
    if fusion_shown and sampled_fusion is None:
        sampled_fusion = sample_layer(fusion, geom)

    def coloured() -> np.ndarray:   # the grey image with the overlay series and heat map over it
        picture = fused(gray, fusion, sampled_fusion) if fusion_shown \
            else np.repeat(gray[:, :, None], 3, axis=2)
        if heat_shown:
            draw_heat(picture, heat, geom)
        return picture

    labels2d, rgb = None, None
    if labels is not None:
        labels2d = sampled_labels if sampled_labels is not None else \
            sample_plane(labels.array, np.linalg.inv(labels.ijk_to_ras), geom, order=0)[0]
        if label_display is None or label_display.visible:
            opacity = 0.5 if label_display is None else label_display.opacity
            outline = False if label_display is None else label_display.outline
            hidden = () if label_display is None else label_display.hidden
            max_value = int(labels2d.max()) if labels2d.size else 0
            if 0 < max_value <= 255 and not (heat_shown or fusion_shown):
                colors, alpha = label_lut(labels.segments, max_value, opacity, hidden)
                rgb = gray_with_labels(gray, labels2d, colors, alpha, outline)
            elif max_value > 0:
                rgb = coloured()
                colors, alpha = label_lut(labels.segments, max_value, opacity, hidden)
                blend_labels(rgb, labels2d, colors, alpha, outline)
    if rgb is None:
        rgb = coloured()
    if threshold is not None:
        draw_threshold(rgb, image, volume.ras_to_ijk, geom, threshold, labels2d)
    draw_outlines(rgb, outlines, geom)
    annotate(rgb, geom, crosshair_ras, letters, caption, number=number, warning=warning)
    return SliceImage(rgb, geom, labels2d, (values, inside), sampled_fusion)


def sample_image(volume, geom, frame: int = 0, interpolate: bool = True, slab=None) -> tuple:
    """``(values, inside)``: time point ``frame`` of ``volume`` at ``geom``'s pixels, linearly
    (``interpolate``, and always on oblique planes) or by nearest voxel; ``slab``'s thick slab
    when it has a thickness. What :func:`render_slice` maps to grey levels."""
    image = volume.frame(frame)
    order = 1 if interpolate or is_oblique(volume.ras_to_ijk, geom) else 0
    if slab is not None and slab.thickness_mm > 0:
        return sample_slab(image, volume.ras_to_ijk, geom, slab.thickness_mm, slab.mode,
                           order=order)
    return sample_plane(image, volume.ras_to_ijk, geom, order=order)


def annotate(rgb: np.ndarray, geom, crosshair_ras=None, letters: dict | None = None,
             caption: str = "", scale: float = 1.0, number: str = "",
             warning: str = "") -> list[tuple[int, int, int, int]]:
    """Draw the crosshair, then the orientation letters, the caption (lower left; its lines
    apart at ``\n``, the last lowest: a 4D image's time point above the position) with a
    ``warning`` above it in :data:`WARNING_COLOR` (:data:`MADE_UP_NOTE`), the slice's
    ``number`` (lower right: ``18/30``, as PACS viewers number images) and, with the letters, the
    scale bar above it (:mod:`.scale_bar`) over a rendered slice (a
    view whose picture did not change only redraws these on a copy of it). ``scale``: device
    pixels per screen point (2 on a HiDPI screen, where the picture has twice the pixels): the
    letters, margins and crosshair gap keep their size on screen; the lines stay one pixel thin.
    Returns each text drawn, ``((x0, y0, x1, y1), (text, x, y, colour, anchor, size))``: its
    box and what drew it (:func:`move_crosshair`)."""
    if crosshair_ras is not None:
        draw_crosshair(rgb, *geom.ras_to_pixel(crosshair_ras), gap=round(CROSSHAIR_GAP * scale))
    w, h = geom.width, geom.height
    if min(w, h) < 48 * scale:
        return []
    m = 4 * scale
    big, small = round(14 * scale), round(12 * scale)
    corner = []   # lower left: the caption's lines; lower right: the number
    if letters:
        texts = [(letters["left"], m, h / 2, LETTER_COLOR, "left", big),
                 (letters["right"], w - m, h / 2, LETTER_COLOR, "right", big),
                 (letters["top"], w / 2, 3 * scale, LETTER_COLOR, "top", big),
                 (letters["bottom"], w / 2, h - 3 * scale, LETTER_COLOR, "bottom", big)]
    else:
        texts = []
    y = h - 3 * scale
    if caption:
        bottom = letters["bottom"] if letters else ""
        room = w / 2 - text_alpha(bottom, big).shape[1] / 2 - m - 3 * scale
        for line in [line for part in reversed(caption.split("\n"))   # a 4D image's time point
                     for line in caption_lines(part, room, small)]:   # above the position
            corner.append((line, m, y, (230, 230, 230), "bottom-left", small))
            y -= text_alpha(line, small).shape[0] + 3 * scale   # halos apart
    if warning:
        if letters:   # above the scale bar's length too: beside it, it put the bar out
            row = h - 3 * scale - small - 6 * scale - 2 * scale   # the length's centre
            y = min(y, row - text_alpha("0 mm", small).shape[0] / 2 - 2 * scale)
        if text_alpha(warning, small).shape[1] > w - 2 * m:   # a small view: its head alone
            warning = warning.partition(":")[0]
        corner.append((warning, m, y, WARNING_COLOR, "bottom-left", small))
    if number:
        corner.insert(0, (number, w - m, h - 3 * scale, (230, 230, 230), "bottom-right", small))
    groups = [[item] for item in _above(corner, texts[3:], scale)]
    if letters:   # the scale bar above the number, its length written left of it
        mm, length = bar_length(geom.mm_per_pixel, w, scale)
        if mm:
            y = h - 3 * scale - small - 6 * scale
            groups.append([(f"{mm} mm", w - m - length - 4 * scale, y - 2 * scale, LETTER_COLOR,
                            "right", small), ("", w - m - length, y, LETTER_COLOR, BAR, w - m)])
    for group in groups:   # in a view too small for all, those that would run over another: none
        if not any(_overlaps(_box(a, scale), _box(b, scale)) for a in group for b in texts):
            texts += group
    return [(_draw(rgb, text, scale), text) for text in texts]


def caption_lines(caption: str, room: float, size: int) -> list[str]:
    """The caption's lines, lowest first: one, unless it is wider than ``room`` (the pixels left
    of the bottom orientation letter) and names a thick slab (``R: 0.0 mm  MIP 10 mm``): then
    the slab a line above the position. In a small view (one large, three small, on a 1366x768
    screen) the whole line ran over the bottom letter."""
    position, _, slab = caption.partition("  ")
    if not slab or text_alpha(caption, size).shape[1] <= room:
        return [caption]
    return [position, slab]


def _above(corner: list, bottom_letter: list, scale: float) -> list:
    """The lower corners' texts, lifted above the bottom orientation letter where they would run
    over it (a view too narrow for both on the last line)."""
    if not bottom_letter or not any(_overlaps(_box(item, scale), _box(bottom_letter[0], scale))
                                    for item in corner):
        return corner
    lift = max(_box(item, scale)[3] for item in corner) - _box(bottom_letter[0], scale)[1] \
        + round(2 * scale)
    return [(text, x, y - lift, *rest) for text, x, y, *rest in corner]


def _box(item: tuple, scale: float) -> tuple:
    """The box :func:`_draw` draws ``item`` in."""
    text, x, y, _color, anchor, last = item
    return bar_box(x, last, y, scale) if anchor == BAR else text_box(text, x, y, anchor, last)


def _draw(rgb: np.ndarray, item: tuple, scale: float) -> tuple:
    """Draw one of :func:`annotate`'s items, ``(text, x, y, colour, anchor, size)``, or the scale
    bar's ``("", x0, y, colour, BAR, x1)``; returns its box."""
    text, x, y, color, anchor, last = item
    if anchor == BAR:
        return draw_bar(rgb, x, last, y, color, scale)
    return draw_text(rgb, text, x, y, color, anchor, size=last)


def move_crosshair(rgb: np.ndarray, base: np.ndarray, geom, old_ras, new_ras, texts: list,
                   scale: float = 1.0) -> bool:
    """Move the crosshair of ``rgb`` (``base`` annotated by :func:`annotate`, which returned
    ``texts``) from ``old_ras`` to ``new_ras`` in place: the old lines put back from ``base``,
    the new ones drawn, the text kept, and drawn again only where the lines under it changed:
    the same pixels as ``base`` annotated anew, without its copy and all its text (a wheel step
    in another view moves only the crosshair there). False, ``rgb`` untouched, when text to
    draw again overlaps other text (drawn all again)."""
    gap = round(CROSSHAIR_GAP * scale)
    (x0, y0), (x1, y1) = (geom.ras_to_pixel(p) for p in (old_ras, new_ras))
    changed = []
    for (bx0, by0, bx1, by1), _text in texts:   # the lines in each box, old and new
        lines = np.zeros((2, by1 - by0, bx1 - bx0), dtype=bool)
        draw_crosshair(lines[0], x0 - bx0, y0 - by0, color=True, gap=gap)
        draw_crosshair(lines[1], x1 - bx0, y1 - by0, color=True, gap=gap)
        changed.append(not np.array_equal(lines[0], lines[1]))
    boxes = [box for box, _text in texts]
    if any(flag and _overlaps(box, other) for flag, box in zip(changed, boxes)
           for other in boxes if other is not box):
        return False
    kept = [(slice(max(by0, 0), max(by1, 0)), slice(max(bx0, 0), max(bx1, 0)))
            for bx0, by0, bx1, by1 in boxes]
    pixels = [None if flag else rgb[box].copy() for flag, box in zip(changed, kept)]
    h, w = rgb.shape[:2]
    row, col = int(np.floor(y0)), int(np.floor(x0))
    if 0 <= row < h:
        rgb[row] = base[row]
    if 0 <= col < w:
        rgb[:, col] = base[:, col]
    for flag, box in zip(changed, kept):
        if flag:
            rgb[box] = base[box]
    draw_crosshair(rgb, x1, y1, gap=gap)
    for (_box, text), box, kept_pixels in zip(texts, kept, pixels):
        if kept_pixels is None:
            _draw(rgb, text, scale)
        else:
            rgb[box] = kept_pixels
    return True


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def render_view(volume, state, plane: str, width: int, height: int, labels=None,
                crosshair: bool = True, annotations: bool = True, threshold=None,
                thin: bool = False, sampled=None, sampled_labels=None,
                sampled_fusion=None, time_point: str = "") -> SliceImage:
    """:func:`render_slice` for a plane of a viewer state (``app.view_state.ViewerState``);
    ``thin``: the thin slice even where the state holds a thick slab (drawn while moving);
    ``sampled``, ``sampled_labels``, ``sampled_fusion``: the image's, labels' and overlay
    series' values at the pixels, sampled beforehand (see :func:`render_slice`); ``time_point``:
    a line above the caption naming a 4D image's time point drawn (``app.frames.view_caption``,
    ``neuroview snapshot --frame``)."""
    geom = state.geometry(plane, width, height)
    slab = None if thin else getattr(state, "slabs", {}).get(plane)
    return render_slice(
        volume, geom, state.window, state.level, labels=labels, label_display=state.labels,
        crosshair_ras=state.crosshair_ras if crosshair else None,
        letters=state.orientation_letters(plane) if annotations else None,
        caption=(f"{time_point}\n" if time_point else "")
        + (state.slice_label(plane, slab=False) if thin else state.slice_label(plane))
        if annotations else "",
        number=state.slice_number_text(plane) if annotations else "",
        warning=made_up_note(volume, state, plane, slab=not thin) if annotations else "",
        heat=getattr(state, "heat", None), interpolate=getattr(state, "interpolate", True),
        outlines=getattr(state, "reader_outlines", None), frame=getattr(state, "frame", 0),
        threshold=threshold, slab=slab, sampled=sampled, invert=getattr(state, "inverted", False),
        sampled_labels=sampled_labels, fusion=getattr(state, "fusion", None),
        sampled_fusion=sampled_fusion,
    )
