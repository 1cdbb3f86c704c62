"""The 3D view's segment surfaces, kept per segment and rebuilt where the labels changed.

A surface is VTK's discrete flying edges over the label map, smoothed (windowed sinc, 15
iterations) and given normals, in voxel coordinates. Each triangle comes from one cube of the
grid (the 8 voxels between ``c`` and ``c + 1``): :class:`LabelSurfaces` keeps that cube with it,
so after an edit it rebuilds only the segments whose voxels changed, and of those only the
triangles of the cubes within :data:`PAD` voxels of the change (what the smoothing reaches),
from flying edges and smoothing over those cubes with :data:`PAD` voxels more each side. A
stroke on the 1 mm head's brain surface rebuilt all of it (312k triangles, 0.37 s of CPU, 0.6-3.9
s of wall time under this project's load); it rebuilds a few thousand now
(``bench/surface_rebuild.py``).

The smoothing's reach: a vertex's place after 15 iterations depends on its 15-edge neighbourhood
in principle, but the filter's weights fall fast: the brain surface's vertices extracted from a
crop ``PAD`` voxels wider than them lay, against the whole grid's, 3e-3 voxel off with 4 voxels,
6e-5 (float32 rounding: the filter normalises the coordinates by the mesh's bounds) with 8, 12,
16 or 24 (``tests/render/test_label_mesh.py`` checks each triangle, the area and the volume
after random edits, and the 3D view's pixels).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .vtk_image import image_data

PAD = 8
"""Voxels around a change whose triangles are rebuilt, and around those, extracted with them."""


@dataclass
class SegmentMesh:
    """One segment's surface, in voxel coordinates."""

    points: np.ndarray
    """(n, 3) float32, smoothed."""
    normals: np.ndarray
    """(n, 3) float32."""
    triangles: np.ndarray
    """(m, 3) int64 point indices, wound as flying edges made them."""
    cubes: np.ndarray
    """(m, 3) int32: the grid cube each triangle came from (its unsmoothed centroid's floor)."""

    def without(self, keep: np.ndarray) -> "SegmentMesh":
        """The triangles where ``keep`` is True, and only the points they use."""
        triangles = self.triangles[keep]
        used = np.zeros(len(self.points), bool)
        used[triangles.ravel()] = True
        index = np.cumsum(used) - 1
        return SegmentMesh(self.points[used], self.normals[used], index[triangles], self.cubes[keep])

    def kept(self, keep: np.ndarray) -> "SegmentMesh":
        """The triangles where ``keep`` is True, the points left as they are (nothing draws those
        no triangle uses) until they are over twice as many as a closed surface's (about half
        its triangles): compacting the brain's 160k points cost 20-30 ms a stroke."""
        if len(self.points) > len(self.triangles):
            return self.without(keep)
        return SegmentMesh(self.points, self.normals, self.triangles[keep], self.cubes[keep])


def _joined(parts: list[SegmentMesh]) -> SegmentMesh:
    starts = np.cumsum([0] + [len(p.points) for p in parts[:-1]])
    return SegmentMesh(np.concatenate([p.points for p in parts]),
                       np.concatenate([p.normals for p in parts]),
                       np.concatenate([p.triangles + s for p, s in zip(parts, starts)]),
                       np.concatenate([p.cubes for p in parts]))


