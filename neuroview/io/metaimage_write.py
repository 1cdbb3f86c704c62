"""A label map written as MetaImage (``.mha``, or an ``.mhd`` header with its ``.zraw`` voxels),
as ITK-SNAP saves segmentations and grand-challenge.org takes them: SimpleITK writes the file
(zlib-compressed voxels, LPS geometry), so ITK reads it as written."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..core.geometry import LPS_TO_RAS


def data_file_name(header: str | os.PathLike) -> str:
    """The voxels' file an ``.mhd`` header ``case-labels.mhd`` names: ``case-labels.zraw``."""
    return Path(header).stem + ".zraw"


def write_metaimage(array: np.ndarray, ijk_to_ras: np.ndarray, path: str | os.PathLike,
                    data_path: str | os.PathLike | None = None, data_name: str = "") -> None:
    """Write the 3-D ``array`` on the grid ``ijk_to_ras`` (RAS) at ``path``: a ``.mha`` holds its
    voxels; an ``.mhd`` header's go to ``data_path`` and the header names them ``data_name`` (the
    caller renames temporaries into place: the header must name the final file)."""
    import SimpleITK as sitk

    lps = np.linalg.inv(LPS_TO_RAS) @ np.asarray(ijk_to_ras, dtype=float)
    spacing = np.linalg.norm(lps[:3, :3], axis=0)
    image = sitk.GetImageFromArray(np.ascontiguousarray(np.asarray(array).transpose(2, 1, 0)))
    image.SetSpacing([float(s) for s in spacing])
    image.SetOrigin([float(o) for o in lps[:3, 3]])
    image.SetDirection([float(d) for d in (lps[:3, :3] / spacing).ravel()])
    path = Path(path)
    written = path.with_name(data_file_name(path))   # an .mhd's voxels: SimpleITK names them so
    try:
        sitk.WriteImage(image, os.fspath(path), True)   # compressed
        if data_path is not None:
            os.replace(written, data_path)
    except RuntimeError as exc:   # ITK's own error: a full disk, a folder gone
        why = str(exc).strip().splitlines()[-1].removeprefix("Reason: ")[:160]
        raise OSError(f"ITK could not write the MetaImage ({why})") from None
    finally:
        if data_path is not None:
            written.unlink(missing_ok=True)   # left by a failed write
    if data_path is None:
        return
    lines = path.read_text("ascii").splitlines()
    lines = [f"ElementDataFile = {data_name}" if line.startswith("ElementDataFile") else line
             for line in lines]
    path.write_text("\n".join(lines) + "\n", "ascii")
