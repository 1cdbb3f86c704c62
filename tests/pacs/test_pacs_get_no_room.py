"""``neuroview pacs get`` onto a disk without room for the series: refused before the first byte
is copied out of the cache, in one line, and a disk that fills midway leaves nothing half-written
(the copy failed mid-way with ``[Errno 28]`` and a list of files, its ``.partial-`` folder left);
a copy there before stays whole until the new one is."""

from __future__ import annotations

import errno
import os
import shutil

import pydicom
from orthanc_server import server_config

from neuroview.cli.main import main
from neuroview.io.pacs import save_server, store


def test_a_series_with_no_room_is_refused_and_leaves_nothing(empty_orthanc, small_series, tmp_path,
                                                             monkeypatch, capsys):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(server_config(empty_orthanc, name="lab"))
    store(server_config(empty_orthanc, name="lab"), [small_series.folder])
    series = str(pydicom.dcmread(small_series.files[0], stop_before_pixels=True).SeriesInstanceUID)
    out = tmp_path / "out"
    get = ["pacs", "get", "--server", "lab", "--series", series, "-o", str(out)]
    assert main(get) == 0                       # retrieved into the cache, and copied out
    before = sorted(p.name for p in (out / series).iterdir())
    capsys.readouterr()

    usage = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(path)._replace(free=1000)
                        if str(path).startswith(str(out)) else usage(path))
    assert main(get) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"neuroview: error: {out}: the series retrieved is ")
    assert err[0].endswith("more than the 1000 bytes free there: not copied"), err
    assert series not in err[0]                 # no UID in the line
    assert sorted(os.listdir(out)) == [series]  # no .partial- folder
    assert sorted(p.name for p in (out / series).iterdir()) == before   # the copy before: whole
    monkeypatch.setattr(shutil, "disk_usage", usage)

    copied, copy = [], shutil.copyfile

    def full_at_the_second_file(source, target, **kwargs):
        if copied:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        copied.append(target)
        return copy(source, target, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", full_at_the_second_file)
    assert main(get) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"neuroview: error: {out}: the series retrieved not copied (the disk is full); "
                   "nothing of it is left there"]
    assert sorted(os.listdir(out)) == [series]
    assert sorted(p.name for p in (out / series).iterdir()) == before
