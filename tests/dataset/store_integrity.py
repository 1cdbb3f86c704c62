"""The training store's integrity check: helpers that test_kill.py and the tests building on it share
(test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest


def integrity_check(monkeypatch):
    """nnU-Net's ``verify_dataset_integrity``, its worker pool made of threads (the same checks,
    without spawning a process that imports torch on every call)."""
    module = pytest.importorskip("nnunetv2.experiment_planning.verify_dataset_integrity",
                                 reason="nnunetv2 is not installed")
    from multiprocessing.pool import ThreadPool

    class _Context:
        @staticmethod
        def get_context(_method):
            return SimpleNamespace(Pool=ThreadPool)

    monkeypatch.setattr(module, "multiprocessing", _Context)
    return module.verify_dataset_integrity
