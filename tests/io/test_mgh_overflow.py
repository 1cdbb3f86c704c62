"""An MGH/MGZ whose direction cosines times its spacing overflow float32 (a damaged byte in
its header: -2.55e38) is one line naming the file. numpy's ``RuntimeWarning: overflow
encountered in cast`` and its source line were printed above it (``bench/input_fuzz.py --seed
43``, session 42)."""

from __future__ import annotations

import gzip

import nibabel as nib
import numpy as np
import pytest
from nibabel.freesurfer.mghformat import hf_dtype


def _overflowing(path):
    nib.save(nib.MGHImage(np.arange(3 * 4 * 5, dtype=np.int16).reshape(3, 4, 5), np.eye(4)), path)
    raw = bytearray(gzip.decompress(path.read_bytes()) if path.suffix == ".mgz" else path.read_bytes())
    at = hf_dtype.fields["Mdc"][1] + 4 * 6   # Mdc[2][0], big-endian float32
    raw[at:at + 4] = np.array(-2.5521178e38, ">f4").tobytes()
    path.write_bytes(gzip.compress(bytes(raw)) if path.suffix == ".mgz" else bytes(raw))
    return path


@pytest.mark.parametrize("name", ["brain.mgh", "brain.mgz"])
def test_an_overflowing_mgh_affine_is_one_line(tmp_path, cli, name):
    path = _overflowing(tmp_path / name)
    for verb in (["info", path], ["convert", path, tmp_path / "out.nii.gz"]):
        done = cli(*verb)
        assert done.returncode == 1
        assert done.stderr == (f"neuroview: error: {path}: header has a non-finite affine "
                               "(NaN or infinity)\n")
    assert not (tmp_path / "out.nii.gz").exists()
