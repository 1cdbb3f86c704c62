"""MetaImage (.mha, .mhd + data file): geometry and voxels against SimpleITK and nibabel, every
kind ITK writes, and damaged or hostile headers refused in one line naming the file."""

from __future__ import annotations

import zlib

import nibabel as nib
import numpy as np
import pytest
import SimpleITK as sitk

from neuroview.cli.main import main
from neuroview.core.errors import NeuroviewError
from neuroview.io import load, scan

LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0])
_c, _s = np.cos(0.3), np.sin(0.3)
DIRECTIONS = {
    "identity": np.eye(3),
    "sagittal": np.array([[0, 0, -1], [1, 0, 0], [0, -1, 0]], float),
    "oblique": np.array([[_c, -_s, 0], [_s, _c, 0], [0, 0, 1]]) @ np.array(
        [[1, 0, 0], [0, _c, _s], [0, -_s, _c]]),
}


def _image(direction: np.ndarray, dtype=np.int16) -> sitk.Image:
    rng = np.random.default_rng(3)
    array = rng.integers(-1000, 3000, size=(7, 6, 5)).astype(dtype)   # z, y, x
    image = sitk.GetImageFromArray(array)
    image.SetSpacing((0.9, 1.1, 2.5))
    image.SetOrigin((-12.5, 30.0, 7.25))
    image.SetDirection(tuple(direction.ravel()))
    return image


@pytest.mark.parametrize("name", sorted(DIRECTIONS))
@pytest.mark.parametrize("ending,compress", [(".mha", False), (".mhd", False), (".mha", True)])
def test_voxels_sit_where_simpleitk_puts_them(tmp_path, name, ending, compress):
    image = _image(DIRECTIONS[name])
    path = str(tmp_path / f"t{ending}")
    sitk.WriteImage(image, path, compress)
    volume = load(path)
    assert volume.array.shape == (5, 6, 7)
    for index in [(0, 0, 0), (4, 5, 6), (1, 3, 2), (3, 0, 5)]:
        lps = np.array(image.TransformIndexToPhysicalPoint(index))
        ras = volume.ijk_to_ras @ np.array([*index, 1.0])
        assert np.allclose(ras[:3], LPS_TO_RAS @ lps, atol=1e-4)
        assert volume.array[index] == image[index]


@pytest.mark.parametrize("name", sorted(DIRECTIONS))
def test_the_same_as_nibabel_reads_from_the_nifti_itk_writes(tmp_path, name):
    image = _image(DIRECTIONS[name], np.float32)
    sitk.WriteImage(image, str(tmp_path / "t.mha"))
    sitk.WriteImage(image, str(tmp_path / "t.nii.gz"))
    reference = nib.load(str(tmp_path / "t.nii.gz"))
    volume = load(str(tmp_path / "t.mha"))
    assert np.allclose(volume.ijk_to_ras, reference.affine, atol=1e-4)
    assert np.array_equal(volume.array, np.asarray(reference.dataobj))


def test_a_ct_header_and_its_scan_line(tmp_path):
    image = _image(np.eye(3))
    path = tmp_path / "head.mha"
    sitk.WriteImage(image, str(path))
    text = path.read_bytes().replace(b"ElementType", b"Modality = MET_MOD_CT\nElementType", 1)
    path.write_bytes(text)
    volume = load(str(path))
    assert (volume.modality, volume.intensity_unit) == ("CT", "HU")
    candidate = scan(str(path)).candidates[0]
    assert (candidate.source_format, candidate.shape) == ("MetaImage", (5, 6, 7))
    assert candidate.spacing == pytest.approx((0.9, 1.1, 2.5))


def test_a_slice_a_time_series_and_a_colour_image(tmp_path):
    sitk.WriteImage(sitk.GetImageFromArray(np.arange(12, dtype=np.uint8).reshape(3, 4)),
                    str(tmp_path / "slice.mha"))
    flat = load(str(tmp_path / "slice.mha"))
    assert flat.array.shape == (4, 3, 1) and flat.array[3, 2, 0] == 11
    series = sitk.JoinSeries([_image(np.eye(3)), _image(np.eye(3)) + 1])
    sitk.WriteImage(series, str(tmp_path / "fmri.mha"))
    timed = load(str(tmp_path / "fmri.mha"))
    assert timed.array.shape == (5, 6, 7, 2) and timed.axis4 == "time"
    assert timed.array[1, 2, 3, 1] == timed.array[1, 2, 3, 0] + 1
    rgb = sitk.GetImageFromArray(np.zeros((2, 3, 4, 3), np.uint8) + [10, 20, 30], isVector=True)
    sitk.WriteImage(rgb, str(tmp_path / "rgb.mha"))
    colour = load(str(tmp_path / "rgb.mha"))
    assert colour.array.shape == (4, 3, 2, 3) and colour.axis4 == "channel"
    assert list(colour.array[0, 0, 0]) == [10, 20, 30]


