"""Ctrl+C in `neuroview pacs get` says what the window's Cancel says: the retrieval was cancelled
and what of it was kept for a retry (it said only ``neuroview: interrupted``); the series before
it stay in the output folder, none of the one cut short is left there or opened from the cache.
The DIMSE transfer cut short is aborted: Ctrl+C took 30 s to end the command (the association's
release waited for the server's answer). Against the tests' Orthanc, a real SIGINT in the second
series' transfer."""

from __future__ import annotations

import os
import signal
import time

from orthanc_server import server_config
from pacs_series import uids

from neuroview.cli import pacs as cli_pacs
from neuroview.cli.main import main
from neuroview.cli.progress import TextProgress
from neuroview.io.pacs import SeriesCache, save_server, store
from neuroview.io.pacs.cache import kept_for_retry


def test_ctrl_c_in_pacs_get_says_nothing_of_that_series_was_kept(empty_orthanc, small_series, other_study,
                                                                 tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(empty_orthanc, name="lab")
    save_server(config)
    store(config, [small_series.folder, other_study.folder])
    first, second = uids(small_series)[1], uids(other_study)[1]
    bars = []

    class CtrlC(TextProgress):   # the user presses Ctrl+C once images of the second series arrive
        def __call__(self, done, total, text=""):
            if len(bars) == 2 and done >= 3:
                os.kill(os.getpid(), signal.SIGINT)
            return super().__call__(done, total, text)

    monkeypatch.setattr(cli_pacs, "TextProgress", lambda: bars.append(CtrlC()) or bars[-1])
    out = tmp_path / "out"
    started = time.monotonic()
    argv = ["pacs", "get", "--server", "lab", "--series", first, "--series", second, "-o", str(out)]
    assert main(argv) == 130
    # the association aborted: its release waited 30 s for Orthanc's answer behind the images
    assert time.monotonic() - started < 15
    kept = SeriesCache(tmp_path / "home" / "pacs-cache").kept(second)
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"neuroview: interrupted: retrieval of series 2/2 cancelled, {kept_for_retry(kept)}; "
        f"1 series before it in {out}")
    assert sorted(p.name for p in out.iterdir()) == [first]
    cache = SeriesCache(tmp_path / "home" / "pacs-cache")
    assert cache.lookup(first) is not None and cache.lookup(second) is None
    assert kept >= 3   # the images received kept for a retry (session 48: none were)
