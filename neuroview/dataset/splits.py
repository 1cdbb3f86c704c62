"""Cross-validation folds that keep each patient's cases together, in nnU-Net's format.

nnU-Net splits cases at random; two scans of one patient could then sit in training and validation
of the same fold and flatter the validation Dice. Here folds are drawn over the subject pseudonyms
of the provenance files (the same patient always gets the same subject, see links.py). The result
is nnU-Net's ``splits_final.json`` (a list of ``{"train": [...], "val": [...]}``); copy it into
``nnUNet_preprocessed/DatasetNNN_Name/`` before training to make nnU-Net use it.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import numpy as np

from ..core.atomic import write_text_atomic
from ..core.errors import DatasetError
from .layout import read_dataset
from .store import list_cases


def subject_folds(dataset_dir: str | os.PathLike, n_folds: int = 5, seed: int = 12345) -> list[dict]:
    """Folds over subjects; fewer folds when there are fewer subjects than ``n_folds``."""
    if n_folds < 1:
        raise DatasetError("need at least one fold")
    by_subject: dict[str, list[str]] = defaultdict(list)
    for record in list_cases(dataset_dir):
        by_subject[record.subject].append(record.case)
    if not by_subject:
        raise DatasetError("the dataset has no case yet", path=read_dataset(dataset_dir).folder)
    subjects = sorted(by_subject)
    if len(subjects) == 1:  # as nnU-Net does for a single case: train and validate on it
        cases = sorted(by_subject[subjects[0]])
        return [{"train": cases, "val": cases}]
    order = np.random.default_rng(seed).permutation(len(subjects))
    n_folds = min(n_folds, len(subjects))
    folds = []
    for fold in range(n_folds):
        val_subjects = {subjects[i] for i in order[fold::n_folds]}
        val = sorted(c for s in val_subjects for c in by_subject[s])
        train = sorted(c for s in subjects if s not in val_subjects for c in by_subject[s])
        folds.append({"train": train, "val": val})
    return folds


def write_splits(dataset_dir: str | os.PathLike, n_folds: int = 5, seed: int = 12345) -> Path:
    """Write ``splits_final.json`` into the dataset folder; returns its path."""
    folder = read_dataset(dataset_dir).folder
    path = folder / "splits_final.json"
    write_text_atomic(path, json.dumps(subject_folds(folder, n_folds, seed), indent=2) + "\n")
    return path
