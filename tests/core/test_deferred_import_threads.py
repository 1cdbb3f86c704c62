""":mod:`neuroview.core.deferred_imports` acts on the thread that opened its block only, and
:func:`first_import_without` on one package's first import only (the command line wraps every
command in it for nibabel: a loading thread's ``import pydicom`` meanwhile must get pydicom)."""

from __future__ import annotations

import importlib
import sys
import threading

import pytest

from neuroview.core.deferred_imports import deferred_imports, first_import_without, hidden_modules


@pytest.fixture
def modules(tmp_path, monkeypatch):
    """A package ``nv_pkg`` that takes ``nv_optional`` if it can (as nibabel takes pydicom) and a
    module ``nv_net`` it imports at once; all three forgotten after the test."""
    (tmp_path / "nv_optional.py").write_text("VALUE = 42\n")
    (tmp_path / "nv_net.py").write_text("LOADED = True\n")
    (tmp_path / "nv_pkg").mkdir()
    (tmp_path / "nv_pkg" / "__init__.py").write_text(
        "try:\n    import nv_optional\nexcept ImportError:\n    nv_optional = None\n"
        "import importlib\nnv_net = importlib.import_module('nv_net')\n")  # (PySide6: below)
    (tmp_path / "nv_pkg" / "later.py").write_text("import nv_optional\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    for name in ("nv_optional", "nv_net", "nv_pkg", "nv_pkg.later"):
        sys.modules.pop(name, None)


def _not_run_yet(module) -> bool:
    """A module of importlib's LazyLoader whose code has not run (any attribute runs it)."""
    return type(module).__name__ == "_LazyModule"


def _import_in_a_thread(name: str):
    found = []

    def target():
        try:
            found.append(importlib.import_module(name))
        except ImportError as exc:
            found.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return found[0]


def test_a_hidden_module_is_hidden_from_the_blocks_thread_only(modules):
    with hidden_modules(["nv_optional"]):
        other = _import_in_a_thread("nv_optional")  # another thread: imported as usual
        sys.modules.pop("nv_optional")
        with pytest.raises(ModuleNotFoundError):
            import nv_optional  # noqa: F401
    assert getattr(other, "VALUE", None) == 42


def test_a_deferred_module_is_deferred_in_the_blocks_thread_only(modules):
    with deferred_imports(["nv_net"]):
        other = _import_in_a_thread("nv_net")
        assert not _not_run_yet(other) and other.LOADED  # another thread: run at once
        sys.modules.pop("nv_net")
        # (importlib, not an import statement: PySide6, which pytest-qt imports, replaces the
        # statement's __import__ with one that reads every module it imports)
        nv_net = importlib.import_module("nv_net")
        assert _not_run_yet(nv_net)  # this thread: run on first attribute access
        assert nv_net.LOADED is True


def test_first_import_without_applies_to_the_packages_own_import(modules):
    with first_import_without("nv_pkg", hidden=["nv_optional"], deferred=["nv_net"]):
        nv_pkg = importlib.import_module("nv_pkg")
        assert nv_pkg.nv_optional is None  # hidden while the package's own code ran
        assert _not_run_yet(sys.modules["nv_net"])  # deferred
        later = importlib.import_module("nv_pkg.later")  # a submodule imported afterwards
        assert later.nv_optional.VALUE == 42
    # the package keeps its own loader (importlib.resources asks it), and the finder is gone
    assert type(nv_pkg.__spec__.loader).__name__ == "SourceFileLoader"
    assert nv_pkg.__loader__ is nv_pkg.__spec__.loader
    assert not any(type(f).__name__ == "_FirstImport" for f in sys.meta_path)
