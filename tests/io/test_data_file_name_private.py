"""A detached header's data file (NRRD ``data file``, MetaImage ``ElementDataFile``) is named in
the one line that refuses it only where it is a file of the header's own folder (the name the
user's header gives): a path outside that folder, absolute or through ``..``, is said as such and
not shown (it may be another patient's folder), and no log record holds either."""

from __future__ import annotations

import logging

import pytest

from neuroview.cli.main import main

NRRD = ("NRRD0004\ntype: float\ndimension: 3\nsizes: 4 4 4\nspace directions: (1,0,0) (0,1,0) "
        "(0,0,1)\nencoding: raw\nendian: little\ndata file: {}\n\n")
MHD = "ObjectType = Image\nNDims = 3\nDimSize = 4 4 4\nElementType = MET_FLOAT\nElementDataFile = {}\n"


@pytest.mark.parametrize("header,named,said", [
    ("a.nhdr", "ZZDATA^NAME.raw", "data file 'ZZDATA^NAME.raw' does not exist"),
    ("b.nhdr", "../../ZZOUT^SIDE/x.raw",
     "data file must be a relative path inside the folder of b.nhdr: it names a path through '..' "
     "(not shown)"),
    ("c.mhd", "ZZDATA^NAME.raw", "data file 'ZZDATA^NAME.raw' does not exist"),
    ("d.mhd", "/ZZABS^PATH/y.raw",
     "data file must be a relative path inside the folder of d.mhd: it names an absolute path (not shown)"),
])
def test_the_data_file_is_named_only_inside_the_headers_folder_and_never_logged(
        tmp_path, capsys, caplog, header, named, said):
    caplog.set_level(logging.DEBUG)
    path = tmp_path / header
    path.write_text((NRRD if header.endswith(".nhdr") else MHD).format(named))
    for verb in (["info", str(path)], ["convert", str(path), str(tmp_path / "out.nii.gz")]):
        assert main(verb) != 0
        err = capsys.readouterr().err
        assert err == f"neuroview: error: {path}: {said.format(folder=tmp_path)}\n"
    assert not (tmp_path / "out.nii.gz").exists()
    assert main(["info", str(tmp_path)]) != 0        # a folder: the file skipped, why
    assert capsys.readouterr().err == (f"neuroview: error: {tmp_path}: no image found: skipped {path}: "
                                       f"{said.format(folder=tmp_path)}\n")
    assert [r.getMessage() for r in caplog.records if "ZZ" in r.getMessage()] == []
