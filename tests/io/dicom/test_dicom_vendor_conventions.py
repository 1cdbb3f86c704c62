"""Conventions of real scanners the other DICOM tests do not write, against dcm2niix and the
truth each series was written from (8x8 images: tiny, but real anatomy)."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pydicom
import pytest
from series_maker import SeriesSpec, compare_in_world, run_dcm2niix, write_series

from neuroview.io import load, scan


def _rewrite(files, change) -> None:
    for path in files:
        ds = pydicom.dcmread(path)
        change(ds)
        ds.save_as(path)


def test_unsigned_pixels_above_a_negative_intercept_stay_integers(tmp_path, mni_volume):
    """GE writes unsigned pixels (PixelRepresentation 0) with RescaleIntercept -1024 and no
    RescaleSlope. Where every stored value lies above 1024 the rescaled values fit the unsigned
    type: loading raised 'Python integer -1024 out of bounds for uint16'."""
    series = write_series(tmp_path / "ge", mni_volume, SeriesSpec(rows=8, cols=8, n_slices=4,
                                                                  modality="CT"))

    def unsigned(ds):
        ds.PixelData = (ds.pixel_array.astype(np.int32) + 1100).astype(np.uint16).tobytes()
        ds.PixelRepresentation, ds.Manufacturer = 0, "GE MEDICAL SYSTEMS"
        del ds.RescaleSlope
        ds.RescaleIntercept = "-1024"

    _rewrite(series.files, unsigned)
    volume = load(series.folder)
    assert volume.array.dtype.kind in "iu"
    np.testing.assert_array_equal(volume.array, series.values + 76)
    (output,) = run_dcm2niix(series.folder, tmp_path / "dcm2niix")
    reference = nib.load(output)
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)


def test_stacks_side_by_side_in_one_series_are_parts_each_where_it_lies(tmp_path, mni_volume):
    """Philips writes a multi-stack acquisition (two sagittal stacks of the spine, one above
    the other) as one series: the stacks' slices share their places along the normal. They
    were one 4D series of two 'time points', the lower stack shown where the upper lies
    (dcm2niix stacks them as one 10-slice volume)."""
    uid = pydicom.uid.generate_uid()
    upper, lower = (write_series(tmp_path / "spine", mni_volume, SeriesSpec(
        orientation="sagittal", rows=8, cols=8, n_slices=5, series_uid=uid, seed=seed,
        first_instance=first, value_scale=scale))
        for seed, first, scale in ((1, 1, 1.0), (2, 6, 0.5)))
    shift_lps = np.array([0.0, 0.0, -30.0])  # 30 mm lower (inferior), the column direction

    def lower_down(ds):
        ds.ImagePositionPatient = [f"{float(x) + d:.6f}" for x, d in
                                   zip(ds.ImagePositionPatient, shift_lps)]

    _rewrite(lower.files, lower_down)
    lower_affine = lower.ijk_to_ras.copy()
    lower_affine[:3, 3] += shift_lps * [-1, -1, 1]
    result = scan(tmp_path / "spine")
    assert len(result.candidates) == 2
    volumes = {c.n_files: None for c in result.candidates}
    assert volumes == {5: None}
    loaded = [c.load() for c in result.candidates]
    assert all(v.array.shape == (8, 8, 5) and v.axis4 == "" for v in loaded)
    for truth, affine in ((upper, upper.ijk_to_ras), (lower, lower_affine)):
        (volume,) = [v for v in loaded if np.allclose(v.ijk_to_ras, affine, atol=1e-4)]
        np.testing.assert_array_equal(volume.array, truth.values)
        assert any("part" in w and "slice plane" in w for w in volume.warnings)


def test_classic_4d_with_restarting_instances_and_tied_times_follows_acquisition_number(
        tmp_path, mni_volume):
    """A classic (one slice per file) 4D run whose InstanceNumber restarts at 1 in every volume,
    its acquisition times tied (an anonymiser set them alike): the volumes differ only in
    AcquisitionNumber (Siemens numbers a run's volumes so). Time points were mixtures of the
    volumes' slices, in the order the files were read (dcm2niix 1.0.20260724 mixes them too)."""
    uid = pydicom.uid.generate_uid()
    truth = []
    for t in range(3):
        series = write_series(tmp_path / "run", mni_volume, SeriesSpec(
            rows=8, cols=8, n_slices=4, series_uid=uid, seed=t + 1, value_scale=1 + 0.3 * t,
            reverse_instances=False))
        _rewrite(series.files, lambda ds, number=t + 1: setattr(ds, "AcquisitionNumber", number))
        truth.append(series)
    (candidate,) = scan(tmp_path / "run").candidates
    volume = candidate.load()
    assert volume.axis4 == "time" and volume.array.shape == (8, 8, 4, 3)
    for t, series in enumerate(truth):
        compare_in_world(volume.frame(t), volume.ijk_to_ras, series.values, series.ijk_to_ras)


def test_classic_run_stopped_during_its_last_volume_keeps_its_complete_volumes(tmp_path,
                                                                              mni_volume):
    """A run of one slice per file (GE, Philips, Siemens non-mosaic) stopped during its third
    volume: 4 + 4 + 2 files. The volumes' slices share positions unevenly; the series was one
    3D volume, the first, and the second volume was left out as 'duplicate positions'
    (dcm2niix stacks all 10 slices as one volume)."""
    uid = pydicom.uid.generate_uid()
    truth = []
    for t in range(3):
        series = write_series(tmp_path / "run", mni_volume, SeriesSpec(
            rows=8, cols=8, n_slices=4, series_uid=uid, seed=t + 1, value_scale=1 + 0.3 * t,
            reverse_instances=False, first_instance=1 + 4 * t, missing=(2, 3) if t == 2 else ()))
        _rewrite(series.files, lambda ds, t=t: setattr(ds, "AcquisitionTime", f"10{10 + t}00"))
        truth.append(series)
    (candidate,) = scan(tmp_path / "run").candidates
    volume = candidate.load()
    assert volume.axis4 == "time" and volume.array.shape == (8, 8, 4, 2)
    for t, series in enumerate(truth[:2]):
        compare_in_world(volume.frame(t), volume.ijk_to_ras, series.values, series.ijk_to_ras)
    assert any("2 time points every position has are kept, 2 images" in w
               for w in volume.warnings)


def test_volumes_of_a_run_moved_a_few_mm_in_plane_stay_one_4d_series(tmp_path, mni_volume):
    """Realigned (motion-corrected) volumes of a classic run can sit a few mm apart in the slice
    plane. They are time points of one run, not stacks side by side: the split into parts asks
    for more than a quarter of the field of view between stacks (a multi-stack spine's stacks lie
    a field of view apart). With a pixel as the limit, a 7 mm move (2.2 pixels of 16) made two
    parts."""
    uid = pydicom.uid.generate_uid()
    for t in range(2):
        series = write_series(tmp_path / "run", mni_volume, SeriesSpec(
            rows=16, cols=16, n_slices=4, series_uid=uid, seed=t + 1, first_instance=1 + 4 * t))
        if t:
            _rewrite(series.files, lambda ds: setattr(ds, "ImagePositionPatient", [
                f"{float(x) + d:.6f}" for x, d in zip(ds.ImagePositionPatient, (7.0, 0.0, 0.0))]))
    (candidate,) = scan(tmp_path / "run").candidates
    volume = candidate.load()
    assert volume.axis4 == "time" and volume.array.shape[3] == 2


def _real_world_mapping(slope: float, intercept: float):
    from pydicom.dataset import Dataset
    from pydicom.sequence import Sequence

    item = Dataset()
    item.RealWorldValueSlope, item.RealWorldValueIntercept = slope, intercept
    item.RealWorldValueFirstValueMapped, item.RealWorldValueLastValueMapped = -32768, 32767
    item.LUTLabel = "Philips"
    return Sequence([item])


def test_philips_real_world_value_mapping_stands_in_for_a_rescale_of_one(tmp_path, mni_volume):
    """A Philips classic series whose RescaleSlope is 1 (or absent) and RescaleIntercept 0 gives
    its values' scale in the Real World Value Mapping alone (derived maps, exports that dropped the
    rescale). dcm2niix reads that slope and intercept in the rescale's place (here with the
    private scale slope too: (stored x 3 - 5) / (3 x 0.5)); neuroview gave the stored values.
    The same mapping in another vendor's files changes nothing, in dcm2niix as here."""
    for maker, expected in (("Philips Medical Systems", lambda v: (v * 3 - 5) / 1.5),
                            ("SIEMENS", lambda v: v)):
        series = write_series(tmp_path / maker, mni_volume, SeriesSpec(
            rows=8, cols=8, n_slices=4, extra=(("Manufacturer", maker),)))

        def mapped(ds):
            ds.RescaleSlope, ds.RescaleIntercept = "1", "0"
            ds.add_new(0x20050010, "LO", "Philips Imaging DD 001")
            ds.add_new(0x2005100E, "FL", 0.5)
            ds.RealWorldValueMappingSequence = _real_world_mapping(3.0, -5.0)

        _rewrite(series.files, mapped)
        volume = load(series.folder)
        np.testing.assert_allclose(volume.array, expected(series.values), rtol=1e-6)
        (output,) = run_dcm2niix(series.folder, tmp_path / f"dcm2niix-{maker}")
        reference = nib.load(output)
        compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine,
                         rtol=1e-5)


