"""``neuroview pacs`` as a user runs it: add a server, echo, find, get into a folder, store."""

from __future__ import annotations

import os
import re
import stat

import pydicom
import pytest
from orthanc_server import CLIENT_AET, PASSWORD, SERVER_AET, USER, server_config
from series_maker import SeriesSpec, write_series

from neuroview.cli.main import main
from neuroview.io.pacs import SeriesCache, load_servers, store


def test_cli_add_echo_find_get_store(empty_orthanc, small_series, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEUROVIEW_PACS_PASSWORD", PASSWORD)
    assert main(["pacs", "add", "lab", "--host", "127.0.0.1", "--port", str(empty_orthanc.dicom_port),
                 "--aet", SERVER_AET, "--calling-aet", CLIENT_AET, "--url", empty_orthanc.dicomweb_url,
                 "--user", USER]) == 0
    credentials = tmp_path / "home" / "pacs" / "credentials.json"
    assert stat.S_IMODE(os.stat(credentials).st_mode) == 0o600
    assert PASSWORD not in (tmp_path / "home" / "pacs" / "servers.json").read_text()
    monkeypatch.delenv("NEUROVIEW_PACS_PASSWORD")
    assert load_servers()["lab"].password == PASSWORD
    assert main(["pacs", "list"]) == 0
    assert PASSWORD not in capsys.readouterr().out

    assert main(["pacs", "echo", "--server", "lab"]) == 0
    assert main(["pacs", "store", "--server", "lab", "--protocol", "web", str(small_series.folder)]) == 0
    ds = pydicom.dcmread(small_series.files[0], stop_before_pixels=True)
    for typed in ("Doe*", "jane doe"):   # a name as people write it found nothing until session 44
        assert main(["pacs", "find", "--server", "lab", "--patient-name", typed, "--modality", "MR"]) == 0
        out = capsys.readouterr().out
        assert f"StudyInstanceUID={ds.StudyInstanceUID}" in out and "1 match" in out.splitlines()
    assert main(["pacs", "get", "--server", "lab", "--study", str(ds.StudyInstanceUID),
                 "-o", str(tmp_path / "out")]) == 0
    got = sorted(p.name for p in (tmp_path / "out" / str(ds.SeriesInstanceUID)).iterdir())
    assert len(got) == len(small_series.files) and not any(name.startswith(".") for name in got)
    # the retrieval went through the cache in the data dir
    assert SeriesCache(tmp_path / "home" / "pacs-cache").lookup(str(ds.SeriesInstanceUID)) is not None


def test_cli_errors_are_one_line(orthanc, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    assert main(["pacs", "echo", "--server", "nowhere"]) == 1
    assert main(["pacs", "echo", "--host", "127.0.0.1", "--port", str(orthanc.dicom_port),
                 "--aet", "WRONG", "--calling-aet", CLIENT_AET]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "no DICOM server named 'nowhere'" in err[0]
    assert "refused the association" in err[1]


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_cli_find_shows_modalities_as_a_list(empty_orthanc, small_series, mni_volume, tmp_path,
                                             monkeypatch, capsys, protocol):
    """A study with an MR and a CT series: ``pacs find`` prints its modalities as the dialog shows
    them, 'MR, CT', not DICOM's 'MR\\CT'."""
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEUROVIEW_PACS_PASSWORD", PASSWORD)
    study_uid = str(pydicom.dcmread(small_series.files[0], stop_before_pixels=True).StudyInstanceUID)
    ct = write_series(tmp_path / "ct", mni_volume, SeriesSpec(
        rows=24, cols=20, n_slices=4, modality="CT", description="CT same study", series_number=9,
        extra=(("StudyInstanceUID", study_uid),)))
    store(server_config(empty_orthanc), [small_series.folder, ct.folder])
    assert main(["pacs", "find", "--host", "127.0.0.1", "--port", str(empty_orthanc.dicom_port),
                 "--aet", SERVER_AET, "--calling-aet", CLIENT_AET, "--url", empty_orthanc.dicomweb_url,
                 "--user", USER, "--protocol", protocol]) == 0
    out = capsys.readouterr().out
    shown = re.search(r"ModalitiesInStudy=([^\t\n]*)", out)
    assert shown and sorted(shown.group(1).split(", ")) == ["CT", "MR"], out
    assert "\\" not in out and "1 match" in out.splitlines()
