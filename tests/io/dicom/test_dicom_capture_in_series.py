"""A secondary capture (a CT's dose page, SOP class Secondary Capture) stored in a CT series of two
reconstruction kernels: named and kept apart as a localizer is, not a kernel of its own."""

from __future__ import annotations

import pydicom
from pydicom.uid import generate_uid
from series_maker import SeriesSpec, compare_in_world, write_series

from neuroview.io import scan
from neuroview.io.dicom.captures import SECONDARY_CAPTURE


def test_a_dose_page_in_a_two_kernel_series_is_named_a_secondary_capture(tmp_path, mni_volume):
    """The page named no kernel, so the series was split three ways: '(FC13)', '(FC51)' and
    '(no kernel)', each kernel said to be 'one of 3 kernels (FC13, FC51, no kernel)'."""
    uid = generate_uid()
    written = {kernel: write_series(tmp_path / "ct", mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=4, modality="CT", series_uid=uid, seed=seed,
        first_instance=first, extra=(("ConvolutionKernel", kernel),)))
        for kernel, seed, first in (("FC13", 1, 1), ("FC51", 2, 5))}
    page = write_series(tmp_path / "ct", mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=1, modality="CT", series_uid=uid, seed=3, first_instance=9,
        image_type=("DERIVED", "SECONDARY", "SCREEN SAVE")))  # as a GE dose page writes it
    for path in page.files:
        ds = pydicom.dcmread(path)
        ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = SECONDARY_CAPTURE
        ds.save_as(path)
    candidates = {c.description: c for c in scan(tmp_path / "ct").candidates}
    assert sorted(candidates) == ["T1 test (FC13)", "T1 test (FC51)",
                                  "T1 test (secondary capture)"]
    assert candidates["T1 test (secondary capture)"].shape[2] == 1
    assert candidates["T1 test (secondary capture)"].warnings[0].startswith("secondary capture:")
    for kernel, series in written.items():
        volume = candidates[f"T1 test ({kernel})"].load()
        assert volume.warnings[0] == (f"reconstruction kernel {kernel}: one of 2 kernels stored "
                                      "in this series (FC13, FC51); kept as a series of its own")
        assert volume.array.shape == (8, 8, 4)
        compare_in_world(volume.array, volume.ijk_to_ras, series.values, series.ijk_to_ras)
