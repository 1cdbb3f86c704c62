"""Output folders made before the work that fills them, each failure one line naming the place."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import SaveError


def make_folder(path: str | os.PathLike) -> Path:
    """Create folder ``path`` (and its parents) if needed; :class:`SaveError` naming it if not
    (a file of that name in the way was ``internal error: FileExistsError``)."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        in_the_way = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        raise SaveError("cannot create the output folder: a file of that name is in the way",
                        path=in_the_way) from None
    except OSError as exc:
        raise SaveError(f"cannot create the output folder ({exc.strerror or exc})", path=path) from None
    return folder