def extract(array: np.ndarray, origin, values) -> dict[int, SegmentMesh]:
    """The smoothed surfaces of ``values`` in ``array`` (a box of the grid whose first voxel is
    ``origin``), by value; a value with no voxel there has none."""
    from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
    from vtkmodules.vtkCommonDataModel import vtkPolyData
    from vtkmodules.vtkFiltersCore import vtkPolyDataNormals, vtkWindowedSincPolyDataFilter
    from vtkmodules.vtkFiltersGeneral import vtkDiscreteFlyingEdges3D

    values = [int(v) for v in values]
    if not values:
        return {}
    image = image_data(np.ascontiguousarray(array))
    image.SetOrigin(*(float(o) for o in origin))   # voxel units: the grid's own points
    surface = vtkDiscreteFlyingEdges3D()
    surface.SetInputData(image)
    for n, value in enumerate(values):
        surface.SetValue(n, value)
    surface.Update()
    raw = vtkPolyData()
    raw.ShallowCopy(surface.GetOutput())
    if raw.GetNumberOfCells() == 0:
        return {}
    points = vtk_to_numpy(raw.GetPoints().GetData())
    triangles = vtk_to_numpy(raw.GetPolys().GetConnectivityArray()).reshape(-1, 3)
    cubes = np.floor(points[triangles].mean(axis=1)).astype(np.int32)
    cube_data = numpy_to_vtk(cubes, deep=True)
    cube_data.SetName("cube")
    raw.GetCellData().AddArray(cube_data)
    smoother = vtkWindowedSincPolyDataFilter()
    smoother.SetInputData(raw)
    smoother.SetNumberOfIterations(15)
    smoother.SetPassBand(0.1)
    smoother.NormalizeCoordinatesOn()
    smoother.NonManifoldSmoothingOn()
    normals = vtkPolyDataNormals()
    normals.SetInputConnection(smoother.GetOutputPort())
    normals.Update()
    out = normals.GetOutput()
    points = vtk_to_numpy(out.GetPoints().GetData()).astype(np.float32)
    triangles = vtk_to_numpy(out.GetPolys().GetConnectivityArray()).astype(np.int64).reshape(-1, 3)
    whole = SegmentMesh(points, vtk_to_numpy(out.GetPointData().GetNormals()).astype(np.float32),
                        triangles, vtk_to_numpy(out.GetCellData().GetArray("cube")).astype(np.int32))
    labels = vtk_to_numpy(out.GetPointData().GetScalars())[triangles[:, 0]]
    return {value: whole.without(labels == value) for value in values if (labels == value).any()}


def _box(mask: np.ndarray):
    """The first and one-past-last index of the True voxels along each axis (None: none).
    From the True voxels' flat indices: the three ``any`` reductions across the 8.7M voxels of a
    1 mm head, two of them strided, took 20 ms against 5 for a stroke's few hundred voxels."""
    flat = np.flatnonzero(mask)
    if not flat.size:
        return None
    index = np.unravel_index(flat, mask.shape)
    return (np.array([int(axis.min()) for axis in index]),
            np.array([int(axis.max()) + 1 for axis in index]))


def labelled_box(labelled: np.ndarray) -> tuple[slice, ...] | None:
    """The box of the ``True`` voxels with one voxel more on each side where the grid has it:
    flying edges over it finds the surfaces it finds over the whole grid (a lesion's box, not
    the 8.7M voxels of a 1 mm head: 35 ms of CPU per stroke). ``None``: no voxel."""
    box = _box(labelled)
    if box is None:
        return None
    return tuple(slice(max(low - 1, 0), min(high + 1, n))
                 for low, high, n in zip(*box, labelled.shape))


