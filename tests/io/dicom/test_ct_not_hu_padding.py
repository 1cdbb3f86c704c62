"""A CT whose numbers are not Hounsfield units (air near 0, brain near 1060: RescaleIntercept 0
where it should be -1024, as some cone-beam CTs write them) had its PixelPaddingValue set to
-1024, air in HU: the only value below 0 in the image, which the not-HU test (no voxel below 0)
then missed, so the readout said HU. Its padding now takes the series' own smallest value."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pydicom

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ct_maker import write_ct  # noqa: E402

from neuroview.app.view_presets import not_hounsfield, shown_unit  # noqa: E402
from neuroview.io import load  # noqa: E402


def _not_hu(folder: Path, slope: float):
    written = write_ct(folder, padding=-2000, slope=slope, fov_mm=80.0)
    for path in written.folder.glob("*.dcm"):   # the header's intercept: 0, not -1024
        ds = pydicom.dcmread(path)
        ds.RescaleIntercept = "0"
        ds.save_as(path)
    return load(written.folder), written.hu + 1024   # NaN where padding


def test_the_padding_of_a_ct_not_in_hu_is_its_own_smallest_value(tmp_path):
    for slope in (1.0, 0.5):   # stored integers replaced, and rescaled floats marked NaN
        volume, values = _not_hu(tmp_path / f"cbct{slope}", slope)
        outside = np.isnan(values)
        assert outside.sum() > 200
        lowest = values[~outside].min()
        assert 0 < lowest < 40                                    # air, 1024 above -1000 HU
        assert np.all(volume.array[outside] == lowest)
        assert np.array_equal(volume.array[~outside], values[~outside])
        assert volume.array.min() == lowest
        assert not_hounsfield(volume) and shown_unit(volume) == ""


def test_a_ct_in_hu_keeps_its_padding_as_air(tmp_path):
    written = write_ct(tmp_path / "ct", padding=-2000, fov_mm=80.0)
    volume = load(written.folder)
    assert np.all(volume.array[np.isnan(written.hu)] == -1024)
    assert not not_hounsfield(volume) and shown_unit(volume) == "HU"
