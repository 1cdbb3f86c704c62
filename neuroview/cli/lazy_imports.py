"""Defer modules that a library imports eagerly but a short command never uses.

``import pydicom`` imports its test-data downloader (``pydicom.data.download``), which imports
``urllib.request``, ``requests`` and ``tqdm`` at once: about a fifth of pydicom's import time, spent
by every ``neuroview convert`` that downloads nothing. :func:`import_pydicom` imports them lazily
(:mod:`neuroview.core.deferred_imports`): ``import requests`` succeeds (so pydicom still sees it
installed) and the module's code runs on first attribute access, if ever.
"""

from __future__ import annotations

import sys

from ..core.deferred_imports import deferred_imports
from ..io.dicom.codecs import import_pydicom_without_codecs

__all__ = ["PYDICOM_UNUSED", "deferred_imports", "import_pydicom"]

PYDICOM_UNUSED = ("urllib.request", "requests", "tqdm")
"""Imported by ``pydicom.data.download`` at ``import pydicom``; used only to download test files."""


def import_pydicom() -> None:
    """Import pydicom without its downloader's network libraries (they load if ever used) and
    without its compression codecs (loaded before the first compressed frame is decoded:
    :mod:`neuroview.io.dicom.codecs`)."""
    if "pydicom" in sys.modules:
        return
    with deferred_imports(PYDICOM_UNUSED):
        import_pydicom_without_codecs()
