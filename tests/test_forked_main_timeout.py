"""``tests.checkout.run_main_forked`` and ``tests.durability.fork_killed``: a copy that hangs (a
lock held by a thread of the parent at the fork) is ended by SIGALRM after its timeout, and its
test fails in seconds, not at pytest-timeout's 15 minutes with the copy left behind."""

from __future__ import annotations

import time

from tests import checkout


def test_a_hung_copy_is_ended_by_its_alarm(monkeypatch):
    import neuroview.cli.main as cli_main

    monkeypatch.setattr(cli_main, "main", lambda argv: time.sleep(60))
    started = time.monotonic()
    result = checkout.run_main_forked("info", "anything", timeout=1)
    assert result.returncode == -14  # SIGALRM
    assert time.monotonic() - started < 30


def test_a_copy_that_ends_gives_its_output():
    result = checkout.run_main_forked("--help")
    assert result.returncode == 0 and "usage: neuroview" in result.stdout


def test_a_hung_killed_copy_is_ended_by_its_alarm(monkeypatch):
    from tests import durability

    monkeypatch.setattr(durability, "FORKED_TIMEOUT_S", 1)
    started = time.monotonic()
    code, _ = durability.fork_killed(time.sleep, 60)
    assert code == -14  # SIGALRM, not a kill of the test's (no delay given)
    assert time.monotonic() - started < 30
