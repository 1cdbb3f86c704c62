"""CPU seconds of the workspace key (``core.image_keys``): the full key (every voxel, SHA-256 in
slabs) against the sampled key of neuroview before session 33 (4,096 voxels), median of
``--repeats``, on a 512x512x400 int16 volume in memory, the same memory-mapped from a ``.nii``
(page cache warm: the loader has just read it) and the demo case. The voxels are hashed in
Fortran order, the loaders' (DICOM, NIfTI, NRRD): a C-order array is transposed slab by slab,
about 6x slower. Then a padded CT (-3024 outside a round field of view, read as air): its load
(the raw read, CPU), the key of the voxels as read (sessions 33-34), the key of now (the voxels as
the file stores them: each slab's padding put back before hashing) and the older keys the loader
hashes too for such a CT when no workspace is named by its key (the voxels as read, to find a
workspace of sessions 33-34; 4,096 sampled voxels both ways, before session 33).

    python bench/workspace_key.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from neuroview.core.image_keys import image_key, sampled_key
from neuroview.core.volume import Volume
from neuroview.io import load

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "mni152_t1_lesions.nii.gz"


def cpu(make, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        make()
        times.append(time.process_time() - start)
    return statistics.median(times)


def line(name: str, array: np.ndarray, affine: np.ndarray, repeats: int) -> None:
    full = cpu(lambda: image_key(array, affine), repeats)
    sampled = cpu(lambda: sampled_key(array, affine), repeats)
    print(f"{name:44s} {array.nbytes / 2**20:7.1f} MB  sampled {sampled * 1000:7.1f} ms  "
          f"full {full * 1000:7.1f} ms  ({array.nbytes / 2**20 / max(full, 1e-9):.0f} MB/s CPU)")


def padded(path: Path, repeats: int) -> None:
    """The padded CT's lines (see the module's text)."""
    import nibabel as nib

    x = np.arange(512) - 255.5
    r = np.hypot(*np.meshgrid(x, x, indexing="ij"))
    head = np.where(r < 200, 40, -1024).astype(np.int16)
    head[(r >= 190) & (r < 200)] = 1000              # a skull: the CT guess wants bone
    head[r > 250] = -3024
    image = np.repeat(head[:, :, None], 400, axis=2)
    image += np.random.default_rng(1).integers(-8, 9, image.shape, dtype=np.int16) * (r < 200)[:, :, None]
    nib.save(nib.Nifti1Image(image, np.diag([0.7, 0.7, 1.0, 1.0])), path)
    del image
    volumes = []
    read = cpu(lambda: volumes.append(load(path)), repeats)
    volume = volumes[-1]
    assert volume.padding is not None
    del volumes[:-1]
    frame, affine = volume.frame(0), volume.ijk_to_ras
    as_read = cpu(lambda: image_key(frame, affine), repeats)
    stored = cpu(lambda: image_key(frame, affine, padding=volume.padding), repeats)
    older = cpu(lambda: Volume(frame, affine, padding=volume.padding).older_keys(), repeats)   # uncached
    print(f"{'512x512x400 int16 padded CT .nii.gz':44s} raw read {read * 1000:7.1f} ms  key as read "
          f"{as_read * 1000:7.1f} ms  key of now {stored * 1000:7.1f} ms ({stored / read:.2f}x the "
          f"read)  older keys {older * 1000:7.1f} ms ({older / read:.2f}x)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    import nibabel as nib

    ct = np.random.default_rng(0).integers(-1024, 3000, (512, 512, 400)).astype(np.int16)
    affine = np.diag([0.7, 0.7, 1.0, 1.0])
    line("512x512x400 int16, in memory, C order", ct, affine, repeats)
    ct = np.asfortranarray(ct)   # as the DICOM, .nii.gz and NRRD loaders give it
    line("512x512x400 int16, in memory, Fortran order", ct, affine, repeats)
    with tempfile.TemporaryDirectory() as folder:
        nib.save(nib.Nifti1Image(ct, affine), Path(folder) / "ct.nii")
        volume = load(Path(folder) / "ct.nii")
        assert isinstance(volume.array, np.memmap)
        line("512x512x400 int16, memory-mapped .nii", volume.array, volume.ijk_to_ras, repeats)
        del volume
    with tempfile.TemporaryDirectory() as folder:
        padded(Path(folder) / "padded_ct.nii.gz", repeats)
    if DEMO.exists():
        demo = load(DEMO)
        line(f"demo {'x'.join(map(str, demo.shape))} {demo.array.dtype}", demo.frame(0),
             demo.ijk_to_ras, repeats)


if __name__ == "__main__":
    main()