def test_big_endian_and_text_voxels(tmp_path):
    head = ("ObjectType = Image\nNDims = 3\nDimSize = 2 3 1\nElementSpacing = 1 1 1\n"
            "ElementType = MET_SHORT\n")
    values = np.array([[1, 2], [3, 4], [5, -6]], np.int16)   # y, x
    (tmp_path / "msb.mha").write_bytes(
        (head + "BinaryDataByteOrderMSB = True\nElementDataFile = LOCAL\n").encode()
        + values.astype(">i2").tobytes())
    (tmp_path / "text.mha").write_text(head + "BinaryData = False\nElementDataFile = LOCAL\n"
                                       "1 2 3 4\n5 -6\n")
    for name in ("msb.mha", "text.mha"):
        volume = load(str(tmp_path / name))
        assert np.array_equal(volume.array[:, :, 0], values.T), name
        assert volume.array.dtype == np.int16


def _detached(tmp_path, data_file: str, **changes) -> str:
    sitk.WriteImage(_image(np.eye(3)), str(tmp_path / "t.mhd"))
    lines = (tmp_path / "t.mhd").read_text().splitlines()
    fields = dict(line.split(" = ", 1) for line in lines)
    fields.update(changes, ElementDataFile=data_file)
    (tmp_path / "t.mhd").write_text("".join(f"{k} = {v}\n" for k, v in fields.items()))
    return str(tmp_path / "t.mhd")


@pytest.mark.parametrize("data_file,said", [
    ("../../etc/passwd", "must be a relative path inside"),
    ("/etc/passwd", "must be a relative path inside"),
    ("/dev/zero", "must be a relative path inside"),
    ("LIST", "several files"),
    ("slice%03d.raw 1 7 1", "several files"),
    ("gone.raw", "does not exist"),
])
def test_a_hostile_data_file_is_refused_before_reading(tmp_path, data_file, said):
    path = _detached(tmp_path, data_file)
    with pytest.raises(NeuroviewError) as caught:
        load(path)
    assert said in str(caught.value) and str(caught.value).count("\n") == 0
    assert "t.mhd" in str(caught.value)


@pytest.mark.parametrize("changes,said", [
    ({"DimSize": "5 6 70"}, "file is truncated"),
    ({"CompressedData": "True", "DimSize": "2000 2000 2000"}, "compressed file can hold"),
    ({"BinaryData": "False", "DimSize": "100000 100000 100000"}, "memory"),
    ({"DimSize": "5 6 -7"}, "each must be at least 1"),
    ({"ElementType": "MET_STRING"}, "ElementType"),
    ({"NDims": "9"}, "9 dimensions"),
    ({"ElementSpacing": "1 nan 1"}, "ElementSpacing"),
    ({"ElementSpacing": "1 0 1"}, "singular"),
])
def test_a_damaged_header_is_one_line(tmp_path, capfd, changes, said):
    path = _detached(tmp_path, "t.raw", **changes)
    with pytest.raises(NeuroviewError) as caught:
        load(path)
    assert said in str(caught.value), str(caught.value)
    assert str(caught.value).count("\n") == 0
    assert capfd.readouterr().err == ""   # nothing of ITK's on the process's stderr


def test_compressed_voxels_cut_short_are_one_line_and_itk_prints_nothing(tmp_path, capfd):
    path = tmp_path / "c.mha"
    sitk.WriteImage(_image(np.eye(3)), str(path), True)
    path.write_bytes(path.read_bytes()[:-40])
    assert main(["convert", str(path), str(tmp_path / "out.nii.gz")]) != 0
    out, err = capfd.readouterr()   # the process's own stderr: ITK writes there, not to sys.stderr
    assert err.strip().splitlines() == [
        f"neuroview: error: {path}: compressed voxel data is broken or truncated (the stream "
        "ends before its end: cut short)"]
    assert not (tmp_path / "out.nii.gz").exists()


