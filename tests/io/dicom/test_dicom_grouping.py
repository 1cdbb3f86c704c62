"""What is one series (issue 11, items 1-3), checked against dcm2niix run on the same files.

- multi-frame files that each hold one volume of an acquisition: one 4D series, in acquisition
  order. dcm2niix 1.0.20260724 writes one NIfTI per file for these synthetic files, and run on
  the folder it scales all but the first file wrongly (values near 1e-30): with the plane
  orientation in the shared group and a SIEMENS label it takes its fallback for frames it kept
  no dimension record of and reads each frame's rescale from memory it never filled (see
  bench/dicom_studies.py, ``make_enhanced_study``). So it is run on each file alone: each of its outputs
  must be the matching time point of ours at the same RAS positions;
- one SeriesInstanceUID with two SeriesNumbers: two series;
- echoes, phase/real/imaginary and derived maps: separate series named with dcm2niix's suffixes.
"""

from __future__ import annotations

import re
import shutil

import nibabel as nib
import numpy as np
import pytest
from enhanced_maker import EnhancedSpec, write_enhanced
from pydicom.uid import generate_uid
from series_maker import compare_in_world, run_dcm2niix

from neuroview.io import load, scan

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _matches(array_a, affine_a, array_b, affine_b) -> bool:
    try:
        compare_in_world(array_a, affine_a, array_b, affine_b)
    except AssertionError:
        return False
    return True


@pytest.fixture(scope="module")
def one_volume_per_file(tmp_path_factory, mni_volume):
    """Three Enhanced MR files of one run; file names and instance numbers do not agree."""
    folder = tmp_path_factory.mktemp("xa-run")
    uids = dict(series_uid=generate_uid(), study_uid=generate_uid(), frame_uid=generate_uid())
    written = {}
    for name, instance in [("b.dcm", 3), ("c.dcm", 1), ("a.dcm", 2)]:
        spec = EnhancedSpec(**uids, instance=instance, temporal_index=instance,
                            acquisition_time=f"1010{10 + 2 * instance:02d}.00",
                            value_scale=1.0 + 0.25 * instance)
        written[instance] = write_enhanced(folder / name, mni_volume, spec)
    return folder, [written[i] for i in sorted(written)]


def test_one_volume_per_file_is_one_4d_series_in_acquisition_order(one_volume_per_file, tmp_path):
    folder, written = one_volume_per_file
    result = scan(folder)
    assert len(result.candidates) == 1
    assert result.candidates[0].shape == (36, 40, 12, 3)
    volume = result.candidates[0].load()
    assert volume.axis4 == "time" and volume.warnings == []
    for t, truth in enumerate(written):  # time point t is the file acquired t-th
        compare_in_world(volume.frame(t), volume.ijk_to_ras, truth.values, truth.ijk_to_ras)
    for t, truth in enumerate(written):
        alone = tmp_path / f"in{t}"
        alone.mkdir()
        shutil.copy(truth.path, alone / truth.path.name)
        outputs = run_dcm2niix(alone, tmp_path / f"dcm2niix{t}")
        assert len(outputs) == 1
        reference = nib.load(outputs[0])
        compare_in_world(volume.frame(t), volume.ijk_to_ras, reference.get_fdata(),
                         reference.affine)


def test_xa_layout_run_is_the_4d_series_dcm2niix_makes_of_the_folder(tmp_path, mni_volume):
    """The same run laid out as Siemens XA writes it (each frame's plane orientation in its own
    functional group): dcm2niix, run on the whole folder, reads every file right and stacks the
    three one-volume files into one 4D series, as neuroview does; the same voxels at the same
    RAS positions, time point by time point, in the same (acquisition) order."""
    folder = tmp_path / "in"
    uids = dict(series_uid=generate_uid(), study_uid=generate_uid(), frame_uid=generate_uid())
    written = {}
    for name, instance in [("b.dcm", 3), ("c.dcm", 1), ("a.dcm", 2)]:
        spec = EnhancedSpec(**uids, instance=instance, temporal_index=instance,
                            acquisition_time=f"1010{10 + 2 * instance:02d}.00",
                            value_scale=1.0 + 0.25 * instance, orientation_per_frame=True)
        written[instance] = write_enhanced(folder / name, mni_volume, spec)
    result = scan(folder)
    assert len(result.candidates) == 1
    volume = result.candidates[0].load()
    assert volume.array.shape == (36, 40, 12, 3) and volume.axis4 == "time"
    outputs = run_dcm2niix(folder, tmp_path / "dcm2niix")
    assert len(outputs) == 1
    reference = nib.load(outputs[0])
    assert reference.shape == (36, 40, 12, 3) and reference.get_data_dtype() == np.int16
    data = np.asarray(reference.dataobj)
    for t in range(3):
        truth = written[t + 1]
        compare_in_world(volume.frame(t), volume.ijk_to_ras, truth.values, truth.ijk_to_ras)
        compare_in_world(volume.frame(t), volume.ijk_to_ras, data[..., t], reference.affine)


