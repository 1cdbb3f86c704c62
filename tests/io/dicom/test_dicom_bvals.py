"""The b-values of a DICOM diffusion series, against dcm2niix's ``.bval``.

Each vendor's convention (the standard DiffusionBValue, Siemens' (0019,100C), GE's (0043,1039)
with its flag in the billions, Philips' (2001,1003), UIH's (0065,1009) with its direction along
the image's axes in (0065,1037), read since session 46, Canon's DiffusionBValue with its
direction as text in ImageComments, read since session 47) in a classic series, a Siemens mosaic's
CSA header alone (since session 46), and the per-frame
MRDiffusionSequence of an enhanced file: ``convert`` writes the ``.bval`` beside the NIfTI, in its
volume order, number for number as dcm2niix's, and the volumes of the two NIfTIs hold the same
voxels; the window's notice and ``info`` name them. The gradient directions go to a ``.bvec`` in
FSL's convention (the NIfTI's voxel axes, x negated where its affine's determinant is positive),
the same directions in world space as dcm2niix's on axial and oblique series (the two NIfTIs'
voxel axes differ). Until session 34 none was read.
"""

from __future__ import annotations

import os
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest
from dwi_maker import B_VALUES, CONVENTIONS, DIRECTIONS, write_classic_dwi, write_enhanced_dwi
from mosaic_maker import write_csa_only_dwi
from series_maker import DCM2NIIX, SeriesSpec, compare_in_world, run_dcm2niix, write_series

from neuroview.app.frames import box_suffix, time_point_text
from neuroview.io import scan

CLI_FORKED = "what `convert` and `info` write and say, not a process's start; no network runs"

needs_dcm2niix = pytest.mark.skipif(not os.path.exists(DCM2NIIX), reason="dcm2niix not installed")


def _numbers(path) -> list[float]:
    return [float(word) for word in path.read_text().split()]


def _world(bvec, affine) -> np.ndarray:
    """FSL ``.bvec`` rows (voxel axes, x negated where the affine's determinant is positive) back
    to world (RAS) directions, one row a volume."""
    axes = affine[:3, :3] / np.linalg.norm(affine[:3, :3], axis=0)
    voxel = np.array(bvec, dtype=float)
    if np.linalg.det(axes) > 0:
        voxel[0] = -voxel[0]
    return (axes @ voxel).T


def _check_bvecs(ours_nii, reference_nii=None):
    """Our ``.bvec`` holds the directions written into the files (LPS there), and dcm2niix's
    the same directions in world space (each on its own NIfTI's voxel axes)."""
    ours = np.loadtxt(str(ours_nii).replace(".nii.gz", ".bvec"))
    assert ours.shape == (3, len(B_VALUES))
    ours_world = _world(ours, nib.load(ours_nii).affine)
    np.testing.assert_allclose(ours_world, [(-x, -y, z) for x, y, z in DIRECTIONS], atol=1e-5)
    if reference_nii is not None:
        theirs = np.loadtxt(reference_nii.with_suffix(".bvec"))
        np.testing.assert_allclose(ours_world, _world(theirs, nib.load(reference_nii).affine),
                                   atol=1e-4)


