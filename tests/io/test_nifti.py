import gzip
import os

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import CorruptFileError, LoadError, NoImageFoundError
from neuroview.io import load, scan
from neuroview.io.nifti import load_nifti, save_nifti
from neuroview.io.nrrd import load_nrrd

CLI_FORKED = "what `info` and `convert` print and write, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_mni_template_loads_with_nibabel_geometry(mni_path, mni_volume):
    reference = nib.load(mni_path)
    assert mni_volume.shape == (197, 233, 189)
    assert np.allclose(mni_volume.ijk_to_ras, reference.affine)
    assert np.array_equal(np.asarray(mni_volume.array), reference.get_fdata())
    assert mni_volume.orientation == "RAS" and mni_volume.spacing == (1.0, 1.0, 1.0)


def test_uncompressed_nifti_is_memory_mapped(tmp_path, rng):
    data = rng.integers(0, 1000, (8, 9, 10)).astype(np.int16)
    path = save_nifti(data, np.diag([2, 2, 3, 1.0]), tmp_path / "a.nii")
    volume = load_nifti(path)
    assert isinstance(volume.array, np.memmap)
    assert np.array_equal(volume.array, data)


def test_scaled_nifti_applies_slope_and_intercept(tmp_path, rng):
    raw = rng.integers(0, 100, (5, 6, 7)).astype(np.int16)
    img = nib.Nifti1Image(raw, np.eye(4))
    img.header.set_slope_inter(2.5, -10.0)
    nib.save(img, tmp_path / "s.nii.gz")
    volume = load_nifti(tmp_path / "s.nii.gz")
    assert np.allclose(volume.array, raw * 2.5 - 10.0)


def test_4d_is_kept(tmp_path):
    data = np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5)
    save_nifti(data, np.eye(4), tmp_path / "t.nii.gz")
    volume = load(tmp_path / "t.nii.gz")
    assert volume.array.shape == (2, 3, 4, 5) and volume.n_frames == 5 and volume.axis4 == "time"
    assert np.array_equal(volume.frame(3), data[..., 3])


def test_qform_only_file_uses_qform(tmp_path):
    affine = np.array([[-1.0, 0, 0, 90], [0, 1, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]])
    img = nib.Nifti1Image(np.zeros((4, 4, 4), np.uint8), None)
    img.set_qform(affine, code=1)
    img.set_sform(None, code=0)
    nib.save(img, tmp_path / "q.nii")
    assert np.allclose(load_nifti(tmp_path / "q.nii").ijk_to_ras, affine)


def test_mgz_loads(tmp_path, rng):
    data = rng.integers(0, 255, (6, 7, 8)).astype(np.uint8)
    affine = np.array([[-1.0, 0, 0, 3], [0, 0, 1, -4], [0, -1, 0, 5], [0, 0, 0, 1]])
    nib.save(nib.MGHImage(data, affine), tmp_path / "brain.mgz")
    volume = load(tmp_path / "brain.mgz")
    assert np.allclose(volume.ijk_to_ras, affine) and np.array_equal(volume.array, data)
    assert volume.orientation == "LIA"


def test_nrrd_lps_is_converted_to_ras(tmp_path, rng):
    import nrrd

    data = rng.integers(0, 100, (5, 6, 7)).astype(np.int16)
    header = {"space": "left-posterior-superior",
              "space directions": np.diag([0.5, 0.6, 2.0]), "space origin": np.array([10.0, 20.0, 30.0])}
    nrrd.write(str(tmp_path / "v.nrrd"), data, header, index_order="F")
    volume = load(tmp_path / "v.nrrd")
    expected = np.diag([-0.5, -0.6, 2.0, 1.0])
    expected[:3, 3] = (-10, -20, 30)
    assert np.allclose(volume.ijk_to_ras, expected) and np.array_equal(volume.array, data)
    assert load_nrrd(tmp_path / "v.nrrd").orientation == "LPS"


