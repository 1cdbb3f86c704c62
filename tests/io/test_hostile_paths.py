"""Paths found inside files: a detached NRRD header or a DICOMDIR may name only regular files in
its own folder. Anything else (``..``, absolute paths, devices, symlinks out) is refused with one
line naming the file, and no byte of the outside file reaches an output."""

from __future__ import annotations

import os
import shutil
import warnings

import numpy as np
import pytest

from neuroview.core.errors import CorruptFileError, NoImageFoundError

CLI_FORKED = "what `info` prints, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

SECRET = b"SECRET-CONTENT-0123456789abcdef" * 4  # 128 bytes: enough for a 4x4x8 uint8 image


def _header(data_file: str) -> str:
    return ("NRRD0004\ntype: uint8\ndimension: 3\nsizes: 4 4 8\nspace: left-posterior-superior\n"
            "space directions: (1,0,0) (0,1,0) (0,0,1)\nencoding: raw\n"
            f"data file: {data_file}\n\n")


@pytest.fixture
def layout(tmp_path):
    """``(case folder, secret file outside it)``."""
    case = tmp_path / "case"
    case.mkdir()
    secret = tmp_path / "private" / "secret.raw"
    secret.parent.mkdir()
    secret.write_bytes(SECRET)
    return case, secret


def _hostile_headers(case, secret) -> dict[str, str]:
    (case / "link.raw").symlink_to(secret)
    return {"dotdot": "../private/secret.raw", "absolute": str(secret), "device": "/dev/zero",
            "symlink-out": "link.raw", "deep": "../../../../../../../../etc/passwd"}


def test_detached_nrrd_reads_only_files_in_its_folder(layout):
    from neuroview.io.nrrd import load_nrrd, read_nrrd_header

    case, secret = layout
    (case / "ok.raw").write_bytes(bytes(range(128)))
    (case / "ok.nhdr").write_text(_header("ok.raw"))
    assert load_nrrd(case / "ok.nhdr").array.shape == (4, 4, 8)  # the normal case still works
    for name, data_file in _hostile_headers(case, secret).items():
        header = case / f"{name}.nhdr"
        header.write_text(_header(data_file))
        for reader in (read_nrrd_header, load_nrrd):
            with pytest.raises(CorruptFileError, match="data file") as caught:
                reader(header)
            assert str(header) in str(caught.value)


def test_cli_convert_and_info_refuse_a_header_pointing_outside(layout, cli, tmp_path):
    case, secret = layout
    headers = _hostile_headers(case, secret)
    for name, data_file in headers.items():
        header = case / f"{name}.nhdr"
        header.write_text(_header(data_file))
        out = tmp_path / f"{name}.nii.gz"
        for args in (("convert", header, out), ("info", header)):
            result = cli(*args)
            lines = result.stderr.strip().splitlines()
            assert result.returncode == 1, (name, args[0], result.stderr)
            assert len(lines) == 1 and str(header) in lines[0] and "data file" in lines[0]
            assert "Traceback" not in result.stderr and "internal error" not in result.stderr
            assert SECRET[:16].decode() not in result.stdout + result.stderr
        assert not out.exists()


def _dicomdir(folder, referenced: list[list[str]]):
    """A DICOMDIR in ``folder`` listing pydicom's CT_small.dcm once per entry of ``referenced``
    (the ReferencedFileID of each record, edited after pydicom wrote a valid File-set)."""
    import pydicom
    from pydicom.data import get_testdata_file
    from pydicom.fileset import FileSet

    source = get_testdata_file("CT_small.dcm")
    fileset = FileSet()
    for number in range(len(referenced)):
        ds = pydicom.dcmread(source)
        ds.SOPInstanceUID = f"{ds.SOPInstanceUID}.{number + 1}"
        ds.SeriesInstanceUID = f"{ds.SeriesInstanceUID}.{number + 1}"
        fileset.add(ds)
    fileset.write(folder)
    index = pydicom.dcmread(folder / "DICOMDIR")
    records = [r for r in index.DirectoryRecordSequence if "ReferencedFileID" in r]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom warns that '..' is not a valid CS value
        for record, file_id in zip(records, referenced):
            if file_id:
                record.ReferencedFileID = file_id
        index.save_as(folder / "DICOMDIR")
    return folder / "DICOMDIR"