def test_philips_enhanced_frames_real_world_value_mapping_stands_in_for_a_rescale_of_one(
        tmp_path, mni_volume):
    """The same in a Philips enhanced file: each frame's Real World Value Mapping (in its own
    functional groups) where its Pixel Value Transformation says 1 and 0, as dcm2niix reads it."""
    from enhanced_maker import EnhancedSpec, write_enhanced

    written = write_enhanced(tmp_path / "in" / "philips.dcm", mni_volume, EnhancedSpec(
        rows=8, cols=8, n_slices=4, manufacturer="Philips Medical Systems"))
    ds = pydicom.dcmread(written.path)
    for item in ds.PerFrameFunctionalGroupsSequence:
        item.RealWorldValueMappingSequence = _real_world_mapping(3.0, -5.0)
    ds.save_as(written.path)
    volume = load(written.path)
    np.testing.assert_allclose(volume.array, written.values * 3.0 - 5.0)
    (output,) = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    reference = nib.load(output)
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)


def test_siemens_field_map_phase_difference_alone_is_named_by_its_echo(tmp_path, mni_volume):
    """A Siemens field map: series 5 holds the magnitude of echoes 1 and 2, series 6 the phase
    difference, echo 2 alone. dcm2niix names them ``_e1``, ``_e2`` and ``_e2_ph`` (BIDS tools
    match on it); the phase was ``_ph`` here, its echo unnamed since its series had one echo."""
    uid, siemens = pydicom.uid.generate_uid(), (("Manufacturer", "SIEMENS"),)
    for echo, echo_time in ((1, 4.92), (2, 7.38)):
        write_series(tmp_path / "in", mni_volume, SeriesSpec(
            rows=8, cols=8, n_slices=3, series_uid=uid, series_number=5, echo_number=echo,
            echo_time=echo_time, seed=echo, first_instance=1 + 3 * (echo - 1), extra=siemens,
            description="gre_field_mapping", image_type=("ORIGINAL", "PRIMARY", "M", "ND")))
    write_series(tmp_path / "in", mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=3, series_number=6, echo_number=2, echo_time=7.38, seed=5,
        slope=2.0, intercept=-4096.0, extra=siemens, description="gre_field_mapping",
        image_type=("ORIGINAL", "PRIMARY", "P", "ND")))
    names = {f"{c.series_number}_{c.description}" for c in scan(tmp_path / "in").candidates}
    outputs = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    assert names == {path.stem for path in outputs} == {
        "5_gre_field_mapping_e1", "5_gre_field_mapping_e2", "6_gre_field_mapping_e2_ph"}


