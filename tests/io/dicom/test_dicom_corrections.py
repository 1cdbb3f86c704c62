"""Siemens images before and after a correction stored in one series (ImageType DIS2D beside ND,
NORM beside none): a series each, named by what ImageType says, with the voxels dcm2niix writes
for them as the time points of one 4D volume (it stacks them, ``-m n`` too). They were one 4D
series of two "time points" until session 47."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from pydicom.uid import generate_uid
from series_maker import SeriesSpec, compare_in_world, run_dcm2niix, write_series

from neuroview.io import scan
from neuroview.io.dicom.corrections import correction_name, correction_note, correction_words


def _kinds(folder, mni_volume, image_types, **fields):
    """One series (one SeriesInstanceUID and number) of 4 slices per ImageType, at the same
    positions, each kind with its own values; its instance numbers running on."""
    uid = generate_uid()
    return [write_series(folder / str(n), mni_volume, SeriesSpec(
        rows=8, cols=6, n_slices=4, series_uid=uid, value_scale=1.0 - 0.3 * n, seed=n,
        first_instance=1 + 4 * n, image_type=image_type, extra=(("Manufacturer", "SIEMENS"),),
        **fields)) for n, image_type in enumerate(image_types)]


def test_distortion_corrected_and_uncorrected_images_are_a_series_each(tmp_path, mni_volume):
    written = _kinds(tmp_path / "t1", mni_volume, (("ORIGINAL", "PRIMARY", "M", "NORM", "DIS2D"),
                                                   ("ORIGINAL", "PRIMARY", "M", "ND", "NORM")))
    candidates = scan(tmp_path / "t1").candidates
    assert [(c.description, c.shape) for c in candidates] == [("T1 test (DIS2D)", (6, 8, 4)),
                                                              ("T1 test (ND)", (6, 8, 4))]
    assert candidates[0].warnings == [
        "ImageType DIS2D (distortion-corrected in 2D); the series' other images, 4 ND images "
        "(not distortion-corrected), are a series of their own"]
    assert candidates[1].warnings == [
        "ImageType ND (not distortion-corrected); the series' other images, 4 DIS2D images "
        "(distortion-corrected in 2D), are a series of their own"]
    (output,) = run_dcm2niix(tmp_path / "t1", tmp_path / "d2n")
    reference = nib.load(output)
    stacked = np.asarray(reference.dataobj)
    assert stacked.shape == (6, 8, 4, 2)   # dcm2niix: one 4D volume, DIS2D then ND
    for t, (candidate, series) in enumerate(zip(candidates, written)):
        volume = candidate.load()
        compare_in_world(volume.array, volume.ijk_to_ras, series.values, series.ijk_to_ras)
        compare_in_world(volume.array, volume.ijk_to_ras, stacked[..., t], reference.affine)


def test_prescan_normalized_and_unnormalized_images_are_a_series_each(tmp_path, mni_volume):
    _kinds(tmp_path / "t2", mni_volume, (("ORIGINAL", "PRIMARY", "M", "ND", "NORM"),
                                         ("ORIGINAL", "PRIMARY", "M", "ND")), orientation="coronal")
    candidates = scan(tmp_path / "t2").candidates
    assert [(c.description, c.shape, c.warnings) for c in candidates] == [
        ("T1 test (NORM)", (6, 8, 4), [
            "ImageType NORM (prescan-normalized); the series' other images, 4 images without "
            "NORM (not prescan-normalized), are a series of their own"]),
        ("T1 test (without NORM)", (6, 8, 4), [
            "ImageType without NORM (not prescan-normalized); the series' other images, 4 NORM "
            "images (prescan-normalized), are a series of their own"])]


def test_a_series_of_one_correction_and_its_localizer_keep_their_names(tmp_path, mni_volume):
    """All DIS2D: nothing to tell apart, nothing said; a localizer's ImageType (no DIS2D) makes
    no second kind: it is kept apart as a localizer, as before."""
    uid = generate_uid()
    write_series(tmp_path / "s" / "axial", mni_volume, SeriesSpec(
        rows=8, cols=6, n_slices=4, series_uid=uid,
        image_type=("ORIGINAL", "PRIMARY", "M", "NORM", "DIS2D")))
    write_series(tmp_path / "s" / "loc", mni_volume, SeriesSpec(
        rows=10, cols=10, n_slices=1, series_uid=uid, orientation="sagittal", first_instance=20,
        image_type=("ORIGINAL", "PRIMARY", "LOCALIZER")))
    assert [c.description for c in scan(tmp_path / "s").candidates] == [
        "T1 test", "T1 test (localizer)"]
    assert not any(w.startswith("ImageType") for c in scan(tmp_path / "s").candidates
                   for w in c.warnings)


def test_three_kinds_and_a_damaged_image_type_are_each_named():
    """Words come in one order whatever ImageType's; a damaged ImageType naming DIS2D and ND
    both is a kind of its own, said as such (it was named DIS2D as the DIS2D images were, and
    beside them alone its note raised IndexError)."""
    assert correction_words(["ORIGINAL", "PRIMARY", "M", "NORM", "DIS2D"]) == "DIS2D NORM"
    assert correction_words("ORIGINAL\\PRIMARY\\ND\\NORM") == "ND NORM"
    assert correction_words(["ND", "NORM"]) == ""   # the first two values are not read
    kinds = (("DIS2D", 4), ("DIS2D ND", 1), ("ND", 4))
    assert [correction_name(words, [w for w, _ in kinds]) for words, _ in kinds] == [
        "DIS2D", "DIS2D/ND", "ND"]
    assert correction_note("DIS2D ND", kinds) == (
        "ImageType DIS2D/ND (distortion-corrected in 2D and not distortion-corrected); the "
        "series' other images, 4 DIS2D images (distortion-corrected in 2D); 4 ND images (not "
        "distortion-corrected), are series of their own, one per kind")
