"""An image opened with a load warning: helpers that test_damaged_journal_news.py and the tests
building on it share (test modules import helpers from a helper module, never from another test
module)."""

from __future__ import annotations

WARNING = "duplicate positions: 1 image left out"


def with_a_warning(monkeypatch, name: str) -> None:
    import neuroview.io.registry as registry

    real = registry.load_nifti

    def load(path, **options):   # progress, cancel (the loader passes them)
        loaded = real(path, **options)
        if name in str(path):
            loaded.warnings.append(WARNING)
        return loaded

    monkeypatch.setattr(registry, "load_nifti", load)
