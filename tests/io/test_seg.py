"""DICOM SEG and NIfTI label saving: the same voxels sit at the same place after a round trip."""

from __future__ import annotations

import highdicom as hd
import nibabel as nib
import numpy as np
import pydicom
import pytest

from neuroview.core.errors import CorruptFileError, GeometryError, LoadError
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.core.volume import Volume
from neuroview.io.seg import load_seg, read_series_headers, save_label_nifti, save_seg
from tests.dataset.fake_dicom import make_ct_series

LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])
OBLIQUE = (0.0, 0.9659258, -0.2588190, 0.0, 0.2588190, 0.9659258)  # sagittal, tilted 15 degrees


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ct")
    datasets, array, ijk_to_ras = make_ct_series(folder)
    return folder, datasets, array, ijk_to_ras


def _label_map(shape, ijk_to_ras) -> LabelMap:
    labels = np.zeros(shape, np.uint8)
    labels[5:12, 4:9, 2:5] = 1          # a box
    labels[20:25, 15:20, 5] = 3         # a single-slice patch, non-contiguous value
    labels[1, 1, 0] = 1                 # a corner voxel, to catch off-by-one flips
    table = SegmentTable()
    table.add("lesion", color=(230, 25, 75), value=1, origin="model", model="tinyunet@1.2")
    table.add("edema", color=(60, 180, 75), value=3)
    return LabelMap(labels, ijk_to_ras, table)


def _voxel_positions_lps(label_map: LabelMap, value: int) -> set:
    ijk = np.argwhere(label_map.array == value).astype(float)
    lps = (LPS_TO_RAS @ label_map.ijk_to_ras @ np.c_[ijk, np.ones(len(ijk))].T)[:3].T
    return {tuple(p) for p in np.round(lps, 2)}


def _seg_positions_lps(seg, segment_number: int) -> set:
    """Pixel centres of one segment computed from the SEG's own per-frame geometry (no neuroview)."""
    shared = seg.SharedFunctionalGroupsSequence[0]
    orientation = np.asarray(shared.PlaneOrientationSequence[0].ImageOrientationPatient, float)
    row_spacing, col_spacing = (float(s) for s in shared.PixelMeasuresSequence[0].PixelSpacing)
    pixels = seg.pixel_array if seg.pixel_array.ndim == 3 else seg.pixel_array[None]
    found = set()
    for index, frame in enumerate(seg.PerFrameFunctionalGroupsSequence):
        if int(frame.SegmentIdentificationSequence[0].ReferencedSegmentNumber) != segment_number:
            continue
        position = np.asarray(frame.PlanePositionSequence[0].ImagePositionPatient, float)
        rows, cols = np.nonzero(pixels[index])
        lps = (position[None] + cols[:, None] * col_spacing * orientation[None, :3]
               + rows[:, None] * row_spacing * orientation[None, 3:])
        found.update(tuple(p) for p in np.round(lps, 2))
    return found


def test_seg_round_trip_read_by_highdicom(series, tmp_path):
    folder, datasets, array, ijk_to_ras = series
    label_map = _label_map(array.shape, ijk_to_ras)
    mapping = save_seg(label_map, read_series_headers([folder]), tmp_path / "seg.dcm")
    assert mapping == {1: 1, 2: 3}

    seg = hd.seg.segread(tmp_path / "seg.dcm")
    assert seg.SeriesInstanceUID != datasets[0].SeriesInstanceUID
    referenced = seg.ReferencedSeriesSequence[0]
    assert referenced.SeriesInstanceUID == datasets[0].SeriesInstanceUID
    assert {item.ReferencedSOPInstanceUID for item in referenced.ReferencedInstanceSequence} == {
        ds.SOPInstanceUID for ds in datasets}
    assert seg.PatientID == datasets[0].PatientID  # a SEG for PACS belongs to the same patient
    assert seg.FrameOfReferenceUID == datasets[0].FrameOfReferenceUID

    lesion, edema = seg.get_segment_description(1), seg.get_segment_description(2)
    assert (lesion.segment_label, edema.segment_label) == ("lesion", "edema")
    assert lesion.SegmentAlgorithmType == "AUTOMATIC" and edema.SegmentAlgorithmType == "MANUAL"
    assert lesion.SegmentationAlgorithmIdentificationSequence[0].AlgorithmName == "tinyunet"
    rgb = hd.color.CIELabColor.from_dicom_value(lesion.RecommendedDisplayCIELabValue).to_rgb(clip=True)
    assert np.allclose(rgb, (230, 25, 75), atol=2)

    for number, value in mapping.items():
        expected = _voxel_positions_lps(label_map, value)
        assert expected and _seg_positions_lps(seg, number) == expected