def test_nrrd_scan_reads_the_header_only(tmp_path, rng, monkeypatch):
    import nrrd

    from neuroview.io import registry

    data = rng.integers(0, 100, (5, 6, 7)).astype(np.int16)
    header = {"space": "left-posterior-superior", "space directions": np.diag([0.5, 0.6, 2.0]),
              "space origin": np.array([10.0, 20.0, 30.0]), "encoding": "raw"}  # gzip: read by neuroview
    nrrd.write(str(tmp_path / "v.nrrd"), data, header, index_order="F")
    reads, real_read = [], nrrd.read
    monkeypatch.setattr(nrrd, "read", lambda *a, **k: reads.append(a) or real_read(*a, **k))
    candidate = registry.scan(tmp_path / "v.nrrd").candidates[0]
    assert reads == [] and candidate.shape == (5, 6, 7) and candidate.orientation == "LPS"
    volume = candidate.loader()
    assert len(reads) == 1 and np.array_equal(volume.array, data)
    assert np.allclose(candidate.spacing, (0.5, 0.6, 2.0)) and volume.orientation == "LPS"


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (os.urandom(4096), "header"),
    (gzip.compress(os.urandom(2000)), "header"),
    (b"\x1f\x8b\x08\x00garbage", "broken"),
])
def test_bad_nifti_gets_one_line_error_naming_the_file(tmp_path, content, message):
    path = tmp_path / "bad.nii.gz"
    path.write_bytes(content)
    with pytest.raises(CorruptFileError) as info:
        load(path)
    text = str(info.value)
    assert str(path) in text and "\n" not in text


def test_truncated_nifti(tmp_path, mni_path):
    data = mni_path.read_bytes()
    path = tmp_path / "cut.nii.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptFileError, match="cut.nii.gz"):
        load(path)


def test_empty_folder_and_missing_path(tmp_path):
    with pytest.raises(NoImageFoundError, match="empty"):
        scan(tmp_path)
    with pytest.raises(LoadError, match="no such file"):
        scan(tmp_path / "nope.nii")


def test_cli_info_and_convert_on_nifti(cli, mni_path, tmp_path):
    result = cli("info", mni_path)
    assert result.returncode == 0, result.stderr
    assert "197x233x189" in result.stdout and "RAS" in result.stdout
    out = tmp_path / "copy.nii.gz"
    result = cli("convert", mni_path, out)
    assert result.returncode == 0, result.stderr
    assert np.allclose(nib.load(out).affine, nib.load(mni_path).affine)


def test_cli_error_is_one_line_and_non_zero(cli, tmp_path):
    bad = tmp_path / "x.nii"
    bad.write_bytes(b"\x00" * 10)
    result = cli("info", bad)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "Traceback" not in result.stderr


def test_cli_info_shortens_a_long_list_of_notes(cli, tmp_path, rng):
    data = rng.integers(0, 100, (4, 5, 6)).astype(np.int16)
    nib.save(nib.Nifti1Image(data, np.eye(4)), tmp_path / "image.nii.gz")
    for n in range(14):
        (tmp_path / f"junk{n:02d}.nii").write_bytes(b"not an image")
    short = cli("info", tmp_path)
    assert short.returncode == 0, short.stderr
    assert "4x5x6" in short.stdout
    assert short.stdout.count("note: skipped") == 10 and "... and 4 more" in short.stdout
    full = cli("info", "--verbose", tmp_path)
    assert full.stdout.count("note: skipped") == 14 and "more" not in full.stdout


OBLIQUE = np.array([[-0.5, 0, 0, 10], [0, 0.6 * np.cos(0.1), -2 * np.sin(0.1), -20],
                    [0, 0.6 * np.sin(0.1), 2 * np.cos(0.1), 5], [0, 0, 0, 1]])
"""An oblique grid without shear (a sheared one has no qform: test_nifti_header.py)."""


@pytest.mark.parametrize("dtype,order,shape", [
    (np.int16, "F", (7, 6, 5)), (np.uint8, "F", (4, 3, 2)), (np.float32, "F", (5, 4, 3, 2)),
    (np.float64, "F", (3, 4, 5)), (np.int16, "C", (7, 6, 5)), (">i2", "F", (3, 3, 3)),
    (np.int32, "F", (3, 4, 5)),
])
def test_uncompressed_save_is_byte_identical_to_nibabel(tmp_path, rng, monkeypatch, dtype,
                                                        order, shape):
    """The one-write fast path for .nii (F-ordered arrays; C-ordered ones in pieces put in F order,
    since session 50) writes what nib.save writes."""
    data = np.asarray(rng.normal(50, 40, shape), order=order).astype(dtype, order=order)
    affine = OBLIQUE
    fast = np.dtype(dtype).isnative
    with monkeypatch.context() as patch:
        if fast:  # prove the fast path wrote it: nibabel's writer is not available
            patch.setattr(nib, "save", lambda *a, **k: pytest.fail("nib.save used"))
        ours = save_nifti(data, affine, tmp_path / "ours.nii")
    img = nib.Nifti1Image(np.asarray(data), affine)
    img.set_sform(img.affine, code=1)
    img.set_qform(img.affine, code=1)
    nib.save(img, tmp_path / "ref.nii")
    assert ours.read_bytes() == (tmp_path / "ref.nii").read_bytes()
    back = nib.load(ours)
    assert np.array_equal(np.asarray(back.dataobj), data) and np.allclose(back.affine, affine)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left


