"""The air the 3D view's slice planes leave transparent on an image without a fixed scale (MR):
the top of the background's noise, found by the triangle threshold of the image's histogram.

MR air is not 0: a magnitude image's background is noise (Rayleigh, its peak at the noise's
sigma, its 99.9th percentile near 3.7 sigma). The planes' air was the image's 1st percentile,
inside that noise, and the air around a noisy head was drawn as a black box (a 96^3 head with
noise of sigma 20: 98.7 % of the air opaque). The triangle threshold (Zack 1977; ITK's, as
SimpleITK gives it) finds the foot of the histogram's dominant peak, the background: 68 there
(0.3 % of the air left), while Otsu's cut (230) went through the skull and CSF."""

from __future__ import annotations

import numpy as np

SAMPLE = 1 << 20
"""Voxels the histogram is made of (an even stride through the image): SimpleITK's filter took
1.9 s over a 256^3 volume on this project's 2-core machine."""
BINS = 256


def background_cut(values: np.ndarray, low: float) -> float:
    """The top of the background's noise in ``values`` (finite voxels): the triangle threshold,
    when the histogram's peak (the background) lies below it; else ``low`` (an image with no
    background to speak of: its tissue's peak is not to be cut into). Never below ``low``."""
    import SimpleITK as sitk

    flat = np.asarray(values).ravel()
    sample = flat[::max(1, flat.size // SAMPLE)].astype(np.float32)
    if sample.size < 2 or float(sample.min()) == float(sample.max()):
        return low
    image = sitk.GetImageFromArray(sample.reshape(1, -1))
    triangle = sitk.TriangleThresholdImageFilter()
    triangle.SetNumberOfHistogramBins(BINS)
    triangle.Execute(image)
    cut = float(triangle.GetThreshold())
    counts, edges = np.histogram(sample, BINS)
    peak = float(edges[int(np.argmax(counts)) + 1])
    return max(cut, low) if peak <= cut else low
