"""An exception that ends a thread of neuroview's: one line on stderr naming the thread, no
traceback there and no value or folder above the file it quotes; the traceback at DEBUG level in
the log; what waits on the thread told. Python's default printed the whole traceback (a value a
library quoted with it) and nothing ended the thread's job."""

from __future__ import annotations

import logging
import threading

import pytest

from neuroview.core import thread_errors


@pytest.fixture
def hooked():
    before = threading.excepthook
    thread_errors.install()
    yield
    threading.excepthook = before
    thread_errors.listen(None)


PATH, NAME = "/home/ana/doe_john/brain.nii.gz", "DOE^JOHN"


def _fail():   # the values come from data, as a reader's do: the source line does not show them
    raise ValueError(f"cannot read {PATH}: {NAME!r} is not a number")


def test_a_thread_that_raises_is_one_line_and_its_job_is_told(hooked, capsys, caplog):
    caplog.set_level(logging.DEBUG, "neuroview.threads")
    told = []
    thread = threading.Thread(target=_fail, name="fuzz worker")
    thread_errors.when_failed(thread, told.append)
    thread.start()
    thread.join()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("neuroview: internal error in the background job 'fuzz worker': ValueError: "
                          "cannot read brain.nii.gz in …/doe_john"), err
    assert "DOE^JOHN" not in err and "/home/ana" not in err
    assert [type(e) for e in told] == [ValueError]
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
    assert "Traceback" in logged and "fuzz worker" in logged and "_fail" in logged
    assert "/home/ana" not in logged and NAME not in logged


def test_a_thread_ending_by_system_exit_says_nothing(hooked, capsys):
    thread = threading.Thread(target=lambda: (_ for _ in ()).throw(SystemExit(0)), name="quiet")
    thread.start()
    thread.join()
    assert capsys.readouterr().err == ""


def test_the_command_installs_it(monkeypatch):
    from neuroview.cli.main import main

    before = threading.excepthook
    try:
        main(["--version"])
    except SystemExit:
        pass
    finally:
        installed, threading.excepthook = threading.excepthook, before
    assert installed is thread_errors._hook
