"""What kind of model folder a path is, told from its files alone (no torch, no nnunetv2)."""

from __future__ import annotations

import os
from pathlib import Path

NNINTERACTIVE_INFO_FILES = ("inference_session_class.json", "inference_info.json")


def is_nninteractive_folder(path: str | os.PathLike) -> bool:
    """An nnInteractive weights folder: nnU-Net's JSONs plus nnInteractive's session metadata."""
    path = Path(path)
    return path.is_dir() and (path / "plans.json").is_file() and (path / "dataset.json").is_file() \
        and any((path / name).is_file() for name in NNINTERACTIVE_INFO_FILES)


def is_nnunet_results(path: str | os.PathLike) -> bool:
    """A folder as nnU-Net v2 training leaves it (checked without importing torch or nnunetv2);
    an nnInteractive weights folder (:func:`is_nninteractive_folder`) is not one."""
    path = Path(path)
    return path.is_dir() and (path / "plans.json").is_file() and (path / "dataset.json").is_file() \
        and not is_nninteractive_folder(path)
