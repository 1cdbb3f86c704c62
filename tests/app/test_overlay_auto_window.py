"""An overlay series opens at a window that leaves its hot colours for what stands out: the
percentiles of its voxels inside the body (air and its noise left out), as the image's automatic
window, with headroom above. Until session 44 it opened at the header's or the whole image's
window held at the maximum: a FLAIR over a T1 drew most of the brain yellow to white-hot."""

from __future__ import annotations

import numpy as np

from neuroview.app.fusion import FusionLayer
from neuroview.core.volume import Volume
from neuroview.render.fusion import hot_colors


def _head(header_window=None):
    """A 2 mm head in air with Rayleigh noise: white matter 300, grey matter 400 around it, a
    lesion of 700 (FLAIR-bright) and a few voxels at 760."""
    rng = np.random.default_rng(4)
    shape = (48, 56, 44)
    ijk = np.indices(shape).astype(float)
    r = np.sqrt(sum(((c - (n - 1) / 2) / (n / 2.6)) ** 2 for c, n in zip(ijk, shape)))
    data = rng.rayleigh(12.0, shape)                        # air: the noise of a magnitude image
    data[r < 1.0] = 400 + rng.normal(0, 20, np.count_nonzero(r < 1.0))
    data[r < 0.75] = 300 + rng.normal(0, 20, np.count_nonzero(r < 0.75))
    lesion = (np.abs(ijk[0] - 30) < 3) & (np.abs(ijk[1] - 28) < 3) & (np.abs(ijk[2] - 22) < 3)
    data[lesion] = 700
    data[30, 28, 22] = 760
    volume = Volume(data.astype(np.float32), np.diag([2.0, 2.0, 2.0, 1.0]), modality="MR",
                    header_window=header_window)
    return volume, r < 1.0, lesion


def test_the_body_is_red_to_yellow_and_the_lesion_the_brightest():
    volume, body, lesion = _head()
    layer = FusionLayer.for_volume(volume)
    colours = hot_colors(volume.array, layer.window, layer.level)   # the overlay's pixels
    tissue = body & ~lesion
    # the top third is yellow to white (blue above 0): the brightest tissue's tail alone there
    # (its 99.5th percentile at 80 % of the window), none of it white-hot
    assert np.mean(colours[tissue][:, 2] > 0) < 0.10
    assert np.mean(colours[tissue][:, 2] > 128) < 0.01
    # white and grey matter told apart, red and orange: not one saturated colour, nor black
    wm = np.median(colours[tissue & (volume.array < 350)], axis=0)
    gm = np.median(colours[tissue & (volume.array > 350)], axis=0)
    assert wm[0] > 60 and wm[1] == 0 and 60 < gm[1] < 230 and gm[2] == 0, (wm, gm)
    # the lesion stands out: white, above all the tissue
    assert np.all(colours[lesion] == 255)
    # air is black
    assert np.mean(colours[~body].sum(axis=1) == 0) > 0.99


def test_a_header_window_chosen_for_grey_is_not_the_overlays():
    """A DICOM FLAIR whose header names a narrow grey window (the scanner's): it drew the whole
    brain white-hot; the overlay opens at its own body window all the same."""
    volume, body, lesion = _head(header_window=(300.0, 330.0))
    layer = FusionLayer.for_volume(volume)
    colours = hot_colors(volume.array, layer.window, layer.level)
    assert np.mean(colours[body & ~lesion][:, 2] > 0) < 0.10
    assert np.all(colours[lesion] == 255)
