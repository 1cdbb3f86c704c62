"""``neuroview info`` on a multi-member ``.nii.gz`` "bomb" reads the header and the gzip trailers,
not the gigabytes the members inflate to: whole, it is listed; cut short, or holding less than its
header declares, it is one line naming the file. What ``info`` inflates is counted (every
``zlib.decompressobj`` output, gzip's own included), in process."""

from __future__ import annotations

import gzip
import zlib

import numpy as np
import pytest

from tests.io.hostile_corpus import GIB, _gzip_zeros, _nifti
from tests.io.inflated_bytes import count_inflated

DECLARED = GIB
MEMBER = 64 << 20
ALLOWED = 2 * MEMBER
"""The header, a few hundred bytes of each member start, and the last member: under 128 MiB."""


@pytest.fixture
def inflated(monkeypatch):
    return count_inflated(monkeypatch, zlib)


def _bomb(path, held=DECLARED):
    """A header declaring 1 GiB of voxels, then ``held`` bytes of them: 1 MiB of noise (so that a
    cut or a shortfall stays within what deflate could hold) and 64 MiB members of zeros."""
    header = _nifti((1024, 1024, DECLARED // (1 << 20)), dtype=np.uint8)
    noise = np.random.default_rng(0).bytes(1 << 20)
    path.write_bytes(gzip.compress(header) + gzip.compress(noise)
                     + _gzip_zeros(held - len(noise), MEMBER))
    return path


def _info(path, capsys):
    from neuroview.cli.main import main

    code = main(["info", str(path)])
    out, err = capsys.readouterr()
    return code, out, err.strip().splitlines()


def test_a_whole_bomb_is_listed_inflating_only_its_last_member(tmp_path, inflated, capsys):
    path = _bomb(tmp_path / "bomb.nii.gz")
    code, out, errors = _info(path, capsys)
    assert code == 0 and errors == [], errors
    assert "1024x1024x1024" in out
    assert inflated[0] <= ALLOWED, f"info inflated {inflated[0] >> 20} MiB"


def test_a_bomb_cut_short_is_one_line_naming_it(tmp_path, inflated, capsys):
    whole = _bomb(tmp_path / "whole.nii.gz").read_bytes()
    path = tmp_path / "cut.nii.gz"
    path.write_bytes(whole[: len(whole) * 2 // 3 + 1001])  # inside a member
    code, out, errors = _info(path, capsys)
    assert code == 1 and out == ""
    (error,) = errors
    assert error.startswith(f"neuroview: error: {path}: file is truncated"), error
    assert inflated[0] <= ALLOWED, f"info inflated {inflated[0] >> 20} MiB"


def test_a_bomb_holding_less_than_its_header_declares_is_refused(tmp_path, inflated, capsys):
    path = _bomb(tmp_path / "short.nii.gz", held=DECLARED // 2)  # whole members, half the voxels
    code, out, errors = _info(path, capsys)
    assert code == 1
    (error,) = errors
    assert error.startswith(f"neuroview: error: {path}: file is truncated"), error
    assert "512.0 MB" in error, error
    assert inflated[0] <= ALLOWED, f"info inflated {inflated[0] >> 20} MiB"