def test_acquisition_order_follows_frame_times_not_instance_numbers(tmp_path, mni_volume):
    uids = dict(series_uid=generate_uid(), study_uid=generate_uid(), frame_uid=generate_uid())
    truth = []
    for t, instance in enumerate([2, 1]):  # acquired first, though numbered 2
        spec = EnhancedSpec(**uids, instance=instance, temporal_index=t + 1,
                            acquisition_time=f"10101{t}.00", value_scale=1.0 + t)
        truth.append(write_enhanced(tmp_path / f"v{t}.dcm", mni_volume, spec))
    volume = load(tmp_path)
    for t in range(2):
        np.testing.assert_array_equal(volume.frame(t), truth[t].values)


@pytest.mark.parametrize("syntax", ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2.5"])
def test_same_uid_different_series_number_are_two_series(make_series, tmp_path, syntax):
    """A re-export of one acquisition under another SeriesNumber, in the same transfer syntax
    or in another one (RLE lossless): two series, as dcm2niix makes them."""
    uid = generate_uid()
    a = make_series(f"renumbered-4-{syntax}", series_uid=uid, series_number=4, n_slices=6)
    b = make_series(f"renumbered-5-{syntax}", series_uid=uid, series_number=5, n_slices=6,
                    value_scale=0.5, transfer_syntax=syntax)
    import pydicom

    first, second = (pydicom.dcmread(series.files[0]) for series in (a, b))
    assert first.SeriesInstanceUID == second.SeriesInstanceUID == uid
    assert second.file_meta.TransferSyntaxUID == syntax
    for series in (a, b):
        shutil.copytree(series.folder, tmp_path / "in" / series.folder.name)
    result = scan(tmp_path / "in")
    assert [c.series_number for c in result.candidates] == [4, 5]
    references = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    assert [p.name for p in references] == ["4_T1_test.nii", "5_T1_test.nii"]
    for candidate, reference, truth in zip(result.candidates, references, (a, b)):
        volume = candidate.load()
        compare_in_world(volume.array, volume.ijk_to_ras, truth.values, truth.ijk_to_ras)
        image = nib.load(reference)
        compare_in_world(volume.array, volume.ijk_to_ras, image.get_fdata(), image.affine)


def _dcm2niix_name(path) -> str:
    """'3_T1_test_e2.nii' -> '003_T1_test_e2': the name 'neuroview convert' gives that series."""
    number, rest = path.name[: -len(".nii")].split("_", 1)
    return f"{int(number):03d}_{rest}"


KINDS = {
    "echoes": [dict(echo_number=1, echo_time=4.2), dict(echo_number=2, echo_time=9.5)],
    "complex": [dict(image_type=("ORIGINAL", "PRIMARY", kind, "ND")) for kind in "MPRI"],
}


@pytest.mark.parametrize("case", list(KINDS))
def test_echoes_and_components_convert_as_dcm2niix_names_them(case, make_series, tmp_path, cli):
    uid = generate_uid()
    for index, fields in enumerate(KINDS[case]):
        series = make_series(f"{case}-{index}", series_uid=uid, n_slices=6,
                             value_scale=1.0 - 0.2 * index, first_instance=1 + 6 * index,
                             **fields)
        shutil.copytree(series.folder, tmp_path / "in" / str(index))
    references = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    proc = cli("convert", tmp_path / "in", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    ours = sorted((tmp_path / "out").glob("*.nii.gz"))
    assert len(ours) == len(references) == len(KINDS[case])
    assert [p.name[: -len(".nii.gz")] for p in ours] == [_dcm2niix_name(p) for p in references]
    for mine, reference in zip(ours, references):
        a, b = nib.load(mine), nib.load(reference)
        compare_in_world(a.get_fdata(), a.affine, b.get_fdata(), b.affine)


def test_derived_adc_is_its_own_series(make_series, tmp_path):
    uid = generate_uid()
    trace = make_series("dwi-trace", series_uid=uid, n_slices=6,
                        image_type=("ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"))
    adc = make_series("dwi-adc", series_uid=uid, n_slices=6, value_scale=0.4, first_instance=7,
                      image_type=("DERIVED", "PRIMARY", "DIFFUSION", "ADC"))
    for series in (trace, adc):
        shutil.copytree(series.folder, tmp_path / "in" / series.folder.name)
    result = scan(tmp_path / "in")
    assert [c.description for c in result.candidates] == ["T1 test", "T1 test_ADC"]
    references = [nib.load(p) for p in run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")]
    assert len(references) == 2  # dcm2niix splits them too (it names the ADC map '...a')
    for candidate, truth in zip(result.candidates, (trace, adc)):
        volume = candidate.load()
        compare_in_world(volume.array, volume.ijk_to_ras, truth.values, truth.ijk_to_ras)
        assert sum(_matches(volume.array, volume.ijk_to_ras, r.get_fdata(), r.affine)
                   for r in references) == 1


def test_enhanced_phase_frames_split_from_magnitude(tmp_path, mni_volume):
    uids = dict(series_uid=generate_uid(), study_uid=generate_uid(), frame_uid=generate_uid())
    write_enhanced(tmp_path / "m.dcm", mni_volume, EnhancedSpec(**uids, instance=1))
    write_enhanced(tmp_path / "p.dcm", mni_volume, EnhancedSpec(
        **uids, instance=2, value_scale=0.3, image_type=("ORIGINAL", "PRIMARY", "P", "NONE"),
        complex_component="PHASE"))
    result = scan(tmp_path)
    assert [(c.description, c.shape) for c in result.candidates] == [
        ("fmri run", (36, 40, 12)), ("fmri run_ph", (36, 40, 12))]
    assert re.search(r"#5 fmri run_ph \|", result.candidates[1].describe())
    # dcm2niix splits them too; run on the folder it writes the magnitude's values near 1e-34
    # (the scaling fault of the module docstring), so each file's values are checked with
    # dcm2niix run on that file alone
    together = run_dcm2niix(tmp_path, tmp_path / "dcm2niix")
    assert [p.name for p in together] == ["5_fmri_run.nii", "5_fmri_run_ph.nii"]
    for candidate, name, folder_output in zip(result.candidates, "mp", together):
        volume = candidate.load()
        image = nib.load(folder_output)
        compare_in_world(volume.array, volume.ijk_to_ras, image.get_fdata(), image.affine,
                         values=False)
        alone = tmp_path / f"alone-{name}"
        alone.mkdir()
        shutil.copy(tmp_path / f"{name}.dcm", alone)
        (output,) = run_dcm2niix(alone, tmp_path / f"dcm2niix-{name}")
        image = nib.load(output)
        compare_in_world(volume.array, volume.ijk_to_ras, image.get_fdata(), image.affine)


def _cut_to_frames(path, n_frames: int) -> None:
    """Keep the first ``n_frames`` frames of an enhanced file (a run stopped mid-volume)."""
    import pydicom

    ds = pydicom.dcmread(path)
    frame_bytes = ds.Rows * ds.Columns * 2
    ds.PerFrameFunctionalGroupsSequence = ds.PerFrameFunctionalGroupsSequence[:n_frames]
    ds.NumberOfFrames = n_frames
    ds.PixelData = ds.PixelData[: n_frames * frame_bytes]
    ds.save_as(path, enforce_file_format=True)


def test_siemens_xa_run_one_file_per_volume_with_an_interrupted_last_volume(tmp_path, mni_volume):
    """A Siemens XA fMRI run exported as enhanced DICOM, one file per volume, stopped during the
    last volume (dcm2niix issue 742): the complete volumes are one 4D series in acquisition
    order (frame times, not instance numbers or file names); the cut-short file is its own
    series. dcm2niix (run on each file: see the module docstring) gives each time point."""
    uids = dict(series_uid=generate_uid(), study_uid=generate_uid(), frame_uid=generate_uid())
    xa = {"SoftwareVersions": "syngo MR XA30", "PatientPosition": "HFS"}
    folder = tmp_path / "xa"
    written = []
    for t in range(5):  # acquired t-th, numbered backwards, named in no order
        spec = EnhancedSpec(**uids, instance=5 - t, temporal_index=1,
                            acquisition_time=f"1010{10 + 2 * t:02d}.00", value_scale=1.0 + 0.2 * t,
                            extra=dict(xa, AcquisitionNumber=t + 1))
        written.append(write_enhanced(folder / f"{generate_uid()}.dcm", mni_volume, spec))
    _cut_to_frames(written[-1].path, 5)
    result = scan(folder)
    assert [(c.description, c.shape) for c in result.candidates] == [
        ("fmri run", (36, 40, 12, 4)), ("fmri run (partial volume)", (36, 40, 5))]
    assert result.best() is result.candidates[0]
    assert any("partial volume: this file holds 5 of the 12" in w
               for w in result.candidates[1].warnings)
    run, partial = (c.load() for c in result.candidates)
    assert run.axis4 == "time" and run.warnings == []
    for t in range(4):
        compare_in_world(run.frame(t), run.ijk_to_ras, written[t].values, written[t].ijk_to_ras)
    compare_in_world(partial.array, partial.ijk_to_ras, written[4].values[:, :, :5],
                     written[4].ijk_to_ras)
    for t, truth in enumerate(written):
        alone = tmp_path / f"in{t}"
        alone.mkdir()
        shutil.copy(truth.path, alone / truth.path.name)
        (output,) = run_dcm2niix(alone, tmp_path / f"dcm2niix{t}")
        reference = nib.load(output)
        ours = (run.frame(t), run.ijk_to_ras) if t < 4 else (partial.array, partial.ijk_to_ras)
        compare_in_world(*ours, reference.get_fdata(), reference.affine)


def test_a_file_copied_twice_is_read_once_as_dcm2niix_reads_it(make_series, tmp_path):
    """The same images twice in a folder (a copy under another name, one re-encoded as implicit
    VR: same SOPInstanceUIDs): one 3D series with each image once, not a 4D series of copies."""
    import pydicom

    series = make_series("copied", n_slices=5)
    shutil.copytree(series.folder, tmp_path / "in")
    for path in series.files:
        ds = pydicom.dcmread(path)
        ds.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
        ds.save_as(tmp_path / "in" / f"copy of {path.name}", implicit_vr=True)
    candidates = scan(tmp_path / "in").candidates
    assert len(candidates) == 1 and candidates[0].shape == (56, 64, 5)
    assert any("5 images read twice" in w for w in candidates[0].warnings)
    volume = candidates[0].load()
    np.testing.assert_allclose(volume.array, series.values)
    outputs = run_dcm2niix(tmp_path / "in", tmp_path / "out")
    assert len(outputs) == 1
    reference = nib.load(outputs[0])
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)


def test_one_uid_for_every_file_keeps_every_image(make_series, tmp_path):
    """An anonymiser that gives every file one SOPInstanceUID: the slices are still all read."""
    import pydicom

    series = make_series("one-uid", n_slices=5)
    (tmp_path / "in").mkdir()
    for path in series.files:
        ds = pydicom.dcmread(path)
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = "1.2.3.4"
        ds.save_as(tmp_path / "in" / path.name)
    volume = load(tmp_path / "in")
    assert not any("read twice" in w for w in volume.warnings)
    np.testing.assert_allclose(volume.array, series.values)


def _frame(k: int, **values):
    from neuroview.io.dicom.refs import FrameRef

    fields = dict(header=None, path=f"f{k}.dcm", frame=None, series_uid="1.2.3", series_number=1,
                  description="", modality="MR", rows=4, cols=4, samples=1,
                  position=(0.0, 0.0, float(k)), orientation=(1.0, 0.0, 0.0, 0.0, 1.0, 0.0),
                  pixel_spacing=(1.0, 1.0), slice_thickness=1.0, slope=1.0, intercept=0.0,
                  order=(0, 0.0, 0, k, 0))
    return FrameRef(**{**fields, **values})


def test_each_group_keeps_its_frames_in_order_across_kinds_and_geometries():
    """Frames of two echoes, of two derived maps that stay together (every frame derived, as
    dcm2niix keeps them) and of three orientations (two within the tolerance) interleaved:
    each series, kind and geometry is one group holding its frames in the order given."""
    from neuroview.io.dicom.grouping import group_frames

    tilted = (1.0, 0.0005, 0.0, 0.0, 1.0, 0.0)  # within ORIENTATION_TOLERANCE of the first
    sagittal = (0.0, 1.0, 0.0, 0.0, 0.0, -1.0)
    frames = [_frame(k, echo_number=1 + k % 2, derived=("ADC", "TRACE")[k // 2 % 2],
                     orientation=(sagittal if k % 3 == 0 else tilted if k % 3 == 1
                                  else (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)),
                     # sagittal slices follow each other along their normal (x), not in plane
                     position=(float(k), 0.0, 0.0) if k % 3 == 0 else (0.0, 0.0, float(k)))
              for k in range(24)]
    groups = group_frames(frames)
    got = {group.key: [int(ref.path[1:-4]) for ref in group.refs] for group in groups}
    axial = [k for k in range(24) if k % 3]
    assert got == {
        "1.2.3_e1.1": [k for k in axial if k % 2 == 0],
        "1.2.3_e1.2": [k for k in range(24) if k % 6 == 0],
        "1.2.3_e2.1": [k for k in axial if k % 2 == 1],
        "1.2.3_e2.2": [k for k in range(24) if k % 6 == 3],
    }