class LabelSurfaces:
    """The segment surfaces of the label map last given to :meth:`update`, one mesh a value.
    Not thread-safe: one update at a time (the 3D view runs one build at a time)."""

    def __init__(self) -> None:
        self.array: np.ndarray | None = None
        self.meshes: dict[int, SegmentMesh] = {}
        self.rebuilt = 0
        """Triangles made by the last update (all of them for a whole build)."""

    def update(self, array: np.ndarray) -> None:
        """Take ``array`` (kept, not copied: the caller's copy) as the label map: the surfaces of
        the segments whose voxels changed since the last one are rebuilt around the change, the
        whole map on a first call or a grid of another shape."""
        if self.array is None or self.array.shape != array.shape or self.array.dtype != array.dtype:
            meshes = self._whole(array)
        else:
            meshes = self._changed(self.array, array)
        self.array, self.meshes = array, meshes

    def _whole(self, array: np.ndarray) -> dict[int, SegmentMesh]:
        labelled = array != 0
        box = labelled_box(labelled)
        if box is None:
            self.rebuilt = 0
            return {}
        # the values present, from the labelled voxels only: np.unique of the whole array sorted
        # all of it (35-45 ms of a 0.07 s build for the 1 mm head; 2-12 ms so)
        meshes = extract(array[box], [axis.start for axis in box], np.unique(array[labelled]))
        self.rebuilt = sum(len(m.triangles) for m in meshes.values())
        return meshes

    def _changed(self, old: np.ndarray, new: np.ndarray) -> dict[int, SegmentMesh]:
        changed = old != new
        box = _box(changed)
        self.rebuilt = 0
        if box is None:
            return self.meshes
        low, high = box
        block = tuple(slice(a, b) for a, b in zip(low, high))
        values = {int(v) for v in np.unique(old[block][changed[block]])} | \
            {int(v) for v in np.unique(new[block][changed[block]])}
        values.discard(0)
        shape = np.array(new.shape)
        # cubes c touch voxels c and c + 1: those of a changed voxel i are i - 1 and i
        cube_low = np.maximum(low - 1 - PAD, 0)
        cube_high = np.minimum(high + PAD, shape - 1)
        crop_low = np.maximum(cube_low - PAD, 0)
        crop_high = np.minimum(cube_high + PAD + 1, shape)
        crop = tuple(slice(a, b) for a, b in zip(crop_low, crop_high))
        fresh = extract(new[crop], crop_low, sorted(values))
        meshes = dict(self.meshes)
        for value in values:
            parts = []
            if value in self.meshes:
                mesh = self.meshes[value]
                inside = np.all((mesh.cubes >= cube_low) & (mesh.cubes < cube_high), axis=1)
                if not inside.all():
                    parts.append(mesh.kept(~inside))
            if value in fresh:
                mesh = fresh[value]
                inside = np.all((mesh.cubes >= cube_low) & (mesh.cubes < cube_high), axis=1)
                if inside.any():
                    parts.append(mesh.without(inside))
                    self.rebuilt += int(inside.sum())
            if parts:
                meshes[value] = parts[0] if len(parts) == 1 else _joined(parts)
            else:
                meshes.pop(value, None)
        return meshes

    def values(self) -> set[int]:
        """The label values present: those with a surface, or a value filling the whole grid
        (flying edges draws no surface at the grid's faces; as before, it counts as shown)."""
        if self.meshes or self.array is None or not self.array.size:
            return set(self.meshes)
        first = self.array.flat[0]
        return {int(first)} if first != 0 and (self.array == first).all() else set()

    def polydata(self, values, mirrored: bool):
        """One vtkPolyData of the meshes of ``values`` (point scalars: the value), its triangles
        wound the other way for a mirroring affine (their fronts faced inwards and the surfaces
        were drawn black); empty when none of them has a surface."""
        from vtkmodules.util.numpy_support import numpy_to_vtk, numpy_to_vtkIdTypeArray
        from vtkmodules.vtkCommonCore import vtkPoints
        from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData

        chosen = [v for v in values if v in self.meshes]
        if not chosen:
            return vtkPolyData()
        mesh = _joined([self.meshes[v] for v in chosen])
        scalars = np.repeat(np.array(chosen, dtype=self.array.dtype),
                            [len(self.meshes[v].points) for v in chosen])
        triangles = mesh.triangles[:, ::-1] if mirrored else mesh.triangles
        polydata = vtkPolyData()
        points = vtkPoints()
        points.SetData(numpy_to_vtk(mesh.points, deep=True))
        polydata.SetPoints(points)
        cells = vtkCellArray()
        offsets = np.arange(0, 3 * len(triangles) + 1, 3, dtype=np.int64)
        cells.SetData(numpy_to_vtkIdTypeArray(offsets, deep=True),
                      numpy_to_vtkIdTypeArray(np.ascontiguousarray(triangles, np.int64).ravel(), deep=True))
        polydata.SetPolys(cells)
        normals = numpy_to_vtk(mesh.normals, deep=True)
        normals.SetName("Normals")
        polydata.GetPointData().SetNormals(normals)
        label = numpy_to_vtk(scalars, deep=True)
        label.SetName("label")
        polydata.GetPointData().SetScalars(label)
        return polydata
