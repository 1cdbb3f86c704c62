"""Benchmark: the 3D view's segment surfaces rebuilt after a brush stroke, on the demo head.

    PYTHONPATH=. python bench/surface_rebuild.py [--strokes 8] [--before main]

The label map is the demo head's (MNI152, 197x233x189 at 1 mm) brain (T1 over 70, its largest
piece: 1.87M voxels, value 2) with the demo lesions (value 1). Each stroke paints a 5 mm disc
dragged 16 mm across an axial slice at a random point of the brain's edge, alternately as lesion
and as brain. Per stroke, timed in turn (wall and CPU seconds, medians over the strokes):

- reference: VTK's flying edges (``vtkDiscreteFlyingEdges3D``) over the whole label map, both
  values, no smoothing: the least any rebuild of the whole map costs;
- before: ``build_label_surface`` of the git revision ``--before`` (every segment, whole);
- now: ``build_label_surface`` with the surfaces of the last build (what the 3D view runs).

Prints each one's medians and their ratios to the reference, and, after the strokes, each
segment's surface area and enclosed volume now against a whole rebuild.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEMO = ROOT / "resources" / "demo"


def timed(call):
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def before_module(revision: str):
    """``neuroview.render.prepare3d`` as it was at ``revision``, importable beside today's."""
    source = subprocess.run(["git", "show", f"{revision}:neuroview/render/prepare3d.py"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp(prefix="surface-before-")) / "prepare3d_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("neuroview.render.prepare3d_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def area_volume(polydata, value) -> tuple[float, float]:
    from vtkmodules.util.numpy_support import vtk_to_numpy

    points = vtk_to_numpy(polydata.GetPoints().GetData()).astype(float)
    triangles = vtk_to_numpy(polydata.GetPolys().GetConnectivityArray()).reshape(-1, 3)
    labels = vtk_to_numpy(polydata.GetPointData().GetScalars())
    a, b, c = (points[triangles[labels[triangles[:, 0]] == value][:, k]] for k in range(3))
    area = 0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1).sum()
    return float(area), float(abs(np.einsum("ij,ij->i", a, np.cross(b, c)).sum()) / 6.0)


def brain_labels():
    """The demo head's brain (T1 over 70, its largest piece, value 2) with the demo lesions
    (value 1); the brain's mask; the grid's affine."""
    import nibabel as nib
    from scipy import ndimage

    head = nib.load(DEMO / "mni152_t1_1mm.nii.gz")
    brain, _ = ndimage.label(np.asarray(head.dataobj) > 70)
    brain = brain == np.argmax(np.bincount(brain.ravel())[1:]) + 1
    labels = np.zeros(brain.shape, np.uint8)
    labels[brain] = 2
    labels[np.asarray(nib.load(DEMO / "mni152_t1_lesions_truth.nii.gz").dataobj) > 0] = 1
    return labels, brain, head.affine


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--strokes", type=int, default=8)
    parser.add_argument("--before", default="main")
    args = parser.parse_args()
    from scipy import ndimage
    from vtkmodules.vtkFiltersGeneral import vtkDiscreteFlyingEdges3D

    from neuroview.core.labels import Segment
    from neuroview.render.label_mesh import LabelSurfaces
    from neuroview.render.prepare3d import build_label_surface
    from neuroview.render.vtk_image import image_data

    labels, brain, affine = brain_labels()
    segments = [Segment(1, "lesion", (230, 25, 75)), Segment(2, "brain", (220, 200, 160))]
    old = before_module(args.before)

    def reference():
        flying = vtkDiscreteFlyingEdges3D()
        flying.SetInputData(image_data(labels))
        flying.SetValue(0, 1)
        flying.SetValue(1, 2)
        flying.Update()
        return flying.GetOutput().GetNumberOfCells()

    surfaces = LabelSurfaces()
    build_label_surface(labels.copy(), affine, segments, (), surfaces)   # the first: whole
    edge = np.argwhere(brain & ~ndimage.binary_erosion(brain))
    rng = np.random.default_rng(7)
    kk, jj = np.ogrid[:labels.shape[0], :labels.shape[1]]
    times = {"reference": [], "before": [], "now": []}
    rebuilt = []
    for n in range(args.strokes):
        i, j, k = edge[rng.integers(len(edge))]
        for t in np.linspace(0, 16, 9):   # a 5 mm disc dragged 16 mm along i
            disc = (kk - (i + t)) ** 2 + (jj - j) ** 2 <= 25
            labels[:, :, k][disc] = 1 + n % 2
        _, wall, cpu = timed(reference)
        times["reference"].append((wall, cpu))
        _, wall, cpu = timed(lambda: old.build_label_surface(labels.copy(), affine, segments))
        times["before"].append((wall, cpu))
        _, wall, cpu = timed(lambda: build_label_surface(labels.copy(), affine, segments, (), surfaces))
        times["now"].append((wall, cpu))
        rebuilt.append(surfaces.rebuilt)
    load = os.getloadavg()[0]
    medians = {name: (statistics.median(w for w, _ in t), statistics.median(c for _, c in t))
               for name, t in times.items()}
    ref_wall, ref_cpu = medians["reference"]
    print(f"{args.strokes} strokes, load {load:.1f}; median wall s, CPU s, ratio to the reference")
    for name, (wall, cpu) in medians.items():
        print(f"  {name:9s} wall {wall:.3f} cpu {cpu:.3f}   x{wall / ref_wall:.2f} wall, "
              f"x{cpu / ref_cpu:.2f} CPU")
    print(f"  now / before: wall {medians['now'][0] / medians['before'][0]:.3f}, "
          f"CPU {medians['now'][1] / medians['before'][1]:.3f}; triangles rebuilt a stroke "
          f"(median) {statistics.median(rebuilt):.0f}")
    kept = build_label_surface(labels.copy(), affine, segments, (), surfaces).polydata
    whole = build_label_surface(labels.copy(), affine, segments).polydata
    for segment in segments:
        (area, volume), (area0, volume0) = (area_volume(p, segment.value) for p in (kept, whole))
        print(f"  {segment.name}: area {area:.1f} mm2 (whole rebuild {area0:.1f}), volume "
              f"{volume:.1f} mm3 ({volume0:.1f}); differences {abs(area / area0 - 1):.1e}, "
              f"{abs(volume / volume0 - 1):.1e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