@pytest.mark.parametrize("kind", ["dotdot", "symlink-out", "device"])
def test_dicomdir_entries_outside_its_folder_are_refused(tmp_path, cli, kind):
    from pydicom.data import get_testdata_file

    from neuroview.io import scan

    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(get_testdata_file("CT_small.dcm"), outside / "SECRET")
    folder = tmp_path / "set"
    folder.mkdir()
    if kind == "dotdot":
        index = _dicomdir(folder, [[], ["..", "outside", "SECRET"]])
    else:
        index = _dicomdir(folder, [[], ["LINK"]])  # the first record stays valid
        os.symlink(outside / "SECRET" if kind == "symlink-out" else "/dev/zero", folder / "LINK")
    with pytest.raises(CorruptFileError, match="outside its folder"):
        scan(index)
    result = cli("info", index)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(index) in lines[0] and "outside its folder" in lines[0]
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_dicomdir_filter_refuses_what_pydicom_would_let_through(tmp_path, monkeypatch):
    """Our own check (a regular file under the DICOMDIR's folder, symlinks resolved) holds even
    if the pydicom in use does not check ReferencedFileID itself."""
    import pydicom

    from neuroview.io.dicom.dicomdir import referenced_files

    folder = tmp_path / "set"
    folder.mkdir()
    index = _dicomdir(folder, [[], []])
    ds = pydicom.dcmread(index)
    inside, refused, damage = referenced_files(ds, str(index))
    assert len(inside) == 2 and not refused and not damage
    fifo, outside = tmp_path / "fifo", tmp_path / "outside.dcm"
    os.mkfifo(fifo)
    outside.write_bytes(b"x")

    class Instance:
        def __init__(self, path):
            self.path = path

    fake = [Instance(str(folder / "PT000000" / "ok")), Instance(str(outside)), Instance(str(fifo)),
            Instance(str(folder / "missing"))]
    (folder / "PT000000" / "ok").write_bytes(b"x")
    monkeypatch.setattr("pydicom.fileset.FileSet", lambda ds: fake)
    inside, refused, _ = referenced_files(ds, str(index))
    assert inside == [str(folder / "PT000000" / "ok"), str(folder / "missing")]
    assert refused == [str(outside), str(fifo)]


@pytest.mark.parametrize("n_refused", [1, 2])
def test_dicomdir_files_refused_are_counted_in_words(tmp_path, monkeypatch, n_refused):
    """The scan's note on listed files it did not read: "1 file not read", "2 files not read"
    (it said "1 file(s) listed outside ... were not read")."""
    from neuroview.io import scan

    folder = tmp_path / "set"
    folder.mkdir()
    index = _dicomdir(folder, [[]])
    outside = [tmp_path / f"outside{k}.dcm" for k in range(n_refused)]

    class Instance:
        def __init__(self, path):
            self.path = path

    monkeypatch.setattr("pydicom.fileset.FileSet", lambda ds: [Instance(str(p)) for p in outside])
    with pytest.raises(NoImageFoundError) as raised:  # nothing else listed: nothing to open
        scan(index)
    files = "1 file" if n_refused == 1 else f"{n_refused} files"
    assert str(raised.value) == (f"{index}: {files} not read (listed outside the DICOMDIR's "
                                 f"folder, or not a regular file; e.g. {outside[0]})")


def test_nrrd_header_data_file_check_does_not_read_the_target(layout, monkeypatch):
    """The refusal happens before pynrrd opens the named file (no read of a device or FIFO)."""
    import nrrd

    case, _secret = layout
    os.mkfifo(case / "pipe.raw")  # opening a FIFO for reading would block forever
    (case / "pipe.nhdr").write_text(_header("pipe.raw"))
    opened = []
    monkeypatch.setattr(nrrd, "read", lambda *a, **k: opened.append(a) or (np.zeros(1), {}))
    from neuroview.io.nrrd import load_nrrd

    with pytest.raises(CorruptFileError, match="not a regular file"):
        load_nrrd(case / "pipe.nhdr")
    assert not opened


def test_a_nrrd_line_skip_past_the_end_is_one_line(tmp_path, cli):
    """pynrrd reads a ``line skip`` line by line, past the end as empty lines: 99999999999 of
    them in a 1 kB file kept ``convert`` busy for hours (stopped by the test corpus's 30 s)."""
    path = tmp_path / "skip.nrrd"
    path.write_bytes(_header("x").replace("data file: x\n", "line skip: 99999999999\n").encode()
                     + bytes(128))
    size = path.stat().st_size
    for verb in (["info", path], ["convert", path, tmp_path / "out.nii.gz"]):
        done = cli(*verb, timeout=60)
        assert done.returncode == 1
        assert done.stderr == (f"neuroview: error: {path}: NRRD header's line skip 99999999999 is "
                               f"more lines than the {size}-byte data file holds (damaged)\n")
    assert not (tmp_path / "out.nii.gz").exists()


def test_a_nrrd_origin_of_infinity_is_one_line_without_numpy_warnings(tmp_path, cli):
    path = tmp_path / "origin.nrrd"
    path.write_bytes(_header("x").replace("data file: x\n", "space origin: (inf,0,0)\n").encode()
                     + bytes(128))
    done = cli("info", path)
    assert done.returncode == 1
    assert done.stderr == (f"neuroview: error: {path}: header has a non-finite affine "
                           "(NaN or infinity)\n")  # numpy's RuntimeWarning came first


def test_dicomdir_records_pointing_back_are_read_not_followed_for_ever(tmp_path, cli):
    """Every record's next and child offsets naming the first record: pydicom's FileSet walked
    that chain for ever (``neuroview info`` hung until killed). The files the records name are
    read, with one note saying the hierarchy loops."""
    import pydicom

    index = _dicomdir(tmp_path, [[], []])
    ds = pydicom.dcmread(index)
    first = ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity
    for record in ds.DirectoryRecordSequence:
        record.OffsetOfTheNextDirectoryRecord = first
        record.OffsetOfReferencedLowerLevelDirectoryEntity = first
    ds.save_as(index)
    result = cli("info", index, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    notes = [line for line in (result.stdout + result.stderr).splitlines() if "loop" in line]
    assert len(notes) == 1 and str(index) in notes[0], result.stdout + result.stderr
    assert "2 files" in notes[0]
