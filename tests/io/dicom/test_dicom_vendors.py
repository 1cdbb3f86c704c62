"""Vendors' conventions and orientations beyond the other tests' files (issue 11, items 1 and 3),
each against dcm2niix run on the same files.

- GE names a phase, real or imaginary image only in its private image type (0043,102F); its
  ImageType says ORIGINAL\\PRIMARY\\OTHER for each. dcm2niix splits them (``_ph``, ``_real``,
  ``_imaginary``); neuroview stacked them as one 4D series of magnitude and phase.
- One-volume enhanced files of one run in sagittal, coronal and oblique planes, in the XA layout
  (dcm2niix stacks the folder into one 4D series too), and as Philips, Agfa and Canon label them
  (dcm2niix writes each such file alone: each output is the matching time point of ours).
- Siemens XA's 16001, 16002... volume series; echoes named by echo time without EchoNumbers.
- One Philips enhanced file holding magnitude and phase, or two echoes, frame by frame: checked
  against the written truth only. dcm2niix writes these synthetic files as one 4D volume whose
  frames are out of order (they lack the Dimension Index Sequence it orders Philips frames by),
  so it is no reference for them.
"""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from enhanced_maker import EnhancedSpec, write_enhanced
from pydicom.uid import generate_uid
from series_maker import check_4d_against_dcm2niix, compare_in_world, run_dcm2niix

from neuroview.io import scan

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

GE = (("Manufacturer", "GE MEDICAL SYSTEMS"), (0x00430010, "LO", "GEMS_PARM_01"))
GE_KINDS = {0: "", 1: "_ph", 2: "_real", 3: "_imaginary"}  # (0043,102F) -> dcm2niix's suffix


def _as_implicit_vr(files) -> None:
    import pydicom

    for path in files:
        ds = pydicom.dcmread(path)
        ds.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
        ds.save_as(path, implicit_vr=True, little_endian=True)


@pytest.mark.parametrize("syntax", ["explicit", "implicit"])
def test_ge_phase_real_and_imaginary_named_only_in_the_private_type_are_own_series(
        make_series, tmp_path, syntax):
    uid = generate_uid()
    written = {}
    for flag, suffix in GE_KINDS.items():
        series = make_series(f"ge-{syntax}-{flag}", series_uid=uid, n_slices=6,
                             value_scale=1.0 - 0.2 * flag, first_instance=1 + 6 * flag,
                             orientation="oblique", extra=GE + ((0x0043102F, "SS", flag),))
        folder = tmp_path / "in" / str(flag)
        folder.mkdir(parents=True)
        for path in series.files:
            (folder / path.name).write_bytes(path.read_bytes())
        if syntax == "implicit":  # how GE scanners often store them: the value is then bytes
            _as_implicit_vr(folder.iterdir())
        written["T1 test" + suffix] = series
    result = scan(tmp_path / "in")
    assert [c.description for c in result.candidates] == [
        "T1 test" + suffix for suffix in sorted(GE_KINDS.values())]
    references = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    assert [p.name for p in references] == [
        f"3_T1_test{suffix}.nii" for suffix in sorted(GE_KINDS.values())]
    for candidate, reference in zip(result.candidates, references):
        volume = candidate.load()
        assert volume.array.ndim == 3
        truth = written[candidate.description]
        compare_in_world(volume.array, volume.ijk_to_ras, truth.values, truth.ijk_to_ras)
        image = nib.load(reference)
        compare_in_world(volume.array, volume.ijk_to_ras, image.get_fdata(), image.affine)


def _run(folder, mni_volume, orientation: str, manufacturer: str = "SIEMENS"):
    """Three one-volume files of one run; names, instance numbers and times disagree."""
    uids = dict(series_uid=generate_uid(), study_uid=generate_uid(), frame_uid=generate_uid())
    philips = manufacturer.startswith("Philips")
    written = {}
    for name, instance in [("b.dcm", 3), ("c.dcm", 1), ("a.dcm", 2)]:
        spec = EnhancedSpec(**uids, instance=instance, temporal_index=instance,
                            acquisition_time=f"1010{10 + 2 * instance:02d}.00",
                            value_scale=1.0 + 0.25 * instance, orientation=orientation,
                            orientation_per_frame=True, manufacturer=manufacturer,
                            rescale=(2.0, -5.0) if philips else (1.0, 0.0),
                            philips_scale=(0.3 + 0.1 * instance, 0.0) if philips else None)
        written[instance] = write_enhanced(folder / name, mni_volume, spec)
    return [written[i] for i in sorted(written)]


