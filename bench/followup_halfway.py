"""CPU and wall time of the follow-up's halfway cubic reading (``app.followup_brain.halfway_image``:
a study read by cubic B-spline onto the baseline's grid moved halfway, one ``affine_transform``
call through ``io.registration.resample``) against three other readings, alternating in one
process, median of ``--repeats``, the ratios printed with each one's largest difference from now:

- ``threads``: the spline's coefficients once (``ndimage.spline_filter`` as ``affine_transform``
  filters), then slabs of the grid read in ``--threads`` threads (scipy lets go of the GIL);
- ``float32``: the coefficients once in float32 (``affine_transform`` keeps them in float64);
- ``SimpleITK``: ``ResampleImageFilter`` with its B-spline (order 3) interpolator.

Heads (1 mm): the synthetic head (``neuroview.ai.heads``) and the demo's lesion case, the later
study turned by the tests' turn (4, -3, 5 degrees; 2, -1.5, 1 mm) and read halfway.

Run: python bench/followup_halfway.py [--repeats 3] [--threads 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from scipy import ndimage
from scipy.linalg import sqrtm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.app.followup_brain import halfway_image  # noqa: E402
from tests.app.followup_cases import rigid  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "mni152_t1_lesions.nii.gz"
TURN = rigid((4.0, -3.0, 5.0), (2.0, -1.5, 1.0))


def heads():
    import nibabel as nib

    from neuroview.ai.heads import synthetic_head

    head = synthetic_head("t1", skull=True)
    demo = nib.load(DEMO)
    return {"synthetic": (np.asarray(head.image, np.float32), head.ijk_to_ras),
            "demo": (np.asarray(demo.dataobj, np.float32), demo.affine)}


def now(image, affine, half, threads):
    return halfway_image(image, affine, image.shape, affine, half, np.zeros(3))


def _read(coefficients, matrix, shape, threads=1):
    out = np.empty(shape, np.float32)

    def slab(rows):
        ndimage.affine_transform(coefficients, matrix[:3, :3], offset=matrix[:3, 3] + matrix[:3, 0] * rows[0],
                                 order=3, mode="constant", output=out[rows[0]:rows[-1] + 1],
                                 prefilter=False)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(slab, np.array_split(np.arange(shape[0]), threads)))
    return np.clip(out, image_range[0], image_range[1], out=out)


image_range = (0.0, 0.0)


def in_threads(image, affine, half, threads):
    matrix = np.linalg.inv(affine) @ half @ affine
    coefficients = ndimage.spline_filter(image, 3, output=np.float64, mode="constant")
    return _read(coefficients, matrix, image.shape, threads)


def in_float32(image, affine, half, threads):
    matrix = np.linalg.inv(affine) @ half @ affine
    return _read(ndimage.spline_filter(image, 3, output=np.float32, mode="constant"), matrix, image.shape)


def by_simpleitk(image, affine, half, threads):
    import SimpleITK as sitk

    matrix = np.linalg.inv(affine) @ half @ affine   # voxel indices to voxel indices
    itk = sitk.GetImageFromArray(np.ascontiguousarray(image.transpose(2, 1, 0)))   # its x: our i
    transform = sitk.AffineTransform(3)
    transform.SetMatrix(matrix[:3, :3].ravel().tolist())
    transform.SetTranslation(matrix[:3, 3].tolist())
    resampler = sitk.ResampleImageFilter()
    resampler.SetReferenceImage(itk)
    resampler.SetTransform(transform)
    resampler.SetInterpolator(sitk.sitkBSpline)
    resampler.SetOutputPixelType(sitk.sitkFloat32)
    resampler.SetNumberOfThreads(threads)
    out = sitk.GetArrayFromImage(resampler.Execute(itk)).transpose(2, 1, 0)
    return np.clip(out, image_range[0], image_range[1])


def timed(run, *args):
    cpu, wall = time.process_time(), time.perf_counter()
    result = run(*args)
    return result, time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    global image_range
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, {args.threads} threads")
    half = np.real(sqrtm(TURN))
    ways = {"now": now, "threads": in_threads, "float32": in_float32, "SimpleITK": by_simpleitk}
    for name, (image, affine) in heads().items():
        image_range = (float(image.min()), float(image.max()))
        times = {way: [] for way in ways}
        images = {}
        for _ in range(args.repeats):
            for way, read in ways.items():   # alternating, in one process
                images[way], cpu, wall = timed(read, image, affine, half, args.threads)
                times[way].append((cpu, wall))
        cpu = {way: statistics.median(c for c, _ in t) for way, t in times.items()}
        wall = {way: statistics.median(w for _, w in t) for way, t in times.items()}
        print(f"{name} {image.shape}: now {cpu['now']:.2f} s CPU, {wall['now']:.2f} s wall")
        for way in list(ways)[1:]:
            diff = float(np.abs(images[way] - images["now"]).max())
            print(f"  {way}: {cpu[way]:.2f} s CPU, {wall[way]:.2f} s wall; now / it: CPU"
                  f" {cpu['now'] / cpu[way]:.2f}, wall {wall['now'] / wall[way]:.2f}; largest"
                  f" difference {diff:.3g} ({100 * diff / image_range[1]:.2g} % of the maximum)")
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
