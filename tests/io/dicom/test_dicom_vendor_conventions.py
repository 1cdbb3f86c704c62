"""Conventions of real scanners the other DICOM tests do not write, against dcm2niix and the
truth each series was written from (8x8 images: tiny, but real anatomy)."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pydicom
from series_maker import SeriesSpec, compare_in_world, run_dcm2niix, write_series

from neuroview.io import load


def _rewrite(files, change) -> None:
    for path in files:
        ds = pydicom.dcmread(path)
        change(ds)
        ds.save_as(path)


def test_unsigned_pixels_above_a_negative_intercept_stay_integers(tmp_path, mni_volume):
    """GE writes unsigned pixels (PixelRepresentation 0) with RescaleIntercept -1024 and no
    RescaleSlope. Where every stored value lies above 1024 the rescaled values fit the unsigned
    type: loading raised 'Python integer -1024 out of bounds for uint16'."""
    series = write_series(tmp_path / "ge", mni_volume, SeriesSpec(rows=8, cols=8, n_slices=4,
                                                                  modality="CT"))

    def unsigned(ds):
        ds.PixelData = (ds.pixel_array.astype(np.int32) + 1100).astype(np.uint16).tobytes()
        ds.PixelRepresentation, ds.Manufacturer = 0, "GE MEDICAL SYSTEMS"
        del ds.RescaleSlope
        ds.RescaleIntercept = "-1024"

    _rewrite(series.files, unsigned)
    volume = load(series.folder)
    assert volume.array.dtype.kind in "iu"
    np.testing.assert_array_equal(volume.array, series.values + 76)
    (output,) = run_dcm2niix(series.folder, tmp_path / "dcm2niix")
    reference = nib.load(output)
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)
