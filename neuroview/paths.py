"""Where neuroview finds its bundled resources and keeps the user's data (models, recent files).

``NEUROVIEW_RESOURCES`` overrides the resources folder (for bundled apps); ``NEUROVIEW_HOME``
overrides the user data folder (tests point it at a temporary directory).
"""

from __future__ import annotations

import contextlib
import importlib.resources
import os
from pathlib import Path
from typing import Optional


def resources_dir() -> Path:
    """The bundled models, anatomy and demo case: ``NEUROVIEW_RESOURCES`` if set, else the
    copy an installed wheel carries (``neuroview/resources``, see setup.py), else the checkout's
    top-level ``resources/`` (a checkout, an editable install)."""
    override = os.environ.get("NEUROVIEW_RESOURCES")
    if override:
        return Path(override)
    packaged = Path(str(importlib.resources.files("neuroview") / "resources"))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def user_data_path() -> Path:
    """Where neuroview keeps the user's data (``NEUROVIEW_HOME``, else the XDG data folder's
    ``neuroview``), whether it exists or not."""
    override = os.environ.get("NEUROVIEW_HOME")
    if override:
        return Path(override)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "neuroview"


def user_data_dir() -> Path:
    """:func:`user_data_path`, made if missing. It holds patients' masks and images (workspaces,
    datasets, models, worklists), so it is private: made 0700, and the default folder made so
    if an older neuroview left it readable by others (a ``NEUROVIEW_HOME`` that exists is the
    user's choice and left as it is). What neuroview writes inside it is 0600 / 0700
    (``core.atomic.default_mode``)."""
    path = user_data_path()
    made = not path.exists()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if made or not os.environ.get("NEUROVIEW_HOME"):
        with contextlib.suppress(OSError):
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, 0o700)
    return path


def demo_image() -> Path:
    return resources_dir() / "demo" / "mni152_t1_1mm.nii.gz"


def demo_truth_for(image_path) -> Optional[Path]:
    """The ground truth beside a bundled demo image (``resources/demo/NAME.nii.gz`` with
    ``NAME_truth.nii.gz``), else None: *Load labels* opens on it (it opened on the home folder,
    and the truth lay in the installed package)."""
    if not image_path:
        return None
    image = Path(image_path)
    name = image.name[:-len(".nii.gz")] if image.name.endswith(".nii.gz") else image.stem
    truth = image.parent / f"{name}_truth.nii.gz"
    try:
        inside = image.parent.resolve() == (resources_dir() / "demo").resolve()
    except OSError:
        return None
    return truth if inside and truth.is_file() else None
