"""A *Send to training set* cut short (the window killed or closed by a crash during it), said
when its image opens again.

The training set's own write is all or nothing (``dataset.store``: staged, then renamed), so a
kill leaves the case in it or not at all; but the window that sent it is gone, and on reopening
nothing said which (session 31's walk). :func:`sending` marks the image's workspace for the
length of the send (:data:`MARK`: the training set's folder, when the send started, the
identity of the image sent, ``dataset.identity``: a digest of its voxels, no name or UID, and the
versions of the cases already holding it);
:func:`cut_short` reads a mark that a kill left behind, removes it, and says whether the training
set holds the labels of that send, an earlier label of the image, or nothing of it. No Qt.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Iterator, Optional

from ..core.atomic import write_text_atomic
from ..core.errors import NeuroviewError
from ..core.jsonfile import read_json
from .error_paths import short_error
from .shown_time import shown_time

MARK = "sending.json"


def image_id_of(volume) -> str:
    from ..dataset.identity import image_identity

    volumes = volume if isinstance(volume, (list, tuple)) else [volume]
    if len(volumes) == 1 and volumes[0].array.ndim == 4 and volumes[0].axis4 == "channel":
        whole = volumes[0]
        return image_identity([whole.frame(c) for c in range(whole.n_frames)])
    return image_identity([v.array for v in volumes])


@contextlib.contextmanager
def sending(workspace: Optional[Path], dataset_dir, volume, image_id: Optional[str] = None) -> Iterator[None]:
    """The send in the block marked in ``workspace`` (no mark without a workspace); the mark is
    removed when the block ends, sent or failed: only a kill leaves it. ``image_id``: the image's
    :func:`image_id_of`, when the caller has it already (the send passes the same digest on to
    ``add_case``, so the voxels are hashed once: 0.2 s on a 256^3 image)."""
    mark = None
    if workspace is not None:
        from ..dataset.provenance import now_iso

        mark = Path(workspace) / MARK
        image_id = image_id or image_id_of(volume)
        try:
            os.makedirs(workspace, exist_ok=True)
            write_text_atomic(mark, json.dumps({
                "dataset": os.fspath(os.path.abspath(dataset_dir)), "started": now_iso(),
                "image_id": image_id, "held_before": _held_versions(dataset_dir, image_id)}))
        except OSError:   # a read-only workspace: the send goes on, unmarked
            mark = None
    try:
        yield
    finally:
        if mark is not None:
            with contextlib.suppress(OSError):
                mark.unlink()


def _held_versions(dataset_dir, image_id: str) -> list[str]:
    """The versions of the training set's cases holding this image (an earlier send's label,
    which this send would replace): told from this send's after a kill."""
    from ..dataset.store import list_cases

    try:
        return [r.version for r in list_cases(dataset_dir) if r.image_id == image_id]
    except (NeuroviewError, OSError):   # add_case says what is wrong with the training set
        return []


def marked(workspace: Path) -> bool:
    """A mark is there (one stat: the window looks on the GUI thread before reading it)."""
    return (Path(workspace) / MARK).exists()


def cut_short(workspace: Path, now: Optional[datetime] = None) -> Optional[str]:
    """The line for a send a kill cut short in ``workspace`` (its mark removed), or ``None``
    (:func:`cut_short_send`'s line)."""
    found = cut_short_send(workspace, now)
    return found[0] if found is not None else None


def cut_short_send(workspace: Path, now: Optional[datetime] = None) -> Optional[tuple[str, str]]:
    """``(line, case)`` for a send a kill cut short in ``workspace`` (its mark removed): the line
    to say, and the training set's case that holds that send ("" where it holds none: the
    worklist marks the case sent, as a send that finished does); ``None`` without a mark. Its
    times are local (:func:`~.shown_time.shown_time`, ``now`` its clock). Reads the training
    set's cases: not on the GUI thread."""
    mark = Path(workspace) / MARK
    try:
        data = read_json(mark)
        dataset, started, image_id = str(data["dataset"]), str(data["started"]), str(data["image_id"])
        before = set(map(str, data.get("held_before", [])))
    except (OSError, ValueError, KeyError, TypeError):
        with contextlib.suppress(OSError):
            mark.unlink()
        return None
    held_case = ""
    name = os.path.basename(dataset.rstrip(os.sep)) or dataset
    when = shown_time(started, now)
    head = f"The last Send to training set of this image, to {name} ({when}), was cut short"
    try:
        from ..dataset.store import list_cases

        held = [r for r in list_cases(dataset) if r.image_id == image_id]
    except (NeuroviewError, OSError) as exc:
        line = (f"{head}; its training set cannot be read now ({short_error(str(exc))}): look there "
                "before sending again.")   # its files by name and folder, as the error bar says them
    else:
        if held and held[0].version not in before:
            line = f"{head} after it was written: the training set holds it, as {held[0].case}."
            held_case = held[0].case
        elif held:
            line = (f"{head}: the training set holds an earlier label of this image ({held[0].case}, "
                    f"added {shown_time(held[0].added_at, now)}), not that send's; send it again.")
        else:
            line = f"{head}: nothing of it was written (the training set does not hold it); send it again."
    with contextlib.suppress(OSError):
        mark.unlink()
    return line, held_case
