"""An output named as the input is refused before any work, the input left as it was:
``neuroview segment a.nii.gz -o a.nii.gz`` replaced the image with its label map and exited 0
(until session 40), ``--report`` given the CSV list of cases replaced the list with the lesion
list, and ``convert a.nii.gz ./a.nii.gz`` rewrote the user's file."""

from __future__ import annotations

import nibabel as nib
import numpy as np


def _image(path):
    """72 mm across, as large as the model takes (a smaller one was refused for its size)."""
    array = np.arange(24 ** 3, dtype=np.int16).reshape(24, 24, 24)
    nib.save(nib.Nifti1Image(array, np.diag([3.0, 3.0, 3.0, 1.0])), path)
    return path.read_bytes()


def _refused(result, shown, given, what):
    assert result.returncode == 1 and result.stdout == "", result.stdout + result.stderr
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {shown}: is the input {given}: {what} would replace it; give "
        "another file name"], result.stderr


def test_segment_and_convert_refuse_to_write_over_their_input(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = _image(tmp_path / "t1.nii.gz")
    for args, shown, what in (
            (("segment", "t1.nii.gz", "-o", "./t1.nii.gz"), "./t1.nii.gz", "the label map"),
            (("convert", "t1.nii.gz", "./t1.nii.gz"), "./t1.nii.gz", "the converted image")):
        _refused(cli(*args), shown, "t1.nii.gz", what)
        assert (tmp_path / "t1.nii.gz").read_bytes() == before, args
    (tmp_path / "list.csv").write_text("path\nt1.nii.gz\n")
    _refused(cli("segment", "list.csv", "-o", "masks", "--report", "list.csv"), "list.csv",
             "list.csv", "the lesion list")
    assert (tmp_path / "list.csv").read_text() == "path\nt1.nii.gz\n"
    assert not (tmp_path / "masks").exists()
