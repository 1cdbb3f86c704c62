"""The MR preset's opacity ramp follows the image's own foreground: an ADC map (brain 700-900,
CSF 2000-3000, the scalp's fit near 1200, background 0) was drawn as a brown fog, its tissue
under the ramp's clear quarter (25 % of the span up to the 99.5th percentile); a T1 and a
b = 1000 image still show their head (``prepare3d.mr_ramp``)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.core.volume import Volume
from neuroview.render.volume3d import Scene3D

SIZE = 160
BACKGROUND = np.array([0.08, 0.08, 0.12]) * 255
N = 40
CONTRASTS = {  # skull, CSF, grey, white, scalp; ventricles: the CSF's (3000 on the ADC map)
    "ADC": (0, 2000, 850, 720, 1200),
    "b1000": (5, 40, 140, 120, 20),
    "T1": (20, 60, 300, 400, 450),
}


def head(kind: str) -> Volume:
    """An ellipsoid head of 3 mm voxels: scalp, skull, a thin CSF layer, grey and white matter
    and two ventricles; the scalp's noise four times the brain's on the ADC map (its fit)."""
    rng = np.random.default_rng(1)
    g = (np.arange(N) - (N - 1) / 2) * 3.0
    x, y, z = np.meshgrid(g, g, g, indexing="ij")
    r = np.sqrt((x / 55) ** 2 + (y / 60) ** 2 + (z / 52) ** 2)
    skull, csf, grey, white, scalp = CONTRASTS[kind]
    a = np.zeros(r.shape)
    for radius, value in ((1.0, scalp), (0.93, skull), (0.86, csf), (0.82, grey), (0.7, white)):
        a[r < radius] = value
    a[np.hypot((np.abs(x) - 8) / 6, np.hypot(y / 20, (z - 5) / 9)) < 1] = 3000 if kind == "ADC" else csf
    noise = 0.04 * max(grey, white) * rng.standard_normal(a.shape)
    noise[(r >= 0.93) & (r < 1.0)] *= 4 if kind == "ADC" else 1
    affine = np.diag([3.0, 3.0, 3.0, 1.0])
    affine[:3, 3] = -g[-1]
    return Volume(np.where(r < 1.0, a + noise, 0).clip(0).astype(np.float32), affine, modality="MR")


def frame(kind: str) -> np.ndarray:
    scene = Scene3D(SIZE, SIZE)
    try:
        scene.set_volume(head(kind), "MR default")
        return scene.render(SIZE, SIZE).astype(float)
    finally:
        scene.close()


def shading(rgb: np.ndarray) -> tuple[float, float]:
    """The head's pixels: the mean step between neighbours (a lit surface's shading and edges;
    a fog's is smooth) and its blue against its red (a fog: brown, under the preset's white)."""
    drawn = np.abs(rgb - BACKGROUND).sum(axis=2) > 30
    grey = rgb.mean(axis=2)
    steps = np.hypot(*np.gradient(grey))[drawn].mean()
    return float(steps), float(rgb[drawn][:, 2].mean() / rgb[drawn][:, 0].mean())


def test_an_adc_map_draws_a_lit_surface_not_a_brown_fog():
    steps, blue = shading(frame("ADC"))
    # old code: steps 9.3, blue/red 0.71 (a brown haze, the ventricles seen through it); new:
    # 13.5, 0.87 (the head's surface, lit)
    assert steps > 11, f"the ADC head's surface has shading and edges ({steps:.1f})"
    assert blue > 0.8, f"drawn in the preset's ivory, not brown fog ({blue:.2f})"


@pytest.mark.parametrize("kind", ["b1000", "T1"])
def test_b1000_and_t1_keep_their_head(kind):
    rgb = frame(kind)
    drawn = np.abs(rgb - BACKGROUND).sum(axis=2) > 30
    steps, blue = shading(rgb)
    assert drawn.mean() > 0.25, "the head fills the middle of the view"
    assert steps > 10 and blue > 0.82, (steps, blue)   # old code: 11.1 and 11.6; 0.85 and 0.84
