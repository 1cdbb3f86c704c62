"""A NIfTI header float that nibabel cannot read past when NaN or infinite is named as a user
knows it: ``vox_offset`` was ``invalid header (cannot convert float NaN to integer)``,
``scl_inter`` ``Valid slope but invalid intercept nan``, ``quatern_b`` ``w2 should be positive,
but is -inf`` (until session 36, ``bench/kinds_fuzz.py --only nifti1``)."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from neuroview.cli.main import main
from neuroview.io import load

DATA = (np.arange(10 * 9 * 6) % 300).reshape(10, 9, 6).astype(np.int16)


def _write(tmp_path, klass, field, value):
    image = klass(DATA, np.diag([1.5, 1.5, 2.0, 1.0]))
    image.header.set_qform(image.affine, 1)
    path = tmp_path / "scan.nii"
    nib.save(image, path)
    data = bytearray(path.read_bytes())
    fields = np.ndarray((), dtype=klass.header_class.template_dtype, buffer=data)
    fields[field] = value
    path.write_bytes(bytes(data))
    return path


FIELDS = [(nib.Nifti1Image, "vox_offset"), (nib.Nifti1Image, "scl_inter"),
          (nib.Nifti1Image, "quatern_b"), (nib.Nifti2Image, "scl_inter"),
          (nib.Nifti2Image, "quatern_b")]
"""NIfTI-2's vox_offset is a whole number: it cannot be NaN."""


@pytest.mark.parametrize("klass, field", FIELDS, ids=lambda v: getattr(v, "__name__", v))
@pytest.mark.parametrize("value, what", [(np.nan, "not a number"), (-np.inf, "infinite")],
                         ids=["nan", "inf"])
def test_a_non_finite_header_number_is_named(tmp_path, capsys, klass, field, value, what):
    path = _write(tmp_path, klass, field, value)
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"neuroview: error: {path}: {field} is {what} (damaged header)")


def test_a_nan_slope_still_reads_unscaled(tmp_path):
    """scl_slope NaN means "no scaling" to nibabel, and so its scl_inter is not used either."""
    path = _write(tmp_path, nib.Nifti1Image, "scl_slope", np.nan)
    np.testing.assert_array_equal(load(str(path)).array.astype(np.int16), DATA)
