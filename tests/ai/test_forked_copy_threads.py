"""A forked copy of a test process that ran torch on two threads computes (tests.checkout's
start_forked_copy puts its torch on one thread). The copy's first parallel region waited forever
for the OpenMP pool's threads, which do not come through a fork: test_ai_security.py's
torchscript test, run without pytest-xdist, hung in its ``segment`` until the copy's alarm."""

from __future__ import annotations

import torch

from tests import durability


def _softmax_sum(x) -> int:
    return int(round(float(torch.softmax(x, dim=0).sum())))


def test_a_copy_forked_after_two_thread_torch_work_computes(monkeypatch):
    threads = torch.get_num_threads()
    torch.set_num_threads(2)                    # as a single-process run has it (tests/ai/conftest.py)
    try:
        x = torch.zeros(4, 64, 64, 64)
        assert _softmax_sum(x) == 64 ** 3       # the pool's threads start here, in this process
        monkeypatch.setattr(durability, "FORKED_TIMEOUT_S", 30)
        code, err = durability.fork_killed(lambda: 0 if _softmax_sum(x) == 64 ** 3 else 3)
    finally:   # the worker's later tests compute on its one thread (tests/test_worker_threads.py)
        torch.set_num_threads(threads)
    assert code == 0, f"the copy ended with {code} (-14: hung until its alarm) {err}"