@pytest.mark.parametrize("isal,order", [(True, "F"), (False, "F"), ("threads", "F"),
                                       ("threads", "C"), (True, "C")])
def test_compressed_save_holds_nibabels_bytes(tmp_path, rng, monkeypatch, isal, order):
    """The one-write fast path for .nii.gz (igzip when isal is installed, in threads for a big
    volume, else zlib) writes a gzip stream that decompresses to exactly what nib.save's .nii.gz
    decompresses to."""
    import gzip
    import sys

    from isal import igzip_threaded

    import neuroview.io.nifti as nifti

    opened = []

    data = np.asarray(rng.normal(50, 40, (9, 8, 7, 3)), order=order).astype(np.int16, order=order)
    affine = OBLIQUE
    with monkeypatch.context() as patch:
        patch.setattr(nib, "save", lambda *a, **k: pytest.fail("nib.save used"))
        patch.setattr(nifti, "PIECE_BYTES", 64)   # a C-ordered array a time point at a time
        if not isal:
            patch.setitem(sys.modules, "isal", None)  # import isal raises ImportError
        if isal == "threads":  # as for a volume of 8 MB or more, on a machine with 2+ cores
            patch.setattr(nifti, "THREADED_GZIP_MIN_BYTES", 0)
            patch.setattr(nifti.os, "cpu_count", lambda: 2)
            real_open = igzip_threaded.open
            patch.setattr(igzip_threaded, "open",
                          lambda *a, **k: opened.append(k["threads"]) or real_open(*a, **k))
        ours = save_nifti(data, affine, tmp_path / "ours.nii.gz")
    assert opened == ([2] if isal == "threads" else [])
    img = nib.Nifti1Image(data, affine)
    img.set_sform(img.affine, code=1)
    img.set_qform(img.affine, code=1)
    nib.save(img, tmp_path / "ref.nii.gz")
    assert gzip.decompress(ours.read_bytes()) == gzip.decompress((tmp_path / "ref.nii.gz")
                                                                 .read_bytes())
    back = nib.load(ours)
    assert np.array_equal(np.asarray(back.dataobj), data) and np.allclose(back.affine, affine)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_label_map_saved_twice_is_the_same_file(tmp_path, monkeypatch, threads):
    """*Save labels* of one label map (C-ordered uint8, as the window's), in one gzip thread or in
    two (a 2-core machine's, from 8 MB on: ``bench/label_gzip.py`` measured both), writes the same
    bytes each time, into temporaries of random names: a gzip header with no file name and no
    time, and voxels nibabel reads back."""
    import neuroview.io.nifti as nifti

    if threads > 1:
        monkeypatch.setattr(nifti, "THREADED_GZIP_MIN_BYTES", 0)
        monkeypatch.setattr(nifti.os, "cpu_count", lambda: threads)
    labels = np.zeros((40, 36, 30), np.uint8)
    labels[5:30, 6:20, 4:25] = 2
    labels[10:14, 8:11, 7:9] = 1
    affine = np.diag([0.9, 0.9, 1.2, 1.0])
    first = save_nifti(labels, affine, tmp_path / "a.nii.gz").read_bytes()
    second = save_nifti(labels, affine, tmp_path / "b.nii.gz").read_bytes()
    assert first == second
    assert first[3] & 0x08 == 0 and first[4:8] == bytes(4)   # no FNAME flag, mtime 0
    back = nib.load(tmp_path / "b.nii.gz")
    assert np.array_equal(np.asarray(back.dataobj), labels) and np.allclose(back.affine, affine)


def test_a_cifti_file_is_one_line_and_a_folder_scan_goes_on(tmp_path, cli):
    """CIFTI-2 (.dconn/.dtseries.nii) loads in nibabel with a header that has no voxel grid; it
    stopped ``neuroview info`` on the whole folder with an internal AttributeError."""
    import shutil
    from pathlib import Path

    cifti = Path(nib.__file__).parent / "tests" / "data" / "row_major.dconn.nii"
    shutil.copy(cifti, tmp_path / "row_major.dconn.nii")
    shutil.copy(Path(nib.__file__).parent / "tests" / "data" / "anatomical.nii", tmp_path / "anat.nii")
    with pytest.raises(LoadError, match="CIFTI-2 file holds surface"):
        load_nifti(tmp_path / "row_major.dconn.nii")
    result = cli("info", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "anat.nii" in result.stdout and "33x41x25" in result.stdout
    assert "row_major.dconn.nii: a CIFTI-2 file holds surface" in result.stdout + result.stderr
    assert "internal error" not in result.stdout + result.stderr
