"""Deflated Explicit VR Little Endian (1.2.840.10008.1.2.1.99) DICOM loads with the same voxels
as its uncompressed original: single-frame series (read by threads, and by worker processes
whose frames come back without their datasets) and an enhanced multi-frame file. The bound on
inflation (``neuroview.io.compressed``) is tested with the hostile corpus (a deflate bomb)."""

from __future__ import annotations

import shutil

import numpy as np
import pydicom
from enhanced_maker import EnhancedSpec, write_enhanced
from pydicom.uid import DeflatedExplicitVRLittleEndian
from series_maker import compare_in_world

from neuroview.io import load
from neuroview.io.dicom import plans_from_scans
from neuroview.io.dicom.headers import _scan_in_processes
from neuroview.io.dicom.load import load_plan


def _deflate(source, target):
    """A copy of every file of ``source`` written with the deflated transfer syntax."""
    target.mkdir(parents=True)
    for path in sorted(source.glob("*.dcm")):
        ds = pydicom.dcmread(path)
        ds.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
        ds.save_as(target / path.name, enforce_file_format=True)
        with open(target / path.name, "rb") as handle:
            assert DeflatedExplicitVRLittleEndian.encode() in handle.read(400)
    return target


def test_deflated_series_gives_the_voxels_of_its_original(make_series, tmp_path):
    series = make_series("deflate-source", n_slices=6, rows=24, cols=20, slope=2.0,
                         intercept=-5.0)
    folder = _deflate(series.folder, tmp_path / "deflated")
    original, deflated = load(series.folder), load(folder)
    assert deflated.array.dtype == original.array.dtype
    np.testing.assert_array_equal(deflated.array, original.array)
    np.testing.assert_array_equal(deflated.ijk_to_ras, original.ijk_to_ras)
    compare_in_world(deflated.array, deflated.ijk_to_ras, series.values, series.ijk_to_ras)

    # the same files read by worker processes, the frames sent back without their datasets
    scans = _scan_in_processes(sorted(str(p) for p in folder.glob("*.dcm")), None, None)
    assert all(ref.header.ds is None for scan in scans for ref in scan.frames)
    (plan,) = plans_from_scans(scans)
    np.testing.assert_array_equal(load_plan(plan).array, original.array)


def test_deflated_enhanced_file_gives_the_voxels_of_its_original(tmp_path, mni_volume):
    written = write_enhanced(tmp_path / "plain" / "enhanced.dcm", mni_volume, EnhancedSpec())
    folder = _deflate(tmp_path / "plain", tmp_path / "deflated")
    original = load(written.path)
    deflated = load(folder / "enhanced.dcm")
    np.testing.assert_array_equal(deflated.array, original.array)
    np.testing.assert_array_equal(deflated.ijk_to_ras, original.ijk_to_ras)
    compare_in_world(deflated.array, deflated.ijk_to_ras, written.values, written.ijk_to_ras)
    shutil.rmtree(folder)


def test_a_deflated_image_that_inflates_without_pixels_is_damage(make_series, tmp_path, capsys):
    """Deflate has no checksum: a flipped bit in the stream can inflate to other elements and
    no pixel data. Such an MR image file was skipped as 'holds no image (no pixel data)', as a
    report is (until session 36)."""
    from neuroview.cli.main import main

    series = make_series("deflate-source", n_slices=6, rows=24, cols=20, slope=2.0,
                         intercept=-5.0)
    ds = pydicom.dcmread(sorted(series.folder.glob("*.dcm"))[0])
    for keyword in ("PixelData", "Rows", "Columns"):
        delattr(ds, keyword)
    ds.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
    ds.save_as(tmp_path / "damaged.dcm", enforce_file_format=True)
    assert main(["info", str(tmp_path / "damaged.dcm")]) == 1
    assert capsys.readouterr().err.strip() == (
        f"neuroview: error: {tmp_path / 'damaged.dcm'}: DICOM file is damaged: its deflated dataset "
        "holds no pixel data, though its class (MR Image Storage) is an image's (a damaged deflate "
        "stream)")


def test_a_deflated_stream_cut_short_is_said_without_zlib_class(make_series, tmp_path, capsys):
    """A deflated dataset cut in the middle of its stream: the reason led with zlib's class,
    'DICOM file is damaged (error: Error -5 while decompressing data: ...)' (session 36,
    ``bench/kinds_fuzz.py --only deflate``), then zlib's text after the words (until session 38)."""
    from neuroview.cli.main import main

    series = make_series("deflate-cut", n_slices=6, rows=24, cols=20, slope=2.0, intercept=-5.0)
    path = sorted(_deflate(series.folder, tmp_path / "deflated").glob("*.dcm"))[0]
    data = path.read_bytes()
    path.write_bytes(data[:len(data) - 200])
    assert main(["info", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"neuroview: error: {path}: DICOM file is damaged (its deflated dataset is cut "
                   "short)"), err   # zlib's "Error -5 while decompressing data" in the log alone
