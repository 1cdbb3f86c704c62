"""The series description of a reader's SEG (``Lesions - Ann Smith's version (from model x)``)
stays within DICOM's 64 characters by leaving out a model that does not fit whole: cut, it read
``Lesions - Zoë O'Brien-Müller's version (from model lesionseg@1.1``, another version than the
model's 1.1.0 (found in the walk)."""

from neuroview.io.pacs.save_mask import version_description


def test_a_model_that_does_not_fit_is_left_out_whole():
    said = version_description("Zoë O'Brien-Müller", "lesionseg@1.1.0")
    assert said == "Lesions - Zoë O'Brien-Müller's version"


def test_a_model_that_fits_is_named():
    said = version_description("Smith^Ann", "wmh-unet@3")
    assert said == "Lesions - Ann Smith's version (from model wmh-unet@3)"
    assert len(version_description("Ann Smith", "lesionseg@1.1.0")) <= 64