def _check_against_dcm2niix(cli, folder, tmp_path, written, dcm2niix_reads=True):
    """``dcm2niix_reads=False``: dcm2niix writes no ``.bval`` of the file and mixes its volumes'
    slices: ours are checked against what was written alone."""
    (reference,) = run_dcm2niix(folder, tmp_path / "dcm2niix")
    if dcm2niix_reads:
        theirs = _numbers(reference.with_suffix(".bval"))
    else:
        assert not reference.with_suffix(".bval").exists()
        theirs = [float(b) for b in B_VALUES]
    proc = cli("convert", folder, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    (ours_path,) = (tmp_path / "out").glob("*.nii.gz")
    bval = tmp_path / "out" / ours_path.name.replace(".nii.gz", ".bval")
    assert _numbers(bval) == theirs == [float(b) for b in B_VALUES]
    assert "\n" not in bval.read_text().strip()  # FSL's: one line
    ours, theirs_image = nib.load(ours_path), nib.load(reference)
    ours_data, their_data = ours.get_fdata(), theirs_image.get_fdata()
    assert ours_data.shape[3] == their_data.shape[3] == len(B_VALUES)
    for t in range(len(B_VALUES)):  # the volume order: each volume's voxels, where they lie
        if dcm2niix_reads:
            compare_in_world(ours_data[..., t], ours.affine, their_data[..., t],
                             theirs_image.affine)
        compare_in_world(ours_data[..., t], ours.affine, written[t].values, written[t].ijk_to_ras)
    info = cli("info", folder)
    assert info.returncode == 0, info.stderr
    assert "6 volumes, b-values 0 1000 1000 2000 500 1000 (DICOM headers)" in info.stdout
    return ours_path, reference


@needs_dcm2niix
@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("orientation", ["axial", "oblique"])
def test_classic_series_bvals_as_dcm2niix(tmp_path, mni_volume, cli, convention, orientation):
    """The ``.bvec`` too (FSL's convention), but for GE without InPlanePhaseEncodingDirection
    COL: dcm2niix reads GE's (0019,10BB-10BD) there by rules its notes call untested, not
    reproduced (no ``.bvec`` is written); 'ge-col' (COL) is read as dcm2niix reads it."""
    written = write_classic_dwi(tmp_path / "in", mni_volume, convention, orientation)
    ours, reference = _check_against_dcm2niix(cli, tmp_path / "in", tmp_path, written)
    if convention == "ge":
        assert not (tmp_path / "out" / ours.name.replace(".nii.gz", ".bvec")).exists()
    else:
        _check_bvecs(ours, reference)


@pytest.mark.parametrize("case", ["sagittal", "row phase-encoded", "standard direction beside"])
def test_canon_text_directions_are_read_only_where_dcm2niix_reads_them_validated(
        tmp_path, mni_volume, case):
    """Canon's directions as text in ImageComments (the 'canon' convention above, read since
    session 47) give no direction off an axial plane or where rows are phase-encoded: dcm2niix
    1.0.20260724 reads them there by rules that change from plane to plane (a coronal series'
    row takes -y, a sagittal one's +y) and warns ('Limited validation for non-Axial DTI',
    'Reorienting for ROW phase-encoding untested'); the b-values stay. A DiffusionGradientOrientation
    (0018,9089) beside the text, in patient coordinates, is read first, as dcm2niix reads it."""
    import pydicom

    written = write_classic_dwi(tmp_path / "in", mni_volume, "canon",
                                "sagittal" if case == "sagittal" else "axial")
    for series in written:
        for path in series.files:
            ds = pydicom.dcmread(path)
            if case == "row phase-encoded":
                ds.InPlanePhaseEncodingDirection = "ROW"
            elif case == "standard direction beside" and ds.DiffusionBValue:
                ds.DiffusionGradientOrientation = [0.0, 0.0, 1.0]
            ds.save_as(path)
    volume = scan(tmp_path / "in").candidates[0].load()
    assert volume.source_metadata["bvals"] == "0 1000 1000 2000 500 1000"
    if case == "standard direction beside":
        assert volume.source_metadata["gradients_ras"] == "0 0 0" + " 0 0 1" * 5
    else:
        assert "gradients_ras" not in volume.source_metadata


@needs_dcm2niix
def test_uih_private_elements_alone_give_the_bvals_and_bvecs_dcm2niix_writes(tmp_path, mni_volume,
                                                                            cli):
    """A sagittal UIH series whose b-values and directions are in its private (0065,1009) and
    (0065,1037) only: neuroview wrote neither a ``.bval`` nor a ``.bvec`` until session 46."""
    import pydicom

    written = write_classic_dwi(tmp_path / "in", mni_volume, "uih", "sagittal")
    for path in (tmp_path / "in").rglob("*.dcm"):
        ds = pydicom.dcmread(path)
        del ds.DiffusionBValue, ds.DiffusionGradientDirectionSequence
        ds.save_as(path)
    ours, reference = _check_against_dcm2niix(cli, tmp_path / "in", tmp_path, written)
    _check_bvecs(ours, reference)


@needs_dcm2niix
def test_siemens_b_values_and_directions_in_the_csa_header_alone_as_dcm2niix(tmp_path, mni_volume,
                                                                             cli):
    """neuroview read Siemens' (0019,100C) and (0019,100E) only: such a mosaic got neither a
    ``.bval`` nor a ``.bvec`` until session 46, where dcm2niix writes both."""
    directions = write_csa_only_dwi(tmp_path / "in", mni_volume, "oblique")
    (reference,) = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    proc = cli("convert", tmp_path / "in", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    (ours,) = (tmp_path / "out").glob("*.nii.gz")
    assert _numbers(Path(str(ours).replace(".nii.gz", ".bval"))) == [0, 1000, 1000] == _numbers(
        reference.with_suffix(".bval"))
    world = _world(np.loadtxt(str(ours).replace(".nii.gz", ".bvec")), nib.load(ours).affine)
    np.testing.assert_allclose(world, [(-x, -y, z) for x, y, z in directions], atol=1e-6)
    np.testing.assert_allclose(world, _world(np.loadtxt(reference.with_suffix(".bvec")),
                                             nib.load(reference).affine), atol=1e-4)


@needs_dcm2niix
@pytest.mark.parametrize("manufacturer", ["SIEMENS", "GE MEDICAL SYSTEMS",
                                          "Philips Medical Systems"])
def test_enhanced_file_bvals_as_dcm2niix(tmp_path, mni_volume, cli, manufacturer):
    """The standard per-frame MRDiffusionSequence, whoever made the file. dcm2niix 1.0.20260724
    reads it in a Philips file only: of the SIEMENS and GE files (all volumes in one file, as
    Philips writes them; Siemens XA writes one file per volume) it writes no ``.bval`` and
    volumes of slices mixed from several (tried: no volume of its matches one written)."""
    written = write_enhanced_dwi(tmp_path / "in" / "dwi.dcm", mni_volume, manufacturer)
    reads = manufacturer.startswith("Philips")
    ours, reference = _check_against_dcm2niix(cli, tmp_path / "in", tmp_path, written,
                                              dcm2niix_reads=reads)
    if manufacturer.startswith("GE"):  # GE's directions are not read (above)
        assert not (tmp_path / "out" / ours.name.replace(".nii.gz", ".bvec")).exists()
    else:
        _check_bvecs(ours, reference if reads else None)


def test_window_notice_names_the_b_value(tmp_path, mni_volume):
    """What the notice bar says of the volume shown (``app.frames.frame_note``'s words)."""
    write_classic_dwi(tmp_path / "in", mni_volume, "ge")
    (candidate,) = scan(tmp_path / "in").candidates
    volume = candidate.load()
    assert [time_point_text(volume, t) for t in (0, 1, 3)] == [
        "volume 1 of 6, b = 0", "volume 2 of 6, b = 1000", "volume 4 of 6, b = 2000"]
    assert box_suffix(volume, 1) == " of 6, b = 1000"   # beside the Time point box's number


def test_a_run_without_b_values_gets_no_bval(tmp_path, mni_volume, cli):
    """An fMRI-like run (no diffusion element): no ``.bval``, the notice says time points."""
    uid = "1.2.826.0.1.3680043.8.498.77"
    for t in range(3):
        write_series(tmp_path / "in" / f"v{t}", mni_volume, SeriesSpec(
            rows=16, cols=14, n_slices=4, series_uid=uid, first_instance=1 + 4 * t, seed=t,
            value_scale=1.0 - 0.1 * t, description="bold"))
    (candidate,) = scan(tmp_path / "in").candidates
    volume = candidate.load()
    assert volume.n_frames == 3 and "bvals" not in volume.source_metadata
    # its time from the RepetitionTime, 2000 ms (tests/io/dicom/test_dicom_run_interval.py)
    assert time_point_text(volume, 1) == "time point 2 of 3, t = 2 s"
    assert box_suffix(volume, 1) == " of 3, t = 2 s"
    proc = cli("convert", tmp_path / "in", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["003_bold.json", "003_bold.nii.gz"]
    assert np.asarray(nib.load(tmp_path / "out" / "003_bold.nii.gz").dataobj).shape[3] == 3


def test_enhanced_frames_keep_their_own_b_values_beside_a_top_level_private_one(tmp_path,
                                                                                mni_volume):
    """A Philips enhanced file carrying (2001,1003) and (2005,10B0-10B2) at its top level (one
    frame's values at most): each frame keeps its MRDiffusionSequence's b-value and direction."""
    import pydicom

    path = tmp_path / "in" / "dwi.dcm"
    write_enhanced_dwi(path, mni_volume, "Philips Medical Systems")
    ds = pydicom.dcmread(path)
    ds.add_new(0x20010010, "LO", "Philips Imaging DD 001")
    ds.add_new(0x20011003, "FL", 2000.0)
    ds.add_new(0x20050010, "LO", "Philips MR Imaging DD 001")
    for tag, value in zip((0x200510B0, 0x200510B1, 0x200510B2), (0.0, 0.0, 1.0)):
        ds.add_new(tag, "FL", value)
    ds.save_as(path)
    (candidate,) = scan(tmp_path / "in").candidates
    volume = candidate.load()
    assert volume.source_metadata["bvals"] == " ".join(str(b) for b in B_VALUES)
    world = np.array(volume.source_metadata["gradients_ras"].split(), float).reshape(-1, 3)
    np.testing.assert_allclose(world, [(-x, -y, z) for x, y, z in DIRECTIONS], atol=1e-6)


@pytest.mark.parametrize(("convention", "endings"), [("standard", [".nii.gz", ".bval", ".bvec", ".json"]),
                                                     ("ge", [".nii.gz", ".bval", ".json"])])
def test_convert_prints_each_file_it_writes(tmp_path, mni_volume, cli, convention, endings):
    """One line per file written, the NIfTI's then its ``.bval`` and ``.bvec`` (GE's directions
    are not read: no ``.bvec``) and its BIDS ``.json``, into a folder and to a named file; the
    sidecars were written unsaid."""
    write_classic_dwi(tmp_path / "in", mni_volume, convention)
    proc = cli("convert", tmp_path / "in", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    (nifti,) = (tmp_path / "out").glob("*.nii.gz")
    stem = str(nifti)[: -len(".nii.gz")]
    assert proc.stdout.splitlines() == [stem + ending for ending in endings]
    assert sorted(str(p) for p in (tmp_path / "out").iterdir()) == sorted(proc.stdout.split())
    proc = cli("convert", tmp_path / "in", tmp_path / "dwi.nii")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [str(tmp_path / "dwi")
                                        + ending.replace(".nii.gz", ".nii") for ending in endings]


@pytest.mark.parametrize("orientation", ["axial", "oblique"])
def test_convert_frame_writes_the_volumes_b_value_and_direction(tmp_path, mni_volume, cli,
                                                                orientation):
    """``--frame N`` of a DICOM DWI: a one-value ``.bval`` and a one-direction ``.bvec`` beside
    the 3D file (it wrote neither), the value the frame's, the direction column N of the whole
    run's (the files checked against dcm2niix above), printed one line a file."""
    write_classic_dwi(tmp_path / "in", mni_volume, "standard", orientation)
    proc = cli("convert", tmp_path / "in", tmp_path / "all")
    assert proc.returncode == 0, proc.stderr
    (whole,) = (tmp_path / "all").glob("*.nii.gz")
    whole_bvec = np.loadtxt(str(whole).replace(".nii.gz", ".bvec"))
    for frame in (4, 1):
        output = tmp_path / f"frame{frame}.nii.gz"
        proc = cli("convert", tmp_path / "in", output, "--frame", frame)
        assert proc.returncode == 0, proc.stderr
        bval, bvec = tmp_path / f"frame{frame}.bval", tmp_path / f"frame{frame}.bvec"
        sidecar = tmp_path / f"frame{frame}.json"
        assert proc.stdout.splitlines() == [str(output), str(bval), str(bvec), str(sidecar)]
        assert _numbers(bval) == [float(B_VALUES[frame - 1])]
        one = np.loadtxt(bvec, ndmin=2)
        assert one.shape == (3, 1)
        np.testing.assert_allclose(one[:, 0], whole_bvec[:, frame - 1], atol=1e-6)
        x, y, z = DIRECTIONS[frame - 1]
        np.testing.assert_allclose(_world(one, nib.load(output).affine)[0], (-x, -y, z), atol=1e-5)
        np.testing.assert_array_equal(np.asanyarray(nib.load(output).dataobj),
                                      np.asanyarray(nib.load(whole).dataobj)[..., frame - 1])