@pytest.mark.parametrize("orientation", ["axial", "oblique"])
def test_positions_written_to_a_tenth_of_a_millimetre_are_an_even_series(tmp_path, mni_volume,
                                                                          orientation):
    """Scanners and PACS that round ImagePositionPatient to 0.1 mm make a 3.33 mm series' steps
    3.3 and 3.4 mm (and an oblique one's slices a few hundredths of a mm off their line). It was
    'uneven' (and 'gantry tilt of 0.38 degrees' oblique), resampled onto 11 slices 3 mm apart;
    dcm2niix, which takes steps within 0.2 mm as even, writes the 10 acquired slices, as now here,
    each within the rounding of where it was acquired."""
    series = write_series(tmp_path / "in", mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=10, slice_step=3.33, orientation=orientation))
    _rewrite(series.files, lambda ds: setattr(ds, "ImagePositionPatient", [
        f"{float(x):.1f}" for x in ds.ImagePositionPatient]))
    (candidate,) = scan(series.folder).candidates
    volume = candidate.load()
    assert not volume.warnings
    compare_in_world(volume.array, volume.ijk_to_ras, series.values, series.ijk_to_ras,
                     tolerance_mm=0.1)
    (output,) = run_dcm2niix(series.folder, tmp_path / "dcm2niix")
    assert nib.load(output).shape == volume.array.shape


