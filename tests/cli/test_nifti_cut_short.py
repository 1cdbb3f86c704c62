"""A ``.nii.gz`` cut short reads the same one line naming the file on every route: ``info``,
``segment``, ``convert`` of a folder holding it and the loader the window uses. ``info`` said
"file is truncated: the header declares 8.3 MB ...", the others "compressed data is broken or
truncated (Compressed file ended before the end-of-stream marker was reached)"; a file cut in its
first bytes read "not a valid NIfTI/MGH header (Cannot work out file type ...)" everywhere."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import CorruptFileError
from neuroview.io.nifti import load_nifti

CLI_FORKED = ("the one line `info`, `segment` and `convert` say about a cut file, not a "
              "process's start; no network runs (segment stops at reading the file)")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


VOXELS = np.random.default_rng(7).normal(size=(48, 40, 24)).astype(np.float32)
CUTS = {  # what is left of the file: its first bytes, half of it, all but the last 12 bytes
    "header": lambda whole: whole[:150],
    "voxels": lambda whole: whole[:len(whole) // 2],
    "stream end": lambda whole: whole[:-12],
}


def _cut_file(tmp_path, keep):
    whole = tmp_path / "whole.nii.gz"
    nib.save(nib.Nifti1Image(VOXELS, np.diag([0.9, 0.9, 3.0, 1.0])), whole)
    folder = tmp_path / "dossier ü"
    folder.mkdir()
    cut = folder / "t1 cut.nii.gz"
    cut.write_bytes(keep(whole.read_bytes()))
    return cut


def _error_line(result):
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0 and len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("where", CUTS)
def test_every_route_names_a_cut_file_alike(cli, tmp_path, where):
    cut = _cut_file(tmp_path, CUTS[where])
    line = _error_line(cli("info", cut))
    assert line.startswith(f"neuroview: error: {cut}: file is truncated: "), line
    told = line.removeprefix("neuroview: error: ")
    with pytest.raises(CorruptFileError) as raised:
        load_nifti(cut)              # what the window opens it with
    assert str(raised.value) == told
    segment = _error_line(cli("segment", cut, "-o", tmp_path / "mask.nii.gz"))
    assert segment == line
    assert not (tmp_path / "mask.nii.gz").exists()
    convert = _error_line(cli("convert", cut.parent, tmp_path / "out"))
    assert convert.endswith(told), convert     # a folder's only file: "no image found: skipped ..."
    assert "Compressed file ended" not in convert and "Cannot work out" not in convert


def test_the_declared_sizes_are_told_in_bytes_when_kilobytes_read_alike(tmp_path):
    cut = _cut_file(tmp_path, CUTS["stream end"])
    with pytest.raises(CorruptFileError, match=r"declares \d+ bytes \(header and voxels\), the "
                                               r"compressed data inflates to \d+ bytes$"):
        load_nifti(cut)


def test_one_byte_short_keeps_every_voxel_and_opens(cli, tmp_path):
    """Only the gzip trailer (checksum and length) lost its last byte: every voxel inflates, so
    it opens on every route, as in nibabel and ITK (``info`` lists it)."""
    cut = _cut_file(tmp_path, lambda whole: whole[:-1])
    assert np.array_equal(load_nifti(cut).array, VOXELS)
    result = cli("info", cut)
    assert result.returncode == 0 and "48x40x24" in result.stdout, result.stderr


@pytest.mark.parametrize("lost", [1, 4, 8])
def test_a_small_file_cut_in_its_trailer_opens_as_a_bigger_one_does(cli, tmp_path, lost):
    """A ``.nii.gz`` under 540 bytes inflated (nibabel's sniff meets the cut) cut in its gzip
    trailer: every voxel is there, so it opens as the 48x40x24 one above (it said "file is
    truncated: it ends before the voxels"); cut into its data, it is still truncated."""
    voxels = np.arange(8, dtype=np.int16).reshape(2, 2, 2)
    whole = tmp_path / "whole.nii.gz"
    nib.save(nib.Nifti1Image(voxels, np.diag([0.9, 0.9, 3.0, 1.0])), whole)
    cut = tmp_path / "small.nii.gz"
    cut.write_bytes(whole.read_bytes()[:-lost])
    volume = load_nifti(cut)
    assert np.array_equal(volume.array, voxels)
    assert np.allclose(volume.ijk_to_ras, np.diag([0.9, 0.9, 3.0, 1.0]))
    result = cli("info", cut)
    assert result.returncode == 0 and "2x2x2" in result.stdout, result.stderr
    cut.write_bytes(whole.read_bytes()[:-8 - lost])   # a byte of the data itself lost
    with pytest.raises(CorruptFileError, match="file is truncated"):
        load_nifti(cut)
