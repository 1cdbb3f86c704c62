"""How the error bar names the files in a message (no Qt): by name and folder, as the saved-file
notices name them (:func:`.shown_path.short_path`), the message with its whole paths kept for the
tooltip. Errors read ``PATH: problem`` (``core.errors.NeuroviewError``), so a path is taken from a
``/`` that starts the message, a line or a word up to the first ``": "`` after it::

    short_error("/home/ana/cases/.neuroview-worklist.json: worklist state not saved: Is a directory")
    # '.neuroview-worklist.json in ~/cases: worklist state not saved: Is a directory'

The bar showed ``/…/cases/.neuroview-worklist.json: ...`` whole, the problem pushed out of sight
by folders (and a user's folder names on a shared screen).
"""

from __future__ import annotations

import re
from typing import Optional

from .shown_path import short_path

_PATH = re.compile(r"(?<![^\s(\"'])(/[^\n]*?/[^\n]*?)(?=: )")
"""An absolute path (two ``/`` at least) after the start, white space, a bracket or a quote,
ending before ``": "``. (A URL's ``//`` follows a colon: not taken.)"""


def short_error(text: str, image=None, home: Optional[str] = None) -> str:
    """``text`` with each path it names as ``NAME in FOLDER`` (``beside the image`` for one in
    ``image``'s folder)."""
    return _PATH.sub(lambda match: short_path(match.group(1), image, home), text)
