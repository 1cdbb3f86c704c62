"""``neuroview info``'s numbers are the ones ``--series N`` takes (session 32, a walk of the command
line): info left a truncated ``.nii.gz`` out of its numbering, while ``convert``, ``segment`` and
``snapshot`` count it, so with the damaged file sorting first, ``convert DIR out.nii.gz --series 2``
wrote the image info listed as [1]; a wrong series with no word of it."""

from __future__ import annotations

import re

import nibabel as nib
import numpy as np

CLI_FORKED = "what `convert` and `info` print and write, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_convert_series_n_writes_the_image_info_lists_as_n(cli, tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    shapes = {"b_t1.nii.gz": (10, 11, 12), "c_flair.nii.gz": (13, 14, 15)}
    for name, shape in shapes.items():
        data = np.arange(np.prod(shape), dtype=np.int16).reshape(shape)
        nib.save(nib.Nifti1Image(data, np.diag([1.0, 1.0, 2.0, 1.0])), folder / name)
    whole = (folder / "b_t1.nii.gz").read_bytes()
    (folder / "a_cut.nii.gz").write_bytes(whole[: len(whole) // 2])   # sorts first

    info = cli("info", folder)
    assert info.returncode == 0, info.stderr
    numbers = {m.group(2): int(m.group(1))
               for m in re.finditer(r"^\[(\d+)\] (\S+)", info.stdout, flags=re.M)}
    assert set(numbers) == set(shapes)
    assert any(line.startswith("note: skipped [1] ") and "a_cut.nii.gz" in line
               for line in info.stdout.splitlines()), info.stdout

    for name, shape in shapes.items():
        out = tmp_path / f"series{numbers[name]}.nii.gz"
        convert = cli("convert", folder, out, "--series", numbers[name])
        assert convert.returncode == 0, convert.stderr
        assert nib.load(out).shape == shape, (name, numbers)


def test_a_series_number_not_there_names_the_input(cli, tmp_path):
    """``--series 2`` of a one-series input: one line naming the input, as every other error
    (`series 2 does not exist; 1 found` named none: in a script over many studies, which one?)."""
    image = tmp_path / "t1.nii.gz"
    nib.save(nib.Nifti1Image(np.zeros((8, 9, 10), np.int16), np.eye(4)), image)
    for verb in (("convert", image, tmp_path / "out.nii.gz"), ("snapshot", image, "-o", tmp_path / "s.png")):
        run = cli(*verb, "--series", 2)
        assert run.returncode == 1
        assert run.stderr.strip().splitlines() == [
            f"neuroview: error: {image}: series 2 does not exist; 1 found (see 'neuroview info')"], run.stderr
    assert not (tmp_path / "out.nii.gz").exists() and not (tmp_path / "s.png").exists()