def test_load_seg_overlays_the_source_volume_exactly(series, tmp_path):
    folder, _, array, ijk_to_ras = series
    label_map = _label_map(array.shape, ijk_to_ras)
    save_seg(label_map, read_series_headers([folder]), tmp_path / "seg.dcm")
    volume = Volume(array, ijk_to_ras, modality="CT")

    loaded = load_seg(tmp_path / "seg.dcm", volume)
    assert loaded.on_grid_of(volume)
    expected = np.select([label_map.array == 1, label_map.array == 3], [1, 2], 0)
    assert np.array_equal(loaded.array, expected)
    assert [s.name for s in loaded.segments] == ["lesion", "edema"]
    assert np.allclose(loaded.segments.get(2).color, (60, 180, 75), atol=2)
    assert loaded.segments.get(1).origin == "model" and loaded.segments.get(1).model == "tinyunet@1.2"

    # Without a reference volume: the SEG's own grid, still in RAS at the same world positions.
    own = load_seg(tmp_path / "seg.dcm")
    assert _voxel_positions_lps(own, 1) == _voxel_positions_lps(label_map, 1)


def test_oblique_series_and_permuted_label_axes(tmp_path):
    folder = tmp_path / "oblique"
    datasets, array, ijk_to_ras = make_ct_series(folder, shape=(20, 24, 6), spacing=(1.1, 0.9, 3.0),
                                                 orientation=OBLIQUE, seed=3)
    label_map = _label_map(array.shape, ijk_to_ras)
    label_map.array[15:, 20:, :] = 0
    # A loader that orders the voxel axes (k, j, i): same voxels, permuted array and affine.
    permuted = LabelMap(label_map.array.transpose(2, 1, 0).copy(), ijk_to_ras[:, [2, 1, 0, 3]],
                        label_map.segments)
    save_seg(permuted, datasets, tmp_path / "seg.dcm")
    seg = hd.seg.segread(tmp_path / "seg.dcm")
    assert _seg_positions_lps(seg, 1) == _voxel_positions_lps(label_map, 1)
    loaded = load_seg(tmp_path / "seg.dcm", Volume(array, ijk_to_ras))
    assert np.array_equal(loaded.array > 0, label_map.array > 0)


def test_label_map_off_the_source_grid_is_refused(series, tmp_path):
    folder, datasets, array, ijk_to_ras = series
    shifted = ijk_to_ras.copy()
    shifted[:3, 3] += [0.3, 0.0, 0.0]
    with pytest.raises(GeometryError, match="does not lie on the label map"):
        save_seg(_label_map(array.shape, shifted), datasets, tmp_path / "seg.dcm")
    with pytest.raises(GeometryError, match="outside the label map"):
        save_seg(_label_map((32, 28, 6), ijk_to_ras), datasets, tmp_path / "seg.dcm")
    assert not (tmp_path / "seg.dcm").exists()


def test_broken_seg_file_is_one_line_error(tmp_path):
    bad = tmp_path / "seg.dcm"
    bad.write_bytes(b"DICM" * 20)
    with pytest.raises(CorruptFileError, match="seg.dcm: not a readable DICOM SEG"):
        load_seg(bad)