def test_two_kernels_at_different_spacings_in_one_series_are_a_series_each(tmp_path, mni_volume):
    """A CT reconstructed soft-tissue (B30f, 6 slices 4 mm apart) and bone (B70f, 11 slices
    2 mm apart) under one SeriesInstanceUID was a 4D of 2 'time points', 5 slices of the first
    filled from the other kernel (dcm2niix mixes them into one 17-slice volume and exits with an
    error). Each kernel is now its own series, named by it, its slices where they were acquired."""
    uid = pydicom.uid.generate_uid()
    written = {kernel: write_series(tmp_path / "two", mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=n, slice_step=step, modality="CT", series_uid=uid, seed=seed,
        first_instance=first, value_scale=scale, extra=(("ConvolutionKernel", kernel),)))
        for kernel, n, step, seed, first, scale in (("B30f", 6, 4.0, 1, 1, 1.0),
                                                    ("B70f", 11, 2.0, 2, 7, 0.7))}
    candidates = {c.description: c for c in scan(tmp_path / "two").candidates}
    assert sorted(candidates) == ["T1 test (B30f)", "T1 test (B70f)"]
    for kernel, series in written.items():
        volume = candidates[f"T1 test ({kernel})"].load()
        assert volume.array.ndim == 3 and not volume.axis4
        assert volume.warnings[0].startswith(f"reconstruction kernel {kernel}: one of 2 kernels")
        compare_in_world(volume.array, volume.ijk_to_ras, series.values, series.ijk_to_ras)


def test_two_kernels_at_the_same_positions_in_one_series_are_a_series_each(tmp_path, mni_volume):
    """Soft-tissue (FC13) and bone (FC51) reconstructions of one CT at the same 4 positions under
    one SeriesInstanceUID were one 4D series whose second 'time point' was the bone kernel, as
    dcm2niix 1.0.20260724 stacks them (8x8x4x2, its default options). Each is now a 3D series
    named by its kernel, equal in world to dcm2niix's volume of that kernel."""
    uid = pydicom.uid.generate_uid()
    written = {kernel: write_series(tmp_path / "same", mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=4, modality="CT", series_uid=uid, seed=seed,
        first_instance=first, value_scale=scale, extra=(("ConvolutionKernel", kernel),)))
        for kernel, seed, first, scale in (("FC13", 1, 1, 1.0), ("FC51", 2, 5, 0.6))}
    candidates = {c.description: c for c in scan(tmp_path / "same").candidates}
    assert sorted(candidates) == ["T1 test (FC13)", "T1 test (FC51)"]
    (output,) = run_dcm2niix(tmp_path / "same", tmp_path / "dcm2niix")
    reference = nib.load(output)
    assert reference.shape == (8, 8, 4, 2)
    for t, (kernel, series) in enumerate(written.items()):
        volume = candidates[f"T1 test ({kernel})"].load()
        assert volume.array.shape == (8, 8, 4) and not volume.axis4
        assert volume.warnings[0] == (f"reconstruction kernel {kernel}: one of 2 kernels stored "
                                      "in this series (FC13, FC51); kept as a series of its own")
        compare_in_world(volume.array, volume.ijk_to_ras, series.values, series.ijk_to_ras)
        compare_in_world(volume.array, volume.ijk_to_ras, reference.dataobj[..., t],
                         reference.affine)


