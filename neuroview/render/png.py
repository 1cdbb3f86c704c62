"""Read and write RGB images as PNG through VTK (no extra imaging library), atomically."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..core.atomic import atomic_path
from ..core.errors import SaveError


def _to_vtk_image(rgb: np.ndarray):
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkImageData

    rgb = np.ascontiguousarray(rgb[::-1])  # VTK images start at the bottom row
    h, w, c = rgb.shape
    image = vtkImageData()
    image.SetDimensions(w, h, 1)
    scalars = numpy_to_vtk(rgb.reshape(-1, c), deep=True)
    image.GetPointData().SetScalars(scalars)
    return image


def write_png(rgb: np.ndarray, path: str | os.PathLike) -> Path:
    """Write an ``(h, w, 3|4)`` uint8 image to ``path`` (temp file, fsync, rename)."""
    from vtkmodules.vtkIOImage import vtkPNGWriter

    path = Path(path)
    rgb = np.asarray(rgb)
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] not in (3, 4):
        raise SaveError(f"expected an (h, w, 3) uint8 image, got {rgb.shape} {rgb.dtype}", path=path)
    try:
        with atomic_path(path) as tmp:
            writer = vtkPNGWriter()
            writer.SetFileName(str(tmp))
            writer.SetInputData(_to_vtk_image(rgb))
            writer.Write()
            if writer.GetErrorCode() or not os.path.exists(tmp) or os.path.getsize(tmp) == 0:
                raise OSError("the PNG writer failed")
    except OSError as exc:
        raise SaveError(f"cannot write PNG ({exc.strerror or exc})", path=path) from None
    return path


def read_png(path: str | os.PathLike) -> np.ndarray:
    """Read a PNG into an ``(h, w, c)`` uint8 array, row 0 at the top."""
    from vtkmodules.util.numpy_support import vtk_to_numpy
    from vtkmodules.vtkIOImage import vtkPNGReader

    reader = vtkPNGReader()
    reader.SetFileName(os.fspath(path))
    reader.Update()
    image = reader.GetOutput()
    w, h, _ = image.GetDimensions()
    data = vtk_to_numpy(image.GetPointData().GetScalars())
    return data.reshape(h, w, -1)[::-1].copy()
