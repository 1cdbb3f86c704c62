"""A ``.nii.gz`` cut just past its header (a few hundred compressed bytes) read "header declares
1.1 MB of voxels ..., more than a 500 bytes compressed file can hold (truncated or lying header)"
on every route, while a file cut elsewhere read "file is truncated: the header declares ...". A
cut gzip stream now reads like the others; a whole gzip stream whose header claims more than it
holds keeps its line. With voxels that do not compress (noise) the same cut read "not a valid
NIfTI/MGH header (Cannot work out file type ...)": nibabel's sniff of a NIfTI-2 header ran into
the end of the stream; it reads truncated too."""

from __future__ import annotations

import gzip

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import CorruptFileError
from neuroview.io.nifti import load_nifti

CLI_FORKED = ("the one line `info`, `segment` and `convert` say about a cut file, not a "
              "process's start; no network runs (segment stops at reading the file)")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

LYING = "more than a {size} bytes compressed file can hold (truncated or lying header)"


def _smooth_file(tmp_path):
    """A compressible image (1.1 MB of voxels in 17 kB), as real scans with air around them are."""
    z, y, x = np.mgrid[:64, :96, :96]
    whole = tmp_path / "whole.nii.gz"
    nib.save(nib.Nifti1Image(((x + y + z) % 50).astype(np.int16), np.eye(4)), whole)
    folder = tmp_path / "dossier ü"
    folder.mkdir()
    return whole.read_bytes(), folder / "t1 cut.nii.gz"


def _noisy_file(tmp_path):
    """Voxels that do not compress: 180 kB declared, more than 1032 x 600 bytes cannot hold."""
    voxels = np.random.default_rng(7).normal(size=(48, 40, 24)).astype(np.float32)
    whole = tmp_path / "whole.nii.gz"
    nib.save(nib.Nifti1Image(voxels, np.diag([0.9, 0.9, 3.0, 1.0])), whole)
    folder = tmp_path / "dossier ü"
    folder.mkdir()
    return whole.read_bytes(), folder / "t1 cut.nii.gz"


def _error_line(result):
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0 and len(lines) == 1, result.stderr
    return lines[0]


def _lines_on_every_route(cli, tmp_path, path) -> str:
    """The one line ``info`` gives, after checking the loader the window uses, ``segment`` and
    ``convert`` of the folder holding it give the same."""
    line = _error_line(cli("info", path))
    told = line.removeprefix("neuroview: error: ")
    with pytest.raises(CorruptFileError) as raised:
        load_nifti(path)             # what the window opens it with
    assert str(raised.value) == told
    assert _error_line(cli("segment", path, "-o", tmp_path / "mask.nii.gz")) == line
    assert not (tmp_path / "mask.nii.gz").exists()
    assert _error_line(cli("convert", path.parent, tmp_path / "out")).endswith(told)
    return told


@pytest.mark.parametrize("keep", [400, 500, 600])
def test_a_file_cut_just_past_its_header_reads_truncated_on_every_route(cli, tmp_path, keep):
    whole, cut = _smooth_file(tmp_path)
    cut.write_bytes(whole[:keep])
    told = _lines_on_every_route(cli, tmp_path, cut)
    assert told.startswith(f"{cut}: file is truncated: the header declares 1.1 MB (header and "
                           "voxels), the compressed data inflates to "), told
    assert told.endswith(" kB") and "lying" not in told


@pytest.mark.parametrize("keep", [400, 600])
def test_a_noisy_file_cut_just_past_its_header_reads_truncated_on_every_route(cli, tmp_path, keep):
    whole, cut = _noisy_file(tmp_path)
    cut.write_bytes(whole[:keep])
    told = _lines_on_every_route(cli, tmp_path, cut)
    assert told.startswith(f"{cut}: file is truncated: the header declares 180.3 kB (header and "
                           "voxels), the compressed data inflates to "), told
    assert told.endswith(" bytes") and "Cannot work out" not in told


def test_a_whole_stream_whose_header_claims_more_keeps_the_lying_header_line(cli, tmp_path):
    header = nib.Nifti1Header()
    header.set_data_dtype(np.float32)
    header.set_data_shape((512, 512, 512))
    header.set_data_offset(352)
    _, lying = _smooth_file(tmp_path)
    lying.write_bytes(gzip.compress(header.binaryblock + bytes(4) + bytes(256)))
    told = _lines_on_every_route(cli, tmp_path, lying)
    size = lying.stat().st_size
    assert told == f"{lying}: header declares 512.0 MB of voxels (512x512x512), {LYING.format(size=size)}"