@pytest.mark.parametrize("orientation", ["sagittal", "coronal", "oblique"])
def test_xa_run_in_any_plane_is_the_4d_series_dcm2niix_makes(tmp_path, mni_volume,
                                                             orientation):
    written = _run(tmp_path / "in", mni_volume, orientation)  # one 4D series, as dcm2niix's
    check_4d_against_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix",
                              [(w.values, w.ijk_to_ras) for w in written])


@pytest.mark.parametrize("manufacturer", ["Philips Medical Systems", "AGFA", "CANON_MEC"])
def test_volume_files_of_other_vendors_are_one_4d_series_of_dcm2niixs_volumes(
        tmp_path, mni_volume, manufacturer):
    written = _run(tmp_path / "in", mni_volume, "oblique", manufacturer)
    (candidate,) = scan(tmp_path / "in").candidates
    volume = candidate.load()
    assert volume.array.shape == (36, 40, 12, 3)
    outputs = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    assert len(outputs) == 3  # dcm2niix writes these files one volume each
    matches = set()
    for output in outputs:
        image = nib.load(output)
        for t in range(3):
            try:
                compare_in_world(volume.frame(t), volume.ijk_to_ras, image.get_fdata(),
                                 image.affine, rtol=1e-5)
            except AssertionError:
                continue
            matches.add((t, output.name))
    # each time point (acquisition order) is exactly one of dcm2niix's volumes
    assert sorted(t for t, _ in matches) == [0, 1, 2]
    assert len({name for _, name in matches}) == 3
    for t, truth in enumerate(written):
        if not manufacturer.startswith("Philips"):  # (Philips: scaled, checked above)
            compare_in_world(volume.frame(t), volume.ijk_to_ras, truth.values, truth.ijk_to_ras)


@pytest.mark.parametrize("software", ["syngo MR XA10A", "syngo MR XA30A", "syngo MR VE11C"])
def test_xa_volumes_numbered_16001_16002_are_one_series_as_dcm2niix_makes_them(
        tmp_path, mni_volume, software):
    """Siemens XA software may write each volume of a run as its own series number (16001,
    16002, 16003; one SeriesInstanceUID; each file instance 1, temporal index 1): dcm2niix
    makes one 4D series of them (its issue 236), on XA software only."""
    uids = dict(series_uid=generate_uid(), study_uid=generate_uid(), frame_uid=generate_uid())
    truth = []
    for t in range(3):
        spec = EnhancedSpec(**uids, series_number=16001 + t, acquisition_time=f"1010{10 + 2 * t}.00",
                            value_scale=1.0 + 0.25 * t, orientation="oblique",
                            orientation_per_frame=True, extra={"SoftwareVersions": software})
        truth.append(write_enhanced(tmp_path / "in" / f"{'cab'[t]}.dcm", mni_volume, spec))
    candidates = scan(tmp_path / "in").candidates
    outputs = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    assert len(candidates) == len(outputs) == (3 if software.endswith("VE11C") else 1)
    assert [c.series_number for c in candidates] == [int(p.name.split("_")[0]) for p in outputs]
    volumes = [c.load() for c in candidates]
    data = [np.asarray(nib.load(p).dataobj) for p in outputs]
    affines = [nib.load(p).affine for p in outputs]
    for t, written in enumerate(truth):
        if len(volumes) == 1:
            ours, theirs = volumes[0].frame(t), data[0][..., t]
            ijk_to_ras, affine = volumes[0].ijk_to_ras, affines[0]
        else:
            ours, theirs = volumes[t].array, data[t]
            ijk_to_ras, affine = volumes[t].ijk_to_ras, affines[t]
        compare_in_world(ours, ijk_to_ras, written.values, written.ijk_to_ras)
        compare_in_world(ours, ijk_to_ras, theirs, affine)


