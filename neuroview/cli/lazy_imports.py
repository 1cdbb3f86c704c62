"""Defer modules that a library imports eagerly but a short command never uses.

``import pydicom`` imports its test-data downloader (``pydicom.data.download``), which imports
``urllib.request``, ``requests`` and ``tqdm`` at once: about a fifth of pydicom's import time, spent
by every ``neuroview convert`` that downloads nothing. :func:`import_pydicom` imports them lazily
(:mod:`neuroview.core.deferred_imports`): ``import requests`` succeeds (so pydicom still sees it
installed) and the module's code runs on first attribute access, if ever.

``import nibabel`` imports pydicom at once (its NIfTI module reads ``pydicom.Dataset`` for NIfTI
files carrying a DICOM header extension, whose content neuroview never reads), and pydicom its
codecs and network libraries: 0.25 s of a 0.5 s ``import nibabel`` (CPU, measured). Every
command's first ``import nibabel`` goes through :func:`light_nibabel`: without pydicom unless
pydicom is already imported (such an extension stays bytes, as nibabel keeps it without pydicom),
``urllib.request`` loaded if ever used. pydicom itself is imported when a file needs it.
"""

from __future__ import annotations

import sys

from ..core.deferred_imports import deferred_imports, first_import_without

__all__ = ["NIBABEL_UNUSED", "PYDICOM_UNUSED", "deferred_imports", "import_pydicom", "light_nibabel"]

PYDICOM_UNUSED = ("urllib.request", "requests", "tqdm")
"""Imported by ``pydicom.data.download`` at ``import pydicom``; used only to download test files."""


def import_pydicom() -> None:
    """Import pydicom without its downloader's network libraries (they load if ever used) and
    without its compression codecs (loaded before the first compressed frame is decoded:
    :mod:`neuroview.io.dicom.codecs`)."""
    if "pydicom" in sys.modules:
        return
    # (imported here: the command line's start, which imports this module, needs no io.dicom)
    from ..io.dicom.codecs import import_pydicom_without_codecs  # noqa: PLC0415

    with deferred_imports(PYDICOM_UNUSED):
        import_pydicom_without_codecs()


NIBABEL_HIDDEN = ("pydicom",)
"""Imported by ``nibabel.nifti1`` at ``import nibabel`` for DICOM header extensions."""
NIBABEL_UNUSED = ("urllib.request",)
"""Imported by ``nibabel.filebasedimages`` at ``import nibabel``; used only to read from a URL."""


def light_nibabel():
    """A context: the first ``import nibabel`` inside it is made without pydicom (when not imported
    yet) and with ``urllib.request`` deferred (module docstring)."""
    return first_import_without("nibabel", NIBABEL_HIDDEN, NIBABEL_UNUSED)
