"""Several readers' masks drawn together: one outline per reader, each in its colour.

The readers' masks come as one bit-packed array (bit ``n`` = reader ``n``, e.g.
``app.readers.ReaderOutlines``), sampled once at the view's pixels (nearest voxel, like a label
map on any grid); each reader's border is then drawn opaque in its colour, after the label map so
it stays visible over filled labels. Where two readers' borders meet, the later reader's colour
is drawn (the legend's order).
"""

from __future__ import annotations

import numpy as np

from .sampling import sample_plane


def outline_of(labels2d: np.ndarray) -> np.ndarray:
    """Pixels of a label image whose 4-neighbour has another value (the segment's border)."""
    edge = np.zeros(labels2d.shape, dtype=bool)
    vertical = labels2d[:-1] != labels2d[1:]
    horizontal = labels2d[:, :-1] != labels2d[:, 1:]
    edge[:-1] |= vertical
    edge[1:] |= vertical
    edge[:, :-1] |= horizontal
    edge[:, 1:] |= horizontal
    edge[0, :] = edge[-1, :] = True
    edge[:, 0] = edge[:, -1] = True
    return edge & (labels2d > 0)


def draw_outlines(rgb: np.ndarray, outlines, geom) -> None:
    """Draw ``outlines`` (``bits``, ``ijk_to_ras``, ``colours``, ``shown``, ``visible``) on ``rgb``."""
    if outlines is None or not outlines.visible:
        return
    bits2d, _inside = sample_plane(outlines.bits, np.linalg.inv(outlines.ijk_to_ras), geom, order=0)
    if not bits2d.any():
        return
    for n, (colour, shown) in enumerate(zip(outlines.colours, outlines.shown)):
        if not shown:
            continue
        mask = ((bits2d >> n) & 1).astype(np.uint8)
        if mask.any():
            rgb[outline_of(mask)] = colour
