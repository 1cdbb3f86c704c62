"""The training store's integrity check: helpers that test_kill.py and the tests building on it share
(test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest


def integrity_check(monkeypatch):
    """nnU-Net's ``verify_dataset_integrity``, its worker pools made of threads (the same checks,
    without spawning a process that imports torch on every call, nor forking twelve copies of
    this torch-laden process to list imagesTr: 132 forks, 7.8 s of test_kill's CPU)."""
    module = pytest.importorskip("nnunetv2.experiment_planning.verify_dataset_integrity",
                                 reason="nnunetv2 is not installed")
    from multiprocessing.pool import ThreadPool

    from nnunetv2.utilities import utils

    class _Context:
        @staticmethod
        def get_context(_method):
            return SimpleNamespace(Pool=ThreadPool)

    monkeypatch.setattr(module, "multiprocessing", _Context)
    monkeypatch.setattr(utils, "Pool", ThreadPool)   # create_lists_from_splitted_dataset_folder's
    return module.verify_dataset_integrity
