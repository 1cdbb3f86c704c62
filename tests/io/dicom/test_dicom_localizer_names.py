"""A CT scout stored in the axial series (same SeriesInstanceUID, ImageType LOCALIZER) is named
as a localizer in the series list, and the axial images keep the series' name. Both were called
"(part 1 of 2)" / "(part 2 of 2)", each with a warning that the series was split because
"orientation, matrix, pixel spacing or place in the slice plane differ"."""

from __future__ import annotations

from pydicom.uid import generate_uid
from series_maker import compare_in_world

from neuroview.io import scan

LOCALIZER = ("ORIGINAL", "PRIMARY", "LOCALIZER")


def test_scouts_in_the_series_are_named_localizers(make_series):
    uid = generate_uid()
    common = dict(modality="CT", series_uid=uid, description="HEAD", series_number=5)
    axial = make_series("scouts/axial", n_slices=20, image_type=("ORIGINAL", "PRIMARY", "AXIAL"),
                        **common)
    make_series("scouts/axial/coronal", orientation="coronal", n_slices=1, image_type=LOCALIZER,
                seed=9, **common)
    make_series("scouts/axial/sagittal", orientation="sagittal", n_slices=1, image_type=LOCALIZER,
                seed=11, **common)
    result = scan(axial.folder)
    assert [(c.description, c.shape[2]) for c in result.candidates] == [
        ("HEAD", 20), ("HEAD (localizer)", 1), ("HEAD (localizer)", 1)]
    assert result.candidates[0].warnings == [
        "localizer left out: 2 images of this series (ImageType LOCALIZER), listed as a series of "
        "their own"]
    for scout in result.candidates[1:]:
        assert scout.warnings == ["localizer (ImageType LOCALIZER): 1 image of the series, kept "
                                  "apart from its other images",
                                  "one image: no slice step to measure, its depth is its slice "
                                  "thickness (4 mm)"]  # why its confidence is 0.8
    assert result.best() is result.candidates[0]
    volume = result.best().load()
    compare_in_world(volume.array, volume.ijk_to_ras, axial.values, axial.ijk_to_ras)


def test_parts_that_are_not_localizers_stay_parts(make_series):
    uid = generate_uid()
    main = make_series("parts/main", series_uid=uid, n_slices=12, description="T1")
    make_series("parts/main/reformat", series_uid=uid, orientation="sagittal", n_slices=3,
                seed=9, description="T1")
    assert [c.description for c in scan(main.folder).candidates] == ["T1 (part 1 of 2)",
                                                                     "T1 (part 2 of 2)"]


def test_a_scout_series_of_its_own_says_it_is_a_scout(make_series, capsys):
    """A CT topogram as scanners store it, a series of its own (ImageType LOCALIZER), opened
    alone: listed and loaded with one line saying it is a scout, not a slice to read. It opened
    as a one-slice head CT with no word of it (session 41's CT walk)."""
    from neuroview.cli.main import main
    from neuroview.io.dicom.localizers import SCOUT_WARNING

    scout = make_series("own-scout/scout", n_slices=1, modality="CT", intercept=-1024.0,
                        description="Topogram 0.6 T20f", series_number=1, image_type=LOCALIZER)
    (candidate,) = scan(scout.files[0]).candidates
    assert candidate.localizer and candidate.warnings[0] == SCOUT_WARNING   # said first
    assert candidate.description == "Topogram 0.6 T20f"
    assert SCOUT_WARNING in candidate.load().warnings
    assert main(["info", str(scout.folder)]) == 0
    assert f"warning: {SCOUT_WARNING}" in capsys.readouterr().out
    axial = make_series("own-scout/axial", n_slices=20, modality="CT", intercept=-1024.0)
    assert SCOUT_WARNING not in scan(axial.folder).candidates[0].warnings


def test_a_secondary_capture_says_it_is_one(tmp_path, capsys):
    """A CT's dose page or protocol saved as a secondary capture, opened alone: its first line
    says it is a picture saved from a screen or a page, before the warnings about its missing
    position. It opened as a one-slice colour image under those warnings alone."""
    from pydicom.uid import SecondaryCaptureImageStorage
    from window_files import small_dataset

    from neuroview.cli.main import main
    from neuroview.io.dicom.captures import CAPTURE_WARNING

    ds = small_dataset(SecondaryCaptureImageStorage, generate_uid())   # no position, as a page
    ds.Modality, ds.SeriesNumber, ds.SeriesDescription = "OT", 998, "Patient Protocol"
    ds.SamplesPerPixel, ds.PlanarConfiguration, ds.PhotometricInterpretation = 3, 0, "RGB"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.PixelData = bytes(range(256)) * 2 + bytes(16 * 12 * 3 - 512)
    path = tmp_path / "protocol.dcm"
    ds.save_as(path, enforce_file_format=True)
    (candidate,) = scan(path).candidates
    assert candidate.warnings[0] == CAPTURE_WARNING
    assert candidate.load().warnings[0] == CAPTURE_WARNING
    # and nothing about its missing position, spacing or depth: a page has none (four lines
    # under the capture's until session 46, the notice covering the top of the page)
    assert candidate.load().warnings == [CAPTURE_WARNING]
    assert main(["info", str(path)]) == 0
    assert f"warning: {CAPTURE_WARNING}" in capsys.readouterr().out
