"""Where each view shown sits in the window's grid of views, for each layout."""

from __future__ import annotations

from ..app.view_state import VIEWS


def view_places(visible: tuple[str, ...], layout: str, large: str) -> dict[str, tuple]:
    """``{view: (row, column, rows spanned, column stretch)}`` for the views ``visible``.

    One view fills the grid; one row of three sits side by side; *One large, three small*
    (Ctrl+4, the 1+3 of PACS viewers' MPR layouts) draws ``large`` over three columns' width, the
    other three stacked beside it in their usual order; four-up is Slicer's: axial | 3D over
    sagittal | coronal."""
    if len(visible) == 1:
        return {visible[0]: (0, 0, 1, 1)}
    if len(visible) == 3:
        return {name: (0, n, 1, 1) for n, name in enumerate(visible)}
    if layout == "one-plus-three" and large in visible:
        small = [name for name in VIEWS if name != large]
        return {large: (0, 0, 3, 3), **{name: (n, 1, 1, 1) for n, name in enumerate(small)}}
    return {"axial": (0, 0, 1, 1), "3d": (0, 1, 1, 1), "sagittal": (1, 0, 1, 1),
            "coronal": (1, 1, 1, 1)}
