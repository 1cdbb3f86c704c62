"""A head acquired again at another voxel size: k-space truncated, as a scanner measures it.

An MR scanner acquiring a coarser matrix over the same field of view measures the same k-space
out to a lower frequency; its image is the inverse Fourier transform of that central part. This
makes a later study of an unchanged head at another resolution without interpolating it (a
trilinear resampling of the baseline blurs the copy by up to a quarter of a voxel's square,
which deepbet reads as a smaller brain: -0.34 % on a head turned 4-5 degrees).
"""

from __future__ import annotations

import numpy as np
from scipy import fft, ndimage


def acquire(image: np.ndarray, ijk_to_ras: np.ndarray, coarser: int, finer: int,
            pose: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(image, ijk_to_ras)``: ``image`` acquired again with voxels ``coarser / finer`` times
    its own over the same field of view (zeros, air, padded to a multiple of ``coarser``
    voxels), of the head moved by ``pose`` (a RAS 4x4 matrix taking a point of the head to where
    it lies now; cubic B-spline on the fine grid first, skipped for the identity: the spline through
    the voxels' own centres gives back the same float32 values, at 3.2 s of CPU for the 1 mm head).
    Negative ringing is clipped, as a magnitude image has none."""
    img = np.asarray(image, np.float32)
    if pose is not None and not np.array_equal(pose, np.eye(4)):
        ijk = np.linalg.inv(ijk_to_ras) @ np.linalg.inv(pose) @ np.asarray(ijk_to_ras, float)
        img = ndimage.affine_transform(img, ijk[:3, :3], offset=ijk[:3, 3], order=3, mode="constant")
    img = np.pad(img, [(0, (-n) % coarser) for n in img.shape])
    shape = tuple(n // coarser * finer for n in img.shape)
    spectrum = fft.fftshift(fft.fftn(img))
    # the centre of k-space (index n // 2 after the shift) stays at the centre, m // 2
    centre = tuple(slice(n // 2 - m // 2, n // 2 - m // 2 + m) for n, m in zip(img.shape, shape))
    out = fft.ifftn(fft.ifftshift(spectrum[centre])).real * (np.prod(shape) / np.prod(img.shape))
    affine = np.asarray(ijk_to_ras, float).copy()
    affine[:3, :3] *= coarser / finer   # sample j lies at the source's voxel j * coarser / finer
    return np.clip(out, 0, None).astype(np.float32), affine
