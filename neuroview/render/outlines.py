"""Several readers' masks drawn together: one outline per reader, each in its colour.

The readers' masks come as one bit-packed array (bit ``n`` = reader ``n``, e.g.
``app.readers.ReaderOutlines``), sampled once at the view's pixels (nearest voxel, like a label
map on any grid); each reader's border is then drawn opaque in its colour, after the label map so
it stays visible over filled labels. Where several readers' borders fall on the same pixels (they
drew the same edge), the line is dashed in their colours, so no reader's outline hides another's.
"""

from __future__ import annotations

import numpy as np

from .sampling import sample_plane

DASH = 3
"""Pixels per dash where several readers' borders coincide."""


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
    edges = []
    for n, (colour, shown) in enumerate(zip(outlines.colours, outlines.shown)):
        mask = ((bits2d >> n) & 1).astype(np.uint8)
        if shown and mask.any():
            edges.append((outline_of(mask), colour))
    if not edges:
        return
    count = np.sum([edge for edge, _ in edges], axis=0)
    rows, cols = np.indices(count.shape)
    phase = ((rows + cols) // DASH) % np.maximum(count, 1)  # which of the readers on a pixel shows
    rank = np.zeros(count.shape, dtype=np.int64)
    for edge, colour in edges:
        rgb[edge & (rank == phase)] = colour
        rank += edge
