"""`neuroview pacs get` on a retry draws the check of its kept images on a bar of its own, ended
full, then the transfer's bar on the next line: one bar for both ignored the text, climbed to 66 %
in the check of 3 kept images and fell to 25 % when the transfer began. ``retrieve`` is replaced by
one making the reports the real one makes on such a retry (tests/pacs/test_pacs_get_resume.py
checks those against Orthanc); the bar is drawn on a terminal-like stream."""

from __future__ import annotations

import io

from neuroview.cli import pacs as cli_pacs
from neuroview.cli.main import main
from neuroview.cli.progress import TextProgress
from neuroview.io.pacs import ServerConfig, save_server

REPORTS = [(0, 3, "checking 3 kept images..."), (1, 3, "checking 3 kept images..."),
           (2, 3, "checking 3 kept images..."), (3, 12, "retrieving"), (12, 12, "retrieving")]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_retry_shows_the_check_then_the_transfer_from_its_own_bar(tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEUROVIEW_PROGRESS_LINES", raising=False)
    save_server(ServerConfig(name="lab", host="127.0.0.1", port=11112))
    screen = Terminal()
    monkeypatch.setattr(cli_pacs, "TextProgress", lambda: TextProgress(screen, min_interval=0.0))

    def retrieve(_config, _study, series, _cache, _protocol, progress):
        for report in REPORTS:
            progress(*report)
        folder = tmp_path / "series"
        folder.mkdir()
        (folder / "1.dcm").write_bytes(b"image")
        return folder

    monkeypatch.setattr(cli_pacs, "retrieve", retrieve)
    assert main(["pacs", "get", "--server", "lab", "--study", "1.2", "--series", "1.2.3",
                 "-o", str(tmp_path / "out")]) == 0
    lines = [line.split("\r")[-1].rstrip() for line in screen.getvalue().split("\n") if line]
    assert lines == ["[" + "#" * 30 + "] 100.0% series 1/1: checking 3 kept images...",
                     "[" + "#" * 30 + "] 100.0% series 1/1: retrieving"]
    draws = screen.getvalue().replace("\n", "\r").split("\r")
    drawn = [line.split("%")[0].split()[-1] for line in draws if line]
    # the check from 0 to full, then the transfer from the 3 kept of 12 (25 %) to full
    assert drawn == ["0.0", "33.3", "66.7", "100.0", "25.0", "100.0"]
