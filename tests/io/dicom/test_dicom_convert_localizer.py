"""``neuroview convert FOLDER out.nii.gz`` on a CT whose scouts share the axial series (ImageType
LOCALIZER) converts the head series, the one the window's series chooser selects first
(``ScanResult.best``), and names it on stderr; ``--series N`` still picks another. It stopped
with "3 series found; give a folder as OUTPUT or pick one with --series N"."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from pydicom.uid import generate_uid

from neuroview.cli.main import main
from neuroview.io import scan

LOCALIZER = ("ORIGINAL", "PRIMARY", "LOCALIZER")


def _head_with_scouts(make_series):
    uid = generate_uid()
    common = dict(modality="CT", series_uid=uid, description="HEAD", series_number=5)
    axial = make_series("conv-scouts/axial", n_slices=20,
                        image_type=("ORIGINAL", "PRIMARY", "AXIAL"), **common)
    make_series("conv-scouts/axial/coronal", orientation="coronal", n_slices=1,
                image_type=LOCALIZER, seed=9, **common)
    make_series("conv-scouts/axial/sagittal", orientation="sagittal", n_slices=1,
                image_type=LOCALIZER, seed=11, **common)
    return axial.folder


def test_convert_picks_the_head_series_and_says_so(make_series, tmp_path, capsys):
    folder = _head_with_scouts(make_series)
    result = scan(folder)
    assert len(result.candidates) == 3 and result.best() is result.candidates[0]
    out = tmp_path / "head.nii.gz"
    assert main(["convert", str(folder), str(out)]) == 0
    err = capsys.readouterr().err
    assert f"note: {folder}: 3 series found; converted [1] #5 HEAD | CT | " in err
    assert "pick another with --series N" in err
    written = nib.load(out)
    expected = result.candidates[0].load()
    assert written.shape == expected.shape == (56, 64, 20)
    assert np.array_equal(np.asarray(written.dataobj), expected.array)


def test_series_still_picks_a_localizer(make_series, tmp_path, capsys):
    folder = _head_with_scouts(make_series)
    out = tmp_path / "scout.nii.gz"
    assert main(["convert", str(folder), str(out), "--series", "2"]) == 0
    assert "series found" not in capsys.readouterr().err
    assert nib.load(out).shape[2] == 1


def test_a_folder_output_still_gets_every_series(make_series, tmp_path, capsys):
    folder = _head_with_scouts(make_series)
    assert main(["convert", str(folder), str(tmp_path / "all")]) == 0
    assert len(list((tmp_path / "all").glob("*.nii.gz"))) == 3   # each with its .json
