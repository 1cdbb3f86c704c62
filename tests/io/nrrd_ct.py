"""A CT written as NRRD, as Slicer writes one from a scanner's series: int16 HU, LPS, with a
padding number (-3024 from dcm2niix, -2000 as GE stores it) outside a round field of view; and
how the lung window draws such a CT once loaded (as a NRRD or a NIfTI)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

N, SLICES, FOV_RADIUS = 96, 12, 46.0
AIR = -1024
SPACING = (0.8, 0.8, 2.5)


def padded_ct(padding: int = -3024, n: int = N, slices: int = SLICES) -> np.ndarray:
    """[i, j, k] int16 HU: a head (skull, brain with noise) in air at -1024, ``padding`` outside
    a circle of radius ``FOV_RADIUS / N * n`` voxels."""
    x = np.arange(n) - (n - 1) / 2
    r = np.hypot(*np.meshgrid(x, x, indexing="ij")) * N / n
    slab = np.full((n, n), AIR, dtype=np.int16)
    slab[r < 36] = 1000
    slab[r < 32] = 35
    slab[r > FOV_RADIUS] = padding
    image = np.repeat(slab[:, :, None], slices, axis=2)
    noise = np.random.default_rng(3).normal(0, 6, image.shape).round().astype(np.int16)
    brain = np.repeat((r < 32)[:, :, None], slices, axis=2)
    image[brain] += noise[brain]
    return image


def write_nrrd(path: Path, image: np.ndarray, encoding: str = "raw", **fields) -> Path:
    """``image`` ([i, j, k]) as a NRRD by pynrrd, LPS, axial slices along k."""
    import nrrd

    header = {"space": "left-posterior-superior", "encoding": encoding,
              "space directions": np.diag(SPACING), "space origin": np.array([-38.0, -38.0, 0.0]),
              "kinds": ["domain"] * 3, **fields}
    detached = str(path).endswith(".nhdr")
    nrrd.write(str(path), image, header, detached_header=detached, index_order="F")
    return path


def check_padding_drawn_as_air(volume) -> None:
    """``volume`` (a :func:`padded_ct` of ``N`` voxels across, loaded) drawn in the lung window
    (1500/-600): the padding outside the field of view the grey of the air inside it (it was
    black: a ring around the air), no darker line where they meet."""
    from neuroview.app.view_presets import CT_PRESETS
    from neuroview.app.view_state import ViewerState
    from neuroview.render.slices import render_view

    state = ViewerState.for_volume(volume)
    state.window, state.level = CT_PRESETS["Lung"]
    picture = render_view(volume, state, "axial", 300, 300, crosshair=False, annotations=False)
    geom = picture.geometry
    rows, cols = np.mgrid[0:300, 0:300]
    points = geom.origin_ras + cols[..., None] * geom.col_ras + rows[..., None] * geom.row_ras
    ijk = points @ volume.ras_to_ijk[:3, :3].T + volume.ras_to_ijk[:3, 3]
    on_grid = np.all((ijk[..., :2] >= 0) & (ijk[..., :2] <= N - 1), axis=-1)
    r = np.hypot(ijk[..., 0] - (N - 1) / 2, ijk[..., 1] - (N - 1) / 2)
    outside = on_grid & (r > FOV_RADIUS + 1.5)
    air = on_grid & (r > 37.5) & (r < FOV_RADIUS - 1.5)
    grey = picture.rgb[..., 0]
    assert outside.sum() > 1000 and air.sum() > 1000
    air_grey = int(np.median(grey[air]))
    assert 40 < air_grey < 80                               # air is dark grey at 1500/-600
    assert set(np.unique(grey[outside])) == {air_grey}      # was 0: a black ring around it
    assert grey[on_grid & (r > 38)].min() == air_grey       # no darker line at the circle's edge
