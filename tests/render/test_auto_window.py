"""The *Auto* window on a T1: a lesion 45 % brighter than white matter is drawn brighter than the
white matter around it, and grey matter stays darker than white matter (pixels on screen)."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from neuroview.ai.heads import synthetic_head, wm_lesion_head
from neuroview.app.view_state import ViewerState
from neuroview.core.volume import Volume
from neuroview.render.slices import render_view

SEED = 5
SIZE = 400


def tissue_at(mask: np.ndarray, ras_to_ijk: np.ndarray, points_ras: np.ndarray) -> np.ndarray:
    ijk = np.rint(points_ras @ ras_to_ijk[:3, :3].T + ras_to_ijk[:3, 3]).astype(int)
    inside = np.all((ijk >= 0) & (ijk < mask.shape), axis=-1)
    out = np.zeros(points_ras.shape[:-1], bool)
    out[inside] = mask[tuple(ijk[inside].T)]
    return out


def test_auto_window_draws_a_bright_lesion_apart_from_white_matter_on_a_t1():
    case = wm_lesion_head(SEED, "t1")
    head = synthetic_head("t1", seed=SEED)        # the same head's tissue maps (its own grid)
    volume = Volume(case.image, case.ijk_to_ras, modality="MR")
    lesions, n = ndimage.label(case.label)
    image_ras_to_ijk = np.linalg.inv(case.ijk_to_ras)
    head_ras_to_ijk = np.linalg.inv(head.ijk_to_ras)
    bright = [i for i in range(1, n + 1)
              if np.median(case.image[lesions == i]) > np.median(case.image[case.brain])]
    largest = max(bright, key=lambda i: (lesions == i).sum())
    core = ndimage.binary_erosion(lesions == largest, iterations=1)
    centre_ijk = np.argwhere(core).mean(axis=0).round()
    near = ndimage.binary_dilation(lesions > 0, iterations=6) & ~ndimage.binary_dilation(
        lesions > 0, iterations=2)                 # 3-6 mm outside any lesion
    state = ViewerState.for_volume(volume)
    state.set_crosshair(case.ijk_to_ras[:3, :3] @ centre_ijk + case.ijk_to_ras[:3, 3])

    for plane in ("axial", "coronal"):
        picture = render_view(volume, state, plane, SIZE, SIZE, crosshair=False, annotations=False)
        geom = picture.geometry
        rows, cols = np.mgrid[0:SIZE, 0:SIZE]
        points = (geom.origin_ras + cols[..., None] * geom.col_ras + rows[..., None] * geom.row_ras)
        grey = picture.rgb[..., 0].astype(float)
        in_lesion = tissue_at(core, image_ras_to_ijk, points)
        white = tissue_at(head.wm > 0.9, head_ras_to_ijk, points)
        cortex = tissue_at(head.gm > 0.9, head_ras_to_ijk, points)
        around = tissue_at(near, image_ras_to_ijk, points) & white
        assert in_lesion.sum() > 20 and around.sum() > 50 and cortex.sum() > 500, plane
        lesion_grey, around_grey = np.median(grey[in_lesion]), np.median(grey[around])
        # The old window (0.5-99.5 % of the foreground) drew the lesion at 255 and the white matter
        # around it at 250-254: the same white.
        assert lesion_grey - around_grey >= 40, (plane, lesion_grey, around_grey)
        assert np.median(grey[white]) - np.median(grey[cortex]) >= 50, plane
        assert np.median(grey[white]) >= 150, plane      # normal anatomy is not washed out
