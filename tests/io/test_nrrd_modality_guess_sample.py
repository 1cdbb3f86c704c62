"""The series chooser (and ``info``) tells a CT NRRD by 16 of its slices, as it tells a CT NIfTI:
it read the whole NRRD for it (500 MiB for a 512x512x1000 int16 CT) before the chooser appeared.
A whole read (pynrrd's, or neuroview's inflating) fails here."""

from __future__ import annotations

import sys
from pathlib import Path

import nrrd
import numpy as np
import pytest

from neuroview.io import nrrd as nrrd_module
from neuroview.io.modality_guess import CT_FROM_VALUES, SAMPLED_SLICES, guessed_modality
from neuroview.io.nrrd_sample import sampled_nrrd_slices
from neuroview.io.registry import scan

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nrrd_ct import padded_ct, write_nrrd  # noqa: E402

SHAPE = (48, 48, 120)
ENCODINGS = [("ct.nrrd", "raw"), ("ct.nrrd", "gzip"), ("ct.nrrd", "bzip2"), ("ct.nhdr", "raw"),
             ("ct.nhdr", "gzip")]


@pytest.fixture
def no_whole_read(monkeypatch):
    def whole(*args, **kwargs):
        raise AssertionError("the whole image was read to guess its modality")

    monkeypatch.setattr(nrrd, "read", whole)
    monkeypatch.setattr(nrrd_module, "_inflate_voxels", whole)


def _ct(padding: int = -3024) -> np.ndarray:
    return padded_ct(padding, SHAPE[0], SHAPE[2])


@pytest.mark.parametrize("name, encoding", ENCODINGS)
def test_a_ct_nrrd_is_named_from_a_few_slices(tmp_path, no_whole_read, name, encoding):
    path = write_nrrd(tmp_path / name, _ct(), encoding)
    assert guessed_modality(scan(path).candidates[0]) == CT_FROM_VALUES


def test_an_mr_nrrd_is_still_not_named(tmp_path, no_whole_read):
    mr = np.random.default_rng(0).uniform(0, 900, SHAPE).astype(np.float32)
    path = write_nrrd(tmp_path / "t1.nrrd", mr, "gzip")
    assert guessed_modality(scan(path).candidates[0]) == ""


@pytest.mark.parametrize("encoding, fields", [("raw", {}), ("raw", {"endian": "big"}),
                                              ("gzip", {}), ("raw", {"byte skip": -1})])
def test_the_sample_is_the_files_slices(tmp_path, encoding, fields):
    image = np.random.default_rng(1).integers(-3000, 3000, SHAPE).astype(np.int16)
    path = write_nrrd(tmp_path / "ct.nrrd", image, encoding, **fields)
    sample = sampled_nrrd_slices(path, SAMPLED_SLICES)
    n = SHAPE[2]
    if encoding == "raw":       # evenly spaced over all slices
        picks = np.unique(np.linspace(0, n - 1, SAMPLED_SLICES).round().astype(int))
    else:                       # from the first half, up to the centre
        step = -(-(n // 2 + 1) // SAMPLED_SLICES)
        picks = np.arange(n // 2, -1, -step)[::-1]
    assert sample.shape == (*SHAPE[:2], len(picks)) and len(picks) <= SAMPLED_SLICES
    np.testing.assert_array_equal(sample, nrrd.read(str(path), index_order="F")[0][:, :, picks])


def test_a_text_nrrd_is_read_whole_and_still_named(tmp_path):
    path = write_nrrd(tmp_path / "ct.nrrd", padded_ct(-3024, 24, 6), "ascii")
    assert sampled_nrrd_slices(path, SAMPLED_SLICES) is None
    assert guessed_modality(scan(path).candidates[0]) == CT_FROM_VALUES


def test_a_cut_short_nrrd_is_not_named(tmp_path):
    path = write_nrrd(tmp_path / "ct.nrrd", _ct(), "gzip")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 4])
    assert guessed_modality(scan(path).candidates[0]) == ""
