"""How the error bar and the notices name the files in a message (no Qt): by name and folder, as
the saved-file notices name them (:func:`.shown_path.short_path`), the message with its whole paths
kept for the tooltip; each path is found wherever it stands (``core.named_paths``)::

    short_error("/home/ana/cases/.neuroview-worklist.json: worklist state not saved: Is a directory")
    # '.neuroview-worklist.json in ~/cases: worklist state not saved: Is a directory'

The bar showed ``/…/cases/.neuroview-worklist.json: ...`` whole, the problem pushed out of sight
by folders (and a user's folder names on a shared screen). An ``OSError`` quoted in a message
names its file in quotes (``[Errno 13] Permission denied: '/home/ana/cases/a.nii.gz'``): that path
is named short too (``Permission denied: a.nii.gz in ~/cases``).
"""

from __future__ import annotations

from typing import Optional

from ..core.named_paths import paths_named
from .shown_path import short_path


def short_error(text: str, image=None, home: Optional[str] = None) -> str:
    """``text`` with each path it names as ``NAME in FOLDER`` (``beside the image`` for one in
    ``image``'s folder, ``in ~/...`` under ``home``, else ``in …/FOLDER``)."""
    return paths_named(text, lambda path: short_path(path, image, home))
