"""The 3D view rebuilds a segment's surface only around an edit (``render.label_mesh``): after
random strokes (balls painted, overwritten and erased, a segment emptied) each segment's surface
has the triangles, area and enclosed volume of a whole rebuild, and the segments the edit did
not touch are not rebuilt."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage
from scipy.spatial import cKDTree

from neuroview.render.label_mesh import LabelSurfaces


def _centres(mesh) -> np.ndarray:
    return mesh.points[mesh.triangles].mean(axis=1)


def _area_volume(mesh) -> tuple[float, float]:
    a, b, c = (mesh.points[mesh.triangles[:, k]].astype(float) for k in range(3))
    area = 0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1).sum()
    volume = np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6.0
    return float(area), float(volume)


@pytest.fixture(scope="module")
def folded():
    """A 48x46x44 map: a folded 'brain' (smoothed noise over a threshold, value 2), a ball (3)."""
    noise = ndimage.gaussian_filter(np.random.default_rng(3).normal(size=(48, 46, 44)), 3.0)
    labels = np.zeros(noise.shape, np.uint8)
    labels[4:44, 4:42, 4:40][noise[4:44, 4:42, 4:40] > 0.0] = 2
    labels[_ball(labels.shape, (40, 8, 8), 5)] = 3
    return labels


def _ball(shape, centre, radius):
    zz, yy, xx = np.ogrid[:shape[0], :shape[1], :shape[2]]
    return (zz - centre[0]) ** 2 + (yy - centre[1]) ** 2 + (xx - centre[2]) ** 2 <= radius ** 2


def test_strokes_rebuild_the_surfaces_of_a_whole_build(folded):
    rng = np.random.default_rng(11)
    surfaces = LabelSurfaces()
    labels = folded.copy()
    surfaces.update(labels.copy())
    edits = [(1, 4), (2, 3), (0, 5), (1, 2), (2, 6)] + [(0, 40)]   # value, radius; the last empties
    for value, radius in edits:
        centre = rng.integers(8, 38, 3)
        before = {v: len(m.triangles) for v, m in surfaces.meshes.items()}
        ball = _ball(labels.shape, centre, radius)
        if radius == 40:   # every voxel of value 1 erased: its surface goes
            ball = labels == 1
        labels[ball] = value
        surfaces.update(labels.copy())
        whole = LabelSurfaces()
        whole.update(labels.copy())
        assert set(surfaces.meshes) == set(whole.meshes) == set(np.unique(labels)) - {0}
        for v, mesh in whole.meshes.items():
            kept = surfaces.meshes[v]
            assert len(kept.triangles) == len(mesh.triangles)
            assert np.array_equal(np.unique(kept.cubes, axis=0), np.unique(mesh.cubes, axis=0))
            # each triangle where the whole build has it (float32 rounding: 1e-4 voxel)
            gap, _ = cKDTree(_centres(mesh)).query(_centres(kept))
            assert gap.max() < 1e-3
            (area, volume), (area0, volume0) = _area_volume(kept), _area_volume(mesh)
            assert area == pytest.approx(area0, rel=1e-4) and volume == pytest.approx(volume0, rel=1e-4)
        assert surfaces.rebuilt < sum(len(m.triangles) for m in whole.meshes.values()) / 2
        if 3 in before:   # the ball far from the edits: not rebuilt, the very same triangles
            assert len(surfaces.meshes[3].triangles) == before[3]


def test_the_3d_view_draws_the_rebuilt_surfaces_as_a_whole_build(folded):
    """The pixels of the 3D view: strokes rebuilt around them, against a whole build."""
    from neuroview.core.labels import Segment
    from neuroview.render.prepare3d import build_label_surface
    from neuroview.render.volume3d import Scene3D

    segments = [Segment(1, "lesion", (230, 25, 75)), Segment(2, "brain", (60, 200, 90)),
                Segment(3, "ball", (40, 80, 230))]
    affine = np.diag([-1.0, 1.2, 1.0, 1.0])   # mirrored, as most NIfTI files
    surfaces = LabelSurfaces()
    labels = folded.copy()
    first = build_label_surface(labels.copy(), affine, segments, (), surfaces)
    for value, centre in ((1, (30, 41, 30)), (0, (20, 41, 16)), (2, (10, 30, 30))):   # 41: in view
        labels[_ball(labels.shape, centre, 6)] = value
        rebuilt = build_label_surface(labels.copy(), affine, segments, (), surfaces)
    assert surfaces.rebuilt < 0.5 * rebuilt.polydata.GetNumberOfCells()
    pictures = []
    for surface in (rebuilt, build_label_surface(labels.copy(), affine, segments), first):
        scene = Scene3D(240, 240)
        try:
            scene.show_label_surface(surface)
            scene.reset_camera()
            pictures.append(scene.render(240, 240).astype(int))
        finally:
            scene.close()
    now, whole, before = pictures
    assert (np.abs(before - whole).max(axis=-1) > 8).mean() > 0.01   # the strokes are seen
    lesion = (whole[..., 0] > whole[..., 1] + 60) & (whole[..., 0] > whole[..., 2] + 40)
    brain = (whole[..., 1] > whole[..., 0] + 40) & (whole[..., 1] > whole[..., 2] + 40)
    assert lesion.sum() > 50 and brain.sum() > 5000   # the surfaces are drawn, lit
    assert (np.abs(now - whole).max(axis=-1) > 8).mean() < 1e-3
