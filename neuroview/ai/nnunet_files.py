"""The files of an nnU-Net v2 results folder, read safely: ``plans.json`` and ``dataset.json`` as
JSON objects, the checkpoints of each fold, and a checkpoint through torch's restricted unpickler
(see :mod:`.nnunet`; :mod:`.interactive.nninteractive` reads its folders through these too)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..core.errors import ModelError
from ..core.jsonfile import read_json_object
from ..core.safepath import check_name

PLANS_FILE = "plans.json"
DATASET_FILE = "dataset.json"
CHECKPOINTS = ("checkpoint_final.pth", "checkpoint_best.pth")


def read_json_file(path: Path) -> dict:
    return read_json_object(path, ModelError, f"nnU-Net {path.name}")


def find_checkpoints(folder: Path, folds: Optional[list[str]] = None,
                     checkpoint: Optional[str] = None) -> list[tuple[str, Path]]:
    """``[(fold, checkpoint path)]``: numbered folds (else ``fold_all``), final before best."""
    if checkpoint:  # from a stored card: one file name inside each fold folder, nothing else
        check_name(checkpoint, "checkpoint", folder, ModelError)
    names = (checkpoint,) if checkpoint else CHECKPOINTS
    found = []
    def order(fold_dir: Path):
        suffix = fold_dir.name[5:]
        return (not suffix.isdigit(), int(suffix) if suffix.isdigit() else 0)

    for fold_dir in sorted(folder.glob("fold_*"), key=order):
        fold = fold_dir.name[5:]
        if folds is not None and fold not in folds:
            continue
        file = next((fold_dir / n for n in names if (fold_dir / n).is_file()), None)
        if file is not None:
            found.append((fold, file))
    numbered = [item for item in found if item[0].isdigit()]
    found = numbered or found
    if not found:
        raise ModelError("nnU-Net results folder has no fold_N/checkpoint_final.pth or "
                         "checkpoint_best.pth", path=folder)
    if checkpoint is None and len({f.name for _, f in found}) > 1:
        found = [(fold, f) for fold, f in found if f.name == found[0][1].name]
    return found


def load_checkpoint(path: Path) -> dict:
    """A training checkpoint through torch's restricted unpickler; anything else is refused."""
    import numpy as np
    import torch

    allowed = [np.dtype, np.ndarray]
    try:  # numpy scalars pickle through these; they build data, never call user code
        allowed.append(np._core.multiarray.scalar)
        allowed.append(np._core.multiarray._reconstruct)
    except AttributeError:  # numpy < 2
        allowed.append(np.core.multiarray.scalar)
        allowed.append(np.core.multiarray._reconstruct)
    allowed += [type(np.dtype(t)) for t in ("float64", "float32", "int64", "int32", "bool")]
    _check_stored(path)
    try:
        with torch.serialization.safe_globals(allowed):
            checkpoint = torch.load(str(path), map_location="cpu", weights_only=True)
    except Exception as exc:  # UnpicklingError, zip errors, EOF on truncated files
        text = str(exc).strip().splitlines()
        reason = text[0][:200] if text else type(exc).__name__
        if "weights_only" in str(exc) or "Unsupported global" in str(exc):
            reason = ("it holds Python objects other than tensors and numbers, which neuroview does "
                      "not unpickle")
        raise ModelError(f"checkpoint cannot be read safely ({reason})", path=path) from None
    if not isinstance(checkpoint, dict) or not isinstance(checkpoint.get("network_weights"), dict):
        raise ModelError("not an nnU-Net checkpoint (no 'network_weights')", path=path)
    return checkpoint


def _check_stored(path: Path) -> None:
    """``torch.save`` stores its zip's members as they are (no compression): a member deflated,
    which torch inflates whole into memory before it reads the tensor, is a repacked file or a
    zip bomb (3 GB from a 3.8 MB checkpoint: torch's allocation failed in words of C++, or took
    the memory). A file zipfile cannot read is left to torch's own error (an old, unzipped
    checkpoint)."""
    import zipfile

    from ..core.memory import format_bytes
    from ..core.plural import plural

    try:
        with zipfile.ZipFile(path) as archive:
            packed = [item for item in archive.infolist() if item.compress_type != zipfile.ZIP_STORED]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    if packed:
        inflated = sum(item.file_size for item in packed)
        raise ModelError(f"checkpoint cannot be read safely (its zip holds "
                         f"{plural(len(packed), 'compressed member')}, {format_bytes(inflated)} "
                         "inflated, where torch.save compresses none: repacked, or a zip bomb)",
                         path=path)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_labels(dataset: dict, path: Path) -> None:
    """``labels`` as nnU-Net's LabelManager reads it: names to integers (or, for region-based
    models, lists of integers); anything else was an AttributeError or OverflowError inside
    nnU-Net."""
    labels = dataset.get("labels")
    if not isinstance(labels, dict) or not labels or not all(
            _is_int(v) or isinstance(v, (list, tuple)) and v and all(_is_int(r) for r in v)
            for v in labels.values()):
        raise ModelError("dataset.json's labels must map label names to integers "
                         '(e.g. {"background": 0, "lesion": 1})', path=path)
