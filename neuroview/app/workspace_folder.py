"""Where an image's workspace (its crash journal, ``core.journal``) lives: a folder of
``user_data_dir()/workspaces`` named by the image's key (``core.image_keys``), and the folder a
workspace the user chose not to restore is moved to.

An older neuroview named the folder by another key of the same image (``Volume.older_keys``: 4,096
sampled voxels before session 33; a padded CT's voxels as read, its padding as air, in sessions
33-34): such a folder is found too, while its ``workspace.json`` names that key or, once taken on
(``Journal.adopt_key``), the image's key of now.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Optional

from ..core.jsonfile import read_json
from ..core.volume import Volume
from ..paths import user_data_dir


def hash_keys(volume: Volume, cancel=None) -> None:
    """Hash, in a worker, the keys :func:`workspace_for` will read (``Volume`` keeps them): the
    image's key, and its older keys unless a folder is named by that key (then they are not read:
    for a padded CT they cost one more pass over every voxel). ``cancel``: ``Volume.workspace_key``'s."""
    if not (user_data_dir() / "workspaces" / volume.workspace_key(cancel)).exists():
        volume.older_keys(cancel)


def workspace_for(volume: Volume) -> Path:
    """The workspace folder of an image, named by its key (every voxel as the file stores them);
    where there is none, the first one named by one of its older keys whose ``workspace.json``
    names that key or the key of now."""
    folder = user_data_dir() / "workspaces"
    full = folder / volume.workspace_key()
    if full.exists():
        return full
    for key in volume.older_keys():
        older = folder / key
        try:
            named = read_json(older / "workspace.json").get("image_key")
        except (OSError, ValueError, AttributeError):
            continue   # none there (or unreadable: another image's, as likely as this one's)
        if named in (key, volume.workspace_key()):
            return older
    return full


def set_aside(workspace: Path) -> Optional[Path]:
    """Move a workspace the user chose not to restore beside itself (nothing is deleted)."""
    workspace = Path(workspace)
    if not workspace.exists():
        return None
    target = workspace.with_name(f"{workspace.name}.discarded-{time.strftime('%Y%m%d-%H%M%S')}")
    n = 1
    while target.exists():
        n += 1
        target = target.with_name(f"{workspace.name}.discarded-{time.strftime('%Y%m%d-%H%M%S')}-{n}")
    shutil.move(os.fspath(workspace), os.fspath(target))
    return target
