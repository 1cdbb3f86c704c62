"""PixelPaddingValue: the stored value a CT writes outside its circular field of view is read
as air (-1024 HU), not as a number. An unsigned series padded with 63536 read as 62512 HU: a
white frame around the head in every CT window and a solid block in the 3D bone rendering; GE's
-2000 (-3024 HU) pulled the *Auto* window down to -3024, so that air was drawn mid-grey."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from ct_maker import write_ct

from neuroview.io.registry import load


def _loaded(folder):
    return np.asarray(load(folder).array)


def _check(written, array, fill):
    outside = np.isnan(written.hu)
    assert array.shape == written.hu.shape
    assert np.count_nonzero(outside) > 0
    assert np.all(array[outside] == fill)
    assert np.array_equal(array[~outside], written.hu[~outside])


def test_unsigned_padding_63536_reads_as_air_not_62512_hu(tmp_path):
    written = write_ct(tmp_path / "ct", unsigned=True, padding=63536)
    volume = load(written.folder)
    array = np.asarray(volume.array)
    _check(written, array, -1024)
    assert array.max() == np.nanmax(written.hu) < 1100
    assert array.dtype == np.int16   # 62512 HU made it int32: twice the memory
    assert volume.intensity_unit == "HU"


@pytest.mark.parametrize("syntax", ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2",
                                    "1.2.840.10008.1.2.2"])   # explicit, implicit, big endian
@pytest.mark.parametrize("unsigned, padding", [(False, -2000), (True, 63536)])
def test_padding_reads_as_air_in_every_uncompressed_syntax(tmp_path, syntax, unsigned, padding):
    written = write_ct(tmp_path / "ct", padding=padding, unsigned=unsigned, syntax=syntax)
    _check(written, _loaded(written.folder), -1024)


def test_a_padding_range_is_air_throughout(tmp_path):
    written = write_ct(tmp_path / "ct", padding=-2000, range_limit=-1500)
    _check(written, _loaded(written.folder), -1024)


def test_fractional_rescale_pads_with_air_too(tmp_path):
    written = write_ct(tmp_path / "ct", padding=-4000, slope=0.5, intercept=-1024.25)
    array = _loaded(written.folder)
    assert array.dtype == np.float32
    outside = np.isnan(written.hu)
    assert np.all(array[outside] == -1024)
    assert np.allclose(array[~outside], written.hu[~outside])


def test_padding_above_an_images_values_in_other_units_takes_its_smallest_other_value(tmp_path):
    written = write_ct(tmp_path / "pt", padding=32000, intercept=0, modality="PT")
    _check(written, _loaded(written.folder), np.nanmin(written.hu))


def test_padding_below_an_images_values_in_other_units_keeps_its_number(tmp_path):
    """An MR's padding at its background's bottom is drawn dark already: its number stays."""
    written = write_ct(tmp_path / "mr", padding=-2000, intercept=0, modality="MR")
    _check(written, _loaded(written.folder), -2000)


def test_fractional_rescale_of_other_units_keeps_the_padding(tmp_path):
    written = write_ct(tmp_path / "pt", padding=32000, slope=0.5, intercept=0.25, modality="PT")
    array = _loaded(written.folder)
    outside = np.isnan(written.hu)
    assert np.all(array[outside] == np.float32(32000 * 0.5 + 0.25))
    assert np.allclose(array[~outside], written.hu[~outside])


def test_a_ct_without_padding_keeps_its_values(tmp_path):
    written = write_ct(tmp_path / "ct", padding=-2000, fov_mm=1000.0)   # no voxel outside
    array = _loaded(written.folder)
    assert np.array_equal(array, written.hu)


def test_pydicoms_ge_ct_reads_its_padding_as_air():
    """pydicom's 693_UNCR.dcm, a GE CT: 55,772 voxels outside the field of view at -2000."""
    import pydicom
    from pydicom.data import get_testdata_file

    path = get_testdata_file("693_UNCR.dcm")
    if path is None:
        pytest.skip("pydicom's 693_UNCR.dcm is not installed")
    ds = pydicom.dcmread(path)
    stored = ds.pixel_array.T
    array = _loaded(path)[:, :, 0]
    padding = stored == -2000
    assert np.count_nonzero(padding) == 55772
    assert np.all(array[padding] == -1024)
    assert np.array_equal(array[~padding], stored[~padding] + int(ds.RescaleIntercept))


@pytest.mark.parametrize("name", ["693_J2KI.dcm", "693_UNCI.dcm"])
def test_a_lossy_ct_keeps_its_padding_numbers(name):
    """The same GE CT compressed lossily (JPEG 2000 irreversible; UNCI is it decompressed,
    LossyImageCompression 01): the padding is noise around -2000 stored (-2971..80), 494 voxels
    still exactly -2000. Those alone read as air until now, specks of -1024 HU in -3024's
    noise; now the numbers are kept, pydicom's and dcm2niix's."""
    import pydicom
    from pydicom.data import get_testdata_file

    path = get_testdata_file(name)
    if path is None:
        pytest.skip(f"pydicom's {name} is not installed")
    ds = pydicom.dcmread(path)
    stored = ds.pixel_array.T
    assert np.count_nonzero(stored == -2000) == 494
    assert np.array_equal(_loaded(path)[:, :, 0], stored + int(ds.RescaleIntercept))


def test_auto_window_of_a_padded_ct_starts_at_air(tmp_path):
    from neuroview.app.view_presets import AUTO, preset_window_level

    written = write_ct(tmp_path / "ct", padding=-2000)
    width, level = preset_window_level(AUTO, load(written.folder))
    assert level - width / 2 >= -1100   # was -3024: air drawn mid-grey


def test_convert_writes_air_where_the_scanner_padded(tmp_path):
    import nibabel as nib

    written = write_ct(tmp_path / "ct", unsigned=True, padding=63536)
    out = tmp_path / "ct.nii.gz"
    proc = subprocess.run([sys.executable, "-m", "neuroview.cli.main", "convert",
                           str(written.folder), str(out)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    array = np.asarray(nib.load(out).dataobj)
    outside = np.isnan(written.hu)
    assert np.all(array[outside] == -1024)
    assert np.array_equal(array[~outside], written.hu[~outside])


@pytest.mark.parametrize(("syntax", "flag", "expected"), [
    ("1.2.840.10008.1.2.4.50", None, True),     # JPEG baseline: lossy whatever the header says
    ("1.2.840.10008.1.2.4.91", "01", True),     # JPEG 2000 (either kind), said lossy
    ("1.2.840.10008.1.2.4.91", None, False),
    ("1.2.840.10008.1.2.1", "00", False),
    ("1.2.840.10008.1.2.1", "01", True),        # decompressed since, still lossy
])
def test_which_images_count_as_lossy(syntax, flag, expected):
    from pydicom.dataset import Dataset

    from neuroview.io.dicom.padding import lossy

    header = Dataset()
    if flag is not None:
        header.LossyImageCompression = flag
    assert lossy(header, syntax) is expected