def test_images_naming_no_kernel_beside_a_kernel_are_a_series_of_their_own(tmp_path, mni_volume):
    """Slices that name no ConvolutionKernel beside a reconstruction that does (FC13), at the
    same positions: '(no kernel)' and '(FC13)', not a 4D series of the two."""
    uid = pydicom.uid.generate_uid()
    for kernel, seed, first in (("FC13", 1, 1), ("", 2, 5)):
        write_series(tmp_path / "mixed", mni_volume, SeriesSpec(
            rows=8, cols=8, n_slices=4, modality="CT", series_uid=uid, seed=seed,
            first_instance=first, extra=(("ConvolutionKernel", kernel),) if kernel else ()))
    candidates = {c.description: c.shape for c in scan(tmp_path / "mixed").candidates}
    assert candidates == {"T1 test (FC13)": (8, 8, 4), "T1 test (no kernel)": (8, 8, 4)}

def test_a_damaged_kernel_of_thousands_of_characters_names_its_series_in_32(tmp_path, mni_volume):
    """A ConvolutionKernel of 5,000 characters (a damaged header) named its series with all of
    them, and each warning of the series' kernels repeated them: 32 characters are kept."""
    uid = pydicom.uid.generate_uid()
    for kernel, seed, first in (("FC13", 1, 1), ("K" * 5000, 2, 5)):
        write_series(tmp_path / "long", mni_volume, SeriesSpec(
            rows=8, cols=8, n_slices=4, modality="CT", series_uid=uid, seed=seed,
            first_instance=first, extra=(("ConvolutionKernel", kernel),)))
    candidates = {c.description: c for c in scan(tmp_path / "long").candidates}
    assert sorted(candidates) == ["T1 test (FC13)", f"T1 test ({'K' * 29}...)"]
    assert all(len(w) < 200 for c in candidates.values() for w in c.warnings)

def test_localizer_in_the_series_own_plane_and_grid_is_kept_apart(tmp_path, mni_volume):
    """An axial scout (ImageType LOCALIZER) stored with 6 axial slices of its matrix and spacing
    joined their stack: 7 unevenly spaced slices resampled onto 11, the scout read as anatomy
    (dcm2niix stacks it too). Slicer splits a series by ImageType to load it without the
    localizer; so does the scan now, as it does a localizer in another plane."""
    uid = pydicom.uid.generate_uid()
    series = write_series(tmp_path / "in", mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=6, series_uid=uid, first_instance=2))
    write_series(tmp_path / "in", mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=1, series_uid=uid, seed=9, first_instance=1,
        image_type=("ORIGINAL", "PRIMARY", "LOCALIZER")))
    candidates = {c.description: c for c in scan(tmp_path / "in").candidates}
    assert sorted(candidates) == ["T1 test", "T1 test (localizer)"]
    assert candidates["T1 test (localizer)"].localizer
    volume = load(tmp_path / "in")
    assert volume.warnings == ["localizer left out: 1 image of this series (ImageType LOCALIZER), "
                               "listed as a series of its own"]
    compare_in_world(volume.array, volume.ijk_to_ras, series.values, series.ijk_to_ras)


def test_a_missing_slice_between_positions_written_to_a_tenth_of_a_millimetre_is_named(
        tmp_path, mni_volume):
    """A 1.33 mm series with ImagePositionPatient rounded to 0.1 mm (steps 1.3 and 1.4 mm) and
    slice 5 missing (a 2.7 mm gap) was 'uneven slice spacing', resampled onto 11 slices 1.2 mm
    apart, every acquired slice but the ends mixed with its neighbour (dcm2niix's _Eq volume too
    has 11). The gap is 2 steps within the rounding, as vendor41's even steps are: 10 slices
    1.33 mm apart, the 9 acquired ones copied, slice 5 said interpolated."""
    series = write_series(tmp_path / "in", mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=10, slice_step=1.33, missing=(4,)))
    _rewrite(series.files, lambda ds: setattr(ds, "ImagePositionPatient", [
        f"{float(x):.1f}" for x in ds.ImagePositionPatient]))
    volume = load(series.folder)
    (note,) = volume.warnings
    assert note.startswith("1 missing slice (a gap of 2.7 mm") and "slice 5 of 10 (axial view) interpolated" \
        in note, note
    np.testing.assert_allclose(volume.ijk_to_ras, series.ijk_to_ras, atol=0.1)
    acquired = [k for k in range(10) if k != 4]
    np.testing.assert_array_equal(volume.array[:, :, acquired], series.values)
    np.testing.assert_allclose(volume.array[:, :, 4], (series.values[:, :, 3] + series.values[:, :, 4]) / 2,
                               atol=0.51)
