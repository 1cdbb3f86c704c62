"""``info`` counts the files an image is read from: a ``.mhd`` with its ``.raw``, a ``.hdr`` with
its ``.img``, an ``.nhdr`` with its data read "1 file" until session 44."""

from __future__ import annotations

import re

import nibabel as nib
import nrrd
import numpy as np
import SimpleITK as sitk

CLI_FORKED = "what `info` prints, not a process's start; no network runs"

VOXELS = np.arange(4 * 5 * 6, dtype=np.int16).reshape(4, 5, 6)


def _counts(cli, path) -> str:
    result = cli("info", path)
    assert result.returncode == 0, result.stderr
    return re.search(r"format ([^,]+), (\d+ files?),", result.stdout).group(2)


def test_each_file_of_the_image_is_counted(tmp_path, cli):
    sitk.WriteImage(sitk.GetImageFromArray(VOXELS), str(tmp_path / "flair.mhd"))       # + .raw
    sitk.WriteImage(sitk.GetImageFromArray(VOXELS), str(tmp_path / "t1.mha"))
    nib.save(nib.Nifti1Pair(VOXELS, np.eye(4)), tmp_path / "t2.hdr")                      # + .img
    nrrd.write(str(tmp_path / "ct.nhdr"), VOXELS, {"space": "left-posterior-superior"},
               detached_header=True)                                                     # + .raw.gz
    nib.save(nib.Nifti1Image(VOXELS, np.eye(4)), tmp_path / "dwi.nii.gz")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ct.nhdr", "ct.raw.gz", "dwi.nii.gz", "flair.mhd", "flair.raw", "t1.mha", "t2.hdr", "t2.img"]
    counted = {name: _counts(cli, tmp_path / name)
               for name in ("flair.mhd", "t1.mha", "t2.hdr", "t2.img", "ct.nhdr", "dwi.nii.gz")}
    assert counted == {"flair.mhd": "2 files", "t1.mha": "1 file", "t2.hdr": "2 files",
                       "t2.img": "2 files", "ct.nhdr": "2 files", "dwi.nii.gz": "1 file"}
