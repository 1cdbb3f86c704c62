"""The images of one localizer series (three one-slice planes sharing a SeriesInstanceUID) are
listed in their acquisition order (InstanceNumber), whatever their files are called. They were
listed in the order their files were found, so `neuroview info` numbered them differently for the
same series in another folder (as retrieved from a PACS, say), and `--series N` picked another
plane there."""

from __future__ import annotations

import shutil

from pydicom.uid import generate_uid

from neuroview.io import scan

LOCALIZER = ("ORIGINAL", "PRIMARY", "LOCALIZER")
# (sub-folder, plane, InstanceNumber): the names sort opposite to the acquisition order
PLANES = [("c_first", "axial", 1), ("b_second", "sagittal", 2), ("a_third", "coronal", 3)]


def _write(make_series, name: str):
    uid = generate_uid()
    for folder, plane, instance in PLANES:
        make_series(f"{name}/{folder}", orientation=plane, n_slices=1, first_instance=instance,
                    series_uid=uid, description="loc", image_type=LOCALIZER)
    return make_series(f"{name}/{PLANES[0][0]}", orientation="axial").folder.parent


def _planes(folder) -> list[str]:
    return [c.orientation for c in scan(folder).candidates]


def test_localizer_planes_are_listed_in_instance_order(make_series, tmp_path):
    folder = _write(make_series, "three_planes")
    # axial (i -> L, j -> P), sagittal (P, I), coronal (L, I): the third letter is the normal
    assert _planes(folder) == ["LPS", "PIR", "LIP"]
    flat = tmp_path / "flat"   # the same files in one folder under other names (as a PACS
    flat.mkdir()               # retrieval writes them): the same numbering
    for index, path in enumerate(sorted(folder.rglob("*.dcm"), reverse=True)):
        shutil.copy(path, flat / f"{index:03d}.dcm")
    assert _planes(flat) == ["LPS", "PIR", "LIP"]
