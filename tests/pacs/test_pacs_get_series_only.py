"""``neuroview pacs get --series UID`` without ``--study``: the study is asked of the server (a
C-FIND or QIDO-RS search at series level), then the series comes by C-GET, C-MOVE or WADO-RS,
which name the study too. ``--study`` was required even though a series UID is unique."""

from __future__ import annotations

import pydicom
import pytest
from orthanc_server import server_config

from neuroview.cli.main import main
from neuroview.io.pacs import save_server, store


@pytest.mark.parametrize("how", ["c-get", "c-move", "web"])
def test_get_a_series_by_its_uid_alone(empty_orthanc, small_series, tmp_path, monkeypatch, capsys, how):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(empty_orthanc, name="lab",
                           move_port=empty_orthanc.client_port if how == "c-move" else 0)
    save_server(config)
    store(config, [small_series.folder])
    series = str(pydicom.dcmread(small_series.files[0], stop_before_pixels=True).SeriesInstanceUID)

    out = tmp_path / "out"
    protocol = ["--protocol", "web" if how == "web" else "dimse"]
    assert main(["pacs", "get", "--server", "lab", *protocol, "--series", series, "-o", str(out)]) == 0
    got = sorted(out.joinpath(series).iterdir())
    assert len(got) == len(small_series.files)
    sent = sorted(int(pydicom.dcmread(f, stop_before_pixels=True).InstanceNumber) for f in small_series.files)
    assert sorted(int(pydicom.dcmread(f, stop_before_pixels=True).InstanceNumber) for f in got) == sent
    assert f"{out / series}: {len(sent)} files" in capsys.readouterr().out

    empty_orthanc.clear()  # cached now: the server is not asked again, for the study or the images
    again = tmp_path / "again"
    assert main(["pacs", "get", "--server", "lab", *protocol, "--series", series, "-o", str(again)]) == 0
    assert len(list(again.joinpath(series).iterdir())) == len(sent)


def test_a_series_the_server_lacks_is_one_line(empty_orthanc, small_series, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(server_config(empty_orthanc, name="lab"))
    out = tmp_path / "out"
    assert main(["pacs", "get", "--server", "lab", "--series", "1.2.3.4.5", "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["neuroview: error: lab has no series 1.2.3.4.5; nothing was retrieved"]
    assert not out.exists()

    assert main(["pacs", "get", "--server", "lab", "-o", str(out)]) == 1
    assert "--study UID, --series UID, or both" in capsys.readouterr().err
