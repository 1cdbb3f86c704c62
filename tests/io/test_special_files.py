"""Files that are not files: a named pipe or a link to a device among a study's files. Opening a
named pipe waits for a writer for ever: `neuroview info` on a folder holding one hung (a DICOM
file is read without an extension to go by), and a link to /dev/zero read "file is empty"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from neuroview.paths import resources_dir

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def _info(path, timeout=60):
    return subprocess.run([sys.executable, "-m", "neuroview", "info", str(path)], capture_output=True,
                          text=True, timeout=timeout)


def test_a_named_pipe_in_a_study_folder_is_skipped_with_a_note(tmp_path):
    shutil.copy(resources_dir() / "demo" / "mni152_t1_1mm.nii.gz", tmp_path / "t1.nii.gz")
    os.mkfifo(tmp_path / "IM0001")
    os.mkfifo(tmp_path / "scan.nii")
    result = _info(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "197x233x189" in result.stdout
    said = result.stdout + result.stderr
    assert f"skipped {tmp_path / 'IM0001'}: is a named pipe, not an image file" in said


@pytest.mark.parametrize("name", ["IM0001", "scan.nii", "scan.nrrd"])
def test_a_named_pipe_given_alone_is_one_line(tmp_path, name):
    os.mkfifo(tmp_path / name)
    result = _info(tmp_path / name)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {tmp_path / name}: is a named pipe, not an image file"]


def test_a_link_to_a_device_is_named_as_such(tmp_path):
    (tmp_path / "zero.nii").symlink_to("/dev/zero")
    result = _info(tmp_path / "zero.nii")
    assert result.returncode != 0
    assert "is a device, not an image file" in result.stderr


def test_a_nrrd_header_without_an_end_is_refused_within_bounded_memory(tmp_path):
    """A file that begins like a NRRD but holds no line break for 3 GB (sparse here): pynrrd read
    the whole "line", 21 GB of memory for a 20 GB file. Now one line, under 1 GB of address space."""
    import resource

    path = tmp_path / "big.nrrd"
    with open(path, "wb") as handle:
        handle.write(b"NRRD0004\n")
        handle.truncate(3 << 30)

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    result = subprocess.run([sys.executable, "-m", "neuroview", "info", str(path)], capture_output=True,
                            text=True, timeout=60, preexec_fn=limit)
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {path}: NRRD header does not end within its first 1 MB (no empty line)"]
