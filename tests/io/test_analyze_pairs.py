"""NIfTI/Analyze 7.5 pairs (``.hdr`` + ``.img``) open, list and convert through nibabel; the
``.img`` must be a regular file beside its header, and a truncated or missing one gives one line
naming the file (issue #16, items 3 and 5)."""

from __future__ import annotations

import os

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import CorruptFileError, LoadError
from tests.io.limited_cli import run_limited

CLI_FORKED = "what `convert` and `info` print and write, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

SECRET = b"SECRET-CONTENT-0123456789abcdef" * 8  # 256 bytes


def _array():
    return np.arange(4 * 5 * 6, dtype=np.int16).reshape(4, 5, 6) - 60


def _affine():
    affine = np.diag([2.0, 3.0, 4.0, 1.0])
    affine[:3, 3] = [10.0, -20.0, 30.0]
    return affine


@pytest.fixture
def pairs(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    nib.save(nib.Nifti1Pair(_array(), _affine()), folder / "pair.hdr")
    nib.save(nib.AnalyzeImage(_array(), _affine()), folder / "analyze.hdr")
    return folder


@pytest.mark.parametrize("name", ["pair.hdr", "pair.img", "analyze.hdr", "analyze.img"])
def test_pairs_load_with_nibabel_geometry(pairs, name):
    from neuroview.io.nifti import load_nifti

    volume = load_nifti(pairs / name)
    reference = nib.load(pairs / (name[:-4] + ".hdr"))  # nibabel, read independently
    np.testing.assert_array_equal(np.asarray(volume.array), _array())
    np.testing.assert_allclose(volume.ijk_to_ras, reference.affine)
    assert volume.source_path == str(pairs / (name[:-4] + ".hdr"))
    if name.startswith("pair"):
        np.testing.assert_allclose(volume.ijk_to_ras, _affine())


def test_a_folder_lists_each_pair_once_and_convert_writes_what_nibabel_reads(pairs, cli, tmp_path):
    from neuroview.io import scan

    found = {c.description: c.source_format for c in scan(pairs).candidates}
    assert found == {"analyze.hdr": "Analyze 7.5", "pair.hdr": "NIfTI pair"}
    info = cli("info", pairs / "pair.img")
    assert info.returncode == 0 and "4x5x6 | 2x3x4 mm" in info.stdout, info.stderr
    assert "format NIfTI pair" in info.stdout
    out = tmp_path / "out.nii.gz"
    result = cli("convert", pairs / "pair.hdr", out)
    assert result.returncode == 0, result.stderr
    written = nib.load(out)
    np.testing.assert_array_equal(np.asarray(written.dataobj), _array())
    np.testing.assert_allclose(written.affine, _affine())


def _hostile(pairs, tmp_path) -> dict[str, str]:
    """Pairs whose ``.img`` is not a regular file beside the header: name -> expected words."""
    secret = tmp_path / "private" / "secret.img"
    secret.parent.mkdir()
    secret.write_bytes(SECRET)
    header = (pairs / "pair.hdr").read_bytes()
    cases = {"link-out": "points outside", "device": "points outside", "fifo": "not a regular file",
             "missing": "does not exist", "truncated": "truncated", "folder": "not a regular file"}
    for name in cases:
        (pairs / f"{name}.hdr").write_bytes(header)
    (pairs / "link-out.img").symlink_to(secret)
    (pairs / "device.img").symlink_to("/dev/zero")
    (pairs / "truncated.img").write_bytes((pairs / "pair.img").read_bytes()[:100])
    (pairs / "folder.img").mkdir()
    os.mkfifo(pairs / "fifo.img")  # opening it to read would block: it must never be opened
    return cases


def test_an_img_that_is_not_a_regular_file_beside_its_header_is_refused(pairs, tmp_path):
    from neuroview.io.nifti import load_nifti, open_nifti

    for name, words in _hostile(pairs, tmp_path).items():
        for reader in (open_nifti, load_nifti):
            with pytest.raises(CorruptFileError, match=words) as caught:
                reader(pairs / f"{name}.hdr")
            assert f"{name}." in str(caught.value), name
    (pairs / "alone.img").write_bytes(bytes(240))
    with pytest.raises(LoadError, match="alone.hdr is not beside it"):
        load_nifti(pairs / "alone.img")


def test_cli_gives_one_line_for_hostile_pairs(pairs, tmp_path):
    """``info`` and ``convert`` as a user runs them (one process, 4 GiB address space)."""
    cases = _hostile(pairs, tmp_path)
    commands, expected = [], []
    for name, words in cases.items():
        header, out = pairs / f"{name}.hdr", tmp_path / f"{name}.nii.gz"
        for args in (["info", str(header)], ["convert", str(header), str(out)]):
            commands.append(args)
            expected.append((name, words))
        if name not in ("missing", "folder"):  # (a folder named .img is scanned as a folder)
            commands.append(["info", str(pairs / f"{name}.img")])
            expected.append((name, words))
    for (name, words), args, result in zip(expected, commands, run_limited(commands)):
        lines = result["stderr"].strip().splitlines()
        assert result["rc"] == 1, (name, args, result)
        assert len(lines) == 1 and words in lines[0] and f"{name}." in lines[0], (name, lines)
        assert "Traceback" not in result["stderr"] and "internal error" not in result["stderr"]
        assert SECRET[:16].decode() not in result["stdout"] + result["stderr"]
    assert not list(tmp_path.glob("*.nii.gz"))
