"""The fast paths of ``neuroview convert`` (uncompressed DICOM to .nii) give what dcm2niix gives.

Uncompressed frames are read straight into the output volume and the .nii is written in one
pass; these tests check the result against dcm2niix in world space and against the written truth,
and that frames the fast path cannot take (another dtype) still load correctly.
"""

from __future__ import annotations

import subprocess
import sys

import nibabel as nib
import numpy as np
import pydicom
import pytest
from series_maker import compare_in_world, run_dcm2niix

from neuroview.cli.lazy_imports import deferred_imports
from neuroview.core.errors import DicomError
from neuroview.io import load, scan

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

CASES = {
    "fast_ct": dict(orientation="coronal", modality="CT", slope=1.0, intercept=-1024.0,
                    n_slices=20),
    "fast_float": dict(orientation="oblique", slope=0.5, intercept=-3.25, n_slices=12),
}


@pytest.mark.parametrize("case", list(CASES))
def test_convert_to_nii_matches_dcm2niix_and_truth(make_series, cli, tmp_path, case):
    series = make_series(case, **CASES[case])
    out = tmp_path / "out.nii"
    proc = cli("convert", series.folder, out)
    assert proc.returncode == 0, proc.stderr
    written = nib.load(out)
    assert written.header["sform_code"] == 1 and written.header["qform_code"] == 1
    reference = nib.load(run_dcm2niix(series.folder, tmp_path / "dcm2niix")[0])
    compare_in_world(written.get_fdata(), written.affine, reference.get_fdata(), reference.affine)
    assert np.allclose(written.affine, series.ijk_to_ras, atol=1e-4)
    assert np.allclose(written.get_fdata(), series.values, atol=1e-6)
    # CT with an integer rescale stays int16; a fractional one becomes float32
    assert written.get_data_dtype() == (np.int16 if case == "fast_ct" else np.float32)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left


def test_slice_of_another_dtype_is_decoded_not_read_raw(make_series, tmp_path):
    """One slice stored as int32 among int16 ones: its bytes cannot go raw into the int16 volume."""
    series = make_series("mixed_bits", orientation="axial", n_slices=10, shuffle_names=False)
    folder = tmp_path / "mixed"
    folder.mkdir()
    for path in series.files:
        (folder / path.name).write_bytes(path.read_bytes())
    odd = folder / series.files[5].name
    ds = pydicom.dcmread(odd)
    stored = ds.pixel_array
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 32, 32, 31
    ds.PixelData = stored.astype(np.int32).tobytes()
    ds.save_as(odd, enforce_file_format=True)
    volume = load(folder)
    assert volume.array.dtype == np.int16
    assert np.array_equal(np.asarray(volume.array), series.values)


def test_file_cut_between_scan_and_load_names_the_file(make_series, tmp_path):
    series = make_series("truncate_me", orientation="axial", n_slices=10, shuffle_names=False)
    folder = tmp_path / "cut"
    folder.mkdir()
    for path in series.files:
        (folder / path.name).write_bytes(path.read_bytes())
    candidate = scan(folder).best()
    cut = folder / series.files[6].name
    cut.write_bytes(cut.read_bytes()[:-100])
    with pytest.raises(DicomError, match="cut short since the folder was scanned") as info:
        candidate.load()
    assert cut.name in str(info.value)


def test_deferred_imports_load_on_first_use():
    code = (
        "import sys\n"
        "from neuroview.cli.lazy_imports import import_pydicom\n"
        "import_pydicom()\n"
        "lazy = [type(sys.modules[m]).__name__ for m in ('requests', 'tqdm', 'urllib.request')]\n"
        "assert lazy == ['_LazyModule'] * 3, lazy\n"
        "download = sys.modules['pydicom.data.download']\n"
        "assert download.HAVE_REQUESTS and download.USE_PROGRESS_BAR  # seen as installed\n"
        "import requests, urllib.request  # a later import loads them for real\n"
        "assert callable(requests.get) and callable(urllib.request.urlopen)\n"
        "assert type(sys.modules['requests']).__name__ == 'module'\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_deferred_import_of_a_missing_module_still_fails():
    with deferred_imports(["neuroview_no_such_module"]), pytest.raises(ImportError):
        import neuroview_no_such_module  # noqa: F401


def test_shared_header_values_give_the_same_frames(make_series, tmp_path):
    """A scan converts each distinct raw header value once; frames equal those of plain reads,
    for explicit and implicit VR files, and text values in another character set stay per file."""
    from pydicom.uid import ImplicitVRLittleEndian

    from neuroview.io.dicom.scan import read_file

    series = make_series("shared_values", orientation="oblique", n_slices=6, slope=0.5,
                         intercept=-3.0)
    files = [str(p) for p in series.files]
    implicit = tmp_path / "implicit.dcm"
    ds = pydicom.dcmread(files[0])
    ds.SpecificCharacterSet, ds.SeriesDescription = "ISO_IR 100", "Schädel"
    ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
    ds.save_as(implicit, enforce_file_format=True)
    files.append(str(implicit))
    cache: dict = {}
    shared = [f for path in files for f in read_file(path, cache).frames]
    plain = [f for path in files for f in read_file(path).frames]
    fields = ("series_uid", "series_number", "description", "modality", "rows", "cols", "samples",
              "position", "orientation", "pixel_spacing", "slice_thickness", "slope", "intercept",
              "order", "n_frames_in_file", "mosaic")
    assert len(shared) == len(plain) == 7
    for a, b in zip(shared, plain):
        assert [getattr(a, k) for k in fields] == [getattr(b, k) for k in fields]
    assert shared[-1].description == "Schädel" and shared[-1].slope == 0.5
    assert any(isinstance(key, tuple) for key in cache)  # values were shared


def test_median_of_is_numpys_median(rng):
    """Slice steps and clustering tolerances use :func:`median_of` (no ``numpy.ma`` import):
    the same float as ``np.median`` for odd and even counts, ties, negatives and NaN."""
    from neuroview.io.dicom.series import median_of

    samples = [rng.normal(0, 50, n) for n in (1, 2, 3, 10, 301)]
    samples += [np.array([2.5, 2.5, 2.5, 7.0]), np.array([-3.0, 1.2, -3.0]),
                np.round(rng.uniform(-5, 5, 64), 1), np.array([1.0, np.nan, 3.0])]
    for values in samples:
        expected = float(np.median(values))
        assert median_of(values) == expected or (np.isnan(expected) and np.isnan(median_of(values)))
