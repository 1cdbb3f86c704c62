"""A study handed over packed (zip, tar, gzipped tar) and given where a folder or image is
expected: one line naming the archive and what to do, not "not a DICOM, NIfTI, MGH or NRRD
file" (until session 36). neuroview does not unpack it itself."""

from __future__ import annotations

import shutil
import tarfile

import nibabel as nib
import numpy as np
import pytest

from neuroview.cli.main import main


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    folder = tmp_path_factory.mktemp("study")
    (folder / "scan").mkdir()
    nib.save(nib.Nifti1Image(np.zeros((4, 4, 3), np.int16), np.eye(4)), folder / "scan" / "t1.nii.gz")
    return folder


def _zip(study, target):
    return shutil.make_archive(str(target / "scan"), "zip", study, "scan")


def _tar(study, target):
    with tarfile.open(target / "scan.tar", "w") as archive:
        archive.add(study / "scan", arcname="scan")
    return target / "scan.tar"


def _tgz(study, target):
    return shutil.make_archive(str(target / "scan"), "gztar", study, "scan")


@pytest.mark.parametrize("pack, kind", [(_zip, "zip archive"), (_tar, "tar archive"),
                                        (_tgz, "gzipped tar archive")])
def test_an_archive_is_refused_saying_what_it_is(study, tmp_path, capsys, pack, kind):
    archive = pack(study, tmp_path)
    for argv in (["info", str(archive)], ["convert", str(archive), str(tmp_path / "out") + "/"]):
        assert main(argv) == 1
        err = capsys.readouterr().err.strip()
        assert err == (f"neuroview: error: {archive}: a {kind}, not an image: unpack it and open "
                       "the folder it holds")
    assert not (tmp_path / "out").exists()
