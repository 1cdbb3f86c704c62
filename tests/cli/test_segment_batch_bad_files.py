"""``neuroview segment FOLDER`` on a folder of mixed files (session 32, a walk of the command line):
a text file in it was left out without a word, and a 2D image was "segmented" into a 3D file of
one slice (64 x 64 x 1, where the input reads back 64 x 64) with nothing labelled. Now each is
one line naming it; the good cases are done and read back with the input's geometry."""

from __future__ import annotations

import numpy as np
import pytest

from tests.checkout import main_said

pytest.importorskip("torch")


def test_a_batch_names_the_text_file_and_the_2d_image_and_segments_the_heads(tmp_path, capsys):
    import nibabel as nib
    import SimpleITK as sitk

    from neuroview.ai import synth
    from neuroview.io.nifti import save_nifti

    cases = tmp_path / "cases"
    cases.mkdir()
    case = synth.make_case(synth.load_nibabel_anatomy(), 7002, spacing=2.0, deform=False)
    save_nifti(case.image, case.ijk_to_ras, cases / "head.nii.gz")
    flat = np.random.default_rng(3).random((64, 64)).astype(np.float32) * 500
    nib.save(nib.Nifti1Image(flat, np.eye(4)), cases / "slice.nii.gz")
    (cases / "notes.txt").write_text("scanned on the old magnet\n")
    (cases / "head.json").write_text('{"EchoTime": 0.004}\n')   # a BIDS sidecar: no line of its own
    out = tmp_path / "masks"

    code, stdout, stderr = main_said(capsys, "segment", cases, "-o", out)

    assert code == 1, stderr
    lines = stderr.splitlines()
    assert [line for line in lines if "left out" in line] == [
        f"note: left out {cases / 'notes.txt'}: not a case (a batch takes image files, .nii, "
        ".nii.gz, .mgz, .mgh, .nrrd, .nhdr, .mha, .mhd, and folders, a DICOM series in a folder of "
        "its own)"]
    assert (f"neuroview: error: {cases / 'slice.nii.gz'}: a single 2D slice (64 x 64 voxels): "
            "the model segments 3D volumes") in lines
    assert lines[-1] == "neuroview: 1 of 2 cases failed"
    assert not (out / "slice_seg.nii.gz").exists()
    assert sorted(p.name for p in out.iterdir()) == ["head_seg.nii.gz", "head_seg.segments.json"]
    assert stdout.startswith(f"{out / 'head_seg.nii.gz'}  (")

    mask, image = nib.load(out / "head_seg.nii.gz"), nib.load(cases / "head.nii.gz")
    assert mask.shape == image.shape
    np.testing.assert_allclose(mask.affine, image.affine, atol=1e-5)
    assert set(np.unique(np.asarray(mask.dataobj))) <= {0, 1}
    mask_itk = sitk.ReadImage(str(out / "head_seg.nii.gz"))
    image_itk = sitk.ReadImage(str(cases / "head.nii.gz"))
    assert mask_itk.GetSize() == image_itk.GetSize()
    np.testing.assert_allclose(mask_itk.GetOrigin(), image_itk.GetOrigin(), atol=1e-4)
    np.testing.assert_allclose(mask_itk.GetDirection(), image_itk.GetDirection(), atol=1e-6)
    np.testing.assert_allclose(mask_itk.GetSpacing(), image_itk.GetSpacing(), atol=1e-5)


def test_a_csv_list_names_its_cases_as_written_not_by_absolute_paths(tmp_path, capsys, monkeypatch):
    """Cases of a CSV list given relative to it were named by absolute paths in the ``[n/N]`` and
    error lines (``/home/.../Smith_John/t1.nii.gz``): a log line should not carry the folders
    above the ones the user named, which often hold a patient's name."""
    (tmp_path / "lists").mkdir()
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "cut.nii.gz").write_bytes(b"\x1f\x8b\x08\x00 not all there")
    (tmp_path / "lists" / "todo.csv").write_text("input\n../cases/cut.nii.gz\n../cases/gone.nii.gz\n")
    monkeypatch.chdir(tmp_path)

    code, stdout, stderr = main_said(capsys, "segment", "lists/todo.csv", "-o", "masks")

    assert code == 1
    assert str(tmp_path) not in stderr + stdout
    lines = stderr.splitlines()
    assert "[1/2] lists/../cases/cut.nii.gz" in lines
    assert "[2/2] lists/../cases/gone.nii.gz" in lines
    assert any(line.startswith("neuroview: error: lists/../cases/gone.nii.gz: ") for line in lines), stderr


def test_a_csv_list_with_a_nul_byte_is_one_line_naming_it(tmp_path, capsys):
    """A NUL byte in a listed path was an internal ValueError (embedded null byte) from the OS."""
    listing = tmp_path / "list.csv"
    listing.write_bytes(b"path\nhead.nii.gz\x00\n")
    code, stdout, stderr = main_said(capsys, "segment", listing, "-o", tmp_path / "masks")
    assert code == 1 and stdout == ""
    assert stderr.strip().splitlines() == [
        f"neuroview: error: {listing}: input 1 of the CSV list holds a NUL byte, which no path "
        "can (a damaged or binary file)"]