def test_echoes_without_echo_numbers_are_named_by_their_echo_time_as_dcm2niix(
        make_series, tmp_path, cli):
    uid = generate_uid()
    for index, echo_time in enumerate([4.2, 9.5, 20.0]):
        series = make_series(f"echo-time-{index}", series_uid=uid, n_slices=6,
                             value_scale=1.0 - 0.2 * index, first_instance=1 + 6 * index,
                             echo_time=echo_time, orientation="sagittal")
        folder = tmp_path / "in" / str(index)
        folder.mkdir(parents=True)
        for path in series.files:
            (folder / path.name).write_bytes(path.read_bytes())
    references = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    assert [p.name for p in references] == ["3_T1_test_e20.nii", "3_T1_test_e4.2.nii",
                                            "3_T1_test_e9.5.nii"]
    proc = cli("convert", tmp_path / "in", tmp_path / "out", "--no-gzip")
    assert proc.returncode == 0, proc.stderr
    ours = sorted((tmp_path / "out").glob("*.nii"))
    assert [p.name for p in ours] == ["003_" + p.name[2:] for p in references]
    for mine, reference in zip(ours, references):
        a, b = nib.load(mine), nib.load(reference)
        compare_in_world(a.get_fdata(), a.affine, b.get_fdata(), b.affine)


def _one_file_of(parts, path) -> None:
    """The frames of enhanced files ``parts`` (one volume each) in one file, interleaved slice
    by slice, each frame with its own echo time, as Philips stores a B0 map or a multi-echo
    scan; the shared echo group is dropped."""
    import pydicom
    from pydicom.sequence import Sequence

    datasets = [pydicom.dcmread(p) for p in parts]
    ds = datasets[0]
    frame_bytes = ds.Rows * ds.Columns * 2
    items, pixels = [], []
    for k in range(ds.NumberOfFrames):
        for index, part in enumerate(datasets):
            item = part.PerFrameFunctionalGroupsSequence[k]
            item.MREchoSequence = part.SharedFunctionalGroupsSequence[0].MREchoSequence
            item.FrameContentSequence[0].DimensionIndexValues = [index + 1, k + 1]
            items.append(item)
            pixels.append(part.PixelData[k * frame_bytes:(k + 1) * frame_bytes])
    del ds.SharedFunctionalGroupsSequence[0].MREchoSequence
    ds.PerFrameFunctionalGroupsSequence = Sequence(items)
    ds.NumberOfFrames, ds.PixelData = len(items), b"".join(pixels)
    for part in parts:
        part.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.save_as(path, enforce_file_format=True)


@pytest.mark.parametrize("case", ["magnitude-phase", "echoes"])
def test_one_enhanced_file_of_interleaved_kinds_gives_a_series_per_kind(tmp_path, mni_volume,
                                                                        case):
    kinds = {"magnitude-phase": [("M", "MAGNITUDE", 30.0), ("P", "PHASE", 30.0)],
             "echoes": [("M", "MAGNITUDE", 10.0), ("M", "MAGNITUDE", 20.0)]}[case]
    uids = dict(series_uid=generate_uid(), study_uid=generate_uid(), frame_uid=generate_uid())
    truth = [write_enhanced(tmp_path / f"part{i}.dcm", mni_volume, EnhancedSpec(
        **uids, value_scale=1.0 - 0.3 * i, image_type=("ORIGINAL", "PRIMARY", kind, "NONE"),
        complex_component=component, echo_time=echo_time, orientation="oblique",
        orientation_per_frame=True, manufacturer="Philips Medical Systems"))
        for i, (kind, component, echo_time) in enumerate(kinds)]
    _one_file_of([t.path for t in truth], tmp_path / "in" / "one.dcm")
    candidates = scan(tmp_path / "in").candidates
    assert [c.description for c in candidates] == (
        ["fmri run", "fmri run_ph"] if case == "magnitude-phase"
        else ["fmri run_e10", "fmri run_e20"])
    for candidate, written in zip(candidates, truth):
        volume = candidate.load()
        assert volume.array.shape == (36, 40, 12)
        compare_in_world(volume.array, volume.ijk_to_ras, written.values, written.ijk_to_ras)
