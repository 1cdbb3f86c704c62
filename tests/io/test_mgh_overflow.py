"""An MGH/MGZ whose direction cosines times its spacing overflow float32 (a damaged byte in
its header: -2.55e38) is one line naming the file. numpy's ``RuntimeWarning: overflow
encountered in cast`` and its source line were printed above it (``bench/input_fuzz.py --seed
43``, session 42); a spacing of -inf or NaN printed ``invalid value encountered in multiply``
(``bench/fuzz_readers.py --only mgh,mgz``)."""

from __future__ import annotations

import gzip

import nibabel as nib
import numpy as np
import pytest
from nibabel.freesurfer.mghformat import hf_dtype

DAMAGE = {"Mdc_overflow": ("Mdc", 6, -2.5521178e38), "delta_inf": ("delta", 1, -np.inf),
          "delta_nan": ("delta", 2, np.nan)}
"""Header field, float index in it, value: a damaged byte's worth of each."""


def _overflowing(path, field="Mdc", index=6, value=-2.5521178e38):
    nib.save(nib.MGHImage(np.arange(3 * 4 * 5, dtype=np.int16).reshape(3, 4, 5), np.eye(4)), path)
    raw = bytearray(gzip.decompress(path.read_bytes()) if path.suffix == ".mgz" else path.read_bytes())
    at = hf_dtype.fields[field][1] + 4 * index   # big-endian float32
    raw[at:at + 4] = np.array(value, ">f4").tobytes()
    path.write_bytes(gzip.compress(bytes(raw)) if path.suffix == ".mgz" else bytes(raw))
    return path


@pytest.mark.parametrize("name, damage", [("brain.mgh", "Mdc_overflow"), ("brain.mgz", "Mdc_overflow"),
                                           ("brain.mgh", "delta_inf"), ("brain.mgz", "delta_nan")])
def test_an_overflowing_mgh_affine_is_one_line(tmp_path, cli, name, damage):
    path = _overflowing(tmp_path / name, *DAMAGE[damage])
    verbs = [["info", path]]
    if damage == "Mdc_overflow":
        verbs.append(["convert", path, tmp_path / "out.nii.gz"])
    for verb in verbs:   # a fresh process each: numpy warns once a process
        done = cli(*verb)
        assert done.returncode == 1
        assert done.stderr == (f"neuroview: error: {path}: header has a non-finite affine "
                               "(NaN or infinity)\n")
    assert not (tmp_path / "out.nii.gz").exists()
