"""How the error bar names the files in a message (no Qt): by name and folder, as the saved-file
notices name them (:func:`.shown_path.short_path`), the message with its whole paths kept for the
tooltip. Errors read ``PATH: problem`` (``core.errors.NeuroviewError``), so a path is taken from a
``/`` that starts the message, a line or a word up to the first ``": "`` after it::

    short_error("/home/ana/cases/.neuroview-worklist.json: worklist state not saved: Is a directory")
    # '.neuroview-worklist.json in ~/cases: worklist state not saved: Is a directory'

The bar showed ``/…/cases/.neuroview-worklist.json: ...`` whole, the problem pushed out of sight
by folders (and a user's folder names on a shared screen). An ``OSError`` quoted in a message
names its file in quotes at the end (``[Errno 13] Permission denied: '/home/ana/cases/a.nii.gz'``):
that path is named short too (``Permission denied: a.nii.gz in ~/cases``).
"""

from __future__ import annotations

import re
from typing import Optional

from .shown_path import short_path

_PATH = re.compile(r"(?<![^\s(\"'])(/[^\n]*?/[^\n]*?)(?=: )")
"""An absolute path (two ``/`` at least) after the start, white space, a bracket or a quote,
ending before ``": "``. (A URL's ``//`` follows a colon: not taken.)"""


_QUOTED = re.compile(r"""(?<=: |> )(?:'(/[^'\n]*)'|"(/[^"\n]*)")""")
"""An absolute path in quotes after ``": "`` or ``"-> "``, as an ``OSError`` prints the file it
failed on (``[Errno 13] Permission denied: '/home/ana/cases/doe/a.nii.gz'``, a rename's
``'/a' -> '/b'``; in double quotes when the name holds a ``'``)."""


def short_error(text: str, image=None, home: Optional[str] = None) -> str:
    """``text`` with each path it names as ``NAME in FOLDER`` (``beside the image`` for one in
    ``image``'s folder), also the quoted path an ``OSError``'s text ends with."""
    text = _PATH.sub(lambda match: short_path(match.group(1), image, home), text)
    return _QUOTED.sub(lambda match: short_path(match.group(1) or match.group(2), image, home), text)
