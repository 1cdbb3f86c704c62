"""Where neuroview finds its bundled resources and keeps the user's data (models, recent files).

``NEUROVIEW_RESOURCES`` overrides the resources folder (for bundled apps); ``NEUROVIEW_HOME``
overrides the user data folder (tests point it at a temporary directory).
"""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    override = os.environ.get("NEUROVIEW_RESOURCES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "resources"


def user_data_dir() -> Path:
    override = os.environ.get("NEUROVIEW_HOME")
    if override:
        path = Path(override)
    else:
        base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
        path = Path(base) / "neuroview"
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_image() -> Path:
    return resources_dir() / "demo" / "mni152_t1_1mm.nii.gz"
