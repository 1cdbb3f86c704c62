"""Names of a training dataset and its cases as a model card may carry them.

A card travels with its model, and a dataset's folder and file names are the user's: a folder
``Smith_John`` or cases ``Smith_John_MR1`` name a patient. A card keeps a dataset's folder name
when it is nnU-Net's ``DatasetNNN_Name`` (the name of a dataset, as ``neuroview dataset init``
makes it), and a case's name when it is a number after the prefix every case of the dataset
shares (nnU-Net's ``case_0003``, ``BRATS_001``, *Send to training set*'s ``nv_0012``); any other is
written by its place, ``case 3 of 12 in name order``, which finds it in ``labelsTr`` again.
"""

from __future__ import annotations

import re

NNUNET_DATASET = re.compile(r"Dataset\d{3}_[A-Za-z0-9_.-]+")
NUMBERED = re.compile(r"(.*?)(\d+)")
UNNAMED_DATASET = "DATASET"
"""A dataset folder whose name is not nnU-Net's, as a card records it."""


def dataset_name(folder_name: str) -> str:
    return folder_name if NNUNET_DATASET.fullmatch(folder_name) else UNNAMED_DATASET


def case_ids(names: list[str], every: list[str]) -> list[str]:
    """``names`` (cases of the dataset whose cases are ``every``) as a card records them."""
    numbered = [NUMBERED.fullmatch(name) for name in every]
    prefixes = {match.group(1) if match else None for match in numbered}
    plain = len(prefixes) == 1 and None not in prefixes
    ordered = sorted(every)
    return [name if plain else f"case {ordered.index(name) + 1} of {len(ordered)} in name order"
            for name in names]
