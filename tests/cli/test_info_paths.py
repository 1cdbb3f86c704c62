"""``neuroview info`` with several paths: every good file listed, one ``neuroview: error:`` line
per bad one (on stderr), exit status 1 if any failed; a truncated ``.nii.gz`` / ``.mgz`` is
reported truncated (its header alone reads fine), a whole one (also as several gzip members) is not."""

from __future__ import annotations

import gzip

import nibabel as nib
import numpy as np
import pytest

CLI_FORKED = "what `info` prints, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

SHAPE = (30, 30, 30)


@pytest.fixture
def files(tmp_path):
    data = np.random.default_rng(0).random(SHAPE).astype(np.float32)
    nib.save(nib.Nifti1Image(data, np.eye(4)), tmp_path / "a.nii")
    nib.save(nib.Nifti1Image(data, np.eye(4)), tmp_path / "whole.nii.gz")
    nib.save(nib.MGHImage(data, np.eye(4)), tmp_path / "whole.mgz")
    (tmp_path / "junk.nii").write_bytes(b"not an image at all" * 30)
    for name in ("whole.nii.gz", "whole.mgz"):
        raw = (tmp_path / name).read_bytes()
        (tmp_path / name.replace("whole", "truncated")).write_bytes(raw[: len(raw) * 2 // 3])
    inflated = gzip.decompress((tmp_path / "whole.nii.gz").read_bytes())
    (tmp_path / "members.nii.gz").write_bytes(gzip.compress(inflated[:5000]) + gzip.compress(inflated[5000:]))
    return tmp_path


def listed(stdout: str) -> list[str]:
    return [line.split("|")[0].split("] ")[1].strip() for line in stdout.splitlines() if line.startswith("[")]


def test_a_bad_file_does_not_hide_the_good_one(cli, files):
    result = cli("info", files / "a.nii", files / "junk.nii")
    assert result.returncode == 1
    assert listed(result.stdout) == ["a.nii"]
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"neuroview: error: {files / 'junk.nii'}: ")
    assert "Traceback" not in result.stdout + result.stderr


def test_good_files_only_exit_zero(cli, files):
    names = ["a.nii", "whole.nii.gz", "whole.mgz", "members.nii.gz"]
    result = cli("info", *[files / name for name in names])
    assert result.returncode == 0, result.stdout + result.stderr
    assert listed(result.stdout) == names
    assert "error" not in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["truncated.nii.gz", "truncated.mgz"])
def test_a_truncated_compressed_file_is_reported(cli, files, name):
    result = cli("info", files / name, files / "a.nii")
    assert result.returncode == 1
    assert listed(result.stdout) == ["a.nii"]
    (error,) = result.stderr.strip().splitlines()
    assert error.startswith(f"neuroview: error: {files / name}: ") and "truncated" in error


def test_a_folder_lists_the_good_files_and_names_the_truncated_one(cli, files):
    result = cli("info", files)
    assert sorted(listed(result.stdout)) == ["a.nii", "members.nii.gz", "whole.mgz", "whole.nii.gz"]
    notes = [line for line in result.stdout.splitlines() if line.startswith("note: skipped")]
    assert any("truncated.nii.gz" in n and "truncated" in n for n in notes)
