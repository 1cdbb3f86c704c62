"""``stop_signals.interrupted_once`` (a verb of the ``neuroview`` process): the first Ctrl+C
raises KeyboardInterrupt, a second one while the command stops is ignored (it cut the clean-up
short and could end the process by SIGINT, exit -2), and Python's handler is back after a block
that got none."""

from __future__ import annotations

import os
import signal
import time

import pytest

from neuroview.cli.stop_signals import interrupted_once


def _press() -> None:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)   # the handler runs at the next line


def test_a_second_ctrl_c_while_the_command_stops_is_ignored():
    cleaned = []
    try:
        with pytest.raises(KeyboardInterrupt):
            with interrupted_once():
                try:
                    _press()
                finally:   # the clean-up, run whole despite a second Ctrl+C
                    _press()
                    cleaned.append(True)
        assert cleaned == [True]
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN   # for the process's end
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def test_without_ctrl_c_pythons_handler_is_back():
    with interrupted_once():
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