def test_a_damaged_compressed_block_and_a_bomb_are_one_line(tmp_path):
    path = tmp_path / "c.mha"
    sitk.WriteImage(_image(np.eye(3)), str(path), True)
    data = bytearray(path.read_bytes())
    data[-60:-50] = bytes(10)
    path.write_bytes(bytes(data))
    with pytest.raises(NeuroviewError, match="broken or truncated"):
        load(str(path))
    text = path.read_bytes().split(b"ElementDataFile = LOCAL\n")[0]   # 10 MB of zeros behind
    path.write_bytes(text + b"ElementDataFile = LOCAL\n" + zlib.compress(bytes(10 << 20)))
    with pytest.raises(NeuroviewError, match="holds more than the 420 bytes the header declares"):
        load(str(path))


def test_text_that_is_no_metaimage_is_one_line(tmp_path):
    path = tmp_path / "notes.mha"
    path.write_text("this is a note\nwith no header\n")
    with pytest.raises(NeuroviewError, match="not a MetaImage header"):
        load(str(path))


@pytest.mark.parametrize("compress, data", [(False, "t.raw"), (True, "t.zraw")])
def test_its_voxels_file_picked_names_the_header_to_open(tmp_path, capfd, compress, data):
    """The data file of a .mhd pair opened (File > Open, All files; info) says which header to
    open; it said 'not a DICOM, NIfTI, MGH or NRRD file'. Another file says MetaImage too."""
    sitk.WriteImage(_image(np.eye(3)), str(tmp_path / "t.mhd"), compress)
    assert main(["info", str(tmp_path / data)]) != 0
    assert capfd.readouterr().err.strip().splitlines() == [
        f"neuroview: error: {tmp_path / data}: the voxels of the MetaImage t.mhd: open t.mhd"]
    (tmp_path / "notes.raw").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(NeuroviewError, match="not a DICOM, NIfTI, MGH, NRRD or MetaImage file"):
        load(str(tmp_path / "notes.raw"))


def test_convert_writes_a_nifti_nibabel_places_as_itk_does(tmp_path):
    image = _image(DIRECTIONS["oblique"])
    sitk.WriteImage(image, str(tmp_path / "t.mhd"))
    assert main(["convert", str(tmp_path / "t.mhd"), str(tmp_path / "t.nii.gz")]) == 0
    written = nib.load(str(tmp_path / "t.nii.gz"))
    index = (4, 1, 6)
    lps = np.array(image.TransformIndexToPhysicalPoint(index))
    assert np.allclose((written.affine @ [*index, 1.0])[:3], LPS_TO_RAS @ lps, atol=1e-3)
    assert np.asarray(written.dataobj)[index] == image[index]


def test_a_nifti_itk_turned_into_metaimage_reads_as_nibabel_read_the_nifti(tmp_path):
    """ITK carries a NIfTI's header fields over under their own names (``dim[1] = 197``)."""
    affine = np.array([[0, 0, -1.2, 40], [0.9, 0, 0, -30], [0, 1.1, 0, 12], [0, 0, 0, 1]])
    array = np.random.default_rng(5).integers(0, 500, (6, 7, 8)).astype(np.int16)
    nib.save(nib.Nifti1Image(array, affine), str(tmp_path / "t.nii.gz"))
    sitk.WriteImage(sitk.ReadImage(str(tmp_path / "t.nii.gz")), str(tmp_path / "t.mha"))
    assert b"dim[1] = 6" in (tmp_path / "t.mha").read_bytes()
    volume = load(str(tmp_path / "t.mha"))
    assert np.allclose(volume.ijk_to_ras, affine, atol=1e-4)
    assert np.array_equal(volume.array, array)


def test_a_metaimage_label_map_lands_on_its_nifti_image(tmp_path):
    """ITK-SNAP saves segmentations as .mha beside a NIfTI image: same voxels, no resampling."""
    from neuroview.app.label_files import prepare_label_file

    affine = np.array([[-0.9, 0, 0, 40], [0, 0.9, 0, -30], [0, 0, 2.0, 12], [0, 0, 0, 1]])
    nib.save(nib.Nifti1Image(np.zeros((9, 8, 5), np.int16), affine), str(tmp_path / "t1.nii.gz"))
    labels = np.zeros((9, 8, 5), np.uint8)
    labels[2:4, 3:6, 1] = 1
    labels[6, 1, 4] = 3
    nib.save(nib.Nifti1Image(labels, affine), str(tmp_path / "seg.nii.gz"))
    sitk.WriteImage(sitk.ReadImage(str(tmp_path / "seg.nii.gz")), str(tmp_path / "seg.mha"), True)
    prepared = prepare_label_file(str(tmp_path / "seg.mha"), load(str(tmp_path / "t1.nii.gz")))
    assert not prepared.resampled and prepared.values == [1, 3]
    assert np.array_equal(prepared.array, labels)
