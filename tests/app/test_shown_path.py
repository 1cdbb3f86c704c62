"""How notices name a saved or exported file: its name and a folder a user places, never the
whole path (that goes in the tooltip)."""

from __future__ import annotations

import os

from neuroview.app.shown_path import full_path, short_path, short_paths


def test_beside_the_image_and_in_a_subfolder_of_it(tmp_path):
    image = tmp_path / "ana" / "t1.nii.gz"
    image.parent.mkdir()
    assert short_path(tmp_path / "ana" / "t1-labels.nii.gz", image) == "t1-labels.nii.gz beside the image"
    assert short_path(tmp_path / "ana" / "segs" / "t1-labels.nii.gz", image) == \
        f"t1-labels.nii.gz in segs{os.sep} under the image's folder"
    deep = tmp_path / "ana" / "doe_john" / "segs" / "t1-labels.nii.gz"   # deeper: the folder alone
    assert short_path(deep, image) == f"t1-labels.nii.gz in …{os.sep}segs{os.sep} under the image's folder"
    series = tmp_path / "dicom"            # a DICOM series: its folder is the image's folder
    series.mkdir()
    assert short_path(series / "seg.dcm", series) == "seg.dcm beside the image"


def test_home_is_shortened_and_elsewhere_only_the_folder_name_shows(tmp_path):
    home = tmp_path / "home" / "ana"
    assert short_path(home / "Documents" / "a.nii.gz", home=str(home)) == f"a.nii.gz in ~{os.sep}Documents"
    assert short_path(home / "a.nii.gz", home=str(home)) == "a.nii.gz in ~"
    shown = short_path(tmp_path / "mnt" / "labels" / "a.nii.gz", tmp_path / "img" / "a.nii.gz",
                       home=str(home))
    assert shown == f"a.nii.gz in …{os.sep}labels" and str(tmp_path) not in shown
    where = tmp_path / "mnt" / "labels" / "a.nii.gz"
    assert full_path(where) == str(where)


def test_a_folder_deeper_under_home_is_named_alone(tmp_path):
    """Until session 40 every folder below ``~`` was shown: ``in ~/cases/doe_john/t1``."""
    home = tmp_path / "home" / "ana"
    deep = home / "cases" / "doe_john" / "t1" / "a-labels.nii.gz"
    assert short_path(deep, home=str(home)) == f"a-labels.nii.gz in …{os.sep}t1"
    assert short_paths([deep, deep.with_name("b.csv")], home=str(home)) == \
        f"a-labels.nii.gz and b.csv in …{os.sep}t1"


def test_several_files_of_one_folder_name_it_once(tmp_path):
    home = tmp_path / "home"
    files = [home / "r" / "report.html", home / "r" / "lesions.csv"]
    assert short_paths(files, home=str(home)) == f"report.html and lesions.csv in ~{os.sep}r"
    mixed = [home / "r" / "report.html", home / "s" / "lesions.csv"]
    assert short_paths(mixed, home=str(home)) == \
        f"report.html in ~{os.sep}r and lesions.csv in ~{os.sep}s"
