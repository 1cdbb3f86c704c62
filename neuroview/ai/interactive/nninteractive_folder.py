"""An nnInteractive weights folder (``nninteractive``'s model reads it): its fold and checkpoint,
its LICENSE line, the model card made for it, and the copy the registry keeps of it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from ...core.errors import ModelError
from ...core.safepath import check_name, copy_with_room, file_inside
from ..api import LabelInfo, ModelCard
from ..folders import NNINTERACTIVE_INFO_FILES

FORMAT = "nninteractive"
PLANS_FILE, DATASET_FILE, LICENSE_FILE = "plans.json", "dataset.json", "LICENSE"
CHECKPOINT = "checkpoint_final.pth"


def fold_checkpoint(folder: Path, card: Optional[ModelCard]) -> tuple[str, Path]:
    """``(fold, checkpoint)``: the card's, else the folder's only ``fold_*`` with a checkpoint
    (nnInteractive's session refuses a folder with more than one fold, so does neuroview)."""
    if card is not None:
        fold = str(card.hyperparameters.get("fold", "0"))
        name = str(card.hyperparameters.get("checkpoint", CHECKPOINT))
        check_name(fold, "fold", folder, ModelError)
        check_name(name, "checkpoint", folder, ModelError)
        return fold, folder / f"fold_{fold}" / name
    found = sorted(d for d in folder.glob("fold_*") if (d / CHECKPOINT).is_file())
    if len(found) != 1:
        raise ModelError(f"an nnInteractive weights folder has one fold_N/{CHECKPOINT}, this one has "
                         f"{len(found)}", path=folder)
    return found[0].name[5:], found[0] / CHECKPOINT


def license_line(folder: Path) -> str:
    """The first line of the folder's LICENSE, read from its first 64 kB (a LICENSE that is a
    symlink to /dev/zero was read whole: 3 GB before the address-space limit stopped it)."""
    try:
        path = file_inside(folder, LICENSE_FILE, folder, "file", ModelError)
        with open(path, "rb") as handle:
            lines = handle.read(64 << 10).decode("utf-8", errors="replace").splitlines()
    except (OSError, ModelError):
        return ""
    return next((line.strip() for line in lines if line.strip()), "")[:200]


def make_card(folder: Path, plans: dict, configuration, configuration_name: str, fold: str,
               checkpoint_name: str, checkpoint: dict, trainer: str) -> ModelCard:
    from ...core.labels import default_color

    dataset_name = str(plans.get("dataset_name", folder.name))
    # a registry folder name (checked by ModelCard.check_names): no dots, no slashes, <= 64
    version = re.sub(r"[^A-Za-z0-9_+-]+", "_", f"{dataset_name}-{configuration_name}-fold{fold}")
    version = version.lstrip("_+-")[-64:].lstrip("_+-") or f"fold{fold}"
    short_arch = configuration.network_arch_class_name.rsplit(".", 1)[-1]
    epoch = checkpoint.get("current_epoch")
    return ModelCard(
        name="nninteractive", version=version, architecture=f"nninteractive/{short_arch}",
        hyperparameters={"kind": "promptable", "backend": FORMAT, "configuration": configuration_name,
                         "fold": fold, "checkpoint": checkpoint_name, "trainer": trainer,
                         "info_file": next(n for n in NNINTERACTIVE_INFO_FILES if (folder / n).is_file())},
        input_channels=["image"],
        target_spacing=tuple(float(s) for s in configuration.spacing),
        patch_size=tuple(int(p) for p in configuration.patch_size),
        labels=[LabelInfo(1, "object", default_color(1))],
        normalization={"scheme": "nninteractive"},
        format=FORMAT, weights_file="",
        description=f"nnInteractive promptable model ({short_arch}, {configuration_name}, fold {fold}) "
                    f"read from {folder.name}; runs in nnInteractive's own inference session",
        training={"task": "interactive", "kind": "promptable", "backend": FORMAT,
                  "source": "nnInteractive weights folder", "trainer": trainer,
                  "epochs": int(epoch) if isinstance(epoch, (int, float)) else None},
        license=license_line(folder),
    )


def copy_weights_folder(folder, card: ModelCard, target) -> None:
    """Copy what the card's model needs of an nnInteractive folder into ``target`` (new)."""
    folder, target = Path(folder), Path(target)
    target.mkdir(parents=True)
    for name in (PLANS_FILE, DATASET_FILE, LICENSE_FILE) + NNINTERACTIVE_INFO_FILES:
        if (folder / name).is_file():
            copy_with_room(file_inside(folder, name, folder, "file", ModelError), target / name,
                           name, ModelError, folder)
    fold, path = fold_checkpoint(folder, card)
    (target / f"fold_{fold}").mkdir()
    # a symlink out of the folder (another user's files, /dev/zero) is refused, not copied
    copy_with_room(file_inside(folder, path.relative_to(folder), folder, "checkpoint", ModelError),
                   target / f"fold_{fold}" / path.name, f"checkpoint {path.relative_to(folder)}",
                   ModelError, folder)
