"""``neuroview pacs get`` of a study or series the server does not hold: one line naming the
server and the study, and no output folder made. It made an empty output folder for a series the
server lacks (while saying "nothing was retrieved"), and for a study it lacks said only "the server
lists no series for that study", naming neither."""

from __future__ import annotations

import pydicom
from orthanc_server import server_config

from neuroview.cli.main import main
from neuroview.io.pacs import save_server, store


def test_get_of_what_the_server_lacks_makes_no_folder(empty_orthanc, small_series, tmp_path,
                                                      monkeypatch, capsys):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(empty_orthanc, name="lab")
    save_server(config)
    store(config, [small_series.folder])
    study = str(pydicom.dcmread(small_series.files[0], stop_before_pixels=True).StudyInstanceUID)

    out = tmp_path / "missing-series"
    assert main(["pacs", "get", "--server", "lab", "--study", study, "--series", "1.2.3.4.5",
                 "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such series" in err[0] and "nothing was retrieved" in err[0]
    assert not out.exists()

    out = tmp_path / "missing-study"
    assert main(["pacs", "get", "--server", "lab", "--study", "1.2.3.4.6", "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "lab" in err[0] and "1.2.3.4.6" in err[0] and "nothing was retrieved" in err[0]
    assert not out.exists()