def test_seg_bigger_than_the_memory_bound_is_refused_unread(series, tmp_path, monkeypatch):
    """A SEG file over half the memory available is refused with one line naming it, before
    pydicom or highdicom reads a byte of it; within the bound it loads."""
    folder, _, array, ijk_to_ras = series
    path = tmp_path / "seg.dcm"
    save_seg(_label_map(array.shape, ijk_to_ras), read_series_headers([folder]), path)
    size = path.stat().st_size
    monkeypatch.setenv("NEUROVIEW_MEMORY_LIMIT", str(size + size // 2))  # bound: 0.75 x the file

    def no_read(*args, **kwargs):
        raise AssertionError("the SEG was read past the bound")

    with monkeypatch.context() as patched:
        patched.setattr(pydicom, "dcmread", no_read)
        patched.setattr(hd.seg, "segread", no_read)
        with pytest.raises(LoadError) as caught:
            load_seg(path)
    text = str(caught.value)
    assert text.startswith(f"{path}: a DICOM SEG of ") and "more than the" in text and "\n" not in text
    monkeypatch.setenv("NEUROVIEW_MEMORY_LIMIT", str(100 * size))
    assert load_seg(path).array.any()


def test_seg_declaring_more_frames_than_memory_is_refused(series, tmp_path):
    """A small SEG whose header declares 4096 x 4096 pixels x 1,000,000 frames: read a frame at a
    time, a label map of 15625 GB, the frames packed a bit a voxel and their headers."""
    folder, _, array, ijk_to_ras = series
    path = tmp_path / "seg.dcm"
    save_seg(_label_map(array.shape, ijk_to_ras), read_series_headers([folder]), path)
    ds = pydicom.dcmread(path)
    ds.Rows, ds.Columns, ds.NumberOfFrames = 4096, 4096, 1_000_000
    ds.save_as(path)
    with pytest.raises(LoadError,
                       match="the DICOM SEG's frames needs 17593.4 GB of memory") as caught:
        load_seg(path)
    assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)


def test_label_nifti_on_image_grid(series, tmp_path):
    _, _, array, ijk_to_ras = series
    label_map = _label_map(array.shape, ijk_to_ras)
    save_label_nifti(label_map, tmp_path / "labels.nii.gz", Volume(array, ijk_to_ras))
    img = nib.load(tmp_path / "labels.nii.gz")
    assert np.allclose(img.affine, ijk_to_ras) and img.get_data_dtype() == np.uint8
    assert np.array_equal(np.asarray(img.dataobj), label_map.array)
    other = Volume(array[:, :, :4], ijk_to_ras)
    with pytest.raises(GeometryError):
        save_label_nifti(label_map, tmp_path / "bad.nii.gz", other)


def test_pydicom_reads_written_seg_as_valid_file(series, tmp_path):
    folder, _, array, ijk_to_ras = series
    save_seg(_label_map(array.shape, ijk_to_ras), read_series_headers([folder]), tmp_path / "s.dcm")
    ds = pydicom.dcmread(tmp_path / "s.dcm")
    assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.66.4" and ds.Modality == "SEG"
    assert int(ds.NumberOfFrames) == 2 * array.shape[2]  # every slice for both segments


def test_seg_of_a_dicom_loaded_volume_overlays_it(series, tmp_path):
    pytest.importorskip("neuroview.io.dicom", reason="needs neuroview's DICOM loader (neuroview.io.dicom)")
    from neuroview.io import load

    folder, _, _, _ = series
    volume = load(folder)  # the loader's own voxel order and affine
    label_map = _label_map(volume.shape, volume.ijk_to_ras)
    save_seg(label_map, read_series_headers([folder]), tmp_path / "seg.dcm")
    loaded = load_seg(tmp_path / "seg.dcm", volume)
    assert np.array_equal(loaded.array > 0, label_map.array > 0)
    assert np.array_equal(loaded.array == 2, label_map.array == 3)


def test_seg_of_a_series_with_a_file_the_loader_left_out(tmp_path):
    """A series opened with a file left out (its pixel data truncated: a note, the volume one slice
    shorter) is saved as a SEG of the images shown: it was 'source frame 1 lies outside the label
    map', for Save labels as DICOM SEG and Save to PACS alike (walk of a PACS study partly broken)."""
    from neuroview.io import load

    folder = tmp_path / "ct"
    datasets, _, _ = make_ct_series(folder)
    files = sorted(folder.glob("*.dcm"))
    broken = pydicom.dcmread(files[0])
    broken.PixelData = broken.PixelData[: len(broken.PixelData) // 2]
    broken.save_as(files[0])
    volume = load(folder)
    assert volume.shape[2] == len(datasets) - 1
    label_map = _label_map(volume.shape, volume.ijk_to_ras)
    headers = read_series_headers([folder])
    assert str(broken.SOPInstanceUID) not in {str(h.SOPInstanceUID) for h in headers}
    save_seg(label_map, headers, tmp_path / "seg.dcm")
    assert np.array_equal(load_seg(tmp_path / "seg.dcm", volume).array > 0, label_map.array > 0)


def test_seg_by_a_reader_with_letters_outside_ascii(series, tmp_path):
    """A SEG of a series without a character set (ASCII), by Müller^Jörg, with a segment 'Läsion':
    it says UTF-8 (ISO_IR 192) and holds the names in UTF-8. It held Latin-1 bytes and no
    character set, so DICOM readers take it as ASCII."""
    folder, datasets, array, ijk_to_ras = series
    assert "SpecificCharacterSet" not in datasets[0]
    label_map = _label_map(array.shape, ijk_to_ras)
    label_map.segments.get(1).name = "Läsion"
    save_seg(label_map, read_series_headers([folder]), tmp_path / "seg.dcm",
             content_creator="Müller^Jörg", series_description="Läsionen - Müller^Jörg's version")
    raw = pydicom.dcmread(tmp_path / "seg.dcm", stop_before_pixels=True)
    assert raw.SpecificCharacterSet == "ISO_IR 192"
    assert raw.ContentCreatorName == "Müller^Jörg"
    assert "Müller^Jörg".encode() in (tmp_path / "seg.dcm").read_bytes()
    assert raw.SegmentSequence[0].SegmentLabel == "Läsion"
