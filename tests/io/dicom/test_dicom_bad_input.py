"""Bad input: one line naming the file and the problem, a non-zero exit, never a traceback."""

from __future__ import annotations

import gzip
import logging
import shutil
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file

from neuroview.core.errors import CorruptFileError, LoadError, NoImageFoundError
from neuroview.io import load, scan


def _zero_byte(folder):
    path = folder / "empty.dcm"
    path.write_bytes(b"")
    return path, "file is empty (0 bytes)"


def _random_bytes(folder):
    path = folder / "noise.dcm"
    path.write_bytes(np.random.default_rng(1).bytes(4096))
    return path, "not a DICOM, NIfTI, MGH, NRRD or MetaImage file"


def _truncated_dicom(folder):
    path = folder / "truncated.dcm"
    data = open(get_testdata_file("CT_small.dcm"), "rb").read()
    path.write_bytes(data[: len(data) // 2])
    return path, "truncated"


def _truncated_compressed_dicom(folder):
    path = folder / "truncated_j2k.dcm"
    data = open(get_testdata_file("693_J2KR.dcm"), "rb").read()
    path.write_bytes(data[: len(data) - 5000])
    return path, "truncated"


def _dicom_without_pixels(folder):
    path = folder / "nopixels.dcm"
    ds = pydicom.dcmread(get_testdata_file("MR_small.dcm"))
    del ds.PixelData
    ds.save_as(path)
    return path, "DICOM image has no pixel data"


def _corrupt_nifti_header(folder):
    path = folder / "broken.nii"
    path.write_bytes(b"\x5c\x01\x00\x00" + b"\xff" * 348)
    return path, "broken.nii"


def _gzip_of_garbage(folder):
    path = folder / "garbage.nii.gz"
    path.write_bytes(gzip.compress(np.random.default_rng(2).bytes(2000)))
    return path, "garbage.nii.gz"


def _broken_gzip(folder):
    path = folder / "cut.nii.gz"
    path.write_bytes(gzip.compress(b"\x00" * 5000)[:40])
    return path, "cut.nii.gz"


def _empty_folder(folder):
    path = folder / "nothing"
    path.mkdir()
    return path, "folder is empty"


def _folder_of_non_images(folder):
    path = folder / "reports"
    path.mkdir()
    shutil.copy(get_testdata_file("reportsi.dcm"), path / "sr.dcm")
    return path, "SR structured report is not an image"


CORPUS = {f.__name__[1:]: f for f in (
    _zero_byte, _random_bytes, _truncated_dicom, _truncated_compressed_dicom,
    _dicom_without_pixels, _corrupt_nifti_header, _gzip_of_garbage, _broken_gzip,
    _empty_folder, _folder_of_non_images)}


@pytest.mark.parametrize("case", list(CORPUS))
def test_api_raises_a_load_error_naming_the_file(case, tmp_path):
    path, reason = CORPUS[case](tmp_path)
    with pytest.raises(LoadError) as info:
        load(path)
    message = str(info.value)
    assert str(path) in message and reason in message and "\n" not in message


@pytest.mark.parametrize("case", ["zero_byte", "random_bytes", "truncated_dicom",
                                  "dicom_without_pixels", "gzip_of_garbage", "empty_folder"])
def test_cli_prints_one_line_and_exits_non_zero(case, tmp_path, cli):
    path, reason = CORPUS[case](tmp_path)
    proc = cli("info", path)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("neuroview: error: ") and str(path) in lines[0] and reason in lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout


def test_bad_files_beside_a_good_series_are_notes(tmp_path, make_series):
    series = make_series("with-bad-neighbours", n_slices=6)
    shutil.copytree(series.folder, tmp_path / "study")
    _, _ = _zero_byte(tmp_path / "study")
    _, _ = _truncated_dicom(tmp_path / "study")
    _, _ = _random_bytes(tmp_path / "study")
    result = scan(tmp_path / "study")
    assert len(result.candidates) == 1 and result.candidates[0].shape[2] == 6
    reasons = sorted(n.split(": ", 1)[-1] for n in result.notes)
    assert [r.split(" (")[0] for r in reasons] == [
        "DICOM file is truncated", "file is empty", "not a DICOM file"], reasons


def test_truncated_slice_in_a_series_fails_on_load_with_its_name(tmp_path, make_series):
    series = make_series("bad-slice", n_slices=6)
    shutil.copytree(series.folder, tmp_path / "s")
    victim = tmp_path / "s" / series.files[2].name
    candidate = scan(tmp_path / "s").candidates[0]
    data = victim.read_bytes()
    victim.write_bytes(data[:-3000])  # damaged after the scan, before the load
    with pytest.raises(LoadError) as info:
        candidate.load()
    assert str(victim) in str(info.value)


def test_errors_are_specific_types(tmp_path):
    with pytest.raises(CorruptFileError):
        load(_zero_byte(tmp_path)[0])
    with pytest.raises(NoImageFoundError):
        load(_empty_folder(tmp_path)[0])


DAMAGED_SAMPLES = ["CT_small.dcm", "MR_small_implicit.dcm", "693_J2KR.dcm", "eCT_Supplemental.dcm"]
"""Explicit and implicit VR, JPEG 2000 and an enhanced (multi-frame) CT: each damaged some twenty
ways by ``damage.py`` (cut short at 8 places, lengths of 0xFFFFFFF0, absurd Rows/Columns/
BitsAllocated/NumberOfFrames, six lying transfer syntaxes and a UID that is none, a garbled meta element)."""
MAX_PEAK = 256 << 20


@pytest.fixture(scope="module")
def damaged_results(tmp_path_factory):
    """{sample: [(damage, file, clean volume, convert's output, info's result, convert's
    result)]}, every command run in ONE child under 4 GiB of address space and 30 s each."""
    from pathlib import Path

    from damage import damaged_copies

    from tests.io.limited_cli import run_limited

    cases, commands = [], []
    for name in DAMAGED_SAMPLES:
        source = Path(get_testdata_file(name))
        folder = tmp_path_factory.mktemp(source.stem)
        clean = load(source)
        for damage, path in damaged_copies(source, folder).items():
            out = folder / f"{damage}.nii.gz"
            cases.append((name, damage, path, clean, out))
            commands += [["info", str(path)], ["convert", str(path), str(out)]]
    results = run_limited(commands, seconds=30)
    by_sample: dict = {}
    for index, (name, damage, path, clean, out) in enumerate(cases):
        by_sample.setdefault(name, []).append(
            (damage, path, clean, out, results[2 * index], results[2 * index + 1]))
    return by_sample


def _damage_problem(path, clean, out, verb: str, result: dict) -> str:
    """'' when the command refused the file in one clean line, or read it right anyway."""
    if result["peak_rss"] >= MAX_PEAK:
        return f"resident peak +{result['peak_rss'] >> 20} MiB"
    if result["rc"] == 0:
        if verb == "info":
            return ""
        import nibabel as nib

        image = nib.load(out)  # read anyway: only the undamaged voxels, where they belong
        if image.shape == clean.shape and np.array_equal(image.get_fdata(), clean.array) \
                and np.allclose(image.affine, clean.ijk_to_ras, atol=1e-4):
            return ""
        return "exit 0 with other voxels than the undamaged file"
    lines = result["stderr"].strip().splitlines()
    if (result["rc"] != 1 or len(lines) != 1 or "internal error" in lines[0]
            or not lines[0].startswith(f"neuroview: error: {path}: ")):
        return f"rc {result['rc']}: {result['stderr'][-300:]}"
    return ""


@pytest.mark.parametrize("sample", DAMAGED_SAMPLES)
def test_damaged_real_file_ends_in_one_line_or_reads_right(sample, damaged_results):
    problems = [f"{damage} {verb}: {problem}"
                for damage, path, clean, out, info, convert in damaged_results[sample]
                for verb, result in (("info", info), ("convert", convert))
                if (problem := _damage_problem(path, clean, out, verb, result))]
    assert problems == []


def test_undecodable_pixels_say_why_each_decoder_refused(tmp_path, caplog):
    """pydicom's JPEG-lossy.dcm (12-bit JPEG Extended with a misplaced marker; dcm2niix refuses
    it too): one line, not pydicom's first line ending in ':'; since session 38 in words (the
    one decoder that reads 12-bit JPEG Extended finds the stream damaged), every decoder's
    reason in the log."""
    path = tmp_path / "jpeg-lossy.dcm"
    shutil.copy(get_testdata_file("JPEG-lossy.dcm"), path)
    with caplog.at_level(logging.INFO, "neuroview.io.dicom.decode"), pytest.raises(LoadError) as info:
        load(path)
    assert str(info.value) == (f"{path}: cannot decode pixel data (the JPEG data are damaged: not "
                               "a stream a decoder can read)")
    detail = " ".join(r.getMessage() for r in caplog.records if r.name == "neuroview.io.dicom.decode")
    assert "gdcm: GDCM does not support 'JPEG Extended'" in detail and "pylibjpeg: " in detail


def test_a_file_cut_inside_an_element_header_is_called_truncated(tmp_path):
    """pydicom raises ``struct.error`` ("unpack requires a buffer of 4 bytes") on a file that ends
    inside an element's tag or length: the line says the file is truncated, not "error: unpack"."""
    data = Path(get_testdata_file("CT_small.dcm")).read_bytes()
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    start = ds.get_item(0x7FE00010).value_tell - 2  # inside Pixel Data's 4-byte length
    path = tmp_path / "cut.dcm"
    path.write_bytes(data[:start])
    with pytest.raises(LoadError) as info:
        load(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    assert "truncated" in message and "unpack" not in message


def _rle_with_bytes_inserted(folder: Path) -> Path:
    """pydicom's RLE sample with 500 bytes of its own pixel data inserted 200 bytes into the
    pixel data: pylibjpeg-rle (written in Rust) panics on it, and pyo3's PanicException derives
    from BaseException, not Exception."""
    from damage import PIXEL_DATA, _raw

    source = Path(get_testdata_file("emri_small_RLE.dcm"))
    data = source.read_bytes()
    at = _raw(source, PIXEL_DATA)[0] + 200
    path = folder / "rle_inserted.dcm"
    path.write_bytes(data[:at] + data[at + 1000:at + 1500] + data[at:])
    return path


def test_a_decoder_panic_is_a_load_error_naming_the_file(tmp_path):
    path = _rle_with_bytes_inserted(tmp_path)
    with pytest.raises(LoadError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: cannot decode pixel data") and "\n" not in message


def test_cli_ends_a_decoder_panic_with_its_own_line(tmp_path, cli):
    path = _rle_with_bytes_inserted(tmp_path)
    proc = cli("convert", path, tmp_path / "out.nii.gz", env={"RUST_BACKTRACE": "1"})
    assert proc.returncode == 1, proc.stderr
    # the Rust library's own panic lines (60 with RUST_BACKTRACE=1) stay off the terminal:
    # neuroview's line is the only one
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"neuroview: error: {path}: cannot decode pixel data"), proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert not (tmp_path / "out.nii.gz").exists()


def test_a_decoder_panic_in_the_process_pool_goes_on_to_the_next_decoder(tmp_path, cli):
    """20 single-frame RLE slices (the CLI decodes 16 or more compressed files in worker
    processes), one damaged so that pylibjpeg-rle panics. pyo3's PanicException passed pydicom's
    loop over its plugins (it is no Exception) and ended the worker; now the next plugin,
    pydicom's own RLE decoder, is tried as after any decoder's error, and it reads the slice:
    the series converts, every other slice as the undamaged series."""
    import nibabel as nib
    from damage import PIXEL_DATA, _raw

    ds = pydicom.dcmread(get_testdata_file("MR_small_RLE.dcm"))
    folder = tmp_path / "series"
    folder.mkdir()
    for k in range(20):
        ds.ImagePositionPatient = [0.0, 0.0, float(k)]
        ds.InstanceNumber = k + 1
        ds.SOPInstanceUID = f"1.2.826.0.1.3680043.8.498.{k + 1}"
        ds.save_as(folder / f"s{k:02d}.dcm")
    clean = load(folder)
    victim = folder / "s10.dcm"
    data = victim.read_bytes()
    value = _raw(victim, PIXEL_DATA)[0]  # item tag and length of the offset table, its bytes,
    segments = value + 8 + int.from_bytes(data[value + 4:value + 8], "little") + 8 + 64
    # then the fragment's item header and the RLE header (64 bytes): the first segment's runs
    # overwritten by 150 runs of 128 zeros, which write past the frame
    victim.write_bytes(data[:segments] + bytes([0x81, 0]) * 150 + data[segments + 300:])
    proc = cli("convert", folder, tmp_path / "out.nii.gz")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "PicklingError" not in proc.stderr
    assert "panicked" not in proc.stderr  # the worker's decoder panic, printed by Rust itself
    out = np.asarray(nib.load(tmp_path / "out.nii.gz").dataobj)
    assert out.shape == clean.shape
    slices = [k for k in range(20) if not np.array_equal(out[:, :, k], clean.array[:, :, k])]
    assert len(slices) == 1, slices  # the damaged one (its order along k follows the geometry)


def test_a_decoder_that_ends_the_process_runs_in_a_child(tmp_path, cli, caplog):
    """pydicom's JPEG baseline colour sample with two bytes of its JPEG tables zeroed (found by
    bench/input_fuzz.py): Pillow and pylibjpeg refuse it, and GDCM's C++ code ends the process
    that runs it (SIGABRT: ``terminate`` on a ``gdcm::Exception``). GDCM now runs last, in a
    child process: one line naming the file, and the window or command goes on."""
    data = bytearray(Path(get_testdata_file("SC_rgb_dcmtk_+eb+cy+s4.dcm")).read_bytes())
    data[1705] = data[1708] = 0
    path = tmp_path / "jpeg_tables_damaged.dcm"
    path.write_bytes(bytes(data))
    proc = cli("convert", path, tmp_path / "out.nii.gz")
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-500:])
    line = proc.stderr.strip().splitlines()[-1]
    assert line == (f"neuroview: error: {path}: cannot decode pixel data (the JPEG data are "
                    "cut short or damaged)"), proc.stderr
    with caplog.at_level(logging.INFO, "neuroview.io.dicom.decode"), pytest.raises(LoadError):
        load(path)   # in this process too; each decoder's reason in the log
    detail = " ".join(r.getMessage() for r in caplog.records if r.name == "neuroview.io.dicom.decode")
    assert "pillow: " in detail and "pylibjpeg: " in detail and "gdcm: the decoder crashed" in detail


def test_a_multi_frame_file_declaring_0_frames_is_refused_not_read_as_one(tmp_path, cli):
    """pydicom's enhanced CT (2 frames) with NumberOfFrames 0: its first frame was read as the
    whole image, the other dropped without a word (0 was taken for 1)."""
    ds = pydicom.dcmread(get_testdata_file("eCT_Supplemental.dcm"))
    ds.NumberOfFrames = 0
    path = tmp_path / "zero_frames.dcm"
    ds.save_as(path)
    expected = (f"{path}: DICOM header declares 0 frames but the pixel data holds 2 frames of "
                "512x512 (damaged header)")
    with pytest.raises(CorruptFileError) as refused:
        load(path)
    assert str(refused.value) == expected
    result = cli("info", path)
    assert result.returncode == 1 and result.stderr.strip().splitlines() == [f"neuroview: error: {expected}"]


def test_a_number_of_frames_that_is_no_number_is_said(tmp_path):
    """NumberOfFrames 'NaN' was taken for 1 frame, and pydicom's decoder then failed on it:
    'cannot decode pixel data (the Explicit VR Little Endian data are damaged: not a stream
    a decoder can read)' (session 46's hostile campaign)."""
    from raw_series import write_raw_series

    (path,) = write_raw_series(tmp_path / "s", n=1, NumberOfFrames="NaN")
    with pytest.raises(CorruptFileError) as refused:
        load(path)
    assert str(refused.value) == (f"{path}: DICOM NumberOfFrames is NaN, not a number of frames "
                                  "(damaged header)")
