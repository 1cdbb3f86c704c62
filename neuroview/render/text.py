"""Text drawn into numpy RGB images (orientation letters, slice positions), rasterised by VTK's
FreeType text renderer without any window, so the GUI and headless snapshots draw identical text."""

from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=256)
def text_alpha(text: str, size: int = 14, bold: bool = True) -> np.ndarray:
    """Coverage mask (float32, 0..1, shape ``(h, w)``, row 0 at the top) of ``text``."""
    import vtkmodules.vtkRenderingFreeType  # noqa: F401 - registers the FreeType text renderer
    from vtkmodules.util.numpy_support import vtk_to_numpy
    from vtkmodules.vtkCommonDataModel import vtkImageData
    from vtkmodules.vtkRenderingCore import vtkTextProperty, vtkTextRenderer

    renderer = vtkTextRenderer()
    prop = vtkTextProperty()
    prop.SetFontSize(int(size))
    prop.SetBold(bool(bold))
    prop.SetColor(1.0, 1.0, 1.0)
    image = vtkImageData()
    box = [0, 0, 0, 0]
    if not text or not renderer.GetBoundingBox(prop, text, box, 72):
        return np.zeros((1, 1), dtype=np.float32)
    renderer.RenderString(prop, text, image, [0, 0], 72)
    nx, ny, _ = image.GetDimensions()
    rgba = vtk_to_numpy(image.GetPointData().GetScalars()).reshape(ny, nx, -1)
    alpha = rgba[::-1, :, -1].astype(np.float32) / 255.0  # VTK rows start at the bottom
    width, height = box[1] - box[0] + 1, box[3] - box[2] + 1
    return np.ascontiguousarray(alpha[ny - height:, :width]) if height <= ny else alpha


@lru_cache(maxsize=256)
def halo_alpha(text: str, size: int = 14) -> np.ndarray:
    """Coverage of a dark outline one pixel wide all round ``text`` (and under it), shape
    ``(h + 2, w + 2)`` of :func:`text_alpha`'s: the words stay legible on a bright image, where
    a shadow one pixel down and right left their left and top edges on white (``S: 30.0 mm``
    vanished over a bright slice). The 3x3 maximum is taken by numpy, not scipy.ndimage's
    ``maximum_filter`` (the same pixels): the window's first paint draws letters, and importing
    scipy.ndimage there cost 0.4 s of CPU of the window's start (``tests/cli/test_start_imports.py``)."""
    alpha = np.pad(text_alpha(text, size), 2)
    rows = np.maximum(np.maximum(alpha[:-2], alpha[1:-1]), alpha[2:])
    spread = np.maximum(np.maximum(rows[:, :-2], rows[:, 1:-1]), rows[:, 2:])
    return np.minimum(2 * spread, 1.0)


def draw_text(rgb: np.ndarray, text: str, x: float, y: float, color=(255, 255, 0),
              anchor: str = "center", size: int = 14) -> tuple[int, int, int, int]:
    """Draw ``text`` into ``rgb`` (``(h, w, 3)`` uint8) in place, outlined in black for contrast
    on dark and bright images alike; returns the box ``(x0, y0, x1, y1)`` its pixels may touch
    (outline included, not clipped to ``rgb``).

    ``anchor`` names which point of the text box lies at ``(x, y)``: ``center``, ``left``
    (middle of the left edge), ``right``, ``top``, ``bottom``, ``bottom-left``, ``bottom-right``,
    ``top-left``.
    """
    x0, y0, x1, y1 = text_box(text, x, y, anchor, size)
    _blend(rgb, halo_alpha(text, size), x0, y0, np.zeros(3, dtype=np.float32))
    _blend(rgb, text_alpha(text, size), x0 + 1, y0 + 1, np.asarray(color, dtype=np.float32))
    return x0, y0, x1, y1


def text_box(text: str, x: float, y: float, anchor: str = "center", size: int = 14) -> tuple:
    """The box ``(x0, y0, x1, y1)`` :func:`draw_text` draws ``text`` in (outline included)."""
    h, w = text_alpha(text, size).shape
    ox = {"left": 0, "bottom-left": 0, "top-left": 0, "right": w, "bottom-right": w}.get(anchor, w / 2)
    oy = {"top": 0, "top-left": 0, "bottom": h, "bottom-left": h, "bottom-right": h}.get(anchor, h / 2)
    x0, y0 = int(round(x - ox)), int(round(y - oy))
    return x0 - 1, y0 - 1, x0 + w + 1, y0 + h + 1


def _blend(rgb: np.ndarray, alpha: np.ndarray, x0: int, y0: int, color: np.ndarray) -> None:
    h, w = alpha.shape
    H, W = rgb.shape[:2]
    xa, ya, xb, yb = max(x0, 0), max(y0, 0), min(x0 + w, W), min(y0 + h, H)
    if xa >= xb or ya >= yb:
        return
    a = alpha[ya - y0:yb - y0, xa - x0:xb - x0, None]
    region = rgb[ya:yb, xa:xb].astype(np.float32)
    rgb[ya:yb, xa:xb] = (region * (1 - a) + color * a + 0.5).astype(np.uint8)
